export { createCodatProxy, createMemoryIdempotencyStore } from './create-codat-proxy.js';
export type {
  CodatProxyHandler,
  CodatProxyOptions,
  IdempotencyStore,
  IdempotentAnswer,
  ProxyAuthorizeInput,
  ProxyLogEntry,
} from './create-codat-proxy.js';
export { toNodeHandler } from './node-adapter.js';
