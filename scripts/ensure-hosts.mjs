// Installs the runnable host examples the way a user installs the kit: each example's own lockfile
// (`npm ci`), then the kit from the freshly packed tarball (`npm install --no-save <tgz>`), never a link to the
// source. Builds nothing: run it after `npm run build` (`npm test` does). Re-runs skip `npm ci` while the
// example's lockfile is unchanged and the reinstall while the tarball's sha-256 is unchanged.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// The examples, and the host-stack fixture the CSS tests build (test/hosts/stacks).
const examples = ['examples/next-app', 'examples/express-backend', 'test/hosts/stacks'];
const packDir = join(root, '.pack');
const started = performance.now();

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('ensure-hosts: no dist/ to pack; run `npm run build` first.');
  process.exit(1);
}

rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir, { recursive: true });
const [packed] = JSON.parse(npm(['pack', '--pack-destination', packDir, '--json', '--ignore-scripts', '--silent'], root));
const tarball = join(packDir, packed.filename);
const kit = sha256(tarball);

for (const example of examples) {
  const dir = join(root, example);
  // The stamp lives in node_modules, so deleting node_modules also forgets what was installed.
  const stampFile = join(dir, 'node_modules/.billpay-connect-stamp.json');
  const lock = sha256(join(dir, 'package-lock.json'));
  let stamp = {};
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    // No stamp: a fresh install below.
  }
  const actions = [];
  if (stamp.lock !== lock || !existsSync(join(dir, 'node_modules'))) {
    npm(['ci', '--no-audit', '--no-fund'], dir);
    stamp = { lock };
    actions.push('npm ci');
  }
  if (stamp.kit !== kit || !existsSync(join(dir, 'node_modules/billpay-connect/package.json'))) {
    npm(['install', '--no-save', '--no-audit', '--no-fund', tarball], dir);
    stamp.kit = kit;
    actions.push(`installed ${packed.filename}`);
  }
  writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
  console.log(`ensure-hosts: ${example}: ${actions.join(', ') || 'up to date'}`);
}
console.log(`ensure-hosts: kit sha-256 ${kit.slice(0, 12)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
