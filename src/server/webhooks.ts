import { Webhook } from 'standardwebhooks';
import {
  parseCodatWebhookEvent,
  type CodatWebhookEvent,
  type UnknownCodatWebhookEvent,
} from './webhook-events.js';
import { lazySecret } from './lazy-secret.js';
import { readRequestText } from './upstream.js';
import { createMemoryWebhookReplayStore, type WebhookReplayStore } from './webhook-replay-store.js';

/** One delivery of an event, as Codat's webhook service (Svix) sent it. */
export interface CodatWebhookDelivery {
  /** The message id (`svix-id`): the same on every retry of this event, so use it to deduplicate. */
  id: string;
  /** When this attempt was signed (`svix-timestamp`). */
  timestamp: Date;
  /** The incoming request (its headers, e.g. a custom `X-Codat-ClientId`; the body is already read). */
  request: Request;
}

/** A handler the host gives for one event type; the delivery is answered 2xx once what it returns resolves. */
export type CodatWebhookEventHandler<E> = (event: E, delivery: CodatWebhookDelivery) => unknown;

/**
 * The host's handlers, by event type (`'connection.connected'`, `'bills.write.successful'`...), each typed
 * with its event.
 */
export type CodatWebhookHandlers = {
  [E in CodatWebhookEvent as E['eventType']]?: CodatWebhookEventHandler<E>;
};

/** Options of `createCodatWebhookHandler`. */
export interface CodatWebhookHandlerOptions {
  /**
   * The endpoint's signing secret (`whsec_...`; Codat Portal: Monitor > Webhooks > Events, the endpoint, Signing
   * secret). Server-side only. Read at the first request, so a module that creates the handler can be imported
   * where it is not set (a build); until there is one every delivery answers 500 and the server logs why. A
   * function is called at the first request, for secrets fetched from a secret store.
   */
  secret: string | (() => string | undefined) | undefined;
  /** Handlers by event type. An event is answered 2xx only after its handler resolved. */
  on?: CodatWebhookHandlers | undefined;
  /** Called for a known event with no handler in `on`. Events no handler takes are answered 200 and dropped. */
  onEvent?: CodatWebhookEventHandler<CodatWebhookEvent> | undefined;
  /** Called for an event of a type this version of the kit does not know (Codat adds types), unparsed. */
  onUnknownEvent?: CodatWebhookEventHandler<UnknownCodatWebhookEvent> | undefined;
  /**
   * Called when a handler threw or rejected (the delivery is answered 500 without details, and Codat retries).
   * @default logs the event type, the delivery id and the error with console.error
   */
  onError?: ((error: unknown, event: CodatWebhookEvent | UnknownCodatWebhookEvent, delivery: CodatWebhookDelivery) => void) | undefined;
  /**
   * Where handled delivery ids are kept, so a replayed delivery is not handled twice. Pass a shared one
   * (`createRedisWebhookReplayStore`) when several servers receive the webhooks.
   * @default createMemoryWebhookReplayStore()
   */
  store?: WebhookReplayStore | undefined;
  /**
   * How far a delivery's signed timestamp may be from now, in seconds, either way; older or newer ones are refused
   * (401). Up to 300: the Standard Webhooks library refuses more than 5 minutes itself. @default 300
   */
  toleranceSeconds?: number | undefined;
  /** How long a handled delivery id is remembered, in ms; at least twice the tolerance. @default 86400000 (24 hours) */
  replayTtlMs?: number | undefined;
  /** Largest body accepted, in bytes (413 above it). @default 1048576 */
  maxBodyBytes?: number | undefined;
}

/** A Web-standard request handler: works in Node (see `toNodeHandler`), Next.js route handlers, Hono, Workers. */
export type CodatWebhookHandler = (request: Request) => Promise<Response>;

/** Standard Webhooks' own fixed window: its `verify` refuses timestamps further away than this. */
const libraryToleranceSeconds = 5 * 60;

/**
 * How long a delivery being handled holds its id: a retry meanwhile is answered 409 (Codat tries again later).
 * Past it, a handler that never finished (a crashed process) no longer blocks the event.
 */
const pendingTtlMs = 2 * 60 * 1000;

function answer(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  });
}

/** Why a secret cannot be used, or undefined when it can. */
function secretProblem(secret: string | undefined): string | undefined {
  if (!secret) return 'createCodatWebhookHandler has no secret: set it (e.g. from CODAT_WEBHOOK_SECRET) where the server runs.';
  try {
    new Webhook(secret);
    return undefined;
  } catch {
    return "createCodatWebhookHandler's secret is not a signing secret (whsec_ followed by base64), as the Codat Portal shows it.";
  }
}

