export { ConfigureCustomer } from './configure-customer.js';
export type { ConfigureCustomerProps, ConfigureCustomerPart } from './configure-customer.js';
