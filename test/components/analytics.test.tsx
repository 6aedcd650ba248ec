import { act, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodatProvider, PlatformPicker, type BillPayEvent } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function renderWithEvents(outer?: (event: BillPayEvent) => void) {
  const sandbox = createSandbox();
  const events: BillPayEvent[] = [];
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime.bind(vi) });
  render(
    <CodatProvider fetcher={sandbox.fetcher} onEvent={outer}>
      <CodatProvider onEvent={(event) => events.push(event)}>
        <PlatformPicker />
      </CodatProvider>
    </CodatProvider>,
  );
  return { events, user };
}

describe('analytics events from the platform picker', () => {
  it('reports each platform the user selects once, with its key and time, to this provider and the enclosing one', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, now: new Date('2026-12-01T12:00:00Z') });
    const outer = vi.fn();
    const { events, user } = renderWithEvents(outer);
    // Selecting the platform already chosen is not a new selection.
    await user.click(screen.getByRole('radio', { name: /Xero/ }));
    await user.click(screen.getByRole('radio', { name: /Xero/ }));
    await user.click(screen.getByRole('radio', { name: /Zoho Books/ }));
    expect(events.map((e) => ({ type: e.type, platformKey: 'platformKey' in e ? e.platformKey : undefined }))).toEqual([
      { type: 'platform-selected', platformKey: 'gbol' },
      { type: 'platform-selected', platformKey: 'rwuv' },
    ]);
    expect(events[0]?.at).toBeGreaterThanOrEqual(Date.parse('2026-12-01T12:00:00Z'));
    expect(events[0]?.at).toBeLessThan(Date.parse('2026-12-01T12:01:00Z'));
    expect(outer.mock.calls.map(([event]) => (event as BillPayEvent).type)).toEqual(['platform-selected', 'platform-selected']);
  });

  it('reports a search once typing has settled, with the query and how many platforms match', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { events, user } = renderWithEvents();
    await user.type(screen.getByRole('searchbox'), 'bo');
    await user.type(screen.getByRole('searchbox'), 'oks');
    expect(events).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(600));
    expect(events).toEqual([{ type: 'searched', query: 'books', resultCount: 2, at: expect.any(Number) }]);
    await user.clear(screen.getByRole('searchbox'));
    await act(() => vi.advanceTimersByTimeAsync(600));
    expect(events).toHaveLength(1);
  });
});
