export { createCodatProxy } from './create-codat-proxy.js';
export type { CodatProxyHandler, CodatProxyOptions, ProxyAuthorizeInput, ProxyLogEntry } from './create-codat-proxy.js';
export { createMemoryIdempotencyStore } from './idempotency-store.js';
export type { IdempotencyEntry, IdempotencyStore, IdempotentAnswer, MemoryIdempotencyStoreOptions } from './idempotency-store.js';
export { createRedisIdempotencyStore } from './redis-idempotency-store.js';
export type { RedisIdempotencyClient, RedisIdempotencyStoreOptions } from './redis-idempotency-store.js';
export type { RedisClient } from './redis-client.js';
export { toNodeHandler } from './node-adapter.js';
export { createCodatWebhookHandler } from './webhooks.js';
export type { CodatWebhookDelivery, CodatWebhookEventHandler, CodatWebhookHandler, CodatWebhookHandlerOptions, CodatWebhookHandlers } from './webhooks.js';
export { CODAT_WEBHOOK_EVENT_TYPES, parseCodatWebhookEvent } from './webhook-events.js';
export type {
  CodatClientRateLimitReachedEvent,
  CodatClientRateLimitResetEvent,
  CodatClientRateLimitWebhookPayload,
  CodatCompanyCreatedEvent,
  CodatCompanyDeletedEvent,
  CodatCompanyProductAddedEvent,
  CodatCompanyProductRemovedEvent,
  CodatCompanyProductWebhookPayload,
  CodatConnectionConnectedEvent,
  CodatConnectionCreatedEvent,
  CodatConnectionDeletedEvent,
  CodatConnectionDisconnectedEvent,
  CodatConnectionFailedEvent,
  CodatConnectionReconnectedEvent,
  CodatConnectionWebhookPayload,
  CodatDataTypeWriteSuccessfulEvent,
  CodatDataTypeWriteUnsuccessfulEvent,
  CodatDataTypeWriteWebhookPayload,
  CodatReadCompletedEvent,
  CodatReadCompletedInitialEvent,
  CodatReadCompletedWebhookPayload,
  CodatReadIssue,
  CodatWebhookCompany,
  CodatWebhookCompanyReference,
  CodatWebhookEvent,
  ParsedCodatWebhookEvent,
  UnknownCodatWebhookEvent,
} from './webhook-events.js';
export { createMemoryWebhookReplayStore, createRedisWebhookReplayStore } from './webhook-replay-store.js';
export type {
  MemoryWebhookReplayStoreOptions,
  RedisWebhookReplayStoreOptions,
  WebhookReplayRedisClient,
  WebhookReplayState,
  WebhookReplayStore,
} from './webhook-replay-store.js';
// The Redirect URL to paste into the Codat Portal is a backend setting: offered here too, directive-free.
export { LINK_REDIRECT_QUERY, linkRedirectUrl } from '../core/redirect-url.js';
