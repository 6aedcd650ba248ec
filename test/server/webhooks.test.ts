import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createCodatWebhookHandler,
  createMemoryWebhookReplayStore,
  toNodeHandler,
  type CodatConnectionConnectedEvent,
  type CodatWebhookDelivery,
  type CodatWebhookHandlerOptions,
  type WebhookReplayStore,
} from '../../src/server/index.js';
import { createCodatClient } from '../../src/core/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox-server/index.js';
import { deferred } from '../support/deferred.js';
import { signedDelivery, svixSignature, webhookSecret } from '../support/svix.js';

const url = 'https://host.example/api/codat/webhooks';
const secret = webhookSecret();
const companyId = '0498e921-9b53-4396-a412-4f2f5983b0a2';
const connectionId = 'ee2eb431-c0fa-4dc9-93fa-d29781c12bcd';

/** A `connection.connected` body shaped like the example in Codat's Platform spec. */
function connectedBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'ba29118f-5406-4e59-b05c-ba307ca38d01',
    eventType: 'connection.connected',
    generatedDate: '2024-08-08T17:10:34.015Z',
    payload: {
      referenceCompany: { id: companyId, name: 'Bank of Dave', tags: { uid: 'cust_123' } },
      connection: {
        id: connectionId,
        integrationId: 'bf083d72-62c7-493e-aec9-81b4dbba7e2c',
        integrationKey: 'gbol',
        sourceId: 'bdd831ce-eebd-4896-89a7-20e5ee8989ee',
        platformName: 'Xero',
        linkUrl: `https://link-api.codat.io/companies/${companyId}/connections/${connectionId}/start`,
        status: 'Linked',
        created: '2022-10-27T09:53:29Z',
        sourceType: 'Accounting',
      },
    },
    ...overrides,
  });
}

const handlerWith = (options: Partial<CodatWebhookHandlerOptions> = {}) => createCodatWebhookHandler({ secret, ...options });
const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

afterEach(() => {
  vi.useRealTimers();
});

