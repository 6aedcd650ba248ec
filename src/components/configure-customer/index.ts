export { ConfigureCustomer } from './configure-customer.js';
export type { ConfigureCustomerProps, ConfigureCustomerPart, ConfigureCustomerStep, ConfigureCustomerIntro } from './configure-customer.js';
