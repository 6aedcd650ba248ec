import { describe, expect, it, vi } from 'vitest';
import { createKitStore, parseConnection } from '../../src/core/index.js';
import { deferred } from '../support/deferred.js';

describe('createKitStore', () => {
  it('keeps connections per company and notifies subscribers on every change', () => {
    const store = createKitStore();
    const listener = vi.fn();
    store.subscribe(listener);
    const a = parseConnection({ id: 'a', status: 'Linked' });
    store.setConnections('co', [a]);
    store.upsertConnection('co', { ...a, status: 'Unlinked' });
    store.upsertConnection('co', parseConnection({ id: 'b' }));
    expect(store.getConnections('co')?.map((c) => `${c.id}:${c.status}`)).toEqual(['a:Unlinked', 'b:unknown']);
    store.removeConnection('co', 'a');
    expect(store.getConnection('co', 'a')).toBeUndefined();
    expect(listener).toHaveBeenCalledTimes(4);
  });

  it('shares one in-flight run between callers with the same key', async () => {
    const store = createKitStore();
    const d = deferred<string>();
    const run = vi.fn(() => d.promise);
    const first = store.dedupe('k', run);
    const second = store.dedupe('k', run);
    d.resolve('done');
    expect(await first).toBe('done');
    expect(await second).toBe('done');
    expect(run).toHaveBeenCalledTimes(1);
    await store.dedupe('k', async () => 'again');
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('keeps the shared run alive when a caller detaches and another attaches in the same tick', async () => {
    const store = createKitStore();
    const d = deferred<string>();
    let signal: AbortSignal | undefined;
    const run = vi.fn((s: AbortSignal) => {
      signal = s;
      return d.promise;
    });
    const first = new AbortController();
    const gone = store.dedupe('k', run, first.signal);
    first.abort();
    const again = store.dedupe('k', run, new AbortController().signal);
    await expect(gone).rejects.toMatchObject({ code: 'aborted' });
    await Promise.resolve();
    expect(signal?.aborted).toBe(false);
    d.resolve('kept');
    expect(await again).toBe('kept');
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('aborts the shared run when its last caller detaches', async () => {
    const store = createKitStore();
    let signal: AbortSignal | undefined;
    const controller = new AbortController();
    const pending = store.dedupe(
      'k',
      (s) => {
        signal = s;
        return new Promise<string>(() => undefined);
      },
      controller.signal,
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await Promise.resolve();
    expect(signal?.aborted).toBe(true);
  });

  it('passes a failure to every caller', async () => {
    const store = createKitStore();
    const d = deferred<string>();
    const a = store.dedupe('k', () => d.promise);
    const b = store.dedupe('k', () => d.promise);
    d.reject(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
  });
});

describe('createKitStore: answers that arrive out of order', () => {
  const conn = (id: string, status: string) => parseConnection({ id, status });

  it('keeps the answer of the read sent last when an earlier read answers after it', () => {
    const store = createKitStore();
    const first = store.ticket();
    const second = store.ticket();
    expect(store.upsertConnection('co', conn('a', 'Linked'), second).status).toBe('Linked');
    const held = store.upsertConnection('co', conn('a', 'PendingAuth'), first);
    expect(held.status).toBe('Linked');
    expect(store.getConnection('co', 'a')?.status).toBe('Linked');
  });

  it('lets a mutation answer (no ticket) win over a read that was sent before it answered', () => {
    const store = createKitStore();
    const read = store.ticket();
    store.upsertConnection('co', conn('a', 'Unlinked'));
    store.setConnections('co', [conn('a', 'Linked'), conn('b', 'Linked')], read);
    expect(store.getConnections('co')?.map((c) => `${c.id}:${c.status}`)).toEqual(['a:Unlinked', 'b:Linked']);
  });

  it('keeps a connection created after a list read began, and does not revive one removed after it', () => {
    const store = createKitStore();
    store.setConnections('co', [conn('old', 'Linked'), conn('gone', 'Linked')]);
    const read = store.ticket();
    store.upsertConnection('co', conn('new', 'PendingAuth'));
    store.removeConnection('co', 'gone');
    store.setConnections('co', [conn('old', 'Deauthorized'), conn('gone', 'Linked')], read);
    expect(store.getConnections('co')?.map((c) => `${c.id}:${c.status}`)).toEqual(['old:Deauthorized', 'new:PendingAuth']);
    // A read sent after the removal sees what the server says.
    store.setConnections('co', [conn('gone', 'Linked')], store.ticket());
    expect(store.getConnections('co')?.map((c) => c.id)).toEqual(['gone']);
  });

  it('does not bring back a connection a newer list read no longer had, when an older read answers after it', () => {
    const store = createKitStore();
    store.setConnections('co', [conn('a', 'Linked'), conn('gone', 'Linked')]);
    const olderList = store.ticket();
    const olderGet = store.ticket();
    const newerList = store.ticket();
    // The newer read answers first: 'gone' was deleted at Codat.
    store.setConnections('co', [conn('a', 'Linked')], newerList);
    // The older reads, sent while 'gone' still existed, answer late.
    store.upsertConnection('co', conn('gone', 'Linked'), olderGet);
    store.setConnections('co', [conn('a', 'Linked'), conn('gone', 'Linked')], olderList);
    expect(store.getConnections('co')?.map((c) => c.id)).toEqual(['a']);
  });
});