describe('createCodatWebhookHandler: signatures', () => {
  it('accepts the example delivery of Svix’s docs (as Codat’s docs show it), then refuses its body, which is no Codat event, with 400', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1614265330 * 1000);
    const handler = createCodatWebhookHandler({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    const request = new Request(url, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        'webhook-timestamp': '1614265330',
        'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      },
      body: '{"test": 2432232314}',
    });
    const response = await handler(request);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: 'The body has no eventType.' });
  });

  it('calls the handler for the event’s type with the parsed event and answers 200 only once it resolved', async () => {
    const gate = deferred<void>();
    const seen: { event: CodatConnectionConnectedEvent; delivery: CodatWebhookDelivery }[] = [];
    const handler = handlerWith({
      on: {
        'connection.connected': async (event, delivery) => {
          seen.push({ event, delivery });
          await gate.promise;
        },
      },
    });
    const answer = handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_first', timestamp: Math.floor(Date.now() / 1000) }));
    let settled = false;
    void answer.then(() => (settled = true));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(settled).toBe(false);
    gate.resolve();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ received: true });
    const { event, delivery } = seen[0] ?? expect.unreachable();
    expect(event.eventType).toBe('connection.connected');
    expect(event.payload.referenceCompany).toMatchObject({ id: companyId, tags: { uid: 'cust_123' } });
    expect(event.payload.connection).toMatchObject({ id: connectionId, status: 'Linked', rawStatus: 'Linked', integrationKey: 'gbol', dataConnectionErrors: [] });
    expect(delivery.id).toBe('msg_first');
    expect(delivery.timestamp).toBeInstanceOf(Date);
  });

  it('accepts Standard Webhooks’ webhook-* header names as well as Svix’s svix-* ones', async () => {
    const handled = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': handled } });
    expect((await handler(signedDelivery(url, connectedBody(), { secret, brand: 'webhook' }))).status).toBe(200);
    expect(handled).toHaveBeenCalledOnce();
  });

  it('accepts a delivery carrying several signatures when one matches, as during a secret rotation', async () => {
    const handled = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': handled } });
    const body = connectedBody();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `${svixSignature(webhookSecret(), 'msg_rot', timestamp, body)} ${svixSignature(secret, 'msg_rot', timestamp, body)}`;
    expect((await handler(signedDelivery(url, body, { secret, id: 'msg_rot', timestamp, signature }))).status).toBe(200);
    expect(handled).toHaveBeenCalledOnce();
  });

  it('answers 401 to a delivery signed with another secret, without calling any handler', async () => {
    const handled = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': handled }, onEvent: handled, onUnknownEvent: handled });
    const response = await handler(signedDelivery(url, connectedBody(), { secret: webhookSecret() }));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: 'The signature does not match.' });
    expect(handled).not.toHaveBeenCalled();
  });

  it('answers 401 to a body changed after it was signed', async () => {
    const handled = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': handled } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = svixSignature(secret, 'msg_tamper', timestamp, connectedBody());
    const tampered = connectedBody({ generatedDate: '2030-01-01T00:00:00Z' });
    expect((await handler(signedDelivery(url, tampered, { secret, id: 'msg_tamper', timestamp, signature }))).status).toBe(401);
    // The same signature over another id is no good either: the id is signed too.
    expect((await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_other', timestamp, signature }))).status).toBe(401);
    expect(handled).not.toHaveBeenCalled();
  });

  it('answers 401 to a delivery without its signature headers, or with a signature of another version', async () => {
    const handler = handlerWith();
    const unsigned = new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: connectedBody() });
    expect((await handler(unsigned)).status).toBe(401);
    const timestamp = Math.floor(Date.now() / 1000);
    const v2 = svixSignature(secret, 'msg_v2', timestamp, connectedBody()).replace(/^v1,/, 'v2,');
    expect((await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_v2', timestamp, signature: v2 }))).status).toBe(401);
  });

  it('answers 401 to a correctly signed delivery older than 5 minutes, and to one more than 5 minutes ahead', async () => {
    const handled = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': handled } });
    const now = Math.floor(Date.now() / 1000);
    const stale = await handler(signedDelivery(url, connectedBody(), { secret, timestamp: now - 301 }));
    expect(stale.status).toBe(401);
    expect(await json(stale)).toEqual({ error: 'The delivery’s timestamp is too old or too new.' });
    expect((await handler(signedDelivery(url, connectedBody(), { secret, timestamp: now + 301 }))).status).toBe(401);
    expect((await handler(signedDelivery(url, connectedBody(), { secret, timestamp: now - 290 }))).status).toBe(200);
    expect(handled).toHaveBeenCalledOnce();
  });

  it('refuses timestamps outside a tighter toleranceSeconds, and refuses a looser one than 5 minutes at creation', async () => {
    const handler = handlerWith({ toleranceSeconds: 30 });
    const now = Math.floor(Date.now() / 1000);
    expect((await handler(signedDelivery(url, connectedBody(), { secret, timestamp: now - 60 }))).status).toBe(401);
    expect((await handler(signedDelivery(url, connectedBody(), { secret, timestamp: now - 10 }))).status).toBe(200);
    expect(() => handlerWith({ toleranceSeconds: 600 })).toThrow(/at most 300/);
    expect(() => handlerWith({ toleranceSeconds: 0 })).toThrow(/more than 0/);
    expect(() => handlerWith({ replayTtlMs: 1000 })).toThrow(/twice toleranceSeconds/);
  });

  it('answers 401 to a timestamp that is not a whole number of seconds', async () => {
    const request = new Request(url, { method: 'POST', headers: { 'svix-id': 'msg_x', 'svix-timestamp': '1e9', 'svix-signature': 'v1,x' }, body: '{}' });
    const response = await handlerWith()(request);
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: 'The delivery’s timestamp is not valid.' });
  });
});

