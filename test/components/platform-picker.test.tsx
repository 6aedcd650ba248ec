import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodatProvider, PlatformPicker, type PlatformPickerProps } from '../../src/index.js';
import { createSandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { expectNoAxeViolations } from './axe.js';

afterEach(() => {
  vi.useRealTimers();
});

function renderPicker(props: PlatformPickerProps = {}, sandboxOptions: SandboxOptions = {}) {
  const sandbox = createSandbox(sandboxOptions);
  const user = userEvent.setup();
  const view = render(
    <CodatProvider fetcher={sandbox.fetcher}>
      <PlatformPicker {...props} />
    </CodatProvider>,
  );
  return { ...view, user, sandbox };
}

const radio = (name: string | RegExp) => screen.getByRole('radio', { name });
const checked = () => screen.getAllByRole('radio').filter((r) => r.getAttribute('aria-checked') === 'true').map((r) => r.textContent);

describe('PlatformPicker', () => {
  it('shows Codat’s current Bill Pay platforms as a labelled radio group with no selection', async () => {
    const { container } = renderPicker();
    const group = screen.getByRole('radiogroup', { name: 'Accounting software' });
    expect(within(group).getAllByRole('radio').map((r) => r.textContent)).toEqual([
      'FAFreeAgent',
      'NSOracle NetSuite',
      'QBQuickBooks Online',
      'SISage Intacct',
      'XXero',
      'ZBZoho Books',
    ]);
    expect(checked()).toEqual([]);
    expect(screen.getAllByRole('radio').filter((r) => r.tabIndex === 0)).toHaveLength(1);
    await expectNoAxeViolations(container);
  });

  it('shows the asynchronous Bill Pay platforms, QuickBooks Desktop named once and described as needing the desktop connector, when platformList is async', async () => {
    const { container } = renderPicker({ platformList: 'async' });
    const group = screen.getByRole('radiogroup', { name: 'Accounting software' });
    expect(within(group).getAllByRole('radio').map((r) => r.textContent)).toEqual([
      'MYMYOB Business',
      'NSOracle NetSuite',
      'QBQuickBooks Online',
      'QDQuickBooks DesktopNeeds desktop connector',
      'SISage Intacct',
      'XXero',
    ]);
    expect(within(group).getByRole('radio', { name: 'QuickBooks Desktop' })).toHaveAccessibleDescription('Needs desktop connector');
    expect(checked()).toEqual([]);
    expect(screen.getAllByRole('radio').filter((r) => r.tabIndex === 0)).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('6 platforms');
    await expectNoAxeViolations(container);
  });

  it('takes the provider’s platformList, and lets its own platformList win over it', () => {
    const fetcher = createSandbox().fetcher;
    const view = render(
      <CodatProvider fetcher={fetcher} platformList="async">
        <PlatformPicker />
      </CodatProvider>,
    );
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual([
      'MYMYOB Business',
      'NSOracle NetSuite',
      'QBQuickBooks Online',
      'QDQuickBooks DesktopNeeds desktop connector',
      'SISage Intacct',
      'XXero',
    ]);
    view.rerender(
      <CodatProvider fetcher={fetcher} platformList="async">
        <PlatformPicker platformList="sync" />
      </CodatProvider>,
    );
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual([
      'FAFreeAgent',
      'NSOracle NetSuite',
      'QBQuickBooks Online',
      'SISage Intacct',
      'XXero',
      'ZBZoho Books',
    ]);
  });

  it('selects by click and reports the key and platform', async () => {
    const onValueChange = vi.fn();
    const { user } = renderPicker({ onValueChange });
    await user.click(radio(/Xero/));
    expect(radio(/Xero/)).toHaveAttribute('aria-checked', 'true');
    expect(radio(/Xero/)).toHaveAttribute('data-selected', '');
    expect(onValueChange).toHaveBeenCalledWith('gbol', expect.objectContaining({ name: 'Xero' }));
  });

  it('moves and selects with arrows by row and column, Home and End', async () => {
    const onValueChange = vi.fn();
    const { user } = renderPicker({ onValueChange, columns: 3, searchable: false });
    await user.tab();
    expect(radio(/FreeAgent/)).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(radio(/NetSuite/)).toHaveFocus();
    expect(checked()).toEqual(['NSOracle NetSuite']);
    await user.keyboard('{ArrowDown}');
    expect(radio(/Xero/)).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowLeft}');
    expect(radio(/FreeAgent/)).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(radio(/FreeAgent/)).toHaveFocus();
    await user.keyboard('{End}');
    expect(radio(/Zoho Books/)).toHaveFocus();
    await user.keyboard('{Home}');
    expect(radio(/FreeAgent/)).toHaveFocus();
    expect(onValueChange.mock.calls.map((c) => c[0])).toEqual(['akxx', 'gbol', 'akxx', 'fbrh', 'rwuv', 'fbrh']);
  });

  it('jumps by type-ahead, cycling through platforms of the same initial, and resets the typed text after a pause', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    // The asynchronous list has two platforms starting with Q.
    const { user } = renderPicker({ searchable: false, platformList: 'async' });
    await user.tab();
    await user.keyboard('x');
    expect(radio(/Xero/)).toHaveFocus();
    await user.keyboard('q');
    expect(radio(/Xero/)).toHaveFocus();
    act(() => vi.advanceTimersByTime(600));
    await user.keyboard('q');
    expect(radio(/QuickBooks Online/)).toHaveFocus();
    act(() => vi.advanceTimersByTime(600));
    await user.keyboard('q');
    expect(radio(/QuickBooks Desktop/)).toHaveFocus();
    await user.keyboard('uickbooks o');
    expect(radio(/QuickBooks Online/)).toHaveFocus();
  });

  it('returns Tab focus to the selected tile', async () => {
    const { user } = renderPicker({ defaultValue: 'knfz', searchable: false });
    await user.tab();
    expect(radio(/Sage/)).toHaveFocus();
    expect(checked()).toEqual(['SISage Intacct']);
  });

  it('follows a controlled value and does not change it on its own', async () => {
    const onValueChange = vi.fn();
    function Controlled() {
      const [value, setValue] = useState<string | null>('qhyg');
      return (
        <>
          <PlatformPicker value={value} onValueChange={onValueChange} />
          <button type="button" onClick={() => setValue('gbol')}>
            pick xero
          </button>
        </>
      );
    }
    const user = userEvent.setup();
    render(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <Controlled />
      </CodatProvider>,
    );
    expect(checked()).toEqual(['QBQuickBooks Online']);
    await user.click(radio(/Sage/));
    expect(onValueChange).toHaveBeenCalledWith('knfz', expect.anything());
    expect(checked()).toEqual(['QBQuickBooks Online']);
    await user.click(screen.getByRole('button', { name: 'pick xero' }));
    expect(checked()).toEqual(['XXero']);
  });

  it('filters with the search field and announces the count politely', async () => {
    const { user } = renderPicker();
    const search = screen.getByRole('searchbox', { name: 'Search accounting software' });
    expect(screen.getByRole('status')).toHaveTextContent('6 platforms');
    await user.type(search, 'books');
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual(['QBQuickBooks Online', 'ZBZoho Books']);
    expect(screen.getByRole('status')).toHaveTextContent('2 platforms');
    await user.clear(search);
    await user.type(search, 'xero');
    expect(screen.getByRole('status')).toHaveTextContent('1 platform');
  });

  it('shows an empty state when nothing matches', async () => {
    const { user, container } = renderPicker();
    await user.type(screen.getByRole('searchbox'), 'zzz');
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(screen.getByText('No accounting software matches “zzz”.')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('0 platforms');
    await expectNoAxeViolations(container);
  });

  it('shows a busy skeleton while the integrations load', async () => {
    const { container } = renderPicker({ source: 'integrations' }, { faults: { listIntegrations: { kind: 'hang' } } });
    expect(container.firstChild).toHaveAttribute('data-status', 'loading');
    expect(screen.getByRole('group', { name: 'Loading accounting software' })).toHaveAttribute('aria-busy', 'true');
    await expectNoAxeViolations(container);
  });

  it('shows the error with a retry that loads the list, keeping the built-in tiles usable meanwhile', async () => {
    const { user, sandbox, container } = renderPicker({ source: 'integrations' }, { faults: { listIntegrations: { kind: 'status', status: 500 } } });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong');
    expect(screen.getAllByRole('radio')).toHaveLength(6);
    await expectNoAxeViolations(container);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(sandbox.requests.filter((r) => r.operation === 'listIntegrations')).toHaveLength(2);
  });

  it('offers no Try again when the list read is refused for good, says what to do instead and keeps the tiles usable', async () => {
    const { sandbox, container } = renderPicker({ source: 'integrations' }, { faults: { listIntegrations: { kind: 'status', status: 403, message: 'Forbidden.' } } });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveAttribute('data-code', 'http');
    expect(alert.querySelector('p')).toHaveTextContent('We could not complete this request. Contact support if you need help.');
    expect(within(alert).queryByRole('button')).toBeNull();
    expect(alert.querySelector('details')).toHaveTextContent('HTTP status: 403');
    expect(screen.getAllByRole('radio')).toHaveLength(6);
    expect(sandbox.requests.filter((r) => r.operation === 'listIntegrations')).toHaveLength(1);
    await expectNoAxeViolations(container);
  });

  it('applies className last, classNames per part, and drops kit classes when unstyled', () => {
    const { container, rerender } = renderPicker({ className: 'mine', classNames: { tile: 'tile-x', grid: 'grid-x' } });
    expect(container.firstElementChild?.className).toBe('bpc-picker mine');
    expect(radio(/Xero/).className).toBe('bpc-picker__tile tile-x');
    expect(screen.getByRole('radiogroup').className).toBe('bpc-picker__grid grid-x');
    rerender(
      <CodatProvider fetcher={createSandbox().fetcher}>
        <PlatformPicker unstyled className="mine" />
      </CodatProvider>,
    );
    expect(container.firstElementChild?.className).toBe('mine');
    expect(radio(/Xero/).getAttribute('class')).toBeNull();
    expect(radio(/Xero/)).toHaveAttribute('role', 'radio');
  });

  it('uses overridden messages', () => {
    renderPicker({ messages: { pickerLabel: 'Logiciel comptable', pickerCount: (n) => `${n} logiciels` } });
    expect(screen.getByRole('radiogroup', { name: 'Logiciel comptable' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('6 logiciels');
  });

  it('submits the selected key with a form through a hidden input', async () => {
    const { user, container } = renderPicker({ name: 'platform' });
    await user.click(radio(/Sage/));
    expect(container.querySelector('input[type="hidden"][name="platform"]')).toHaveValue('knfz');
  });

  it('ignores clicks and keys when disabled', async () => {
    const onValueChange = vi.fn();
    const { user } = renderPicker({ disabled: true, onValueChange });
    await user.click(radio(/Xero/));
    expect(onValueChange).not.toHaveBeenCalled();
    expect(screen.getByRole('radiogroup')).toHaveAttribute('aria-disabled', 'true');
  });
});

describe('PlatformPicker logos', () => {
  /** The logo image of a tile, if it has one (decorative: alt="", so not an img role). */
  const logo = (name: RegExp) => radio(name).querySelector('img');
  const mark = (name: RegExp) => radio(name).querySelector('[data-platform]') as HTMLElement;

  function renderOnProxy(props: PlatformPickerProps = {}, provider: Partial<Parameters<typeof CodatProvider>[0]> = {}) {
    const fetchStub = vi.fn();
    vi.stubGlobal('fetch', fetchStub);
    const view = render(
      <CodatProvider baseUrl="/backend/codat" {...provider}>
        <PlatformPicker {...props} />
      </CodatProvider>,
    );
    return { ...view, fetchStub };
  }

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('shows each platform’s logo from the proxy on the host’s origin over its monogram, once the image has loaded', async () => {
    const { fetchStub, container } = renderOnProxy();
    const image = logo(/Xero/) as HTMLImageElement;
    expect(image.getAttribute('src')).toBe('/backend/codat/integrations/gbol/logo');
    expect(image).toHaveAttribute('alt', '');
    expect(image).toHaveAttribute('decoding', 'async');
    expect(image).toHaveAttribute('loading', 'lazy');
    expect([image.getAttribute('width'), image.getAttribute('height')]).toEqual(['40', '40']);
    // Until it loads, the monogram shows and the image waits, invisible, in the same box.
    expect(mark(/Xero/)).toHaveAttribute('data-logo', 'loading');
    expect(mark(/Xero/)).toHaveTextContent('X');
    expect(image).not.toHaveAttribute('data-loaded');

    fireEvent.load(image);

    expect(mark(/Xero/)).toHaveAttribute('data-logo', 'loaded');
    expect(image).toHaveAttribute('data-loaded', '');
    expect(mark(/Xero/).textContent).toBe('');
    expect(radio(/Xero/)).toHaveAccessibleName('Xero');
    expect(mark(/Sage/)).toHaveTextContent('SI');
    // Naming the URL is not a request: the image is the browser's to load.
    expect(fetchStub).not.toHaveBeenCalled();
    await expectNoAxeViolations(container);
  });

  it('keeps the monogram and drops the image, leaving no broken-image icon, when the logo fails to load', () => {
    renderOnProxy();
    fireEvent.error(logo(/Xero/) as HTMLImageElement);
    expect(logo(/Xero/)).toBeNull();
    expect(mark(/Xero/)).not.toHaveAttribute('data-logo');
    expect(mark(/Xero/)).toHaveTextContent('X');
  });

  it('treats a server-rendered logo that loaded, or failed, before hydration as settled', () => {
    vi.spyOn(HTMLImageElement.prototype, 'complete', 'get').mockReturnValue(true);
    const width = vi.spyOn(HTMLImageElement.prototype, 'naturalWidth', 'get').mockReturnValue(40);
    const { unmount } = renderOnProxy();
    expect(mark(/Xero/)).toHaveAttribute('data-logo', 'loaded');
    unmount();
    width.mockReturnValue(0);
    renderOnProxy();
    expect(logo(/Xero/)).toBeNull();
    expect(mark(/Xero/)).toHaveTextContent('X');
  });

  it('shows monograms only with a custom fetcher such as the sandbox, unless showLogos asks for logos', () => {
    const { unmount } = renderPicker();
    expect(screen.getByRole('radiogroup').querySelectorAll('img')).toHaveLength(0);
    unmount();
    renderPicker({ showLogos: true });
    expect(logo(/Xero/)?.getAttribute('src')).toBe('/api/codat/integrations/gbol/logo');
  });

  it('shows no logos on the proxy when showLogos is false or the client’s logos option is off', () => {
    const { unmount } = renderOnProxy({ showLogos: false });
    expect(screen.getByRole('radiogroup').querySelectorAll('img')).toHaveLength(0);
    unmount();
    renderOnProxy({}, { clientOptions: { logos: false } });
    expect(screen.getByRole('radiogroup').querySelectorAll('img')).toHaveLength(0);
  });

  it('never puts the integrations’ remote logoUrl in an image: it asks the proxy for the logo instead', async () => {
    renderPicker({ source: 'integrations', showLogos: true });
    await waitFor(() => expect(logo(/Xero/)).not.toBeNull());
    const sources = [...screen.getByRole('radiogroup').querySelectorAll('img')].map((img) => img.getAttribute('src'));
    expect(sources).toContain('/api/codat/integrations/gbol/logo');
    for (const src of sources) expect(src).toMatch(/^\/api\/codat\/integrations\/[a-z]{4}\/logo$/);
  });
});
