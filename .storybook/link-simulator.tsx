import { useEffect, useState } from 'react';
import type { Sandbox } from '../src/sandbox/index.js';

interface Pending {
  connectionId: string;
  platformName: string;
}

type Listener = (pending: Pending | null) => void;

/**
 * Stands in for the Link popup inside Storybook: `window.open` returns a fake window whose
 * navigation shows an in-page "Sign in" panel, so the kit's real popup code path runs (opened in the
 * click, pointed at the linkUrl, watched until closed) without leaving the page.
 */
export function installLinkSimulator(sandbox: Sandbox, options: { blocked: boolean }) {
  const listeners = new Set<Listener>();
  let current: (Pending & { win: FakeWindow }) | null = null;
  /** Every URL a Link window was pointed at, for play functions to check. */
  const navigations: string[] = [];
  const emit = () => {
    for (const l of listeners) l(current);
  };

  const locationOf = (self: FakeWindow) => ({
    assign: (url: string) => self.navigate(url),
    replace: (url: string) => self.navigate(url),
    get href() {
      return '';
    },
    set href(url: string) {
      self.navigate(url);
    },
  });

  class FakeWindow {
    closed = false;
    opener: unknown = null;
    name = 'bpc-link';
    document = { title: '', body: { textContent: '' } };
    readonly location = locationOf(this);
    navigate(url: string) {
      navigations.push(url);
      const connectionId = /\/link\/[^/]+\/([^/?#]+)/.exec(url)?.[1];
      const found = connectionId ? sandbox.findConnection(connectionId) : undefined;
      if (!connectionId || !found) return;
      current = { connectionId, platformName: String(found.connection.platformName), win: this };
      emit();
    }
    close() {
      this.closed = true;
      if (current?.win === this) current = null;
      emit();
    }
    focus() {}
  }
  let win = new FakeWindow();

  const original = window.open;
  window.open = () => {
    if (options.blocked) return null;
    if (win.closed) win = new FakeWindow();
    return win as unknown as Window;
  };
  return {
    navigations,
    subscribe(listener: Listener) {
      listeners.add(listener);
      listener(current);
      return () => {
        listeners.delete(listener);
      };
    },
    authorize() {
      if (!current) return;
      sandbox.authorize(current.connectionId);
      current.win.close();
    },
    cancel() {
      if (!current) return;
      sandbox.abandon(current.connectionId);
      current.win.close();
    },
    uninstall() {
      window.open = original;
    },
  };
}

export type LinkSimulator = ReturnType<typeof installLinkSimulator>;

/** The simulated Codat Link window, drawn in the page. */
export function LinkSimulatorPanel({ simulator }: { simulator: LinkSimulator }) {
  const [pending, setPending] = useState<Pending | null>(null);
  useEffect(() => simulator.subscribe(setPending), [simulator]);
  if (!pending) return null;
  return (
    <section aria-label="Simulated Codat Link window" className="sb-link-window">
      <h2>Sign in to {pending.platformName}</h2>
      <p>Simulated Codat Link (sandbox). Nothing leaves this page.</p>
      <button type="button" onClick={() => simulator.authorize()}>
        Authorise access
      </button>{' '}
      <button type="button" onClick={() => simulator.cancel()}>
        Cancel sign-in
      </button>
    </section>
  );
}
