export { createCodatProxy } from './create-codat-proxy.js';
export type { CodatProxyHandler, CodatProxyOptions, ProxyAuthorizeInput, ProxyLogEntry } from './create-codat-proxy.js';
export { toNodeHandler } from './node-adapter.js';
