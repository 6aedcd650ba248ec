import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  CodatProvider,
  ConfigureCustomer,
  ConnectButton,
  ConnectDialog,
  ConnectionManager,
  PlatformPicker,
  UnlinkDialog,
  useUnlink,
} from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';

const companyId = '8a210b68-6988-11ed-a1eb-0242ac120002';

function Dialog() {
  const unlink = useUnlink({ companyId, connectionId: 'c1' });
  return <UnlinkDialog unlink={unlink} platformName="Xero" trigger={<button type="button">Unlink</button>} />;
}

const render = (node: React.ReactNode) =>
  renderToString(
    <CodatProvider fetcher={createSandbox().fetcher} companyId={companyId}>
      {node}
    </CodatProvider>,
  );

describe('server rendering', () => {
  it('runs in Node without window or document', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it.each([
    ['PlatformPicker', <PlatformPicker key="p" />, 'QuickBooks Online'],
    ['ConnectButton', <ConnectButton key="b" platformKey="gbol" />, 'Connect Xero'],
    ['ConnectionManager', <ConnectionManager key="m" />, 'Connected accounting software'],
    ['ConfigureCustomer', <ConfigureCustomer key="c" />, 'role="radiogroup"'],
    ['UnlinkDialog', <Dialog key="d" />, 'Unlink'],
    ['ConfigureCustomer with its intro', <ConfigureCustomer key="i" intro={{ appName: 'Acme Pay' }} />, 'Acme Pay wants to connect'],
    ['ConnectDialog (closed)', <ConnectDialog key="x" trigger={<button type="button">Connect accounting software</button>} />, 'Connect accounting software'],
  ])('renders %s to a string', (_name, node, expected) => {
    const html = render(node);
    expect(html).toContain(expected);
    expect(html).not.toContain('style=');
  });
});
