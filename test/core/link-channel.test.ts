// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceLinkReturn, parseLinkReturn, subscribeLinkReturns, type LinkReturn } from '../../src/core/index.js';

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';
const success = parseLinkReturn(`?companyId=${companyId}&connectionId=${connectionId}&platform=qhyg&platformName=QuickBooks%20Online&statusCode=200&errorMessage=&statusText=`);
const cancelled = parseLinkReturn(`?companyId=${companyId}&connectionId=&statusCode=403&errorMessage=User%20cancelled.&statusText=%20raw%0Atext%20`);
const wire = (query: string, extra: Record<string, unknown> = {}) => ({ type: 'bpc-link-return', from: 'another-window', id: 'm1', query, ...extra });

/** Another window's end of the channel. */
function otherWindow() {
  const channel = new BroadcastChannel('bpc-link-return');
  const received: unknown[] = [];
  let arrived: () => void = () => undefined;
  channel.addEventListener('message', (event: MessageEvent) => {
    received.push(event.data);
    arrived();
  });
  return {
    received,
    /** Resolves once a message has arrived. */
    next: () =>
      new Promise<void>((resolve) => {
        arrived = resolve;
      }),
    post: (data: unknown) => channel.postMessage(data),
    close: () => channel.close(),
  };
}

/** A subscriber, and a way to wait for its next call. */
function subscriber(implementation?: (link: LinkReturn) => void) {
  let called: () => void = () => undefined;
  const listener = vi.fn((link: LinkReturn) => {
    called();
    implementation?.(link);
  });
  cleanups.push(subscribeLinkReturns(listener));
  return {
    listener,
    next: () =>
      new Promise<void>((resolve) => {
        called = resolve;
      }),
  };
}

const valid = `companyId=${companyId}&statusCode=200`;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

