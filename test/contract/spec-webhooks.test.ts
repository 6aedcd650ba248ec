import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCodatClient } from '../../src/core/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox-server/index.js';
import { CODAT_WEBHOOK_EVENT_TYPES, createCodatWebhookHandler, type CodatWebhookHandlers } from '../../src/server/index.js';
import { signedDelivery, webhookSecret } from '../support/svix.js';
import { skipNotice, specDir, specsAvailable, validateSchema } from './openapi.js';

if (!specsAvailable) console.warn(skipNotice);

type Json = Record<string, unknown>;

/** The Platform spec's `webhooks` section: event type -> path item. */
const webhooks = (): Record<string, Json> => (JSON.parse(readFileSync(`${specDir}Codat-Platform.json`, 'utf8')) as { webhooks: Record<string, Json> }).webhooks;

/** Every example body the spec gives for an event type, named. */
function examplesOf(pathItem: Json): [string, Json][] {
  const content = ((pathItem.post as Json).requestBody as Json).content as Record<string, Json>;
  const examples = (content['application/json']?.examples ?? {}) as Record<string, { value: Json }>;
  return Object.entries(examples).map(([name, example]) => [name, example.value]);
}

/** The JSON pointer to the spec's request body schema for an event type (`{dataType}` as the spec spells it). */
const schemaRef = (specType: string) => `#/webhooks/${specType}/post/requestBody/content/application~1json/schema`;

const secret = webhookSecret();
const url = 'https://host.example/api/codat/webhooks';

describe.skipIf(!specsAvailable)('Codat webhooks against the Platform spec', () => {
  it('knows exactly the event types the spec’s webhooks section lists', () => {
    expect([...CODAT_WEBHOOK_EVENT_TYPES].sort()).toEqual(Object.keys(webhooks()).sort());
  });

  it('hands every example event of the spec to the handler for its type, parsed and typed, and answers 200', async () => {
    const calls: { key: string; event: unknown }[] = [];
    const record = (key: string) => (event: unknown) => {
      calls.push({ key, event });
    };
    const on: Record<string, (event: unknown) => void> = {};
    for (const type of CODAT_WEBHOOK_EVENT_TYPES) {
      const key = type.replace('{dataType}', 'bills');
      on[key] = record(key);
    }
    const unknown = vi.fn();
    const handler = createCodatWebhookHandler({ secret, on: on as CodatWebhookHandlers, onEvent: unknown, onUnknownEvent: unknown });
    let count = 0;
    for (const [specType, pathItem] of Object.entries(webhooks())) {
      const examples = examplesOf(pathItem);
      expect(examples.length, `${specType} has examples`).toBeGreaterThan(0);
      for (const [name, value] of examples) {
        const eventType = String(value.eventType).replace('{dataType}', 'bills');
        expect(eventType, `${specType} / ${name}`).toBe(specType.replace('{dataType}', 'bills'));
        const body = JSON.stringify({ ...value, eventType });
        const response = await handler(signedDelivery(url, body, { secret }));
        expect(response.status, `${specType} / ${name}: ${await response.clone().text()}`).toBe(200);
        const call = calls.at(-1);
        expect(call?.key, `${specType} / ${name}`).toBe(eventType);
        expect(call?.event).toMatchObject({ ...value, eventType });
        if (specType.startsWith('connection.')) {
          expect(call?.event).toMatchObject({ payload: { connection: { status: (value.payload as { connection: { status: string } }).connection.status } } });
        }
        if (specType.startsWith('{dataType}')) expect(call?.event).toMatchObject({ dataType: 'bills' });
        count += 1;
      }
    }
    expect(count).toBeGreaterThanOrEqual(CODAT_WEBHOOK_EVENT_TYPES.length);
    expect(unknown).not.toHaveBeenCalled();
  });

  describe('what the sandbox server posts', () => {
    let sandboxServer: SandboxServer;
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
    });

    beforeAll(async () => {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const { port } = receiver.address() as { port: number };
      sandboxServer = await startSandboxServer({ webhooks: { url: `http://127.0.0.1:${port}/`, secret } });
      const client = createCodatClient({ baseUrl: sandboxServer.url, headers: { Authorization: 'Basic sandbox-key' }, retry: false });
      const company = await client.createCompany({ name: 'Spec Co', description: 'Checked', tags: { uid: 'cust_9' } });
      const connection = await client.createConnection(company.id, { platformKey: 'qhyg' });
      await fetch(`${connection.linkUrl}/cancel`, { method: 'POST', redirect: 'manual' });
      await fetch(`${connection.linkUrl}/fail`, { method: 'POST', redirect: 'manual' });
      await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
      await client.unlinkConnection(company.id, connection.id);
      await fetch(`${connection.linkUrl}/authorize`, { method: 'POST', redirect: 'manual' });
      sandboxServer.sandbox.deauthorize(connection.id);
      await client.deleteConnection(company.id, connection.id);
      await sandboxServer.sandbox.fetcher(`/companies/${company.id}`, { method: 'DELETE' });
      await sandboxServer.webhooks?.idle();
    });

    afterAll(async () => {
      await sandboxServer.close();
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('posts every company and connection event type the spec documents', () => {
      const types = new Set(received.map((body) => (JSON.parse(body) as { eventType: string }).eventType));
      expect([...types].sort()).toEqual(
        ['company.created', 'company.deleted', 'connection.created', 'connection.connected', 'connection.failed', 'connection.disconnected', 'connection.reconnected', 'connection.deleted'].sort(),
      );
    });

    it('posts bodies that validate against the spec’s schema for their event type', () => {
      expect(received.length).toBe(10);
      const errors = received.flatMap((body) => {
        const event = JSON.parse(body) as { eventType: string };
        return validateSchema(schemaRef(event.eventType), event).map((error) => `${event.eventType}: ${error}`);
      });
      expect(errors).toEqual([]);
    });
  });
});
