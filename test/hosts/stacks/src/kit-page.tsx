import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CodatProvider, ConfigureCustomer, ConnectButton, PlatformPicker, type ConnectButtonProps, type PlatformPickerProps } from 'billpay-connect';
import { createSandbox } from 'billpay-connect/sandbox';

/** The company the stories seed (stories/support.tsx), with the same Linked QuickBooks Online connection. */
const COMPANY_ID = '8a210b68-6988-11ed-a1eb-0242ac120002';

/** What a page passes to its kit: host classes on the standalone parts, and an explicit light wrapper. */
export interface KitPageOptions {
  picker?: Pick<PlatformPickerProps, 'className' | 'classNames'>;
  button?: Pick<ConnectButtonProps, 'className' | 'classNames'>;
  /** Also render a PlatformPicker inside `<div data-theme="light">`, the host's explicit choice. */
  explicitLight?: boolean;
}

function KitPage({ options }: { options: KitPageOptions }) {
  // The in-browser sandbox as the provider's fetcher, seeded like the ExistingCustomer story.
  const [sandbox] = useState(() =>
    createSandbox({
      seed: {
        companies: [
          {
            id: COMPANY_ID,
            name: 'Acme Plumbing Ltd',
            connections: [{ id: '2e9d2c44-f675-40ba-8049-353bfcb5e171', platformKey: 'qhyg', status: 'Linked', lastSync: '2026-11-20T09:30:00Z' }],
          },
        ],
      },
    }),
  );
  return (
    <CodatProvider fetcher={sandbox.fetcher} companyId={COMPANY_ID}>
      <section data-host-part="configure">
        <ConfigureCustomer />
      </section>
      <section data-host-part="intro">
        <ConfigureCustomer intro={{ appName: 'Acme Pay' }} />
      </section>
      <section data-host-part="standalone">
        <PlatformPicker {...options.picker} />
        <ConnectButton platformKey="gbol" {...options.button} />
      </section>
      {options.explicitLight ? (
        <div data-theme="light" data-host-part="explicit-light">
          <PlatformPicker />
        </div>
      ) : null}
    </CodatProvider>
  );
}

/** Mounts the kit page into `container`, under StrictMode as create-vite's main.tsx does. */
export function mountKit(container: Element, options: KitPageOptions = {}) {
  createRoot(container).render(
    <StrictMode>
      <KitPage options={options} />
    </StrictMode>,
  );
}
