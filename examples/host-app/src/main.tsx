import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CodatProvider, ConfigureCustomer, isLinkPopup, useLinkReturn, type LaunchMode } from 'billpay-connect';
import 'billpay-connect/styles.css';
import './app.css';

const params = new URLSearchParams(window.location.search);
const launch: LaunchMode = params.get('mode') === 'redirect' ? 'redirect' : 'popup';
const popupFallback = params.get('fallback') === 'redirect' ? 'redirect' : 'error';
const storageKey = 'acme-codat-company';

/** Shown in the Link popup after Codat redirects back: confirm, then the kit closes the window. */
function PopupReturn() {
  const result = useLinkReturn();
  return <p role="status">{result.status === 'linked' ? 'Connected. You can close this window.' : 'Finishing…'}</p>;
}

/** Tells the user what happened when Codat redirected this tab back. */
function ReturnBanner() {
  const result = useLinkReturn();
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
  const inPopup = isLinkPopup();
  return (
    <CodatProvider baseUrl="/api/codat" companyId={companyId} linkUrlPolicy={{ allowInsecureLoopback: true }}>
      {inPopup ? (
        <PopupReturn />
      ) : (
        <main>
          <h1>Connect your accounting software</h1>
          <p>Acme Payables pays your bills from the accounts you already keep.</p>
          <ReturnBanner />
          <ConfigureCustomer
            companyName="Acme Plumbing Ltd"
            launch={launch}
            popupFallback={popupFallback}
            onCompanyCreated={(company) => {
              window.sessionStorage.setItem(storageKey, company.id);
              setCompanyId(company.id);
            }}
          />
        </main>
      )}
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