describe('createCodatWebhookHandler: replays and failures', () => {
  it('does not handle a delivery id twice: a replay, even freshly signed as Codat’s retries are, is answered 200 as a duplicate', async () => {
    const handled = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': handled } });
    const body = connectedBody();
    const first = signedDelivery(url, body, { secret, id: 'msg_once' });
    const copy = first.clone();
    expect((await handler(first)).status).toBe(200);
    const replay = await handler(copy);
    expect(replay.status).toBe(200);
    expect(await json(replay)).toEqual({ received: true, duplicate: true });
    const resigned = await handler(signedDelivery(url, body, { secret, id: 'msg_once', timestamp: Math.floor(Date.now() / 1000) + 1 }));
    expect(await json(resigned)).toEqual({ received: true, duplicate: true });
    expect(handled).toHaveBeenCalledOnce();
    expect((await handler(signedDelivery(url, body, { secret, id: 'msg_next' }))).status).toBe(200);
    expect(handled).toHaveBeenCalledTimes(2);
  });

  it('answers 409 to a retry that arrives while the first attempt is still being handled, so Codat tries again later', async () => {
    const gate = deferred<void>();
    const handled = vi.fn(() => gate.promise);
    const handler = handlerWith({ on: { 'connection.connected': handled } });
    const first = handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_slow' }));
    await vi.waitFor(() => expect(handled).toHaveBeenCalledOnce());
    const meanwhile = await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_slow' }));
    expect(meanwhile.status).toBe(409);
    gate.resolve();
    expect((await first).status).toBe(200);
    expect(handled).toHaveBeenCalledOnce();
  });

  it('answers 500 without the error’s details when the handler throws, reports it to onError, and handles Codat’s retry of the same id', async () => {
    const onError = vi.fn();
    let calls = 0;
    const handler = handlerWith({
      onError,
      on: {
        'connection.connected': () => {
          calls += 1;
          if (calls === 1) throw new Error('database password is hunter2');
        },
      },
    });
    const failed = await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_retry' }));
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({ error: 'The event could not be handled. It will be retried.' });
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[0]).toEqual(new Error('database password is hunter2'));
    expect(onError.mock.calls[0]?.[1]).toMatchObject({ eventType: 'connection.connected' });
    expect(onError.mock.calls[0]?.[2]).toMatchObject({ id: 'msg_retry' });
    const retried = await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_retry' }));
    expect(retried.status).toBe(200);
    expect(calls).toBe(2);
    expect(await json(await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_retry' })))).toEqual({ received: true, duplicate: true });
  });

  it('logs a failed handler with console.error when the host gives no onError', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = handlerWith({ on: { 'connection.connected': () => Promise.reject(new Error('boom')) } });
    expect((await handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_log' }))).status).toBe(500);
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]?.[0])).toContain('connection.connected event (delivery msg_log) failed');
  });

  it('answers 503 when the replay store cannot be read, without calling the handler, so Codat retries', async () => {
    const handled = vi.fn();
    const store: WebhookReplayStore = {
      claim: () => Promise.reject(new Error('redis down')),
      complete: () => Promise.resolve(),
      release: () => Promise.resolve(),
    };
    const response = await handlerWith({ store, on: { 'connection.connected': handled } })(signedDelivery(url, connectedBody(), { secret }));
    expect(response.status).toBe(503);
    expect(handled).not.toHaveBeenCalled();
  });

  it('records a delivery in the store only after its handler succeeded', async () => {
    const store = createMemoryWebhookReplayStore();
    const claim = vi.spyOn(store, 'claim');
    const complete = vi.spyOn(store, 'complete');
    const release = vi.spyOn(store, 'release');
    const gate = deferred<void>();
    const handler = handlerWith({ store, on: { 'connection.connected': () => gate.promise } });
    const answer = handler(signedDelivery(url, connectedBody(), { secret, id: 'msg_order' }));
    await vi.waitFor(() => expect(claim).toHaveBeenCalledOnce());
    expect(complete).not.toHaveBeenCalled();
    gate.resolve();
    await answer;
    expect(complete).toHaveBeenCalledWith('msg_order', 24 * 60 * 60 * 1000);
    expect(release).not.toHaveBeenCalled();
  });
});

