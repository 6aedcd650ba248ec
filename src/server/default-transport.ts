import { fetchTransport, type UpstreamTransport } from './upstream.js';

/** Whether this is Node itself (not Bun, Deno or a Worker that imitates parts of it), where undici runs. */
function isNode(): boolean {
  const runtime = globalThis as { process?: { versions?: { node?: unknown } }; Bun?: unknown; Deno?: unknown; navigator?: { userAgent?: unknown } };
  return typeof runtime.process?.versions?.node === 'string' && !runtime.Bun && !runtime.Deno && runtime.navigator?.userAgent !== 'Cloudflare-Workers';
}

/**
 * The transport used without the `fetch` option: in Node, a keep-alive connection pool (undici, loaded at the
 * first request so that importing the server entry loads nothing more); elsewhere, or if undici cannot be
 * loaded (said once on the console: in Node that is a packaging problem worth fixing), `globalThis.fetch`.
 */
export function defaultTransport(): UpstreamTransport {
  let ready: UpstreamTransport | undefined;
  let loading: Promise<UpstreamTransport> | undefined;
  const viaFetch = () => fetchTransport((input, init) => globalThis.fetch(input, init));
  const load = (): Promise<UpstreamTransport> =>
    (loading ??= isNode()
      ? import('./undici-transport.js').then(
          (module) => (ready = module.createUndiciTransport()),
          (error: unknown) => {
            console.warn(
              `billpay-connect: the proxy could not load undici (${error instanceof Error ? error.message : String(error)}); it talks to Codat through fetch instead, which is slower.`,
            );
            return (ready = viaFetch());
          },
        )
      : Promise.resolve((ready = viaFetch())));
  // Once loaded, each request calls the transport directly (no extra async step per request).
  return (origin, path, init) => (ready ? ready(origin, path, init) : load().then((transport) => transport(origin, path, init)));
}
