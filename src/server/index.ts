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
// The Redirect URL to paste into the Codat Portal is a backend setting: offered here too, directive-free.
export { LINK_REDIRECT_QUERY, linkRedirectUrl } from '../core/redirect-url.js';
