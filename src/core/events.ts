import type { BillPayError } from './errors.js';

/** How the Link flow was opened. */
export type LinkOpenMode = 'popup' | 'redirect' | 'new-tab' | 'custom';

/**
 * One step of the onboarding flow, for analytics (`onEvent` on `CodatProvider`, like Plaid Link's `onEvent`).
 * Every event has `type` and `at` (ms since epoch); flow events carry the platform and, from `connect-started`
 * on, `elapsedMs` since that start. No event carries the company name or any secret.
 */
export type BillPayEvent =
  /** The onboarding UI was shown (`ConfigureCustomer` mounted, or its dialog opened). */
  | { type: 'opened'; at: number; companyId: string | undefined }
  /** The user chose a platform in the picker. */
  | { type: 'platform-selected'; at: number; platformKey: string }
  /** The user searched the picker (after typing settles). */
  | { type: 'searched'; at: number; query: string; resultCount: number }
  /** The user asked to connect a platform. */
  | { type: 'connect-started'; at: number; platformKey: string; companyId: string | undefined }
  /** The Link flow was opened for a connection. */
  | { type: 'link-opened'; at: number; platformKey: string; companyId: string; connectionId: string; mode: LinkOpenMode; elapsedMs: number }
  /** The user left the Link flow without authorising. */
  | { type: 'cancelled'; at: number; platformKey: string; companyId: string; connectionId: string; elapsedMs: number }
  /** The connection is Linked. */
  | { type: 'linked'; at: number; platformKey: string; companyId: string; connectionId: string; elapsedMs: number | undefined }
  /** A connection was unlinked. */
  | { type: 'unlinked'; at: number; platformKey: string; companyId: string; connectionId: string }
  /** A connection was removed (deleted). */
  | { type: 'removed'; at: number; platformKey: string; companyId: string; connectionId: string }
  /** Something failed; `error` has the code, status and Codat's correlation id. */
  | { type: 'error'; at: number; error: BillPayError; platformKey: string | undefined };

/** The type names of `BillPayEvent`. */
export type BillPayEventType = BillPayEvent['type'];

/** An event as the kit's parts hand it to `emit`: everything but the time, which `emit` stamps. */
export type BillPayEventInput = BillPayEvent extends infer E ? (E extends BillPayEvent ? Omit<E, 'at'> : never) : never;
