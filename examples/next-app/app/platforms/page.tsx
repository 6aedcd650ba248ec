import Link from 'next/link';
import { BILL_PAY_PLATFORMS, isBillPayError, parseLinkReturn, validateCompanyInput } from 'billpay-connect/core';
// The same plain values come from the React entries too: only their hooks and components are client references.
import { billPayPlatforms } from 'billpay-connect';
import { BILL_PAY_SYNC_PLATFORMS } from 'billpay-connect/headless';

interface PlatformsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** What Codat would store for a company name, or why the kit refuses it. */
function checkName(name: string): string {
  try {
    return `Codat stores “${validateCompanyInput({ name }).name}”.`;
  } catch (error) {
    if (isBillPayError(error)) return error.message;
    throw error;
  }
}

/**
 * A Server Component using the kit's directive-free helpers from billpay-connect/core: the platform lists, the
 * company-name check, and a reading of Codat's redirect parameters (never proof of a connection by itself).
 */
export default async function PlatformsPage({ searchParams }: PlatformsPageProps) {
  const params = await searchParams;
  const name = typeof params.name === 'string' ? params.name : undefined;
  const query = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
  const linkReturn = parseLinkReturn(query.toString());
  return (
    <main className="page">
      <h1>Accounting software we support</h1>
      <section aria-labelledby="sync">
        <h2 id="sync">Bill Pay</h2>
        <ul>
          {BILL_PAY_PLATFORMS.map((platform) => (
            <li key={platform.key}>{platform.name}</li>
          ))}
        </ul>
        <p data-testid="same-list">
          {BILL_PAY_SYNC_PLATFORMS.map((p) => p.key).join() === BILL_PAY_PLATFORMS.map((p) => p.key).join()
            ? 'billpay-connect/headless lists the same platforms.'
            : 'The entries disagree.'}
        </p>
      </section>
      <section aria-labelledby="async">
        <h2 id="async">Bill Pay (asynchronous)</h2>
        <ul>
          {billPayPlatforms('async').map((platform) => (
            <li key={platform.key}>
              {platform.name}
              {platform.isOfflineConnector ? ' (desktop connector)' : ''}
            </li>
          ))}
        </ul>
      </section>
      {name !== undefined && (
        <section aria-labelledby="name-check">
          <h2 id="name-check">Company name</h2>
          <p data-testid="name-check">{checkName(name)}</p>
        </section>
      )}
      {linkReturn.status !== 'none' && (
        <section aria-labelledby="link-return">
          <h2 id="link-return">Codat&apos;s redirect</h2>
          <p data-testid="link-return">
            {linkReturn.status === 'invalid' ? `Ignored: ${linkReturn.reason}` : `${linkReturn.status}: ${linkReturn.outcome}`}
          </p>
        </section>
      )}
      <p>
        <Link href="/">Back to settings</Link>
      </p>
    </main>
  );
}
