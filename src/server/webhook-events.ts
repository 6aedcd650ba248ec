import { parseCompany, parseConnection, type Company, type CompanyDetails, type Connection } from '../core/index.js';

/**
 * The event types of Codat's Platform API `webhooks` section, as the spec names them. `{dataType}` stands for
 * a data type such as `bills` or `billPayments`: the event that arrives is e.g. `bills.write.successful`.
 */
export const CODAT_WEBHOOK_EVENT_TYPES = [
  'company.created',
  'company.deleted',
  'company.product.added',
  'company.product.removed',
  'connection.created',
  'connection.connected',
  'connection.failed',
  'connection.disconnected',
  'connection.reconnected',
  'connection.deleted',
  'read.completed',
  'read.completed.initial',
  '{dataType}.write.successful',
  '{dataType}.write.unsuccessful',
  'client.rateLimit.reached',
  'client.rateLimit.reset',
] as const;

/** The envelope every Codat webhook event shares. */
interface Envelope<T extends string, P> {
  /** Unique identifier of the event (Codat's, in the body; the delivery's `svix-id` is on the delivery). */
  id: string;
  /** The type of event. */
  eventType: T;
  /** When Codat generated the event (ISO 8601, UTC). */
  generatedDate: string;
  /** What happened. */
  payload: P;
}

/** The company a connection, read or write event is about, as Codat references it. */
export interface CodatWebhookCompanyReference {
  /** Company id (uuid). */
  id: string;
  /** Company name. */
  name?: string | undefined;
  /** Free-text description. */
  description?: string | null | undefined;
  /** Links to the company elsewhere. */
  links?: { portal?: string | undefined; [extra: string]: unknown } | undefined;
  /** Host-defined tags (the host's own customer id, under `uid`, if it tagged one). */
  tags?: Record<string, string> | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** A company as company events carry it: Codat's company details (the kit's `Company` without data connections). */
export type CodatWebhookCompany = CompanyDetails;

