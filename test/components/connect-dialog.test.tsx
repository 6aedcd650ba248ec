import { act, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BillPayEvent } from '../../src/core/index.js';
import { CodatProvider, ConnectDialog } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { companyId, deferred, stubOpen } from '../hooks/helpers.js';
import { expectNoAxeViolations } from './axe.js';

afterEach(() => {
  vi.useRealTimers();
});

const seeded = (connections: { platformKey: string; status: string }[] = []) =>
  createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme', connections }] } });
const ops = (sandbox: ReturnType<typeof createSandbox>) => sandbox.requests.map((r) => `${r.method} ${r.operation}`);
const opened = (onEvent: ReturnType<typeof vi.fn>) => onEvent.mock.calls.map((c) => c[0] as BillPayEvent).filter((e) => e.type === 'opened');

describe('ConnectDialog', () => {
  it('opens from the host’s button with a title and the flow, focus on the title; Escape closes it and focus returns to the button', async () => {
    const onEvent = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={seeded().fetcher} companyId={companyId} onEvent={onEvent}>
        <main>
          <ConnectDialog trigger={<button type="button">Connect accounting</button>} intro={{ appName: 'Acme Pay' }} />
        </main>
      </CodatProvider>,
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opened(onEvent)).toHaveLength(0);
    const trigger = screen.getByRole('button', { name: 'Connect accounting' });
    await user.click(trigger);

    const dialog = screen.getByRole('dialog', { name: 'Connect your accounting software' });
    expect(within(dialog).getByRole('heading', { level: 2, name: 'Connect your accounting software' })).toHaveFocus();
    expect(within(dialog).getByRole('heading', { level: 3, name: 'Acme Pay wants to connect to your accounting software' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
    expect(opened(onEvent)).toEqual([{ type: 'opened', companyId, at: expect.any(Number) }]);
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Loading connections' })).toBeNull());
    await expectNoAxeViolations(document.body);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(trigger).toHaveFocus();

    // Each open is reported once.
    await user.click(trigger);
    expect(opened(onEvent)).toHaveLength(2);
  });

  it('closes with its close button, and keeps open on a click on the backdrop', async () => {
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={seeded().fetcher} companyId={companyId}>
        <ConnectDialog trigger={<button type="button">Connect</button>} />
      </CodatProvider>,
    );
    const trigger = screen.getByRole('button', { name: 'Connect' });
    await user.click(trigger);
    const outside = userEvent.setup({ pointerEventsCheck: 0 });
    await outside.click(document.querySelector('.bpc-connect-dialog__overlay') as Element);
    await outside.click(document.body);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(trigger).toHaveFocus();
  });

  it('makes the page behind inert and stops it scrolling while open, and gives the host its root styles back', async () => {
    const html = document.documentElement;
    html.style.overflow = 'scroll';
    try {
      const user = userEvent.setup();
      const { container } = render(
        <CodatProvider fetcher={seeded().fetcher} companyId={companyId}>
          <ConnectDialog trigger={<button type="button">Connect</button>} />
        </CodatProvider>,
      );
      await user.click(screen.getByRole('button', { name: 'Connect' }));
      expect(html.style.overflow).toBe('hidden');
      expect(container.inert).toBe(true);
      await user.keyboard('{Escape}');
      expect(html.style.overflow).toBe('scroll');
      expect(html.style.paddingRight).toBe('');
      expect(container.inert).toBe(false);
    } finally {
      html.style.overflow = '';
    }
  });

  it('follows open and onOpenChange when controlled, and returns focus to the host’s own button without a trigger', async () => {
    const onOpenChange = vi.fn();
    const user = userEvent.setup();
    function Host() {
      const [open, setOpen] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setOpen(true)}>
            Set up payments
          </button>
          <ConnectDialog
            open={open}
            onOpenChange={(next) => {
              onOpenChange(next);
              setOpen(next);
            }}
          />
        </>
      );
    }
    render(
      <CodatProvider fetcher={seeded().fetcher} companyId={companyId}>
        <Host />
      </CodatProvider>,
    );
    const button = screen.getByRole('button', { name: 'Set up payments' });
    await user.click(button);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onOpenChange).toHaveBeenCalledWith(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(button).toHaveFocus();
  });

  it('stays closed when controlled closed, whatever is clicked', async () => {
    const onOpenChange = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={seeded().fetcher} companyId={companyId}>
        <ConnectDialog open={false} onOpenChange={onOpenChange} trigger={<button type="button">Connect</button>} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(onOpenChange).toHaveBeenCalledWith(true);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('runs intro -> choose -> connect -> success, and Done calls onDone and closes the dialog', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { win } = stubOpen();
    const sandbox = seeded();
    const onDone = vi.fn();
    const onOpenChange = vi.fn();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConnectDialog defaultOpen intro onDone={onDone} onOpenChange={onOpenChange} />
      </CodatProvider>,
    );
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Continue' }));
    expect(within(dialog).getByRole('heading', { level: 3, name: 'Which accounting software do you use?' })).toHaveFocus();
    await user.click(within(dialog).getByRole('radio', { name: /Xero/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Connect Xero' }));
    await within(dialog).findByText('Waiting for you to sign in to Xero…');
    sandbox.authorize(sandbox.listConnections(companyId)[0]?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(2000));
    const heading = await within(dialog).findByRole('heading', { level: 3, name: 'Xero is connected' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(win.close).toHaveBeenCalled();
    await expectNoAxeViolations(document.body);
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(onDone).toHaveBeenCalledWith(expect.objectContaining({ status: 'Linked', platformName: 'Xero' }));
    expect(onOpenChange).toHaveBeenCalledWith(false);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closing while the Link window is open closes the window and stops watching, with nothing left rejected', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { win } = stubOpen();
    const sandbox = seeded();
    const onError = vi.fn();
    const onConnected = vi.fn();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    render(
      <CodatProvider fetcher={sandbox.fetcher} companyId={companyId}>
        <ConnectDialog trigger={<button type="button">Connect</button>} onError={onError} onConnected={onConnected} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    await user.click(screen.getByRole('radio', { name: /Xero/ }));
    await user.click(screen.getByRole('button', { name: 'Connect Xero' }));
    await screen.findByText('Waiting for you to sign in to Xero…');
    expect(win.close).not.toHaveBeenCalled();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(win.close).toHaveBeenCalled();
    expect(win.closed).toBe(true);
    const sent = sandbox.requests.length;
    sandbox.authorize(sandbox.listConnections(companyId)[0]?.id as string);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(sandbox.requests).toHaveLength(sent);
    expect(onConnected).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Connect' })).toHaveFocus();
  });

  it('closing while the connection is being created aborts it and closes the window opened for it', async () => {
    const { win } = stubOpen();
    const sandbox = createSandbox();
    const gate = deferred<void>();
    const fetcher = async (input: string, init: RequestInit) => {
      await gate.promise;
      return sandbox.fetcher(input, init);
    };
    const onError = vi.fn();
    const onCompanyCreated = vi.fn();
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={fetcher}>
        <ConnectDialog trigger={<button type="button">Connect</button>} companyName="Acme Plumbing" onError={onError} onCompanyCreated={onCompanyCreated} />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    await user.click(screen.getByRole('radio', { name: /Xero/ }));
    await user.click(screen.getByRole('button', { name: 'Connect Xero' }));
    expect(screen.getByRole('button', { name: 'Preparing the connection…' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    gate.resolve();
    await waitFor(() => expect(win.close).toHaveBeenCalled());
    expect(onError).not.toHaveBeenCalled();
    expect(onCompanyCreated).not.toHaveBeenCalled();
    expect(ops(sandbox)).not.toContain('POST createConnection');
  });

  it('lets Escape close only the unlink confirmation opened inside it', async () => {
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={seeded([{ platformKey: 'gbol', status: 'Linked' }]).fetcher} companyId={companyId}>
        <ConnectDialog defaultOpen />
      </CodatProvider>,
    );
    const unlink = await screen.findByRole('button', { name: 'Unlink' });
    await user.click(unlink);
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(unlink).toHaveFocus();
  });

  it('drops the kit classes when unstyled and takes the host’s per part, keeping roles and names', async () => {
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={seeded().fetcher} companyId={companyId}>
        <ConnectDialog
          trigger={<button type="button">Connect</button>}
          unstyled
          className="my-dialog"
          classNames={{ close: 'my-close', overlay: 'my-overlay' }}
          messages={{ dialogTitle: 'Comptabilité', dialogClose: 'Fermer' }}
        />
      </CodatProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    const dialog = screen.getByRole('dialog', { name: 'Comptabilité' });
    expect(dialog).toHaveClass('my-dialog');
    expect(dialog.className).not.toMatch(/bpc-/);
    expect(within(dialog).getByRole('button', { name: 'Fermer' })).toHaveClass('my-close');
    expect(document.querySelector('.my-overlay')).not.toBeNull();
    expect(document.querySelector('[class*="bpc-configure"]')).toBeNull();
  });
});
