import { act, render, screen, waitFor, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { userEvent } from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import {
  BillPayError,
  CodatProvider,
  ConnectButton,
  ConnectionManager,
  defaultErrorMessages,
  defaultMessages,
  ErrorNotice,
  PlatformPicker,
  type CodatErrorBody,
  type ErrorNoticeProps,
} from '../../src/index.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { companyId, connectionId, stubOpen } from '../hooks/helpers.js';
import { manualClock } from '../support/manual-clock.js';
import { expectNoAxeViolations } from './axe.js';

// role="alert" is announced when the node is inserted: a second failure that renders the same text into
// the node already there goes unannounced, so a new error must bring a new node (and an old one must not).

function renderKit(ui: ReactElement, options: SandboxOptions = {}) {
  const sandbox = createSandbox({
    seed: { companies: [{ id: companyId, name: 'Acme', connections: [{ id: connectionId, platformKey: 'knfz', status: 'Deauthorized' }] }] },
    ...options,
  });
  const tree = (children: ReactElement) => (
    <CodatProvider fetcher={sandbox.fetcher} companyId={companyId} clientOptions={{ retry: false }}>
      {children}
    </CodatProvider>
  );
  const view = render(tree(ui));
  return { ...view, sandbox, user: userEvent.setup(), rerender: (next: ReactElement) => view.rerender(tree(next)) };
}

const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);

describe('ErrorNotice: a repeated failure is announced again', () => {
  it('inserts a new alert when the connection list retry fails again the same way, with focus on its Try again', async () => {
    const { user, sandbox } = renderKit(<ConnectionManager />, { faults: { listConnections: { kind: 'network', times: 2 } } });
    const first = await screen.findByRole('alert');
    await user.click(within(first).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getByRole('alert')).not.toBe(first));
    const second = screen.getByRole('alert');
    expect(first).not.toBeInTheDocument();
    expect(second).toHaveTextContent(first.textContent ?? '');
    expect(within(second).getByRole('button', { name: 'Try again' })).toHaveFocus();
    expect(ops(sandbox)).toEqual(['GET listConnections', 'GET listConnections']);
  });

  it('inserts a new alert when Connect is pressed again and the popup is blocked again', async () => {
    stubOpen(true);
    const { user } = renderKit(<ConnectButton platformKey="qhyg" />);
    // The button keeps its own label after a failure: the notice carries the way forward.
    const connect = screen.getByRole('button', { name: 'Connect QuickBooks Online' });
    await user.click(connect);
    const first = screen.getByRole('alert');
    expect(first).toHaveTextContent('Your browser blocked the sign-in window');
    expect(within(first).getAllByRole('button').map((b) => b.textContent)).toEqual(['Continue in this tab']);
    await user.click(connect);
    const second = screen.getByRole('alert');
    expect(second).not.toBe(first);
    expect(second).toHaveTextContent(first.textContent ?? '');
    expect(connect).toHaveFocus();
  });

  it('inserts a new alert in the row when Reconnect is pressed again and the popup is blocked again', async () => {
    stubOpen(true);
    const { user } = renderKit(<ConnectionManager />);
    const reconnect = await screen.findByRole('button', { name: 'Reconnect' });
    await user.click(reconnect);
    const first = screen.getByRole('alert');
    await user.click(reconnect);
    const second = screen.getByRole('alert');
    expect(second).not.toBe(first);
    expect(second).toHaveTextContent(first.textContent ?? '');
  });

  it('keeps the same alert node through re-renders that bring no new error', async () => {
    const manager = renderKit(<ConnectionManager />, { faults: { listConnections: { kind: 'network' } } });
    const listAlert = await screen.findByRole('alert');
    manager.rerender(<ConnectionManager className="host" />);
    expect(screen.getByRole('alert')).toBe(listAlert);
    manager.unmount();

    const { user } = renderKit(<PlatformPicker source="integrations" />, { faults: { listIntegrations: { kind: 'network' } } });
    const pickerAlert = await screen.findByRole('alert');
    await user.type(screen.getByRole('searchbox'), 'xe');
    expect(screen.getAllByRole('radio')).toHaveLength(1);
    expect(screen.getByRole('alert')).toBe(pickerAlert);
  });
});

