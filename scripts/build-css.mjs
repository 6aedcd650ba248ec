// Bundles src/styles into dist/styles.css: tokens.css first, then every other file alphabetically,
// minified with Lightning CSS (the CSS engine Vite already uses). No targets are set, so modern
// syntax such as light-dark() and @layer is kept as written.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'lightningcss';

const dir = 'src/styles';
const files = ['tokens.css', ...readdirSync(dir).filter((f) => f.endsWith('.css') && f !== 'tokens.css').sort()];
const source = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
const { code, warnings } = transform({ filename: 'styles.css', code: Buffer.from(source), minify: true });
for (const w of warnings) console.warn(`build-css: ${w.message}`);
mkdirSync('dist', { recursive: true });
writeFileSync('dist/styles.css', code);
console.log(`build-css: dist/styles.css ${code.length} bytes from ${files.length} files`);
