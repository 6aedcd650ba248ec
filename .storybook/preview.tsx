import type { Decorator, Preview } from '@storybook/react-vite';
import { useEffect, useMemo } from 'react';
import { CodatProvider } from '../src/index.js';
import { createSandbox, type SandboxFault } from '../src/sandbox/index.js';
import '../src/styles/tokens.css';
import '../src/styles/error.css';
import '../src/styles/platform-picker.css';
import '../src/styles/connect-button.css';
import '../src/styles/connection-manager.css';
import '../src/styles/unlink-dialog.css';
import '../src/styles/configure-customer.css';
import '../src/styles/connect-dialog.css';
import './preview.css';
import { installLinkSimulator, LinkSimulatorPanel } from './link-simulator.js';
import { setStorySandbox, type StorySandboxParameters } from './story-sandbox.js';

/** Toolbar faults: each one fails the next request (any operation) in that way. */
const faults: Record<string, SandboxFault | undefined> = {
  none: undefined,
  network: { kind: 'network' },
  'http-500': { kind: 'status', status: 500, message: 'Codat had an internal error.' },
  'http-404': { kind: 'status', status: 404, message: 'Company not found.' },
  'rate-limited': { kind: 'rate-limit', retryAfter: 45 },
  'http-503': { kind: 'status', status: 503, message: 'Service unavailable.', retryAfter: 60 },
  malformed: { kind: 'malformed' },
  // The next request never answers; the provider below times out after 3 s instead of 30.
  timeout: { kind: 'hang' },
};

const WithSandbox: Decorator = (Story, context) => {
  const params = (context.parameters.sandbox ?? {}) as StorySandboxParameters;
  const latency = Number(context.globals.latency ?? 0);
  const fault = String(context.globals.fault ?? 'none');
  const theme = String(context.globals.theme ?? 'light');
  const { companyId, ...sandboxOptions } = params;
  const setup = useMemo(() => {
    const sandbox = createSandbox({
      latency: params.latency ?? latency,
      ...sandboxOptions,
      // A linkUrl with a script scheme, which the kit must refuse to open.
      ...(fault === 'unsafe-link-url' ? { linkBaseUrl: 'javascript:alert(document.domain)//' } : {}),
    });
    const injected = faults[fault];
    if (injected) sandbox.fail('*', injected);
    const simulator = installLinkSimulator(sandbox, { blocked: fault === 'popup-blocked' });
    setStorySandbox(sandbox, simulator);
    return { sandbox, simulator };
    // One sandbox per story and toolbar setting.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [context.id, latency, fault]);
  useEffect(() => () => setup.simulator.uninstall(), [setup]);
  return (
    <div className={theme === 'brand' ? 'sb-frame sb-brand' : 'sb-frame'} data-theme={theme === 'dark' ? 'dark' : 'light'}>
      <CodatProvider
        key={`${context.id}:${fault}`}
        fetcher={setup.sandbox.fetcher}
        companyId={companyId}
        clientOptions={fault === 'timeout' ? { timeoutMs: 3000, retry: false } : undefined}
      >
        <Story />
      </CodatProvider>
      <LinkSimulatorPanel simulator={setup.simulator} />
    </div>
  );
};

const preview: Preview = {
  decorators: [WithSandbox],
  tags: ['autodocs'],
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
    a11y: { test: 'error' },
  },
  initialGlobals: { latency: '0', fault: 'none', theme: 'light' },
  globalTypes: {
    latency: {
      description: 'Sandbox latency per request',
      toolbar: { title: 'Latency', icon: 'timer', items: ['0', '300', '1500'].map((v) => ({ value: v, title: `${v} ms` })), dynamicTitle: true },
    },
    fault: {
      description: 'Fail the next request',
      toolbar: {
        title: 'Fault',
        icon: 'alert',
        items: ['none', 'network', 'timeout', 'http-500', 'http-404', 'rate-limited', 'http-503', 'malformed', 'popup-blocked', 'unsafe-link-url'].map(
          (v) => ({ value: v, title: v }),
        ),
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'Theme tokens',
      toolbar: { title: 'Theme', icon: 'paintbrush', items: ['light', 'dark', 'brand'].map((v) => ({ value: v, title: v })), dynamicTitle: true },
    },
  },
};

export default preview;
