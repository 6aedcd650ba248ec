import { parseLinkReturn, type LinkReturn } from './link-return.js';

/** A Link return worth telling other windows about: Codat reported success or a failure. */
export type AnnouncedLinkReturn = Extract<LinkReturn, { status: 'success' | 'error' }>;

/** What travels between windows. Receivers trust none of it: the query is parsed again, as from an address bar. */
interface LinkReturnMessage {
  type: typeof channelName;
  from: string;
  id: string;
  query: string;
}

const channelName = 'bpc-link-return';
const storageKey = 'bpc-link-return';
// The kit's parameters fit in well under this (texts are capped at 500 characters each).
const maxQueryLength = 8192;

const listeners = new Set<(link: AnnouncedLinkReturn) => void>();
let channel: BroadcastChannel | undefined;
let onStorage: ((event: StorageEvent) => void) | undefined;
let windowId: string | undefined;

function randomId(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }
}

/** This window's id, so a window never hears its own announcements (it already knows what it read). */
function selfId(): string {
  windowId ??= randomId();
  return windowId;
}

function hasBroadcastChannel(): boolean {
  return typeof BroadcastChannel === 'function';
}

function toQuery(link: AnnouncedLinkReturn): string {
  const params = new URLSearchParams();
  const fields: Record<string, string | number | undefined> = {
    companyId: link.companyId,
    connectionId: link.connectionId,
    statusCode: link.statusCode,
    platform: link.platform,
    platformName: link.platformName,
    sourceType: link.sourceType,
    ...(link.status === 'error' ? { errorMessage: link.errorMessage, statusText: link.statusText } : {}),
  };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) params.set(name, String(value));
  return params.toString();
}

/** Validates a received message and parses its query again; anything else is dropped. */
function fromMessage(data: unknown): AnnouncedLinkReturn | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, from, query } = data as Partial<Record<keyof LinkReturnMessage, unknown>>;
  if (type !== channelName || typeof from !== 'string' || from === selfId()) return undefined;
  if (typeof query !== 'string' || query.length > maxQueryLength) return undefined;
  const link = parseLinkReturn(`?${query}`);
  return link.status === 'success' || link.status === 'error' ? link : undefined;
}

function deliver(data: unknown): void {
  const link = fromMessage(data);
  if (!link) return;
  for (const listener of [...listeners]) {
    try {
      listener(link);
    } catch (error) {
      // One broken listener must not keep the others from hearing the return.
      if (typeof reportError === 'function') reportError(error);
      else
        setTimeout(() => {
          throw error;
        });
    }
  }
}

function attach(): void {
  if (hasBroadcastChannel()) {
    channel = new BroadcastChannel(channelName);
    channel.addEventListener('message', (event: MessageEvent) => deliver(event.data));
    return;
  }
  onStorage = (event: StorageEvent) => {
    if (event.key !== storageKey || event.newValue === null) return;
    let data: unknown;
    try {
      data = JSON.parse(event.newValue);
    } catch {
      return;
    }
    deliver(data);
  };
  window.addEventListener('storage', onStorage);
}

function detach(): void {
  channel?.close();
  channel = undefined;
  if (onStorage) window.removeEventListener('storage', onStorage);
  onStorage = undefined;
}

/**
 * Tells this origin's other windows and tabs (a same-origin `BroadcastChannel('bpc-link-return')`, or a
 * `storage` event where that is missing) what Codat's redirect reported, so the window that opened the Link
 * flow can finish at once. Only `success` and `error` returns are sent; this window's own subscribers are not
 * called. Returns whether anything was sent. A no-op on the server.
 */
export function announceLinkReturn(link: LinkReturn): boolean {
  if (typeof window === 'undefined' || (link.status !== 'success' && link.status !== 'error')) return false;
  const message: LinkReturnMessage = { type: channelName, from: selfId(), id: randomId(), query: toQuery(link) };
  try {
    if (hasBroadcastChannel()) {
      const sender = channel ?? new BroadcastChannel(channelName);
      sender.postMessage(message);
      if (sender !== channel) sender.close();
      return true;
    }
    // The key is removed at once: other windows get the event for the write, and nothing is left behind.
    window.localStorage.setItem(storageKey, JSON.stringify(message));
    window.localStorage.removeItem(storageKey);
    return true;
  } catch {
    // Storage disabled or full: the opener still notices the window closing.
    return false;
  }
}

/**
 * Calls `listener` with each Link return another window of this origin announces (see `announceLinkReturn`).
 * Every message is validated as untrusted input, parsed again as `parseLinkReturn` does; malformed ones are
 * dropped. Like the address bar, a return is never proof of success: re-read the connection. Returns the
 * unsubscribe function. A no-op on the server.
 */
export function subscribeLinkReturns(listener: (link: AnnouncedLinkReturn) => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  const own = (link: AnnouncedLinkReturn) => listener(link);
  listeners.add(own);
  if (listeners.size === 1) attach();
  return () => {
    if (listeners.delete(own) && listeners.size === 0) detach();
  };
}