describe('createCodatWebhookHandler: events', () => {
  it('passes an event type it does not know to onUnknownEvent, unparsed, and answers 200', async () => {
    const unknown = vi.fn();
    const onEvent = vi.fn();
    const handler = handlerWith({ onUnknownEvent: unknown, onEvent });
    const body = JSON.stringify({ id: 'e1', eventType: 'company.renamed', generatedDate: '2026-01-01T00:00:00Z', payload: { anything: [1] } });
    const response = await handler(signedDelivery(url, body, { secret }));
    expect(response.status).toBe(200);
    expect(unknown).toHaveBeenCalledWith({ id: 'e1', eventType: 'company.renamed', generatedDate: '2026-01-01T00:00:00Z', payload: { anything: [1] } }, expect.objectContaining({ id: expect.any(String) }));
    expect(onEvent).not.toHaveBeenCalled();
    // Without onUnknownEvent it is acknowledged all the same: Codat would otherwise retry it for a day.
    expect((await handlerWith()(signedDelivery(url, body, { secret }))).status).toBe(200);
  });

  it('passes a known event without a handler in `on` to onEvent, and acknowledges one no handler takes', async () => {
    const onEvent = vi.fn();
    const connected = vi.fn();
    const handler = handlerWith({ on: { 'connection.connected': connected }, onEvent });
    const deleted = connectedBody({ eventType: 'connection.deleted' });
    expect((await handler(signedDelivery(url, deleted, { secret }))).status).toBe(200);
    expect(onEvent).toHaveBeenCalledOnce();
    expect(onEvent.mock.calls[0]?.[0]).toMatchObject({ eventType: 'connection.deleted', payload: { connection: { id: connectionId } } });
    expect(connected).not.toHaveBeenCalled();
    expect((await handlerWith()(signedDelivery(url, deleted, { secret }))).status).toBe(200);
  });

  it('calls a data type’s write handler by its full event type, with the data type read from it', async () => {
    const written = vi.fn();
    const handler = handlerWith({ on: { 'bills.write.successful': written } });
    const body = JSON.stringify({ id: 'w1', eventType: 'bills.write.successful', generatedDate: '2023-05-03T10:00:23Z', payload: { type: 'Create', status: 'Success', connectionId, record: { id: 'bill-1' } } });
    expect((await handler(signedDelivery(url, body, { secret }))).status).toBe(200);
    expect(written.mock.calls[0]?.[0]).toMatchObject({ eventType: 'bills.write.successful', dataType: 'bills', payload: { status: 'Success', record: { id: 'bill-1' } } });
  });

  it('does not take an event type that names an Object property for a handler', async () => {
    const onEvent = vi.fn();
    const body = JSON.stringify({ id: 'p', eventType: 'constructor.write.successful', generatedDate: '', payload: {} });
    expect((await handlerWith({ on: {}, onEvent })(signedDelivery(url, body, { secret }))).status).toBe(200);
    expect(onEvent).toHaveBeenCalledOnce();
  });

  it('answers 400 to a signed body that is not JSON, or not a Codat event, or a connection event without its connection', async () => {
    const handler = handlerWith();
    const notJson = await handler(signedDelivery(url, '{"eventType":', { secret }));
    expect(notJson.status).toBe(400);
    expect(await json(notJson)).toEqual({ error: 'The body is not valid JSON.' });
    expect((await handler(signedDelivery(url, '[1,2]', { secret }))).status).toBe(400);
    const noConnection = connectedBody({ payload: { referenceCompany: { id: companyId } } });
    const missing = await handler(signedDelivery(url, noConnection, { secret }));
    expect(missing.status).toBe(400);
    expect(await json(missing)).toEqual({ error: 'The connection.connected event has no connection with an id.' });
    expect((await handler(signedDelivery(url, connectedBody({ payload: 'x' }), { secret }))).status).toBe(400);
  });
});

