// Installs this fixture the way a user installs the kit: its own lockfile (`npm ci`), then billpay-connect from
// the freshly packed tarball (`npm install --no-save <tgz>`), never a link to the source. Needs dist/ (`npm run
// build`). Skips `npm ci` while package-lock.json is unchanged and the reinstall while the tarball's sha-256 is
// unchanged, with the same stamp file as scripts/ensure-hosts.mjs, so either can install this directory.
// Usage: `node test/hosts/stacks/install.mjs`, or `await installStacks()` from a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installKit, packKit } from '../../../scripts/install-kit.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Makes node_modules match the lockfile plus the kit packed from dist/ now; returns what it did. */
export function installStacks() {
  const packDir = mkdtempSync(join(tmpdir(), 'bpc-pack-'));
  try {
    return installKit(here, packKit(root, packDir), 'node_modules/vite/package.json');
  } catch (error) {
    throw new Error(`test/hosts/stacks: ${error.message}`);
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const actions = installStacks();
  console.log(`test/hosts/stacks: ${actions.join(', ') || 'up to date'} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
