import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';

const servers: Server[] = [];
afterEach(async () => {
  vi.doUnmock('../../src/server/undici-transport.js');
  vi.resetModules();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function upstream(): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"c1"}'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('the default transport', () => {
  it('falls back to fetch, saying so once, when undici cannot be loaded', async () => {
    vi.resetModules();
    vi.doMock('../../src/server/undici-transport.js', () => {
      throw new Error('Cannot find package undici');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { createCodatProxy } = await import('../../src/server/create-codat-proxy.js');
    const proxy = createCodatProxy({ apiKey: 'c2VjcmV0LWtleS0xMjM=', baseUrl: await upstream(), authorize: () => true });
    for (let i = 0; i < 2; i += 1) {
      const response = await proxy(new Request('http://host.test/api/codat/companies/c1'));
      expect(await response.json()).toEqual({ id: 'c1' });
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^billpay-connect: the proxy could not load undici .*fetch instead/);
  });
});