describe('createCodatWebhookHandler: the request', () => {
  it('answers 405 with Allow: POST to anything but POST', async () => {
    const handler = handlerWith();
    for (const method of ['GET', 'HEAD', 'PUT', 'OPTIONS']) {
      const response = await handler(new Request(url, { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('answers 413 to a body over maxBodyBytes, whether its length is declared or only streamed', async () => {
    const handler = handlerWith({ maxBodyBytes: 100 });
    expect((await handler(signedDelivery(url, connectedBody(), { secret }))).status).toBe(413);
    const chunk = new TextEncoder().encode('x'.repeat(60));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const signed = signedDelivery(url, '', { secret });
    const streamed = new Request(url, { method: 'POST', headers: signed.headers, body: stream, duplex: 'half' } as RequestInit);
    expect((await handler(streamed)).status).toBe(413);
  });

  it('reads the secret at the first delivery: none answers 500 and is logged once; one set later is used', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const environment: { secret?: string } = {};
    const handler = createCodatWebhookHandler({ secret: () => environment.secret });
    expect((await handler(signedDelivery(url, connectedBody(), { secret }))).status).toBe(500);
    expect((await handler(signedDelivery(url, connectedBody(), { secret }))).status).toBe(500);
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]?.[0])).toContain('has no secret');
    environment.secret = secret;
    expect((await handler(signedDelivery(url, connectedBody(), { secret }))).status).toBe(200);
    expect(() => createCodatWebhookHandler({ secret: 'whsec_***' })).toThrow(/not a signing secret/);
    expect(() => createCodatWebhookHandler({ secret: undefined })).not.toThrow();
  });

  it('works behind toNodeHandler on a real node:http server', async () => {
    const handled = vi.fn();
    const server = createServer(toNodeHandler(handlerWith({ on: { 'connection.connected': handled } })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const request = signedDelivery(`http://127.0.0.1:${port}/webhooks/codat`, connectedBody(), { secret, id: 'msg_node' });
      const response = await fetch(request);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true });
      expect(handled.mock.calls[0]?.[1]).toMatchObject({ id: 'msg_node' });
      const bad = await fetch(signedDelivery(`http://127.0.0.1:${port}/webhooks/codat`, connectedBody(), { secret: webhookSecret() }));
      expect(bad.status).toBe(401);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the whole loop, offline: the sandbox’s webhooks into createCodatWebhookHandler', () => {
  let sandboxServer: SandboxServer | undefined;
  let receiver: Server | undefined;
  afterEach(async () => {
    await sandboxServer?.close();
    if (receiver) await new Promise((resolve) => receiver?.close(resolve));
    sandboxServer = undefined;
    receiver = undefined;
  });

  it('records the connection as connected once the customer authorises it on the sandbox’s Link page', async () => {
    const connected = new Map<string, string>();
    const handler = createCodatWebhookHandler({
      secret,
      on: {
        'connection.connected': (event) => {
          connected.set(event.payload.referenceCompany.id, event.payload.connection.id);
        },
      },
    });
    receiver = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    sandboxServer = await startSandboxServer({ webhooks: { url: `http://127.0.0.1:${port}/api/codat/webhooks`, secret } });
    const client = createCodatClient({ baseUrl: sandboxServer.url, headers: { Authorization: 'Basic sandbox-key' }, retry: false });
    const company = await client.createCompany({ name: 'Loop Ltd' });
    const connection = await client.createConnection(company.id, { platformKey: 'gbol' });
    expect((await fetch(connection.linkUrl)).status).toBe(200);
    expect((await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    const delivery = await sandboxServer.webhooks!.settled('connection.connected');
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(connected.get(company.id)).toBe(connection.id);
    await sandboxServer.webhooks!.idle();
    expect(sandboxServer.webhooks!.deliveries.map((d) => [d.event.eventType, d.status])).toEqual([
      ['company.created', 'delivered'],
      ['connection.created', 'delivered'],
      ['connection.connected', 'delivered'],
    ]);
  });
});
