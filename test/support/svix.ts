import { createHmac, randomBytes } from 'node:crypto';

/** A fresh endpoint signing secret, as the Codat Portal shows one: `whsec_` and base64 of 24 random bytes. */
export function webhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * A Svix signature (`v1,<base64>`) computed here with node:crypto, independently of the library the kit uses:
 * HMAC-SHA256, keyed with the secret's base64 part, over `<id>.<timestamp>.<body>`.
 */
export function svixSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** Options of `signedDelivery`. */
export interface SignedDeliveryOptions {
  /** The delivery id (`svix-id`). @default a new msg_ id */
  id?: string;
  /** The signed timestamp, in seconds. @default now */
  timestamp?: number;
  /** Secret to sign with. */
  secret: string;
  /** Header names: Svix's (`svix-*`) or Standard Webhooks' (`webhook-*`). @default 'svix' */
  brand?: 'svix' | 'webhook';
  /** Replaces the computed signature header. */
  signature?: string;
}

/** A POST of `body` as Codat's webhook service sends it, signed with `secret`. */
export function signedDelivery(url: string, body: string, options: SignedDeliveryOptions): Request {
  const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const brand = options.brand ?? 'svix';
  return new Request(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      [`${brand}-id`]: id,
      [`${brand}-timestamp`]: String(timestamp),
      [`${brand}-signature`]: options.signature ?? svixSignature(options.secret, id, timestamp, body),
    },
    body,
  });
}
