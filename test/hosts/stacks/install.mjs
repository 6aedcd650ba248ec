// Installs this fixture the way a user installs the kit: its own lockfile (`npm ci`), then billpay-connect from
// the freshly packed tarball (`npm install --no-save <tgz>`), never a link to the source. Needs dist/ (`npm run
// build`). Skips `npm ci` while package-lock.json is unchanged and the reinstall while the tarball's sha-256 is
// unchanged, with the same stamp file as scripts/ensure-hosts.mjs, so either can install this directory.
// Usage: `node test/hosts/stacks/install.mjs`, or `await installStacks()` from a test.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

/** Makes node_modules match the lockfile plus the kit packed from dist/ now; returns what it did. */
export function installStacks() {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('test/hosts/stacks: no dist/ to pack; run `npm run build` first.');
  const packDir = mkdtempSync(join(tmpdir(), 'bpc-pack-'));
  try {
    const [packed] = JSON.parse(npm(['pack', '--pack-destination', packDir, '--json', '--ignore-scripts', '--silent'], root));
    const tarball = join(packDir, packed.filename);
    const kit = sha256(tarball);
    const lock = sha256(join(here, 'package-lock.json'));
    const stampFile = join(here, 'node_modules/.billpay-connect-stamp.json');
    let stamp = {};
    try {
      stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
    } catch {
      // No stamp: a fresh install below.
    }
    const actions = [];
    if (stamp.lock !== lock || !existsSync(join(here, 'node_modules/vite/package.json'))) {
      npm(['ci', '--no-audit', '--no-fund'], here);
      stamp = { lock };
      actions.push('npm ci');
    }
    if (stamp.kit !== kit || !existsSync(join(here, 'node_modules/billpay-connect/package.json'))) {
      npm(['install', '--no-save', '--no-audit', '--no-fund', tarball], here);
      stamp.kit = kit;
      actions.push(`installed ${packed.filename}`);
    }
    writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
    return actions;
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const actions = installStacks();
  console.log(`test/hosts/stacks: ${actions.join(', ') || 'up to date'} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