describe('ErrorNotice on its own', () => {
  it('takes the kit’s tokens and themes outside a kit component, so it renders as the components do', () => {
    // error.css reads the private --_* values the token rule declares on the kit's roots (each theme's palette
    // is inherited into that rule); a notice in the host's own UI (not inside .bpc-picker and the like) must be
    // one of those roots.
    const css = readFileSync('src/styles/tokens.css', 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const themeRules = [...css.matchAll(/([^{}]*)\{([^{}]*)\}/g)].filter(([, , body]) => /--_danger\s*:/.test(body ?? ''));
    expect(themeRules.length).toBeGreaterThanOrEqual(1);
    for (const [, selector] of themeRules) expect(selector).toMatch(/\.bpc-error\b/);
    const used = new Set([...readFileSync('src/styles/error.css', 'utf8').matchAll(/var\((--_[\w-]+)/g)].map((m) => m[1]));
    const declared = new Set([...(themeRules[0]?.[2] ?? '').matchAll(/(--_[\w-]+)\s*:/g)].map((m) => m[1]));
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
  });
});

const reference = 'c0ffee00-0000-4000-8000-000000000001';
const codat = (statusCode: number, extra: Partial<CodatErrorBody> = {}): CodatErrorBody => ({ statusCode, error: 'Codat says no.', correlationId: reference, ...extra });

function renderNotice(error: BillPayError, props: Partial<ErrorNoticeProps> = {}) {
  const onRetry = vi.fn();
  const onContinueInTab = vi.fn();
  const view = render(<ErrorNotice error={error} messages={defaultMessages} onRetry={onRetry} onContinueInTab={onContinueInTab} {...props} />);
  const alert = screen.getByRole('alert');
  const message = alert.querySelector('p');
  const actions = () => within(alert).queryAllByRole('button').map((b) => b.textContent);
  return { ...view, alert, message, actions, onRetry, onContinueInTab, user: userEvent.setup() };
}

describe('ErrorNotice: the message, then the one action that can work', () => {
  it.each([
    ['network', new BillPayError('network'), defaultErrorMessages.network, ['Try again']],
    ['timeout', new BillPayError('timeout'), defaultErrorMessages.timeout, ['Try again']],
    ['invalid-response', new BillPayError('invalid-response'), defaultErrorMessages['invalid-response'], ['Try again']],
    ['link-cancelled', new BillPayError('link-cancelled'), defaultErrorMessages['link-cancelled'], ['Try again']],
    ['link-failed', new BillPayError('link-failed'), defaultErrorMessages['link-failed'], ['Try again']],
    ['http 500', new BillPayError('http', { status: 500, codat: codat(500), message: 'Codat says no.' }), defaultErrorMessages.http, ['Try again']],
    ['http 409', new BillPayError('http', { status: 409, codat: codat(409) }), defaultErrorMessages.http, ['Try again']],
    ['popup-blocked', new BillPayError('popup-blocked'), defaultErrorMessages['popup-blocked'], ['Continue in this tab']],
    ['http 404', new BillPayError('http', { status: 404, operation: 'unlinkConnection', codat: codat(404) }), 'We could not complete this request. Contact support if you need help.', []],
    [
      'http 400 on createConnection, canBeRetried False',
      new BillPayError('http', { status: 400, operation: 'createConnection', codat: codat(400, { canBeRetried: 'False' }) }),
      'We could not connect this accounting software. Choose another one, or contact support.',
      [],
    ],
    ['invalid-input name', new BillPayError('invalid-input', { field: 'name', message: 'Enter the company name.' }), 'Enter the company name.', []],
    [
      'invalid-input platformKey',
      new BillPayError('invalid-input', { field: 'platformKey', message: 'Choose one of the supported accounting platforms.' }),
      'Choose one of the supported accounting platforms.',
      [],
    ],
    [
      'invalid-input companyId',
      new BillPayError('invalid-input', { field: 'companyId', message: 'The company id is not valid.' }),
      'The company id is not valid. Contact support.',
      [],
    ],
    ['unsafe-link-url', new BillPayError('unsafe-link-url', { message: 'Refused javascript: URL.' }), defaultErrorMessages['unsafe-link-url'], []],
  ] as const)('%s: says it in the kit’s words with data-code, and offers %j', async (_name, error, text, buttons) => {
    const { alert, message, actions, onRetry, onContinueInTab, user, container } = renderNotice(error);
    expect(alert).toHaveAttribute('data-code', error.code);
    expect(message).toHaveTextContent(text);
    expect(message).not.toHaveTextContent('Codat says no.');
    expect(actions()).toEqual(buttons);
    if (error.retryable) expect(actions()).not.toContain(error.code === 'popup-blocked' ? 'Try again' : 'Continue in this tab');
    else expect(within(alert).queryByRole('button', { name: 'Try again' })).toBeNull();
    if (buttons[0]) await user.click(within(alert).getByRole('button', { name: buttons[0] }));
    expect(onRetry).toHaveBeenCalledTimes(buttons[0] === 'Try again' ? 1 : 0);
    expect(onContinueInTab).toHaveBeenCalledTimes(buttons[0] === 'Continue in this tab' ? 1 : 0);
    await expectNoAxeViolations(container);
  });

  it('offers no action when the component gives it none to run, and lets the host put its own in the same place', () => {
    const { alert, rerender } = renderNotice(new BillPayError('network'), { onRetry: undefined });
    expect(within(alert).queryByRole('button')).toBeNull();
    rerender(
      <ErrorNotice error={new BillPayError('network')} messages={defaultMessages}>
        <button type="button">Call us</button>
      </ErrorNotice>,
    );
    const actions = screen.getByRole('alert').querySelector('.bpc-error__actions');
    expect(within(actions as HTMLElement).getAllByRole('button').map((b) => b.textContent)).toEqual(['Call us']);
  });

  it('keeps Codat’s text, the HTTP status and the correlation id out of the message, in a collapsed native Details for support', async () => {
    const error = new BillPayError('http', {
      status: 400,
      codat: codat(400, { validation: { errors: [{ itemId: 'name', message: 'Name is required.' }], warnings: [] } }),
    });
    const { alert, message, container } = renderNotice(error);
    expect(message).toHaveTextContent('We could not complete this request.');
    const details = alert.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    const summary = details.querySelector('summary') as HTMLElement;
    expect(summary).toHaveTextContent('Details for support');
    expect(details.firstElementChild).toBe(summary);
    expect([...details.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      `Support reference: ${reference}`,
      'HTTP status: 400',
      'Codat says no.',
      'Name is required.',
    ]);
    // The support details come after the action's place, and nothing else carries Codat's text.
    expect(alert.lastElementChild).toBe(details);
    expect(error.codat?.error).toBe('Codat says no.');
    await expectNoAxeViolations(container);
  });

  it('shows no support details when there is nothing for support, and lets hosts hide them by prop or by message', () => {
    const { alert, unmount } = renderNotice(new BillPayError('network'));
    expect(alert.querySelector('details')).toBeNull();
    unmount();
    const error = new BillPayError('http', { status: 500, codat: codat(500) });
    const hiddenByProp = renderNotice(error, { supportDetails: false });
    expect(hiddenByProp.alert.querySelector('details')).toBeNull();
    expect(hiddenByProp.alert).not.toHaveTextContent('Codat says no.');
    hiddenByProp.unmount();
    const hiddenByMessage = renderNotice(error, { messages: { ...defaultMessages, supportDetails: '' } });
    expect(hiddenByMessage.alert.querySelector('details')).toBeNull();
    expect(hiddenByMessage.alert).not.toHaveTextContent(reference);
  });

  it('counts a Retry-After wait down on the retry, once a second from an injected clock, enabling it only at the end', async () => {
    const { clock, advance } = manualClock();
    const error = new BillPayError('rate-limited', { status: 429, retryAfter: 30, codat: codat(429) });
    const { alert, onRetry, user, container } = renderNotice(error, { clock });
    const retry = within(alert).getByRole('button', { name: 'Try again' });
    const ready = within(alert).getByRole('status');
    expect(retry).toHaveAttribute('aria-disabled', 'true');
    expect(retry).toHaveTextContent('Try again in 30 s');
    // The visible countdown is hidden from screen readers; they get the wait once, with the alert.
    expect(retry.querySelector('[aria-hidden="true"]')).toHaveTextContent('Try again in 30 s');
    expect(alert).toHaveTextContent('You can try again in 30 seconds.');
    expect(ready).toHaveTextContent('');
    await expectNoAxeViolations(container);
    await user.click(retry);
    expect(onRetry).not.toHaveBeenCalled();

    act(() => advance(1000));
    expect(retry).toHaveTextContent('Try again in 29 s');
    act(() => advance(28_000));
    expect(retry).toHaveTextContent('Try again in 1 s');
    expect(retry).toHaveAttribute('aria-disabled', 'true');
    await user.click(retry);
    expect(onRetry).not.toHaveBeenCalled();
    // The same alert node all along: it was announced once, not once a second.
    expect(screen.getByRole('alert')).toBe(alert);
    expect(ready).toHaveTextContent('');

    act(() => advance(1000));
    expect(retry).not.toHaveAttribute('aria-disabled');
    expect(retry).toHaveTextContent(/^Try again$/);
    expect(ready).toHaveTextContent('You can try again now.');
    expect(screen.getByRole('alert')).toBe(alert);
    await user.click(retry);
    expect(onRetry).toHaveBeenCalledTimes(1);
    await expectNoAxeViolations(container);
  });
});
