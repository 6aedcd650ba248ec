import { Profiler, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { CodatProvider, ConnectButton, PlatformPicker } from '../src/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import '../src/styles/tokens.css';
import '../src/styles/platform-picker.css';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const until = async (check: () => boolean, ms = 10_000) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

function mount(node: React.ReactNode): { root: Root; host: HTMLElement } {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  root.render(<StrictMode>{node}</StrictMode>);
  return { root, host };
}

/** 1,000 platforms from a fake integrations endpoint; 6 keystrokes in the search field; renders per selection. */
async function pickerBench(rounds: number) {
  const keys = Array.from({ length: 1000 }, (_, i) => {
    const a = 'abcdefghijklmnopqrstuvwxyz';
    return `${a[Math.floor(i / 676) % 26]}${a[Math.floor(i / 26) % 26]}${a[i % 26]}z`;
  });
  const integrations = keys.map((key, i) => ({ key, name: `Ledger ${i} ${key.toUpperCase()} Accounting`, enabled: true }));
  const fetcher = async () =>
    new Response(JSON.stringify({ results: integrations, pageNumber: 1, pageSize: 1000, totalResults: 1000, _links: {} }), {
      headers: { 'Content-Type': 'application/json' },
    });
  let commits = 0;
  const { root, host } = mount(
    <CodatProvider fetcher={fetcher} clientOptions={{ platformKeys: keys }}>
      <Profiler id="picker" onRender={() => (commits += 1)}>
        <PlatformPicker source="integrations" platformKeys={keys} />
      </Profiler>
    </CodatProvider>,
  );
  await until(() => host.querySelectorAll('[role="radio"]').length === 1000);
  const input = host.querySelector('input[type="search"]') as HTMLInputElement;
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  const keystrokes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let text = '';
    for (const ch of 'ledger') {
      text += ch;
      const start = performance.now();
      setValue?.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      keystrokes.push(performance.now() - start);
      await nextFrame();
    }
    setValue?.call(input, '');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await nextFrame();
  }
  const tiles = host.querySelectorAll<HTMLElement>('[role="radio"]');
  const rendersPerSelection: number[] = [];
  for (let i = 0; i < 20; i++) {
    await nextFrame();
    const before = commits;
    tiles[i * 7]?.click();
    await nextFrame();
    rendersPerSelection.push(commits - before);
  }
  root.unmount();
  host.remove();
  return {
    platforms: 1000,
    keystrokes: keystrokes.length,
    medianMsPerKeystroke: Number(median(keystrokes).toFixed(2)),
    p95MsPerKeystroke: Number([...keystrokes].sort((a, b) => a - b)[Math.floor(keystrokes.length * 0.95)]?.toFixed(2)),
    rendersPerSelection: median(rendersPerSelection),
  };
}

/** Click Connect -> linkUrl handed to the launch callback, on a sandbox with fixed latency. */
async function connectBench(latency: number, newCustomer: boolean, rounds: number) {
  const times: number[] = [];
  let roundTrips = 0;
  for (let r = 0; r < rounds; r++) {
    const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';
    const sandbox = createSandbox({ latency, seed: { companies: [{ id: companyId, name: 'Bench' }] } });
    let launchedAt = 0;
    const { root, host } = mount(
      <CodatProvider fetcher={sandbox.fetcher}>
        <ConnectButton
          platformKey="qhyg"
          {...(newCustomer ? { companyName: 'Bench New Co' } : { companyId })}
          launch={() => {
            launchedAt = performance.now();
          }}
        />
      </CodatProvider>,
    );
    await nextFrame();
    const start = performance.now();
    host.querySelector('button')?.click();
    await until(() => launchedAt > 0);
    times.push(launchedAt - start);
    roundTrips = sandbox.requests.length;
    root.unmount();
    host.remove();
  }
  const ms = median(times);
  return { customer: newCustomer ? 'new' : 'existing', latencyMs: latency, roundTrips, medianMsToLinkUrl: Number(ms.toFixed(1)), roundTripsByTime: Number((ms / latency).toFixed(2)) };
}

Object.assign(window, {
  runBench: async () => ({
    picker: await pickerBench(5),
    connect: [await connectBench(100, true, 5), await connectBench(100, false, 5)],
  }),
});
document.title = 'bench ready';
