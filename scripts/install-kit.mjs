// Installs billpay-connect into a folder the way a user installs it: the folder's own lockfile (`npm ci`), then
// the kit from a freshly packed tarball (`npm install --no-save <tgz>`), never a link to the source. A stamp in
// node_modules remembers both, so a re-run skips `npm ci` while the lockfile is unchanged and the reinstall while
// the tarball's sha-256 is unchanged. Used by scripts/ensure-hosts.mjs and test/hosts/stacks/install.mjs.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

/**
 * Packs the kit at `root` (its dist/ must be built) into `destination`, emptied first: the tarball's path, file name
 * and sha-256. Throws before touching `destination` when there is no dist/.
 */
export function packKit(root, destination) {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('no dist/ to pack; run `npm run build` first.');
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const [packed] = JSON.parse(npm(['pack', '--pack-destination', destination, '--json', '--ignore-scripts', '--silent'], root));
  const tarball = join(destination, packed.filename);
  return { tarball, filename: packed.filename, kit: sha256(tarball) };
}

/**
 * Makes `dir`'s node_modules match its lockfile plus the packed kit; returns what it did. `installed` is a path in
 * `dir` whose absence means the lockfile's packages are not there (a fresh `npm ci` is needed).
 */
export function installKit(dir, { tarball, filename, kit }, installed = 'node_modules') {
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
  if (stamp.lock !== lock || !existsSync(join(dir, installed))) {
    npm(['ci', '--no-audit', '--no-fund'], dir);
    stamp = { lock };
    actions.push('npm ci');
  }
  if (stamp.kit !== kit || !existsSync(join(dir, 'node_modules/billpay-connect/package.json'))) {
    npm(['install', '--no-save', '--no-audit', '--no-fund', tarball], dir);
    stamp.kit = kit;
    actions.push(`installed ${filename}`);
  }
  writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
  return actions;
}
