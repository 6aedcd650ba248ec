import { cookies } from 'next/headers';
import Link from 'next/link';
import { companiesOf, SESSION_COOKIE } from '../../../lib/sessions';
import { ReturnStatus } from './return-status';

/**
 * Where Codat's Link flow sends the browser back: the Redirect URL set in the Codat Portal is this page's URL
 * with the kit's placeholders, `linkRedirectUrl('https://your.app/codat/return')` from billpay-connect/server.
 */
export default async function LinkReturnPage() {
  const sessionId = (await cookies()).get(SESSION_COOKIE)?.value;
  return (
    <main className="page">
      <h1>Accounting software</h1>
      <ReturnStatus companyId={companiesOf(sessionId).at(-1)} />
      <p>
        <Link href="/">Back to settings</Link>
      </p>
    </main>
  );
}
