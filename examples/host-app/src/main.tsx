import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CodatProvider, ConfigureCustomer, type LaunchMode } from 'billpay-connect';
import 'billpay-connect/styles.css';
import './app.css';

const params = new URLSearchParams(window.location.search);
const launch: LaunchMode = params.get('mode') === 'redirect' ? 'redirect' : 'popup';
const popupFallback = params.get('fallback') === 'redirect' ? 'redirect' : 'error';
const storageKey = 'acme-codat-company';

function App() {
  const [companyId, setCompanyId] = useState(() => window.sessionStorage.getItem(storageKey) ?? undefined);
  // How many times the app heard "connected" (the tests read it: once per connection, popup or same tab).
  const [connected, setConnected] = useState(0);
  const onConnected = () => setConnected((n) => n + 1);
  // This page is also the Redirect URL set in the Codat Portal: the provider handles the return. In the kit's
  // popup it renders only a short status and closes the window; in this tab ConfigureCustomer picks the flow
  // up again (onConnected, the success step, or the reason it did not connect). No other code is needed.
  return (
    <CodatProvider baseUrl="/api/codat" companyId={companyId} linkUrlPolicy={{ allowInsecureLoopback: true }}>
      <main data-connected={connected}>
        <h1>Connect your accounting software</h1>
        <p>Acme Payables pays your bills from the accounts you already keep.</p>
        <ConfigureCustomer
          companyName="Acme Plumbing Ltd"
          launch={launch}
          popupFallback={popupFallback}
          onConnected={onConnected}
          onCompanyCreated={(company) => {
            window.sessionStorage.setItem(storageKey, company.id);
            setCompanyId(company.id);
          }}
        />
      </main>
    </CodatProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
