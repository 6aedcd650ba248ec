// Installs React 18 for the react18 test project (test/react18, its own lockfile) when missing.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

if (!existsSync('test/react18/node_modules/react-dom/package.json')) {
  console.log('billpay-connect: installing React 18 for the compatibility tests (test/react18)…');
  execFileSync('npm', ['ci', '--prefix', 'test/react18', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}
