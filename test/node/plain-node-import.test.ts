import { describe, expect, it } from 'vitest';
import type * as Headless from '../../src/headless.js';
import type * as Sandbox from '../../src/sandbox/index.js';
import type * as Server from '../../src/server/index.js';

/** Loads a built entry from dist/ (typed as its source), exactly as a Node consumer would. */
const built = <T>(entry: string) => import(/* @vite-ignore */ new URL(`../../dist/${entry}`, import.meta.url).href) as Promise<T>;

describe('plain Node imports', () => {
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
