import { Webhook } from 'standardwebhooks';
import type { SandboxEvent } from '../sandbox/index.js';

/** Where and how the sandbox server posts its webhook events, as a Codat webhook endpoint is set up. */
export interface SandboxWebhookOptions {
  /** The endpoint URL (the host's webhook receiver), as entered in the Codat Portal. */
  url: string;
  /** The endpoint's signing secret, `whsec_` followed by base64, as the Codat Portal shows it. */
  secret: string;
  /** Event types to send, as chosen for the endpoint in the Portal. @default every type the sandbox raises */
  eventTypes?: readonly string[] | undefined;
  /**
   * The wait before each retry of a delivery that was not answered 2xx, in ms; how many there are bounds the
   * attempts. Codat's own schedule goes on for 28 hours; pass short waits in tests.
   * @default [5000, 300000, 1800000]: Codat's first three retries (5 seconds, 5 minutes, 30 minutes)
   */
  retryDelaysMs?: readonly number[] | undefined;
  /** How long an attempt may take before it counts as failed, in ms. @default 15000 (Codat's limit) */
  timeoutMs?: number | undefined;
}

/** One attempt at a delivery. */
export interface SandboxWebhookAttempt {
  /** When it was sent (ms since the epoch). */
  at: number;
  /** The status answered, when there was an answer. */
  status?: number | undefined;
  /** Why there was no answer (a network failure or the timeout). */
  error?: string | undefined;
}

/** One event's delivery to the endpoint, updated in place as its attempts happen. */
export interface SandboxWebhookDelivery {
  /** The message id, sent as `svix-id` on every attempt. */
  id: string;
  /** The event, exactly as posted (JSON). */
  event: SandboxEvent;
  /** `pending` while attempts remain, `delivered` after a 2xx, `failed` after the last attempt failed. */
  status: 'pending' | 'delivered' | 'failed';
  /** Its attempts so far, oldest first. */
  attempts: SandboxWebhookAttempt[];
}

/** The sandbox server's webhook deliveries, for tests and demos to inspect and await. */
export interface SandboxWebhooks {
  /** Every delivery, oldest first. */
  readonly deliveries: readonly SandboxWebhookDelivery[];
  /**
   * Resolves with the first delivery, past or future, whose event has this type (or that `match` accepts)
   * once it has settled: delivered, or failed after its last attempt.
   */
  settled: (match: string | ((delivery: SandboxWebhookDelivery) => boolean)) => Promise<SandboxWebhookDelivery>;
  /** Resolves once no delivery is pending. */
  idle: () => Promise<void>;
}

/** A Svix-style message id: `msg_` and 27 base62 characters. */
function messageId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return `msg_${Array.from(crypto.getRandomValues(new Uint8Array(27)), (b) => alphabet[b % 62]).join('')}`;
}

/**
 * Posts events as Codat's webhook service (Svix) does: the event as the JSON body, signed with the endpoint's
 * secret in `svix-id`, `svix-timestamp` and `svix-signature` (a fresh timestamp and signature per attempt, the
 * same id), retried after each answer that is not 2xx, a network failure or a timeout.
 */
export function createWebhookSender(options: SandboxWebhookOptions): SandboxWebhooks & { send: (event: SandboxEvent) => void; close: () => void } {
  // Refuses a secret that is not one, at start rather than at the first event.
  const signer = new Webhook(options.secret);
  const retryDelays = options.retryDelaysMs ?? [5_000, 300_000, 1_800_000];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const wanted = options.eventTypes ? new Set(options.eventTypes) : undefined;
  const deliveries: SandboxWebhookDelivery[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inFlight = new Set<AbortController>();
  const waiters = new Set<() => void>();
  let closed = false;
  const changed = () => {
    for (const waiter of [...waiters]) waiter();
  };
  /** Resolves with `check()`'s first defined answer, checked now and after every change. */
  const when = <T>(check: () => T | undefined) =>
    new Promise<T>((resolve) => {
      const now = check();
      if (now !== undefined) return resolve(now);
      const waiter = () => {
        const value = check();
        if (value === undefined) return;
        waiters.delete(waiter);
        resolve(value);
      };
      waiters.add(waiter);
    });

  const attempt = async (delivery: SandboxWebhookDelivery, body: string) => {
    const record: SandboxWebhookAttempt = { at: Date.now() };
    delivery.attempts.push(record);
    const controller = new AbortController();
    inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'billpay-connect-sandbox (Svix-style webhooks)',
          'svix-id': delivery.id,
          'svix-timestamp': String(Math.floor(record.at / 1000)),
          'svix-signature': signer.sign(delivery.id, new Date(record.at), body),
        },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.body?.cancel();
      record.status = response.status;
    } catch (error) {
      record.error = controller.signal.aborted && !closed ? `No answer within ${timeoutMs} ms.` : String(error);
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
    if (closed) return;
    if (record.status !== undefined && record.status >= 200 && record.status < 300) {
      delivery.status = 'delivered';
    } else {
      const wait = retryDelays[delivery.attempts.length - 1];
      if (wait === undefined) {
        delivery.status = 'failed';
      } else {
        const retry = setTimeout(() => {
          timers.delete(retry);
          void attempt(delivery, body);
        }, wait);
        timers.add(retry);
      }
    }
    changed();
  };

  return {
    get deliveries() {
      return deliveries;
    },
    send(event) {
      if (closed || (wanted && !wanted.has(event.eventType))) return;
      const delivery: SandboxWebhookDelivery = { id: messageId(), event, status: 'pending', attempts: [] };
      deliveries.push(delivery);
      changed();
      void attempt(delivery, JSON.stringify(event));
    },
    settled(match) {
      const accepts = typeof match === 'string' ? (d: SandboxWebhookDelivery) => d.event.eventType === match : match;
      return when(() => {
        const delivery = deliveries.find(accepts);
        return delivery && delivery.status !== 'pending' ? delivery : undefined;
      });
    },
    idle() {
      return when(() => (deliveries.every((d) => d.status !== 'pending') ? true : undefined)).then(() => undefined);
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of inFlight) controller.abort();
      // Nothing more will be attempted: pending deliveries end failed, so no one waits on them forever.
      for (const delivery of deliveries) if (delivery.status === 'pending') delivery.status = 'failed';
      changed();
    },
  };
}
