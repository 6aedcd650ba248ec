import { StrictMode, type ReactNode } from 'react';
import { vi } from 'vitest';
import { CodatProvider, type CodatProviderProps } from '../../src/hooks/index.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
export const connectionId = '2e9d2c44-f675-40ba-8049-353bfcb5e171';

/** A sandbox plus a recording view of what its fetcher received. */
export function sandboxSetup(options: SandboxOptions = {}) {
  const sandbox = createSandbox(options);
  const fetcher = vi.fn(sandbox.fetcher);
  const calls = () => sandbox.requests.map((r) => `${r.method} ${r.operation ?? r.path}`);
  return { sandbox, fetcher, calls };
}

/** A seeded company with one connection in the given status. */
export function seeded(status: string, platformKey = 'qhyg', extra: SandboxOptions = {}) {
  return sandboxSetup({
    ...extra,
    seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ id: connectionId, platformKey, status }] }] },
  });
}

/** Wraps children in a provider (and StrictMode when asked). */
export function wrapperFor(props: Omit<CodatProviderProps, 'children'>, strict = false) {
  return function Wrapper({ children }: { children?: ReactNode }) {
    const tree = <CodatProvider {...props}>{children}</CodatProvider>;
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
}

/** A stand-in for the window `window.open` returns. */
export interface FakeWindow {
  closed: boolean;
  close: () => void;
  opener: unknown;
  location: { href: string };
  document: { title: string; body: { textContent: string } };
}

/** Stubs `window.open`; returns the fake window (or null for a blocked popup) and the spy. */
export function stubOpen(blocked = false) {
  const win: FakeWindow = {
    closed: false,
    close: vi.fn(() => {
      win.closed = true;
    }),
    opener: window,
    location: { href: 'about:blank' },
    document: { title: '', body: { textContent: '' } },
  };
  const open = vi.spyOn(window, 'open').mockImplementation(() => (blocked ? null : (win as unknown as Window)));
  return { win, open };
}

/** Replaces `window.location` with one whose `assign` is a spy; returns the spy and a restore function. */
export function stubLocation(href = 'https://host.example/onboarding') {
  const original = window.location;
  const assign = vi.fn();
  Object.defineProperty(window, 'location', {
    configurable: true,
    value: { ...new URL(href), href, assign, replace: vi.fn(), toString: () => href },
  });
  return {
    assign,
    restore: () => Object.defineProperty(window, 'location', { configurable: true, value: original }),
  };
}

/** A promise with its resolve and reject exposed. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** JSON response helper. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
