// Regenerates every visual reference in stories/__screenshots__/ from the current look: removes them all (so a
// renamed or deleted story leaves nothing behind), runs the Storybook project with --update (every story, light
// and dark, 1280 and 375 px), records the Chromium that drew them, then shrinks the PNGs losslessly with optipng
// (Debian's; same pixels, about half the bytes). Run through `npm run test:screenshots:update`, which then copies the
// README's pictures from the new references. Review the pictures (git diff) before committing them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const dir = 'stories/__screenshots__';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

rmSync(dir, { recursive: true, force: true });
const run = spawnSync('npx', ['vitest', 'run', '--project', 'storybook', '--update'], { stdio: 'inherit' });
if (run.status !== 0) {
  console.error('test:screenshots:update: a story failed (see above); its references were not written.');
  process.exit(run.status ?? 1);
}

const version = /\d+(\.\d+)+/.exec(execFileSync(chromium, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[0] ?? 'unknown';
writeFileSync(join(dir, 'chromium-version.txt'), `${version}\n`);

const pngs = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.png'))
  .map((f) => join(dir, f));

if (!existsSync('/usr/bin/optipng')) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'optipng'], { stdio: 'inherit', env });
  }
}
if (existsSync('/usr/bin/optipng')) {
  // Lossless: optipng rewrites the same pixels in fewer bytes (RGBA to RGB, better filters and deflate).
  const lanes = Math.max(1, availableParallelism());
  const batches = Array.from({ length: lanes }, (_, i) => pngs.filter((_, j) => j % lanes === i)).filter((b) => b.length);
  await Promise.all(
    batches.map(
      (batch) =>
        new Promise((resolve, reject) => {
          spawn('/usr/bin/optipng', ['-quiet', '-o2', ...batch], { stdio: 'inherit' }).on('exit', (code) =>
            code === 0 ? resolve(undefined) : reject(new Error(`optipng exited with ${code}`)),
          );
        }),
    ),
  );
} else {
  console.warn('test:screenshots:update: optipng not found (apt-get install optipng); the references are left as Vitest wrote them.');
}
console.log(`test:screenshots:update: ${pngs.length} references in ${dir}/, drawn by Chromium ${version}.`);