/**
 * Receives Codat's webhooks: checks the Svix signature (`svix-id`, `svix-timestamp`, `svix-signature`, or their
 * `webhook-*` Standard Webhooks names) with the endpoint's secret, refuses stale or future timestamps and
 * replayed delivery ids, parses the event and calls the host's handler for its type. Answers 200 once the
 * handler resolved; 500 when it threw (Codat retries); 400 for a signed body that is not a Codat event;
 * 401 for a missing or wrong signature; 405 for anything but POST; 413 for a body over the limit.
 */
export function createCodatWebhookHandler(options: CodatWebhookHandlerOptions): CodatWebhookHandler {
  const toleranceSeconds = options.toleranceSeconds ?? libraryToleranceSeconds;
  if (!(toleranceSeconds > 0 && toleranceSeconds <= libraryToleranceSeconds)) {
    throw new Error(`billpay-connect: createCodatWebhookHandler's toleranceSeconds must be more than 0 and at most ${libraryToleranceSeconds}.`);
  }
  const replayTtlMs = options.replayTtlMs ?? 24 * 60 * 60 * 1000;
  // A delivery id forgotten while its signature is still fresh could be replayed.
  if (!(replayTtlMs >= 2 * toleranceSeconds * 1000)) {
    throw new Error("billpay-connect: createCodatWebhookHandler's replayTtlMs must be at least twice toleranceSeconds.");
  }
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const store = options.store ?? createMemoryWebhookReplayStore();
  const onError =
    options.onError ??
    ((error, event, delivery) => console.error(`billpay-connect: the handler for Codat's ${event.eventType} event (delivery ${delivery.id}) failed:`, error));
  /** The verifier, made once the secret is first needed; a problem with it is logged once and answered 500. */
  const getVerifier = lazySecret(options.secret, secretProblem, (secret) => new Webhook(secret));

  return async (request) => {
    if (request.method.toUpperCase() !== 'POST') return answer(405, { error: 'Codat webhooks are POSTed.' }, { Allow: 'POST' });
    const wh = getVerifier();
    if (!wh) return answer(500, { error: 'The server is not set up to receive Codat webhooks yet.' });
    const header = (name: string) => request.headers.get(`svix-${name}`) ?? request.headers.get(`webhook-${name}`);
    const id = header('id');
    const timestamp = header('timestamp');
    const signature = header('signature');
    if (!id || !timestamp || !signature) return answer(401, { error: 'The delivery is not signed.' });
    if (!/^\d{1,12}$/.test(timestamp)) return answer(401, { error: 'The delivery’s timestamp is not valid.' });
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
      return answer(401, { error: 'The delivery’s timestamp is too old or too new.' });
    }
    let body: string;
    try {
      const read = await readRequestText(request, maxBody);
      if (read === 'too-large') return answer(413, { error: `The body is larger than ${maxBody} bytes.` });
      body = read;
    } catch {
      return answer(400, { error: 'The body could not be read.' });
    }
    try {
      wh.verify(body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
    } catch {
      return answer(401, { error: 'The signature does not match.' });
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return answer(400, { error: 'The body is not valid JSON.' });
    }
    const parsed = parseCodatWebhookEvent(json);
    if (parsed.known === undefined) return answer(400, { error: parsed.problem });

    let state: Awaited<ReturnType<WebhookReplayStore['claim']>>;
    try {
      state = await store.claim(id, pendingTtlMs);
    } catch {
      return answer(503, { error: 'The delivery could not be checked against earlier ones. Try again.' });
    }
    // Handled already (a replay, or a retry whose first 2xx was lost): acknowledged, so Codat stops sending it.
    if (state === 'done') return answer(200, { received: true, duplicate: true });
    if (state === 'pending') return answer(409, { error: 'This delivery is being handled. Try again later.' });

    const delivery: CodatWebhookDelivery = { id, timestamp: new Date(Number(timestamp) * 1000), request };
    try {
      if (parsed.known) {
        const { event } = parsed;
        const on = (options.on ?? {}) as Record<string, CodatWebhookEventHandler<CodatWebhookEvent> | undefined>;
        const handler = Object.hasOwn(on, event.eventType) ? on[event.eventType] : options.onEvent;
        await handler?.(event, delivery);
      } else {
        await options.onUnknownEvent?.(parsed.event, delivery);
      }
    } catch (error) {
      await store.release(id).catch(() => undefined);
      try {
        onError(error, parsed.event, delivery);
      } catch {
        // The host's logger failing must not turn a 500 into something else.
      }
      return answer(500, { error: 'The event could not be handled. It will be retried.' });
    }
    // Handled: a failure to remember that only risks handling a replay again, which a 500 would make certain.
    await store.complete(id, replayTtlMs).catch(() => undefined);
    return answer(200, { received: true });
  };
}
