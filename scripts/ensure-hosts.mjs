// Installs the runnable host examples the way a user installs the kit: each example's own lockfile
// (`npm ci`), then the kit from the freshly packed tarball (`npm install --no-save <tgz>`), never a link to the
// source. Builds nothing: run it after `npm run build` (`npm test` does). Re-runs skip `npm ci` while the
// example's lockfile is unchanged and the reinstall while the tarball's sha-256 is unchanged.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installKit, packKit } from './install-kit.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// The examples, and the host-stack fixture the CSS tests build (test/hosts/stacks).
const examples = ['examples/next-app', 'examples/express-backend', 'test/hosts/stacks'];
const packDir = join(root, '.pack');
const started = performance.now();

let packed;
try {
  packed = packKit(root, packDir);
} catch (error) {
  console.error(`ensure-hosts: ${error.message}`);
  process.exit(1);
}

for (const example of examples) {
  const actions = installKit(join(root, example), packed);
  console.log(`ensure-hosts: ${example}: ${actions.join(', ') || 'up to date'}`);
}
console.log(`ensure-hosts: kit sha-256 ${packed.kit.slice(0, 12)}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
