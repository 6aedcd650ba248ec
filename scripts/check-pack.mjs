// Fails unless the packed tarball holds only dist/, docs/*.md, README, LICENSE, CHANGELOG and package.json.
import { execFileSync } from 'node:child_process';

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const allowed = /^(dist\/.+|docs\/[\w-]+\.md|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
const stray = pack.files.map((f) => f.path).filter((p) => !allowed.test(p));
const has = (p) => pack.files.some((f) => f.path === p);
const missing = ['README.md', 'LICENSE', 'CHANGELOG.md', 'dist/index.js', 'dist/styles.css', 'dist/types/index.d.ts', 'docs/components.md'].filter((p) => !has(p));
if (stray.length || missing.length) {
  console.error(`check-pack: unexpected files: ${stray.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}`);
  process.exit(1);
}
console.log(`check-pack: ${pack.files.length} files, ${(pack.size / 1024).toFixed(1)} KiB packed, only dist/docs/README/LICENSE/CHANGELOG`);
