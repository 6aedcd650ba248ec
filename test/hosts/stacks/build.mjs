// Builds the host pages with this fixture's own Vite (not the kit's), as a host's `vite build` would: one build
// per page (see vite.config.mjs), all into one directory.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The host pages: every *.html here, without the extension. */
export const pages = readdirSync(root)
  .filter((file) => file.endsWith('.html'))
  .map((file) => file.slice(0, -'.html'.length));

/** Builds every page into `outDir` (absolute). */
export async function buildStacks(outDir) {
  for (const [i, page] of pages.entries()) {
    process.env.HOST_PAGE = page;
    await build({ root, configFile: `${root}vite.config.mjs`, logLevel: 'warn', build: { outDir, emptyOutDir: i === 0 } });
  }
  delete process.env.HOST_PAGE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: node test/hosts/stacks/build.mjs <absolute outDir>');
  const started = performance.now();
  await buildStacks(outDir);
  console.log(`test/hosts/stacks: built ${pages.length} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
