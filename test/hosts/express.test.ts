import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from 'billpay-connect/sandbox-server';
import { assertPackedKit, envWithout, repoRoot, startHostProcess, type HostProcess } from './host-process.js';

const appDir = join(repoRoot, 'examples/express-backend');
const apiKey = 'ZXhwcmVzcy1leGFtcGxlLWtleQ==';

let codat: SandboxServer;
let app: HostProcess;

beforeAll(async () => {
  assertPackedKit(appDir);
  codat = await startSandboxServer({ apiKey });
  app = await startHostProcess({
    args: ['server.mjs'],
    cwd: appDir,
    env: { ...envWithout('CODAT_API_KEY', 'CODAT_BASE_URL'), CODAT_API_KEY: apiKey, CODAT_BASE_URL: codat.url, SESSION_SECRET: 'test-session-secret' },
  });
});

afterAll(async () => {
  await app?.stop();
  await codat?.close();
});

/** Starts a browser-like session: the first page request sets the session cookie. */
async function startSession(): Promise<string> {
  const page = await fetch(`${app.url}/`);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('connect.sid='));
  expect(cookie).toMatch(/HttpOnly/);
  return (cookie as string).split(';')[0] as string;
}

function api(path: string, cookie: string | undefined, body?: unknown): Promise<Response> {
  return fetch(`${app.url}/api/codat${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('examples/express-backend: the kit installed from its tarball behind Express 5', () => {
  it('proxies a create company and a connection to the sandbox over HTTP, and refuses the company to other sessions', async () => {
    const owner = await startSession();
    const created = await api('/companies', owner, { name: 'Acme Plumbing Ltd' });
    expect(created.status).toBe(200);
    const company = (await created.json()) as { id: string; name: string };
    expect(company.name).toBe('Acme Plumbing Ltd');

    const connected = await api(`/companies/${company.id}/connections`, owner, { platformKey: 'gbol' });
    expect(connected.status).toBe(200);
    const connection = (await connected.json()) as { id: string; status: string; linkUrl: string };
    expect(connection.status).toBe('PendingAuth');
    expect(codat.sandbox.listConnections(company.id)).toMatchObject([{ id: connection.id, platformName: 'Xero' }]);
    expect((await api(`/companies/${company.id}/connections`, owner)).status).toBe(200);

    const seen = codat.sandbox.requests.length;
    const other = await startSession();
    expect((await api(`/companies/${company.id}/connections`, other)).status).toBe(403);
    expect((await api(`/companies/${company.id}/connections`, other, { platformKey: 'qhyg' })).status).toBe(403);
    // Without a session nothing is proxied, not even a create.
    expect((await api('/companies', undefined, { name: 'Mallory Ltd' })).status).toBe(403);
    expect(codat.sandbox.requests.length).toBe(seen);
    expect(codat.sandbox.listConnections(company.id)).toHaveLength(1);
  });
});
