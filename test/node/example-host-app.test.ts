import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';

interface HostApp {
  url: string;
  close: () => Promise<void>;
}

/** The example host backend, as `npm run example` runs it (it imports the built kit from dist/). */
const startHostApp = async () => {
  const href = new URL('../../examples/host-app/server.mjs', import.meta.url).href;
  const { startHostApp: start } = (await import(/* @vite-ignore */ href)) as { startHostApp: () => Promise<HostApp> };
  return start();
};

let app: HostApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('example host app server', () => {
  it('answers 400 to a request path that is not a valid URL or percent-encoding and keeps serving', async () => {
    app = await startHostApp();
    expect((await fetch(`${app.url}/%E0%A4%A`)).status).toBe(400);
    const { url } = app;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${url}/`, { path: '//[' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
    expect((await fetch(`${app.url}/favicon.ico`)).status).toBe(204);
  });
});

