import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodatClient, type CodatClient } from '../../src/core/index.js';
import { createSandbox, type SandboxEvent } from '../../src/sandbox/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox-server/index.js';
import { svixSignature, webhookSecret } from '../support/svix.js';

/** A POST the receiver got. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook endpoint on 127.0.0.1 that keeps what it receives and answers the statuses it is told to, in order (then 200). */
async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/webhooks`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

let sandboxServer: SandboxServer | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await sandboxServer?.close();
  await receiver?.close();
  sandboxServer = undefined;
  receiver = undefined;
});

const secret = webhookSecret();
const clientOf = (server: SandboxServer): CodatClient =>
  createCodatClient({ baseUrl: server.url, headers: { Authorization: 'Basic sandbox-key' }, retry: false });

describe('createSandbox: events', () => {
  it('raises Codat’s events for company and connection changes, in Codat’s webhook envelope', async () => {
    const sandbox = createSandbox({ linkBaseUrl: 'https://link.example/link' });
    const events: SandboxEvent[] = [];
    sandbox.subscribeEvents((event) => events.push(event));
    const client = createCodatClient({ fetcher: sandbox.fetcher, retry: false });
    const company = await client.createCompany({ name: 'Events Ltd', tags: { uid: 'cust_1' } });
    const connection = await client.createConnection(company.id, { platformKey: 'gbol' });
    sandbox.abandon(connection.id);
    sandbox.abandon(connection.id, 'failed');
    // The failed attempts are in the events only: the connection itself stays ready for another try.
    expect(sandbox.listConnections(company.id)[0]).toMatchObject({ status: 'PendingAuth', dataConnectionErrors: [] });
    sandbox.authorize(connection.id);
    sandbox.authorize(connection.id);
    await client.unlinkConnection(company.id, connection.id);
    sandbox.authorize(connection.id);
    sandbox.deauthorize(connection.id);
    await client.deleteConnection(company.id, connection.id);
    await sandbox.fetcher(`/companies/${company.id}`, { method: 'DELETE' });
    expect(events.map((e) => [e.eventType, (e.payload.connection as { status?: string } | undefined)?.status])).toEqual([
      ['company.created', undefined],
      ['connection.created', 'PendingAuth'],
      ['connection.failed', 'PendingAuth'],
      ['connection.failed', 'PendingAuth'],
      ['connection.connected', 'Linked'],
      // Authorising a Linked connection again raises nothing.
      ['connection.disconnected', 'Unlinked'],
      ['connection.reconnected', 'Linked'],
      ['connection.disconnected', 'Deauthorized'],
      ['connection.deleted', 'Deauthorized'],
      ['company.deleted', undefined],
    ]);
    for (const event of events) {
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(event.generatedDate).toISOString()).toBe(event.generatedDate);
    }
    expect(events[0]?.payload).toMatchObject({ id: company.id, name: 'Events Ltd', tags: { uid: 'cust_1' }, redirect: expect.any(String) });
    expect(events[0]?.payload).not.toHaveProperty('dataConnections');
    expect(events[1]?.payload).toMatchObject({ referenceCompany: { id: company.id, name: 'Events Ltd', tags: { uid: 'cust_1' } }, connection: { id: connection.id } });
    const [cancelled, failed] = [events[2], events[3]].map((e) => (e?.payload.connection as { dataConnectionErrors: unknown[] }).dataConnectionErrors);
    expect(cancelled).toEqual([expect.objectContaining({ statusCode: '403', errorMessage: 'User cancelled.', status: 'Active' })]);
    expect(failed).toEqual([expect.objectContaining({ statusCode: '500', errorMessage: 'Unknown error occurred.', status: 'Active' })]);
  });

  it('raises nothing for seeding or reset, and stops calling a listener once unsubscribed', async () => {
    const sandbox = createSandbox({ seed: { companies: [{ name: 'Seeded', connections: [{ platformKey: 'qhyg', status: 'Linked' }] }] } });
    const events: SandboxEvent[] = [];
    const unsubscribe = sandbox.subscribeEvents((event) => events.push(event));
    sandbox.reset();
    expect(events).toEqual([]);
    unsubscribe();
    await sandbox.fetcher('/companies', { method: 'POST', body: JSON.stringify({ name: 'Later' }) });
    expect(events).toEqual([]);
  });

  it('keeps answering when an event listener throws', async () => {
    const sandbox = createSandbox();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    sandbox.subscribeEvents(() => {
      throw new Error('listener bug');
    });
    const response = await sandbox.fetcher('/companies', { method: 'POST', body: JSON.stringify({ name: 'Still fine' }) });
    expect(response.status).toBe(200);
    expect(log).toHaveBeenCalledOnce();
  });
});

describe('startSandboxServer: webhooks', () => {
  it('posts each event signed as Codat’s webhook service does, verifiable with the endpoint’s secret', async () => {
    receiver = await startReceiver();
    sandboxServer = await startSandboxServer({ webhooks: { url: receiver.url, secret } });
    const company = await clientOf(sandboxServer).createCompany({ name: 'Signed' });
    const delivery = await sandboxServer.webhooks!.settled('company.created');
    expect(delivery).toMatchObject({ status: 'delivered', attempts: [{ status: 200 }] });
    const [post] = receiver.received;
    const { headers, body } = post ?? expect.unreachable();
    expect(headers['content-type']).toBe('application/json');
    expect(headers['svix-id']).toBe(delivery.id);
    expect(delivery.id).toMatch(/^msg_[0-9A-Za-z]{27}$/);
    const timestamp = Number(headers['svix-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(headers['svix-signature']).toBe(svixSignature(secret, delivery.id, timestamp, body));
    expect(JSON.parse(body)).toEqual(delivery.event);
    expect(delivery.event).toMatchObject({ eventType: 'company.created', payload: { id: company.id, name: 'Signed' } });
  });

  it('retries a delivery that is not answered 2xx with the same svix-id and a fresh signature, and stops after the last retry', async () => {
    receiver = await startReceiver([500, 503, 200, 500, 500, 500]);
    sandboxServer = await startSandboxServer({ webhooks: { url: receiver.url, secret, retryDelaysMs: [0, 0] } });
    const client = clientOf(sandboxServer);
    const company = await client.createCompany({ name: 'Retried' });
    const first = await sandboxServer.webhooks!.settled('company.created');
    expect(first.status).toBe('delivered');
    expect(first.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    const ids = receiver.received.slice(0, 3).map((r) => r.headers['svix-id']);
    expect(new Set(ids)).toEqual(new Set([first.id]));
    for (const { headers, body } of receiver.received.slice(0, 3)) {
      expect(headers['svix-signature']).toBe(svixSignature(secret, first.id, Number(headers['svix-timestamp']), body));
    }
    await client.createConnection(company.id, { platformKey: 'gbol' });
    const failed = await sandboxServer.webhooks!.settled('connection.created');
    expect(failed.status).toBe('failed');
    expect(failed.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
    expect(receiver.received).toHaveLength(6);
  });

  it('counts an endpoint that cannot be reached as a failed attempt', async () => {
    receiver = await startReceiver();
    const unreachable = receiver.url;
    await receiver.close();
    receiver = undefined;
    sandboxServer = await startSandboxServer({ webhooks: { url: unreachable, secret, retryDelaysMs: [0] } });
    await clientOf(sandboxServer).createCompany({ name: 'Nobody home' });
    const delivery = await sandboxServer.webhooks!.settled('company.created');
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(2);
    expect(delivery.attempts.every((a) => a.status === undefined && typeof a.error === 'string')).toBe(true);
  });

  it('posts connection.connected, disconnected and deleted as the Link page authorises and the connection is unlinked and deleted', async () => {
    receiver = await startReceiver();
    sandboxServer = await startSandboxServer({ webhooks: { url: receiver.url, secret } });
    const client = clientOf(sandboxServer);
    const company = await client.createCompany({ name: 'Lifecycle' });
    const connection = await client.createConnection(company.id, { platformKey: 'qhyg' });
    await fetch(`${connection.linkUrl}/cancel`, { method: 'POST', redirect: 'manual' });
    await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    await client.unlinkConnection(company.id, connection.id);
    await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
    await client.deleteConnection(company.id, connection.id);
    await sandboxServer.webhooks!.idle();
    const posted = receiver.received.map((r) => JSON.parse(r.body) as SandboxEvent);
    expect(posted.map((e) => e.eventType).sort()).toEqual(
      ['company.created', 'connection.created', 'connection.failed', 'connection.connected', 'connection.disconnected', 'connection.reconnected', 'connection.deleted'].sort(),
    );
    expect(sandboxServer.webhooks!.deliveries.map((d) => d.event.eventType)).toEqual([
      'company.created',
      'connection.created',
      'connection.failed',
      'connection.connected',
      'connection.disconnected',
      'connection.reconnected',
      'connection.deleted',
    ]);
    const connected = posted.find((e) => e.eventType === 'connection.connected');
    expect(connected?.payload).toMatchObject({ referenceCompany: { id: company.id }, connection: { id: connection.id, status: 'Linked', integrationKey: 'qhyg' } });
  });

  it('posts only the event types the endpoint subscribes to', async () => {
    receiver = await startReceiver();
    sandboxServer = await startSandboxServer({ webhooks: { url: receiver.url, secret, eventTypes: ['connection.created'] } });
    const client = clientOf(sandboxServer);
    const company = await client.createCompany({ name: 'Filtered' });
    await client.createConnection(company.id, { platformKey: 'gbol' });
    await sandboxServer.webhooks!.settled('connection.created');
    expect(sandboxServer.webhooks!.deliveries.map((d) => d.event.eventType)).toEqual(['connection.created']);
  });

  it('sends nothing and offers no webhooks without the option', async () => {
    sandboxServer = await startSandboxServer();
    expect(sandboxServer.webhooks).toBeUndefined();
  });

  it('refuses to start with a secret that is not a signing secret', async () => {
    await expect(startSandboxServer({ webhooks: { url: 'http://127.0.0.1:9/', secret: '' } })).rejects.toThrow();
  });

  it('stops retrying when closed, settling what was pending as failed', async () => {
    receiver = await startReceiver([500]);
    sandboxServer = await startSandboxServer({ webhooks: { url: receiver.url, secret, retryDelaysMs: [3_600_000] } });
    await clientOf(sandboxServer).createCompany({ name: 'Closing' });
    const webhooks = sandboxServer.webhooks!;
    await expect.poll(() => webhooks.deliveries[0]?.attempts[0]?.status).toBe(500);
    const settled = webhooks.settled('company.created');
    await sandboxServer.close();
    sandboxServer = undefined;
    expect(await settled).toMatchObject({ status: 'failed', attempts: [{ status: 500 }] });
    await webhooks.idle();
  });
});