/** The payload of a connection event. */
export interface CodatConnectionWebhookPayload {
  /** The company the connection belongs to. */
  referenceCompany: CodatWebhookCompanyReference;
  /** The connection as it is now (parsed like the kit's other connections: unknown statuses become `unknown`). */
  connection: Connection;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** The payload of `company.product.added` and `company.product.removed`. */
export interface CodatCompanyProductWebhookPayload {
  /** Company id (uuid). */
  id?: string | undefined;
  /** Company name. */
  name?: string | undefined;
  /** Company description. */
  description?: string | null | undefined;
  /** The product added or removed. */
  productId?: string | undefined;
  /** Its display name. */
  productName?: string | undefined;
  /** The company's products afterwards. */
  products?: string[] | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** One issue Codat found while reading a data type. */
export interface CodatReadIssue {
  /** Issue type, e.g. `warning.validation`. */
  type?: string | undefined;
  /** What went wrong. */
  message?: string | undefined;
  /** Where to read more. */
  links?: { logs?: string | undefined; portal?: string | undefined; readMore?: string | undefined; [extra: string]: unknown } | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** The payload of `read.completed` and `read.completed.initial`. */
export interface CodatReadCompletedWebhookPayload {
  /** The company whose data was read. */
  referenceCompany?: CodatWebhookCompanyReference | undefined;
  /** Records modified since this date were read (ISO 8601). */
  modifiedFromDate?: string | null | undefined;
  /** One summary per data type read. */
  dataTypes?:
    | {
        /** Connection id. */
        connectionId?: string | undefined;
        /** Data type, e.g. `bills`. */
        dataType?: string | undefined;
        /** Whether any records changed. */
        recordsModified?: boolean | undefined;
        /** Dataset status, e.g. `Complete` or `FetchError`. */
        status?: string | undefined;
        /** Issues found. */
        issues?: CodatReadIssue[] | null | undefined;
        /** Fields Codat sent that the kit does not model. */
        [extra: string]: unknown;
      }[]
    | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** The payload of `{dataType}.write.successful` and `{dataType}.write.unsuccessful`. */
export interface CodatDataTypeWriteWebhookPayload {
  /** Write request id. */
  id?: string | undefined;
  /** Kind of write. */
  type?: 'Create' | 'Update' | 'Delete' | 'UploadAttachment' | (string & {}) | undefined;
  /** The company written to. */
  referenceCompany?: CodatWebhookCompanyReference | undefined;
  /** Connection written through. */
  connectionId?: string | undefined;
  /** When the write was requested (ISO 8601). */
  requestedOnDate?: string | undefined;
  /** When it finished (ISO 8601). */
  completedOnDate?: string | undefined;
  /** Outcome. */
  status?: 'Pending' | 'Failed' | 'Success' | 'TimedOut' | (string & {}) | undefined;
  /** The record written, when there is one. */
  record?: { id?: string | undefined; [extra: string]: unknown } | null | undefined;
  /** The attachment uploaded, for `UploadAttachment`. */
  attachmentId?: string | null | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** The payload of `client.rateLimit.reached` and `client.rateLimit.reset`. */
export interface CodatClientRateLimitWebhookPayload {
  /** Requests allowed per day. */
  dailyQuota?: number | undefined;
  /** Requests left today. */
  quotaRemaining?: number | undefined;
  /** When the quota resets (ISO 8601). */
  expiryDate?: string | undefined;
  /** Fields Codat sent that the kit does not model. */
  [extra: string]: unknown;
}

/** A write event, with the data type taken from its event type. */
interface WriteEnvelope<T extends string> extends Envelope<T, CodatDataTypeWriteWebhookPayload> {
  /** The data type written, from the event type (`bills` in `bills.write.successful`). */
  dataType: string;
}

/** `company.created`: a company was created in Codat. */
export type CodatCompanyCreatedEvent = Envelope<'company.created', CodatWebhookCompany>;
/** `company.deleted`: a company was deleted in Codat. */
export type CodatCompanyDeletedEvent = Envelope<'company.deleted', CodatWebhookCompany>;
/** `company.product.added`: a product was added to a company. */
export type CodatCompanyProductAddedEvent = Envelope<'company.product.added', CodatCompanyProductWebhookPayload>;
/** `company.product.removed`: a product was removed from a company. */
export type CodatCompanyProductRemovedEvent = Envelope<'company.product.removed', CodatCompanyProductWebhookPayload>;
/** `connection.created`: a connection was created (status PendingAuth). */
export type CodatConnectionCreatedEvent = Envelope<'connection.created', CodatConnectionWebhookPayload>;
/** `connection.connected`: the customer linked the connection (status Linked). */
export type CodatConnectionConnectedEvent = Envelope<'connection.connected', CodatConnectionWebhookPayload>;
/** `connection.failed`: linking failed or was cancelled (see the connection's `dataConnectionErrors`). */
export type CodatConnectionFailedEvent = Envelope<'connection.failed', CodatConnectionWebhookPayload>;
/** `connection.disconnected`: the connection was unlinked or deauthorized. */
export type CodatConnectionDisconnectedEvent = Envelope<'connection.disconnected', CodatConnectionWebhookPayload>;
/** `connection.reconnected`: an unlinked or deauthorized connection was linked again. */
export type CodatConnectionReconnectedEvent = Envelope<'connection.reconnected', CodatConnectionWebhookPayload>;
/** `connection.deleted`: the connection was deleted. */
export type CodatConnectionDeletedEvent = Envelope<'connection.deleted', CodatConnectionWebhookPayload>;
/** `read.completed`: a read of the company's data finished. */
export type CodatReadCompletedEvent = Envelope<'read.completed', CodatReadCompletedWebhookPayload>;
/** `read.completed.initial`: the first read after linking finished. */
export type CodatReadCompletedInitialEvent = Envelope<'read.completed.initial', CodatReadCompletedWebhookPayload>;
/** `{dataType}.write.successful`, e.g. `bills.write.successful`. */
export type CodatDataTypeWriteSuccessfulEvent = WriteEnvelope<`${string}.write.successful`>;
/** `{dataType}.write.unsuccessful`, e.g. `bills.write.unsuccessful`. */
export type CodatDataTypeWriteUnsuccessfulEvent = WriteEnvelope<`${string}.write.unsuccessful`>;
/** `client.rateLimit.reached`: the client's daily quota is used up. */
export type CodatClientRateLimitReachedEvent = Envelope<'client.rateLimit.reached', CodatClientRateLimitWebhookPayload>;
/** `client.rateLimit.reset`: the client's daily quota was reset. */
export type CodatClientRateLimitResetEvent = Envelope<'client.rateLimit.reset', CodatClientRateLimitWebhookPayload>;

/** Every event type Codat's spec documents, as a union discriminated on `eventType`. */
export type CodatWebhookEvent =
  | CodatCompanyCreatedEvent
  | CodatCompanyDeletedEvent
  | CodatCompanyProductAddedEvent
  | CodatCompanyProductRemovedEvent
  | CodatConnectionCreatedEvent
  | CodatConnectionConnectedEvent
  | CodatConnectionFailedEvent
  | CodatConnectionDisconnectedEvent
  | CodatConnectionReconnectedEvent
  | CodatConnectionDeletedEvent
  | CodatReadCompletedEvent
  | CodatReadCompletedInitialEvent
  | CodatDataTypeWriteSuccessfulEvent
  | CodatDataTypeWriteUnsuccessfulEvent
  | CodatClientRateLimitReachedEvent
  | CodatClientRateLimitResetEvent;

/** An event of a type this version of the kit does not know (Codat adds types): its body, unparsed. */
export type UnknownCodatWebhookEvent = Envelope<string, unknown>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

const connectionTypes = new Set<string>(CODAT_WEBHOOK_EVENT_TYPES.filter((t) => t.startsWith('connection.')));
const companyTypes = new Set(['company.created', 'company.deleted']);
const objectPayloadTypes = new Set<string>(CODAT_WEBHOOK_EVENT_TYPES);
const writeType = /^(.+)\.write\.(?:un)?successful$/;

/** The result of `parseCodatWebhookEvent`. */
export type ParsedCodatWebhookEvent =
  | { known: true; event: CodatWebhookEvent }
  | { known: false; event: UnknownCodatWebhookEvent }
  | { known: undefined; problem: string };

function companyReference(value: unknown): CodatWebhookCompanyReference | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '') return undefined;
  const tags = isObject(value.tags)
    ? Object.fromEntries(Object.entries(value.tags).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : undefined;
  return { ...value, id: value.id, tags };
}

/**
 * Reads a verified webhook body into a typed event: a known type's payload is checked and parsed leniently
 * (unknown fields kept; a connection's status normalised as everywhere in the kit); an unknown type is passed
 * on unparsed. Answers `problem` for a body that is not a Codat event, or a connection or company event
 * without the company or connection it is about.
 */
export function parseCodatWebhookEvent(body: unknown): ParsedCodatWebhookEvent {
  if (!isObject(body)) return { known: undefined, problem: 'The body is not a JSON object.' };
  const eventType = body.eventType;
  if (typeof eventType !== 'string' || eventType === '') return { known: undefined, problem: 'The body has no eventType.' };
  const envelope = { ...body, id: str(body.id) ?? '', eventType, generatedDate: str(body.generatedDate) ?? '' };
  const write = writeType.exec(eventType);
  if (!objectPayloadTypes.has(eventType) && !write) return { known: false, event: { ...envelope, payload: body.payload } };
  const payload = body.payload;
  if (!isObject(payload)) return { known: undefined, problem: `The ${eventType} event has no payload object.` };
  if (connectionTypes.has(eventType)) {
    const referenceCompany = companyReference(payload.referenceCompany);
    if (!referenceCompany) return { known: undefined, problem: `The ${eventType} event names no company.` };
    let connection: Connection;
    try {
      connection = parseConnection(payload.connection);
    } catch {
      return { known: undefined, problem: `The ${eventType} event has no connection with an id.` };
    }
    return { known: true, event: { ...envelope, payload: { ...payload, referenceCompany, connection } } as CodatWebhookEvent };
  }
  if (companyTypes.has(eventType)) {
    let company: Company;
    try {
      company = parseCompany(payload);
    } catch {
      return { known: undefined, problem: `The ${eventType} event has no company with an id.` };
    }
    const { dataConnections: _dropped, ...rest } = company;
    const details: CodatWebhookCompany = rest;
    return { known: true, event: { ...envelope, payload: details } as CodatWebhookEvent };
  }
  // Optional here: one without an id is dropped rather than passed on mistyped.
  const parsed = { ...payload, referenceCompany: companyReference(payload.referenceCompany) };
  if (write) return { known: true, event: { ...envelope, dataType: write[1] ?? '', payload: parsed } as CodatWebhookEvent };
  return { known: true, event: { ...envelope, payload: parsed } as CodatWebhookEvent };
}
