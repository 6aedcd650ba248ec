import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type * as Core from '../../src/core/index.js';
import type * as Headless from '../../src/headless.js';
import type * as Sandbox from '../../src/sandbox/index.js';
import type * as Server from '../../src/server/index.js';

/** Loads a built entry from dist/ (typed as its source), exactly as a Node consumer would. */
const built = <T>(entry: string) => import(/* @vite-ignore */ new URL(`../../dist/${entry}`, import.meta.url).href) as Promise<T>;

describe('plain Node imports', () => {
  it('serves data, validators and parsers from a directive-free core entry that imports no React, for server code', async () => {
    const source = readFileSync(new URL('../../dist/core.js', import.meta.url), 'utf8');
    expect(source).not.toMatch(/['"]use client['"]/);
    expect(source).not.toMatch(/from ['"]react/);
    const core = await built<typeof Core>('core.js');
    expect(core.BILL_PAY_PLATFORMS.map((p) => p.key)).toEqual(['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv']);
    expect(core.parseLinkReturn('?companyId=8a210b68-6988-11ed-a1eb-0242ac120002&statusCode=200').status).toBe('success');
    expect(core.isBillPayError(new core.BillPayError('network'))).toBe(true);
    expect(typeof core.validateCompanyInput).toBe('function');
  });

  it("puts 'use client' on exactly the built files that hold hooks or components, so every entry's plain values stay real on the server", () => {
    const dist = new URL('../../dist/', import.meta.url);
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const marked = (file: string) => /^['"]use client['"]/.test(readFileSync(new URL(file, dist), 'utf8'));
    // Which source modules each file holds, from its source map (pure re-export entries have none).
    const holdsReact = (file: string) => {
      const map = new URL(`${file}.map`, dist);
      if (!existsSync(map)) return false;
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      return sources.some((s) => /\/src\/(hooks|components)\//.test(s));
    };
    const clientFiles = files.filter(holdsReact).sort();
    expect(clientFiles.map((f) => f.replace(/-[\w-]+\.js$/, ''))).toEqual(['chunks/components', 'chunks/hooks']);
    expect(files.filter(marked).sort()).toEqual(clientFiles);
    for (const entry of ['index.js', 'headless.js', 'core.js', 'server.js']) expect(marked(entry)).toBe(false);
  });

  it('imports standardwebhooks, the webhook signature library, only from the server and sandbox-server entries', async () => {
    const dist = new URL('../../dist/', import.meta.url);
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const importers = files.filter((f) => /from ['"]standardwebhooks['"]/.test(readFileSync(new URL(f, dist), 'utf8')));
    expect(importers.sort()).toEqual(['sandbox-server.js', 'server.js']);
    const server = await built<typeof Server>('server.js');
    expect(typeof server.createCodatWebhookHandler).toBe('function');
  });

  it('imports undici, the upstream connection pool, only from a chunk the server entry loads at its first request', () => {
    const dist = new URL('../../dist/', import.meta.url);
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const importers = files.filter((f) => /from ['"]undici['"]/.test(readFileSync(new URL(f, dist), 'utf8')));
    expect(importers).toHaveLength(1);
    expect(importers[0]).toMatch(/^chunks\/undici-transport-[\w-]+\.js$/);
    const loaders = files.filter((f) => readFileSync(new URL(f, dist), 'utf8').includes(`import("./${importers[0]}")`));
    expect(loaders).toEqual(['server.js']);
  });

  it('loads the headless, server and sandbox entries without touching window or document', async () => {
    const touched: string[] = [];
    for (const name of ['window', 'document', 'navigator', 'location']) {
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          touched.push(name);
          return undefined;
        },
      });
    }
    try {
      const headless = await built<typeof Headless>('headless.js');
      const server = await built<typeof Server>('server.js');
      const sandbox = await built<typeof Sandbox>('sandbox.js');
      expect(typeof headless.createCodatClient).toBe('function');
      expect(typeof server.createCodatProxy).toBe('function');
      expect(typeof sandbox.createSandbox).toBe('function');
      const client = headless.createCodatClient({ fetcher: sandbox.createSandbox().fetcher });
      expect((await client.createCompany({ name: 'Node only' })).name).toBe('Node only');
    } finally {
      for (const name of ['window', 'document', 'navigator', 'location']) delete (globalThis as Record<string, unknown>)[name];
    }
    expect(touched).toEqual([]);
  });
});
