'use client';

import { CodatProvider, useLinkReturn } from 'billpay-connect';
import 'billpay-connect/styles.css';

function Outcome() {
  const result = useLinkReturn();
  if (result.status === 'linked') return <p role="status">{result.connection.platformName} is connected.</p>;
  if (result.status === 'failed' || result.status === 'error') return <p role="alert">{result.error.message}</p>;
  if (result.status === 'checking' || result.status === 'pending') return <p role="status">Checking the connection…</p>;
  return null;
}

/**
 * The Link return page's island. The provider handles Codat's return by itself: in the kit's Link popup it
 * renders only a short status, reports to the opener and closes the window; in a tab it confirms the
 * connection, which `useLinkReturn` shows.
 */
export function ReturnStatus({ companyId }: { companyId: string | undefined }) {
  return (
    <CodatProvider baseUrl="/api/codat" companyId={companyId}>
      <Outcome />
    </CodatProvider>
  );
}
