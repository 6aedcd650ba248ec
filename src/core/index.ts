export { BillPayError, defaultErrorMessages, isBillPayError, toBillPayError } from './errors.js';
export type { BillPayErrorCode, BillPayErrorInit } from './errors.js';
export type { Clock } from './countdown.js';
export { createCodatClient, parseRetryAfter } from './client.js';
export type { CodatClient, CodatClientOptions, RetryOptions } from './client.js';
export { parseCompany, parseConnection, parseIntegration, parseErrorBody, parsePage, toConnectionStatus } from './parse.js';
export {
  assertSafeLinkUrl,
  isSafeLinkUrl,
  validateCompanyInput,
  validateId,
  validatePlatformKey,
  normalizeCompanyName,
  stripCompanyName,
  COMPANY_TAG_LIMITS,
  DEFAULT_MAX_COMPANY_NAME_LENGTH,
} from './validate.js';
export type { LinkUrlPolicy, ValidationOptions } from './validate.js';
export {
  ALL_BILL_PAY_PLATFORM_KEYS,
  BILL_PAY_ASYNC_PLATFORMS,
  BILL_PAY_PLATFORMS,
  BILL_PAY_PLATFORM_KEYS,
  BILL_PAY_SYNC_PLATFORMS,
  billPayPlatforms,
  filterPlatforms,
  findPlatform,
  findPlatformByName,
} from './platforms.js';
export type { BillPayPlatformList, Platform } from './platforms.js';
export {
  isLinkPopup,
  LINK_POPUP_NAME,
  LINK_RETURN_PARAMS,
  parseLinkReturn,
} from './link-return.js';
export type { LinkReturn, LinkReturnOutcome, ParseLinkReturnOptions } from './link-return.js';
export { announceLinkReturn, subscribeLinkReturns } from './link-channel.js';
export type { AnnouncedLinkReturn } from './link-channel.js';
export type {
  CodatErrorBody,
  CodatValidationItem,
  Company,
  CompanyDetails,
  Connection,
  ConnectionStatus,
  CreateCompanyInput,
  CreateConnectionInput,
  DataConnectionError,
  Fetcher,
  HalLink,
  Integration,
  IntegrationBranding,
  OperationName,
  Page,
  PageQuery,
  RequestOptions,
  SourceType,
} from './types.js';
export { createKitStore } from './store.js';
export type { KitStore } from './store.js';
export { mergeMessages } from './messages.js';
export type { Messages, MessagesOverride } from './messages.js';
export type { BillPayEvent, BillPayEventInput, BillPayEventType, LinkOpenMode } from './events.js';
export { createConnectFlow, decideConnect, openLinkWindow, platformKeyOf } from './connect-flow.js';
export type { ConnectDecision, ConnectFlow, ConnectFlowEnv, ConnectFlowInput, ConnectFlowSnapshot, ConnectFlowStep, LaunchMode } from './connect-flow.js';
