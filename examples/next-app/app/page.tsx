import { cookies } from 'next/headers';
import Link from 'next/link';
import { usesLocalSandbox } from '../lib/codat-env';
import { companiesOf, SESSION_COOKIE } from '../lib/sessions';
import { Onboarding } from './onboarding';

/** Settings page of the host app: a Server Component that hands the session's company to the kit's client island. */
export default async function Home() {
  const sessionId = (await cookies()).get(SESSION_COOKIE)?.value;
  const companyId = companiesOf(sessionId).at(-1);
  return (
    <main className="page">
      <h1>Connect your accounting software</h1>
      <p>Acme Payables pays your bills from the accounts you already keep.</p>
      <Onboarding companyId={companyId} allowInsecureLoopback={usesLocalSandbox()} />
      <p>
        <Link href="/platforms">Which accounting software can I use?</Link>
      </p>
    </main>
  );
}
