import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CodatProvider, ConfigureCustomer, useLinkReturn, type Connection, type LaunchMode } from 'billpay-connect';
import 'billpay-connect/styles.css';
import './app.css';

const params = new URLSearchParams(window.location.search);
const launch: LaunchMode = params.get('mode') === 'redirect' ? 'redirect' : 'popup';
const popupFallback = params.get('fallback') === 'redirect' ? 'redirect' : 'error';
const storageKey = 'acme-codat-company';

/**
 * Shows what the provider read when Codat sent this tab back (same-tab mode). Display only: the provider reads
 * the return, re-reads the connection, closes the kit's popup and tidies the address bar; `useLinkReturn` here
 * reports the provider's reading rather than reading again.
 */
function ReturnBanner({ onConnected }: { onConnected: (connection: Connection) => void }) {
  const result = useLinkReturn({ onConnected });
  if (result.status === 'none' || result.status === 'checking') return null;
  const text =
    result.status === 'linked'
      ? `${result.connection.platformName} is connected.`
      : result.status === 'pending'
        ? 'We are still waiting for your accounting software to confirm.'
        : result.status === 'invalid'
          ? 'That link was not valid; nothing was changed.'
          : result.error.message;
  return (
    <p className="banner" role="status" data-status={result.status}>
      {text}
    </p>
  );
}

function App() {
  const [companyId, setCompanyId] = useState(() => window.sessionStorage.getItem(storageKey) ?? undefined);
  // How many times the app heard "connected" (the tests read it: once per connection, whichever part tells).
  const [connected, setConnected] = useState(0);
  const onConnected = () => setConnected((n) => n + 1);
  // On the page Codat redirects to, the provider handles the return: in the kit's popup it renders only a
  // short status and closes the window, so nothing below renders there.
  return (
    <CodatProvider baseUrl="/api/codat" companyId={companyId} linkUrlPolicy={{ allowInsecureLoopback: true }}>
      <main data-connected={connected}>
        <h1>Connect your accounting software</h1>
        <p>Acme Payables pays your bills from the accounts you already keep.</p>
        <ReturnBanner onConnected={onConnected} />
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
