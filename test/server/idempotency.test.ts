import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createCodatProxy,
  createMemoryIdempotencyStore,
  type CodatProxyOptions,
  type IdempotencyEntry,
  type IdempotencyStore,
} from '../../src/server/index.js';
import { deferred } from '../support/deferred.js';

// A create whose answer is lost (the browser timed out, the connection dropped) may still have created
// the company at Codat. Sent again with the same Idempotency-Key, it must not create a second one.

const apiKey = 'c2VjcmV0LWtleS0xMjM=';
const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
const otherCompanyId = '11111111-1111-4111-8111-111111111111';
const idemKey = '6f1c2a4e-3b5d-4c7e-9f80-1a2b3c4d5e6f';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function setup(options: Partial<CodatProxyOptions> = {}, answer: (n: number) => Response | Promise<Response> = (n) => json(200, { id: `company-${n}`, name: 'Acme' })) {
  let n = 0;
  const upstream = vi.fn(async (_url: string, _init: RequestInit) => answer(++n));
  const authorize = vi.fn<CodatProxyOptions['authorize']>(() => true);
  const proxy = createCodatProxy({ apiKey, baseUrl: 'http://codat.test', authorize, fetch: upstream, ...options });
  const create = (body: unknown = { name: 'Acme' }, key: string | null = idemKey, init: RequestInit = {}, path = '/api/codat/companies') =>
    proxy(
      new Request(`http://host.test${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', ...(key === null ? {} : { 'Idempotency-Key': key }) },
        ...init,
      }),
    );
  return { upstream, authorize, create };
}

/** A memory store with some methods replaced (a slow, failing or stuck shared store). */
function storeWith(overrides: Partial<IdempotencyStore>, base: IdempotencyStore = createMemoryIdempotencyStore()): IdempotencyStore {
  return {
    claimTtlMs: base.claimTtlMs,
    claim: (slot, token) => base.claim(slot, token),
    extend: (slot, token) => base.extend(slot, token),
    get: (slot) => base.get(slot),
    complete: (slot, token, answer) => base.complete(slot, token, answer),
    release: (slot, token) => base.release(slot, token),
    ...overrides,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createCodatProxy: creates with an Idempotency-Key', () => {
  it('answers a repeated create with the first answer, marked as a replay, and POSTs to Codat once', async () => {
    const { create, upstream } = setup();
    const first = await create();
    const again = await create();
    expect(await first.json()).toEqual({ id: 'company-1', name: 'Acme' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toBe('application/json');
    expect(await again.json()).toEqual({ id: 'company-1', name: 'Acme' });
    expect(upstream).toHaveBeenCalledTimes(1);
    // The key never goes upstream: Codat does not know it.
    expect(upstream.mock.calls[0]?.[1].headers).not.toHaveProperty('Idempotency-Key');
  });

  it('makes a retry sent while the first create still runs wait for it, then share its answer', async () => {
    const gate = deferred<Response>();
    const { create, upstream } = setup({}, () => gate.promise);
    const first = create();
    const again = create();
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(1));
    gate.resolve(json(200, { id: companyId, name: 'Acme' }));
    const [a, b] = await Promise.all([first, again]);
    expect(await a.json()).toEqual(await b.json());
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('finishes the create when the browser goes away, so the retry gets the company instead of a second one', async () => {
    const gate = deferred<Response>();
    const { create, upstream } = setup({}, () => gate.promise);
    const browser = new AbortController();
    const lost = create({ name: 'Acme' }, idemKey, { signal: browser.signal });
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(1));
    browser.abort();
    expect(upstream.mock.calls[0]?.[1].signal?.aborted).toBe(false);
    gate.resolve(json(200, { id: companyId, name: 'Acme' }));
    await lost;
    const retry = await create();
    expect(await retry.json()).toEqual({ id: companyId, name: 'Acme' });
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('answers 504 after timeoutMs but keeps waiting for Codat, so a retry gets the late company', async () => {
    vi.useFakeTimers();
    const gate = deferred<Response>();
    const { create, upstream } = setup({ timeoutMs: 1000 }, () => gate.promise);
    const first = create();
    await vi.advanceTimersByTimeAsync(1000);
    const timedOut = await first;
    expect(timedOut.status).toBe(504);
    expect(await timedOut.json()).toMatchObject({ canBeRetried: 'True', error: expect.stringMatching(/same Idempotency-Key is safe/) });
    expect(upstream.mock.calls[0]?.[1].signal?.aborted).toBe(false);
    // The retry arrives while Codat is still working: it waits, within its own timeoutMs.
    const retry = create();
    await vi.advanceTimersByTimeAsync(500);
    gate.resolve(json(200, { id: companyId, name: 'Acme' }));
    const answer = await retry;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('idempotent-replayed')).toBe('true');
    expect(await answer.json()).toEqual({ id: companyId, name: 'Acme' });
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('gives up on Codat after four times timeoutMs and keeps nothing, so the next retry creates afresh', async () => {
    vi.useFakeTimers();
    let hung: AbortSignal | undefined;
    const { create, upstream } = setup({ timeoutMs: 1000 }, (n) => {
      if (n > 1) return json(200, { id: companyId, name: 'Acme' });
      hung = upstream.mock.calls[0]?.[1].signal ?? undefined;
      return new Promise<Response>((_resolve, reject) => hung?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    const first = create();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).status).toBe(504);
    expect(hung?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(3000);
    expect(hung?.aborted).toBe(true);
    expect((await create()).status).toBe(200);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed create: the retry with the same key goes to Codat again', async () => {
    const { create, upstream } = setup({}, (n) => (n === 1 ? json(503, { statusCode: 503, error: 'Try later' }) : json(200, { id: companyId })));
    expect((await create()).status).toBe(503);
    const retry = await create();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it("logs Codat's correlation id for a retry that waited for the first create and shares its error", async () => {
    const gate = deferred<Response>();
    const onLog = vi.fn<NonNullable<CodatProxyOptions['onLog']>>();
    const { create, upstream } = setup({ onLog }, () => gate.promise);
    const first = create();
    const again = create();
    await vi.waitFor(() => expect(upstream).toHaveBeenCalledTimes(1));
    gate.resolve(json(400, { statusCode: 400, error: 'Bad name', correlationId: 'corr-1' }));
    await Promise.all([first, again]);
    expect(onLog.mock.calls.map(([entry]) => [entry.status, entry.correlationId])).toEqual([
      [400, 'corr-1'],
      [400, 'corr-1'],
    ]);
  });

  it('refuses the same key with another body (422) without going upstream', async () => {
    const { create, upstream } = setup();
    await create({ name: 'Acme' });
    const other = await create({ name: 'Other Ltd' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ statusCode: 422, error: expect.stringMatching(/different request/) });
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('keeps keys apart per route: the same key creating a connection for another company is a new create', async () => {
    const { create, upstream } = setup({}, (n) => json(200, { id: `connection-${n}`, status: 'PendingAuth' }));
    const a = await create({ platformKey: 'gbol' }, idemKey, {}, `/api/codat/companies/${companyId}/connections`);
    const b = await create({ platformKey: 'gbol' }, idemKey, {}, `/api/codat/companies/${otherCompanyId}/connections`);
    expect((await a.json()).id).toBe('connection-1');
    expect((await b.json()).id).toBe('connection-2');
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('still asks authorize before replaying, so a user who may not touch the company gets 403, not the answer', async () => {
    const { create, authorize } = setup();
    const path = `/api/codat/companies/${companyId}/connections`;
    await create({ platformKey: 'gbol' }, idemKey, {}, path);
    authorize.mockReturnValue(false);
    const replayed = await create({ platformKey: 'gbol' }, idemKey, {}, path);
    expect(replayed.status).toBe(403);
    expect(await replayed.text()).not.toContain('company-1');
  });

  it.each([['short'], ['has spaces in it and is long enough'], ['x'.repeat(129)]])('answers 400 to the malformed key %j', async (bad) => {
    const { create, upstream } = setup();
    expect((await create({ name: 'Acme' }, bad)).status).toBe(400);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('sends every create upstream without a key, or with idempotencyStore: false', async () => {
    const plain = setup();
    await plain.create({ name: 'Acme' }, null);
    await plain.create({ name: 'Acme' }, null);
    expect(plain.upstream).toHaveBeenCalledTimes(2);
    const off = setup({ idempotencyStore: false });
    await off.create();
    await off.create();
    expect(off.upstream).toHaveBeenCalledTimes(2);
  });

  it('answers 503 and sends nothing when a shared store cannot be reached', async () => {
    const { create, upstream } = setup({ idempotencyStore: storeWith({ claim: () => Promise.reject(new Error('redis down')) }) });
    const response = await create();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ canBeRetried: 'True' });
    expect(upstream).not.toHaveBeenCalled();
  });
});

describe('createCodatProxy: a slow or stuck idempotency store', () => {
  it("sends one create upstream when another server's look at the store answers late, with what it held before the save", async () => {
    // A shared store answers slowly: the other server's read began before the first create was saved.
    const shared = createMemoryIdempotencyStore();
    const reads: { resolve: (value: undefined) => void }[] = [];
    const slow = storeWith(
      {
        get: (slot) => {
          // What the store holds when the read is taken (the first create's claim), delivered later.
          const value = shared.get(slot) as IdempotencyEntry | undefined;
          const read = deferred<undefined>();
          reads.push(read);
          return read.promise.then(() => value);
        },
      },
      shared,
    );
    const gate = deferred<void>();
    const a = setup({ idempotencyStore: shared }, async (n) => {
      await gate.promise;
      return json(200, { id: `company-${n}`, name: 'Acme' });
    });
    const b = setup({ idempotencyStore: slow });
    const first = a.create();
    await vi.waitFor(() => expect(a.upstream).toHaveBeenCalledTimes(1));
    const retry = b.create();
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    gate.resolve();
    const answered = await first;
    // Only now does the retry's (old) read answer: the claim, not the answer saved meanwhile.
    reads[0]?.resolve(undefined);
    await vi.waitFor(() => expect(reads).toHaveLength(2));
    reads[1]?.resolve(undefined);
    const replayed = await retry;
    expect(await replayed.json()).toEqual(await answered.json());
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(a.upstream).toHaveBeenCalledTimes(1);
    expect(b.upstream).not.toHaveBeenCalled();
  });

  it('answers 503 within timeoutMs when the store never answers a claim, sends nothing upstream, and lets go of the key', async () => {
    vi.useFakeTimers();
    let claims = 0;
    const memory = createMemoryIdempotencyStore();
    // The first claim hangs; the store then recovers.
    const claim = (slot: string, token: string) => (++claims === 1 ? new Promise<boolean>(() => undefined) : memory.claim(slot, token));
    const { create, upstream } = setup({ timeoutMs: 1000, idempotencyStore: storeWith({ claim }, memory) });
    const answered = vi.fn();
    void create().then(answered);
    await vi.advanceTimersByTimeAsync(1000);
    expect(answered).toHaveBeenCalledTimes(1);
    expect(answered.mock.calls[0]?.[0].status).toBe(503);
    await vi.advanceTimersByTimeAsync(3000);
    expect(upstream).not.toHaveBeenCalled();
    const retry = create();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await retry).status).toBe(200);
  });

  it('still answers with the company when saving it throws at once (a synchronous store)', async () => {
    const { create, upstream } = setup({
      idempotencyStore: storeWith({
        complete: () => {
          throw new Error('disk full');
        },
      }),
    });
    const response = await create();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'company-1', name: 'Acme' });
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('does not hold a key when a save never finishes: once the store is back, a retry is answered', async () => {
    vi.useFakeTimers();
    let saves = 0;
    const memory = createMemoryIdempotencyStore();
    // The first save hangs (and never lands); the store then recovers.
    const complete: IdempotencyStore['complete'] = (slot, token, answer) => (++saves === 1 ? new Promise<boolean>(() => undefined) : memory.complete(slot, token, answer));
    const { create, upstream } = setup({ timeoutMs: 1000, idempotencyStore: storeWith({ complete }, memory) });
    const first = create();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).status).toBe(504);
    await vi.advanceTimersByTimeAsync(1000);
    const retry = create();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await retry).status).toBe(200);
    expect(upstream).toHaveBeenCalledTimes(2);
  });
});

describe('createMemoryIdempotencyStore', () => {
  const answer = { request: '{}', status: 200, headers: {}, body: '{}' };

  it('forgets an answer after its time to live', () => {
    vi.useFakeTimers();
    const store = createMemoryIdempotencyStore({ ttlMs: 1000 });
    store.complete('k', 't', answer);
    vi.advanceTimersByTime(1000);
    expect(store.get('k')).toEqual({ token: 't', answer });
    vi.advanceTimersByTime(1);
    expect(store.get('k')).toBeUndefined();
  });

  it('drops the oldest answers past maxEntries', () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 2 });
    store.complete('a', 't', answer);
    store.complete('b', 't', answer);
    store.complete('c', 't', answer);
    expect([store.get('a'), store.get('b'), store.get('c')].map((entry) => (entry as IdempotencyEntry | undefined)?.answer)).toEqual([undefined, answer, answer]);
  });

  it('gives a slot to one claim at a time, until it expires unless extended', () => {
    vi.useFakeTimers();
    const store = createMemoryIdempotencyStore({ claimTtlMs: 1000 });
    expect(store.claim('k', 'mine')).toBe(true);
    expect(store.claim('k', 'theirs')).toBe(false);
    vi.advanceTimersByTime(900);
    expect(store.extend('k', 'mine')).toBe(true);
    vi.advanceTimersByTime(900);
    expect(store.get('k')).toEqual({ token: 'mine', answer: undefined });
    vi.advanceTimersByTime(101);
    expect(store.get('k')).toBeUndefined();
    expect(store.extend('k', 'mine')).toBe(false);
    expect(store.claim('k', 'theirs')).toBe(true);
  });

  it("never lets a token complete or release another token's slot", () => {
    const store = createMemoryIdempotencyStore();
    store.claim('k', 'mine');
    expect(store.complete('k', 'theirs', answer)).toBe(false);
    store.release('k', 'theirs');
    expect((store.get('k') as IdempotencyEntry).token).toBe('mine');
    expect(store.complete('k', 'mine', answer)).toBe(true);
    // An answer is not a claim: releasing does not drop it, claiming does not take it.
    store.release('k', 'mine');
    expect(store.claim('k', 'theirs')).toBe(false);
    expect(store.get('k')).toEqual({ token: 'mine', answer });
  });
});

describe('createCodatProxy: a created company the host could not record', () => {
  it('records it on the retry with the same key instead of creating a second company', async () => {
    const onCompanyCreated = vi.fn<NonNullable<CodatProxyOptions['onCompanyCreated']>>();
    onCompanyCreated.mockRejectedValueOnce(new Error('database down'));
    const { create, upstream } = setup({ onCompanyCreated });
    const first = await create();
    expect(first.status).toBe(502);
    const retry = await create();
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ id: 'company-1', name: 'Acme' });
    expect(upstream).toHaveBeenCalledTimes(1);
    expect(onCompanyCreated.mock.calls.map(([input]) => input.company.id)).toEqual(['company-1', 'company-1']);
    // Recorded now: a later replay does not record it again.
    expect((await create()).status).toBe(200);
    expect(onCompanyCreated).toHaveBeenCalledTimes(2);
  });

  it('answers 502 again, still without a second company, while recording keeps failing', async () => {
    const onCompanyCreated = vi.fn(() => {
      throw new Error('database down');
    });
    const { create, upstream } = setup({ onCompanyCreated });
    expect((await create()).status).toBe(502);
    const retry = await create();
    expect(retry.status).toBe(502);
    expect(await retry.json()).toMatchObject({ error: expect.stringMatching(/created but could not be recorded/) });
    expect(upstream).toHaveBeenCalledTimes(1);
    expect(onCompanyCreated).toHaveBeenCalledTimes(2);
  });

  it('does not hold the key forever when onCompanyCreated never settles: after 4x timeoutMs a retry records the company', async () => {
    vi.useFakeTimers();
    const onCompanyCreated = vi.fn<NonNullable<CodatProxyOptions['onCompanyCreated']>>();
    onCompanyCreated.mockReturnValueOnce(new Promise<void>(() => undefined));
    const { create, upstream } = setup({ timeoutMs: 1000, onCompanyCreated });
    const first = create();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).status).toBe(504);
    await vi.advanceTimersByTimeAsync(4000);
    const retry = create();
    await vi.advanceTimersByTimeAsync(0);
    expect((await retry).status).toBe(200);
    expect(upstream).toHaveBeenCalledTimes(1);
    expect(onCompanyCreated).toHaveBeenCalledTimes(2);
  });

  it('refuses the key with another body (422) without recording the company for it', async () => {
    const onCompanyCreated = vi.fn().mockRejectedValueOnce(new Error('database down'));
    const { create } = setup({ onCompanyCreated });
    expect((await create()).status).toBe(502);
    expect((await create({ name: 'Someone else' })).status).toBe(422);
    expect(onCompanyCreated).toHaveBeenCalledTimes(1);
  });
});

describe('createCodatProxy: idempotencyScope', () => {
  const as = (user: string) => ({ headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idemKey, 'X-User': user } });
  const scoped = (options: Partial<CodatProxyOptions> = {}) => setup({ idempotencyScope: (request) => request.headers.get('x-user') ?? undefined, ...options });

  it("never replays one user's create to another user who sends the same key and body", async () => {
    const { create, upstream } = scoped();
    const mine = await create({ name: 'Acme' }, idemKey, as('alice'));
    const theirs = await create({ name: 'Acme' }, idemKey, as('mallory'));
    expect(await mine.json()).toEqual({ id: 'company-1', name: 'Acme' });
    expect(await theirs.json()).toEqual({ id: 'company-2', name: 'Acme' });
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it("does not record another user's unrecorded company for the user who sent its key", async () => {
    const onCompanyCreated = vi.fn<NonNullable<CodatProxyOptions['onCompanyCreated']>>();
    onCompanyCreated.mockRejectedValueOnce(new Error('database down'));
    const { create } = scoped({ onCompanyCreated });
    expect((await create({ name: 'Acme' }, idemKey, as('alice'))).status).toBe(502);
    await create({ name: 'Acme' }, idemKey, as('mallory'));
    expect(onCompanyCreated.mock.calls.map(([input]) => [input.request.headers.get('x-user'), input.company.id])).toEqual([
      ['alice', 'company-1'],
      ['mallory', 'company-2'],
    ]);
  });

  it('still replays to the same user', async () => {
    const { create, upstream } = scoped();
    await create({ name: 'Acme' }, idemKey, as('alice'));
    const again = await create({ name: 'Acme' }, idemKey, as('alice'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it('answers 503, not a shared slot, when the scope is not a string at runtime (a session object from JS)', async () => {
    const { create, upstream } = setup({ idempotencyScope: ((request: Request) => ({ user: request.headers.get('x-user') })) as unknown as CodatProxyOptions['idempotencyScope'] });
    expect((await create({ name: 'Acme' }, idemKey, as('alice'))).status).toBe(503);
    const theirs = await create({ name: 'Acme' }, idemKey, as('mallory'));
    expect(theirs.status).toBe(503);
    expect(await theirs.text()).not.toContain('company-1');
    expect(upstream).not.toHaveBeenCalled();
  });

  it('answers 503 and sends nothing upstream when the scope cannot be read', async () => {
    const { create, upstream } = setup({
      idempotencyScope: () => {
        throw new Error('session store down');
      },
    });
    expect((await create()).status).toBe(503);
    expect(upstream).not.toHaveBeenCalled();
  });
});

describe('createCodatProxy: servers sharing one idempotency store', () => {
  /**
   * Server a's create is at Codat, which answers `answer` once `gate` opens; server b got the retry meanwhile,
   * found a's claim in the shared store and is waiting on it.
   */
  async function retryOnAnotherServer(answer: (n: number) => Response) {
    const shared = createMemoryIdempotencyStore();
    const looks = vi.fn();
    const gate = deferred<void>();
    const a = setup({ idempotencyStore: shared }, async (n) => {
      await gate.promise;
      return answer(n);
    });
    const b = setup({ idempotencyStore: storeWith({ get: (slot) => (looks(), shared.get(slot)) }, shared) });
    const first = a.create();
    await vi.waitFor(() => expect(a.upstream).toHaveBeenCalledTimes(1));
    const retry = b.create();
    // The retry found the first create's claim and waits for its answer.
    await vi.waitFor(() => expect(looks).toHaveBeenCalled());
    return { a, b, first, retry, gate };
  }

  it('sends one create upstream when a retry reaches another server while the first create still runs', async () => {
    const { a, b, first, retry, gate } = await retryOnAnotherServer((n) => json(200, { id: `company-${n}`, name: 'Acme' }));
    gate.resolve();
    const [one, two] = await Promise.all([first, retry]);
    expect(two.headers.get('idempotent-replayed')).toBe('true');
    expect(await two.json()).toEqual(await one.json());
    expect(a.upstream).toHaveBeenCalledTimes(1);
    expect(b.upstream).not.toHaveBeenCalled();
  });

  it('creates on the other server when the first create failed and let its claim go', async () => {
    const { b, first, retry, gate } = await retryOnAnotherServer(() => json(503, { statusCode: 503, error: 'Try later' }));
    gate.resolve();
    expect((await first).status).toBe(503);
    const created = await retry;
    expect(created.status).toBe(200);
    expect(created.headers.get('idempotent-replayed')).toBeNull();
    expect(b.upstream).toHaveBeenCalledTimes(1);
  });

  it('answers 409, retryable, once the wait runs out while the other server still creates, and sends nothing', async () => {
    vi.useFakeTimers();
    const shared = createMemoryIdempotencyStore();
    const a = setup({ idempotencyStore: shared }, () => new Promise<Response>(() => undefined));
    const b = setup({ timeoutMs: 1000, idempotencyStore: shared });
    void a.create();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.upstream).toHaveBeenCalledTimes(1);
    const answered = vi.fn();
    void b.create().then(answered);
    await vi.advanceTimersByTimeAsync(999);
    expect(answered).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    const response = answered.mock.calls[0]?.[0] as Response;
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ canBeRetried: 'True', error: expect.stringMatching(/still being answered/) });
    expect(b.upstream).not.toHaveBeenCalled();
  });

  it("frees a dead server's slot when its claim expires, so a retry then creates", async () => {
    vi.useFakeTimers();
    const shared = createMemoryIdempotencyStore({ claimTtlMs: 3000 });
    // The first server dies mid-create: it never renews its claim, completes or releases it.
    const dead = setup({ idempotencyStore: storeWith({ extend: () => new Promise<boolean>(() => undefined) }, shared) }, () => new Promise<Response>(() => undefined));
    const b = setup({ timeoutMs: 5000, idempotencyStore: shared });
    void dead.create();
    await vi.advanceTimersByTimeAsync(0);
    const retry = b.create();
    await vi.advanceTimersByTimeAsync(2900);
    expect(b.upstream).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(700);
    expect(b.upstream).toHaveBeenCalledTimes(1);
    expect((await retry).status).toBe(200);
  });

  it('keeps the claim of a create that runs longer than claimTtlMs by renewing it', async () => {
    vi.useFakeTimers();
    const shared = createMemoryIdempotencyStore({ claimTtlMs: 300 });
    const gate = deferred<Response>();
    const a = setup({ idempotencyStore: shared }, () => gate.promise);
    const b = setup({ timeoutMs: 5000, idempotencyStore: shared });
    const first = a.create();
    await vi.advanceTimersByTimeAsync(0);
    const retry = b.create();
    await vi.advanceTimersByTimeAsync(2000);
    gate.resolve(json(200, { id: companyId, name: 'Acme' }));
    await vi.advanceTimersByTimeAsync(500);
    expect(await (await retry).json()).toEqual(await (await first).json());
    expect(b.upstream).not.toHaveBeenCalled();
  });
});

describe('createCodatProxy: a keyed create answered 2xx without the created object', () => {
  const connections = `/api/codat/companies/${companyId}/connections`;
  it.each([
    ['an empty 200', '/api/codat/companies', { name: 'Acme' }, () => new Response('', { status: 200 })],
    ['an HTML 200', '/api/codat/companies', { name: 'Acme' }, () => new Response('<html>Service unavailable</html>', { status: 200, headers: { 'Content-Type': 'text/html' } })],
    ['a company without an id', '/api/codat/companies', { name: 'Acme' }, () => json(200, { name: 'Acme' })],
    ['a connection without a status', connections, { platformKey: 'gbol' }, () => json(200, { id: 'connection-1' })],
  ])('answers 502 to %s, keeps nothing, and sends the retry upstream again', async (_name, path, body, bad) => {
    const good = path === connections ? { id: 'connection-2', status: 'PendingAuth' } : { id: companyId, name: 'Acme' };
    const { create, upstream } = setup({}, (n) => (n === 1 ? bad() : json(200, good)));
    const first = await create(body, idemKey, {}, path);
    expect(first.status).toBe(502);
    expect(await first.json()).toMatchObject({ canBeRetried: 'True', error: expect.stringMatching(/not the created (company|connection)/) });
    const retry = await create(body, idemKey, {}, path);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await retry.json()).toEqual(good);
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('does not call onCompanyCreated for an answer that is not a company', async () => {
    const onCompanyCreated = vi.fn();
    const { create } = setup({ onCompanyCreated }, () => new Response('<html>', { status: 200 }));
    expect((await create()).status).toBe(502);
    expect(onCompanyCreated).not.toHaveBeenCalled();
  });
});

describe('createCodatProxy: Idempotency-Keys without idempotencyScope', () => {
  const as = (credentials: Record<string, string>) => ({ headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idemKey, ...credentials } });

  it("never replays one user's create to someone else who presents the same key and body", async () => {
    const { create, upstream } = setup();
    const mine = await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=alice-session' }));
    const theirs = await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=mallory-session' }));
    expect(await mine.json()).toEqual({ id: 'company-1', name: 'Acme' });
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await theirs.json()).toEqual({ id: 'company-2', name: 'Acme' });
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it("does not record someone else's unrecorded company for the caller who presents its key", async () => {
    const onCompanyCreated = vi.fn<NonNullable<CodatProxyOptions['onCompanyCreated']>>().mockRejectedValueOnce(new Error('database down'));
    const { create } = setup({ onCompanyCreated });
    expect((await create({ name: 'Acme' }, idemKey, as({ Authorization: 'Bearer alice' }))).status).toBe(502);
    await create({ name: 'Acme' }, idemKey, as({ Authorization: 'Bearer mallory' }));
    expect(onCompanyCreated.mock.calls.map(([input]) => [input.request.headers.get('authorization'), input.company.id])).toEqual([
      ['Bearer alice', 'company-1'],
      ['Bearer mallory', 'company-2'],
    ]);
  });

  it('still replays to the same caller (same Cookie and Authorization)', async () => {
    const { create, upstream } = setup();
    await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=alice-session', Authorization: 'Bearer alice' }));
    const again = await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=alice-session', Authorization: 'Bearer alice' }));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(upstream).toHaveBeenCalledTimes(1);
  });

  it.each([[undefined], ['']])("falls back to the caller's credentials when idempotencyScope answers %j", async (none) => {
    const { create, upstream } = setup({ idempotencyScope: () => none });
    await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=alice-session' }));
    const theirs = await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=mallory-session' }));
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(upstream).toHaveBeenCalledTimes(2);
  });

  it('never hands the credentials to the store: slots carry a SHA-256 of them', async () => {
    const memory = createMemoryIdempotencyStore();
    const slots: string[] = [];
    const { create } = setup({ idempotencyStore: storeWith({ claim: (slot, token) => (slots.push(slot), memory.claim(slot, token)) }, memory) });
    await create({ name: 'Acme' }, idemKey, as({ Cookie: 'sid=alice-session', Authorization: 'Bearer alice-token' }));
    expect(slots).toHaveLength(1);
    expect(slots[0]).toMatch(/^credentials:[0-9a-f]{64} createCompany \/companies /);
    expect(slots[0]).not.toMatch(/alice/);
  });
});

describe('createCodatProxy: an idempotency store that stops answering', () => {
  it('answers 503 saying so within 5 s (not 504 after timeoutMs) and sends nothing upstream', async () => {
    vi.useFakeTimers();
    const never = () => new Promise<never>(() => undefined);
    const { create, upstream } = setup({ idempotencyStore: storeWith({ claim: never, get: never, extend: never, complete: never, release: never }) });
    const answered = vi.fn();
    void create().then(answered);
    await vi.advanceTimersByTimeAsync(5000);
    expect(answered).toHaveBeenCalledTimes(1);
    const response = answered.mock.calls[0]?.[0] as Response;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ canBeRetried: 'True', error: expect.stringMatching(/idempotency store did not answer/) });
    await vi.advanceTimersByTimeAsync(200_000);
    expect(upstream).not.toHaveBeenCalled();
  });

  it('answers 503 and sends nothing when the store fails while the retry waits for another server', async () => {
    const shared = createMemoryIdempotencyStore();
    const a = setup({ idempotencyStore: shared }, () => new Promise<Response>(() => undefined));
    const b = setup({ idempotencyStore: storeWith({ get: () => Promise.reject(new Error('connection lost')) }, shared) });
    void a.create();
    await vi.waitFor(() => expect(a.upstream).toHaveBeenCalledTimes(1));
    const response = await b.create();
    expect(response.status).toBe(503);
    expect(b.upstream).not.toHaveBeenCalled();
  });
});

describe('client, proxy and Codat together', () => {
  it('turns a create whose answer the browser never got into one company, not two, when the user retries', async () => {
    const { createCodatClient } = await import('../../src/core/index.js');
    const { createSandbox } = await import('../../src/sandbox/index.js');
    const sandbox = createSandbox();
    const slowFirst = deferred<void>();
    let creates = 0;
    const proxy = createCodatProxy({
      apiKey,
      baseUrl: 'http://codat.test',
      authorize: () => true,
      // Codat is slow to answer the first create: the browser gives up before it does.
      fetch: async (url, init) => {
        if (init.method === 'POST' && ++creates === 1) await slowFirst.promise;
        return sandbox.fetcher(url, init);
      },
    });
    const api = createCodatClient({
      timeoutMs: 50,
      fetcher: (url, init) => proxy(new Request(`http://host.test${url}`, init)),
    });
    await expect(api.createCompany({ name: 'Acme' })).rejects.toMatchObject({ code: 'timeout' });
    slowFirst.resolve();
    const retried = await api.createCompany({ name: 'Acme' });
    expect(sandbox.requests.filter((r) => r.operation === 'createCompany')).toHaveLength(1);
    expect((await api.getCompany(retried.id)).name).toBe('Acme');
  });
});