describe('link channel over BroadcastChannel', () => {
  it('tells another window a success and a failure, as a query it can parse again to the same return', async () => {
    const other = otherWindow();
    cleanups.push(other.close);
    for (const link of [success, cancelled]) {
      const arrived = other.next();
      expect(announceLinkReturn(link)).toBe(true);
      await arrived;
      const message = other.received.at(-1) as { type: string; from: string; id: string; query: string };
      expect(message).toEqual({ type: 'bpc-link-return', from: expect.any(String), id: expect.any(String), query: expect.any(String) });
      expect(parseLinkReturn(`?${message.query}`)).toEqual(link);
    }
    expect(cancelled).toMatchObject({ status: 'error', outcome: 'cancelled', statusText: 'raw text' });
  });

  it('sends nothing for a page load without a return, or for a forged one', async () => {
    const other = otherWindow();
    cleanups.push(other.close);
    expect(announceLinkReturn({ status: 'none' })).toBe(false);
    expect(announceLinkReturn(parseLinkReturn('?companyId=..%2Fadmin'))).toBe(false);
    // Messages arrive in order: once this one is in, nothing was sent before it.
    const arrived = other.next();
    announceLinkReturn(success);
    await arrived;
    expect(other.received).toHaveLength(1);
  });

  it('hands every subscriber the return another window announced, parsed again', async () => {
    const { listener: first } = subscriber();
    const { listener: second, next } = subscriber();
    const other = otherWindow();
    cleanups.push(other.close);
    const called = next();
    other.post(wire(`companyId=${companyId}&connectionId=${connectionId}&statusCode=201`));
    await called;
    const expected: LinkReturn = parseLinkReturn(`?companyId=${companyId}&connectionId=${connectionId}&statusCode=201`);
    expect(expected).toMatchObject({ status: 'success', outcome: 'unchanged' });
    expect(first).toHaveBeenCalledExactlyOnceWith(expected);
    expect(second).toHaveBeenCalledExactlyOnceWith(expected);
  });

  it.each([
    ['a string', 'companyId=x'],
    ['null', null],
    ['another type', wire(`companyId=${companyId}&statusCode=200`, { type: 'something-else' })],
    ['no sender', wire(`companyId=${companyId}&statusCode=200`, { from: undefined })],
    ['a query that is not a string', wire(`x`, { query: { status: 'success', companyId } })],
    ['a parsed-looking payload instead of a query', { type: 'bpc-link-return', from: 'w', link: success }],
    ['a company id that is not a UUID', wire('companyId=..%2Fadmin&statusCode=200')],
    ['a status code that is not an HTTP status', wire(`companyId=${companyId}&statusCode=2000`)],
    ['only empty parameters', wire('companyId=&connectionId=&statusCode=&errorMessage=')],
    ['success without a company', wire(`connectionId=${connectionId}&statusCode=200`)],
    ['an oversized query', wire(`companyId=${companyId}&statusCode=200&platformName=${'x'.repeat(9000)}`)],
  ])('drops a message with %s', async (_label, data) => {
    const { listener, next } = subscriber();
    const other = otherWindow();
    cleanups.push(other.close);
    const called = next();
    other.post(data);
    other.post(wire(valid));
    await called;
    expect(listener).toHaveBeenCalledExactlyOnceWith(parseLinkReturn(`?${valid}`));
  });

  it('does not hand a window its own announcement', async () => {
    const { listener, next } = subscriber();
    const other = otherWindow();
    cleanups.push(other.close);
    const arrived = other.next();
    announceLinkReturn(success);
    await arrived;
    // The same message coming back (an echo, or this window's second channel) is this window's own.
    const called = next();
    other.post(other.received[0]);
    other.post(wire(valid));
    await called;
    expect(listener).toHaveBeenCalledExactlyOnceWith(parseLinkReturn(`?${valid}`));
  });

  it('keeps calling the other subscribers when one throws, and reports the error', async () => {
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const broken = new Error('host bug');
    subscriber(() => {
      throw broken;
    });
    const { listener: after, next } = subscriber();
    const other = otherWindow();
    cleanups.push(other.close);
    const called = next();
    other.post(wire(valid));
    await called;
    expect(after).toHaveBeenCalledTimes(1);
    expect(reportError).toHaveBeenCalledWith(broken);
  });

  it('stops calling a subscriber that left, and closes its channel when the last one leaves', async () => {
    const close = vi.spyOn(BroadcastChannel.prototype, 'close');
    let called: () => void = () => undefined;
    const stays = vi.fn(() => called());
    const leaves = vi.fn();
    const unsubscribeStays = subscribeLinkReturns(stays);
    const unsubscribeLeaves = subscribeLinkReturns(leaves);
    unsubscribeLeaves();
    unsubscribeLeaves();
    expect(close).not.toHaveBeenCalled();
    const other = otherWindow();
    cleanups.push(other.close);
    const arrived = new Promise<void>((resolve) => {
      called = resolve;
    });
    other.post(wire(valid));
    await arrived;
    expect(stays).toHaveBeenCalledTimes(1);
    expect(leaves).not.toHaveBeenCalled();
    close.mockClear();
    unsubscribeStays();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('link channel where BroadcastChannel is missing', () => {
  const storageEvent = (newValue: string | null, key = 'bpc-link-return') =>
    window.dispatchEvent(new StorageEvent('storage', { key, newValue, storageArea: window.localStorage }));

  it('writes the announcement to localStorage for other windows and removes the key at once', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const removeItem = vi.spyOn(Storage.prototype, 'removeItem');
    expect(announceLinkReturn(success)).toBe(true);
    expect(setItem).toHaveBeenCalledTimes(1);
    const [key, value] = setItem.mock.calls[0] ?? [];
    expect(key).toBe('bpc-link-return');
    const message = JSON.parse(value ?? '') as { type: string; query: string };
    expect(message.type).toBe('bpc-link-return');
    expect(parseLinkReturn(`?${message.query}`)).toEqual(success);
    expect(removeItem).toHaveBeenCalledWith('bpc-link-return');
    expect(window.localStorage.getItem('bpc-link-return')).toBeNull();
    expect(window.localStorage.length).toBe(0);
  });

  it('hands subscribers what another window wrote, ignoring removals, other keys and malformed values', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const listener = vi.fn();
    cleanups.push(subscribeLinkReturns(listener));
    storageEvent(null);
    storageEvent(JSON.stringify(wire(valid)), 'other-key');
    storageEvent('{not json');
    storageEvent(JSON.stringify(wire('companyId=not-a-uuid&statusCode=200')));
    expect(listener).not.toHaveBeenCalled();
    storageEvent(JSON.stringify(wire(`companyId=${companyId}&statusCode=403&errorMessage=User%20cancelled.`)));
    expect(listener).toHaveBeenCalledExactlyOnceWith(parseLinkReturn(`?companyId=${companyId}&statusCode=403&errorMessage=User%20cancelled.`));
  });

  it('ignores its own write and stops listening once unsubscribed', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const listener = vi.fn();
    const unsubscribe = subscribeLinkReturns(listener);
    announceLinkReturn(success);
    storageEvent(setItem.mock.calls[0]?.[1] ?? null);
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
    storageEvent(JSON.stringify(wire(valid)));
    expect(listener).not.toHaveBeenCalled();
  });

  it('reports false, without throwing, when storage refuses the write', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(announceLinkReturn(success)).toBe(false);
  });
});

describe('link channel on the server', () => {
  it('does nothing without a window', () => {
    vi.stubGlobal('window', undefined);
    const listener = vi.fn();
    const unsubscribe = subscribeLinkReturns(listener);
    expect(announceLinkReturn(success)).toBe(false);
    unsubscribe();
    expect(listener).not.toHaveBeenCalled();
  });
});
