// `npm run dev`: the kit's local Codat sandbox server and `next dev` together, no Codat account needed.
// The Route Handler's upstream (CODAT_BASE_URL) is the sandbox, the Redirect URL is this app's return page.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { linkRedirectUrl } from 'billpay-connect/server';
import { startSandboxServer } from 'billpay-connect/sandbox-server';

const port = Number(process.env.PORT ?? 3000);
const apiKey = 'c2FuZGJveC1rZXk=';
// With its own platform logos, which the Route Handler serves again from this app's origin (CODAT_LOGO_HOSTS).
const codat = await startSandboxServer({ apiKey, logos: true, redirectUrl: linkRedirectUrl(`http://localhost:${port}/codat/return`) });
console.log(`Codat sandbox: ${codat.url}   (the Route Handler's upstream; Link pages live here)`);

const next = spawn(process.execPath, [createRequire(import.meta.url).resolve('next/dist/bin/next'), 'dev', '-p', String(port)], {
  stdio: 'inherit',
  env: { ...process.env, CODAT_API_KEY: apiKey, CODAT_BASE_URL: codat.url, CODAT_LOGO_HOSTS: new URL(codat.url).host, NEXT_TELEMETRY_DISABLED: '1' },
});
const stop = () => next.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
next.on('exit', async (code) => {
  await codat.close();
  process.exit(code ?? 0);
});
