// npm run bench:peers: installs the latest peer "connect" kits from npm into a temp dir, bundles each one's full
// public API (`export * from`, plus default) with esbuild (minify, esm, browser; react/react-dom external), gzips at
// level 9 and compares with billpay-connect's dist/index.js. Needs `npm run build` first. Writes bench-results/peers.json.
// "renders UI?" and the remote URLs are hand-read from each package's dist code (see `how`); the script re-checks
// that each listed URL still appears in the bundled output and flags it if a new version dropped it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const esbuild = createRequire(join(repo, 'package.json'))('esbuild');
const REACT_EXTERNAL = ['react', 'react-dom', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom/*'];

const PEERS = [
  { name: 'Plaid Link', pkgs: ['react-plaid-link'], ui: 'no (script -> iframe)', remote: ['https://cdn.plaid.com/link/v2/stable/link-initialize.js'],
    how: 'usePlaidLink() injects a <script> (useScript) and calls window.Plaid.create(), which opens Plaid iframe' },
  { name: 'Merge Link', pkgs: ['@mergeapi/react-merge-link'], ui: 'no (script -> iframe)', remote: ['https://cdn.merge.dev/initialize.js'],
    how: 'useMergeLink() injects initialize.js (regional variants: cdn.openaimerge.com, cdn.dropboxmerge.com) and calls window.MergeLink' },
  { name: 'Finch Connect', pkgs: ['@tryfinch/react-connect'], ui: 'no (iframe)', remote: [], frame: 'https://connect.tryfinch.com',
    how: 'useFinchConnect() prepends a full-screen <iframe src=connect.tryfinch.com> to body; no script loaded' },
  { name: 'Apideck Vault (vault-react)', pkgs: ['@apideck/vault-react'], ui: 'no (iframe)', remote: [], frame: 'https://vaultjs.apideck.com',
    how: 'useVault().open() appends a full-screen <iframe src=vaultjs.apideck.com>; README of react-vault recommends this package' },
  { name: 'Apideck Vault (react-vault, legacy)', pkgs: ['@apideck/react-vault'], ui: 'yes (React modal)', remote: ['https://cdn.jsdelivr.net/npm/monaco-editor'], css: '@apideck/react-vault/dist/styles.css',
    how: '<Vault> renders its own React UI (headlessui Dialog, formik, react-select, createPortal); calls unify.apideck.com API; CSS shipped separately;\n'
      + 'its JSON-path field-mapping editor (wayfinder, @monaco-editor/loader) loads Monaco from jsDelivr when opened' },
  { name: 'Stripe Connect embedded', pkgs: ['@stripe/react-connect-js', '@stripe/connect-js'], ui: 'no (script -> iframes)', remote: ['https://connect-js.stripe.com/v1.0/connect.js'],
    how: 'loadConnectAndInitialize() injects connect.js; React wrappers mount Stripe custom elements that render Stripe iframes' },
  { name: 'Nango frontend', pkgs: ['@nangohq/frontend'], ui: 'no (iframe/popup)', remote: [], frame: 'https://connect.nango.dev',
    how: 'openConnectUI() appends <iframe src=connect.nango.dev>; auth() opens a window.open popup to api.nango.dev; not React' },
  { name: 'Codat Link SDK (@codat/link-sdk)', pkgs: ['@codat/link-sdk'], ui: '?', remote: [], how: 'candidate name; checked on npm' },
  { name: 'Codat Link SDK (sdk-link-types)', pkgs: ['@codat/sdk-link-types'], ui: 'no (remote module renders)', remote: ['https://link-sdk.codat.io'],
    how: 'initializeCodatLink() does import("https://link-sdk.codat.io") and that remote module renders Link into the host div' },
];

const sh = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 }).trim();
const errText = (e) => String(e.stderr || e.message || e).split('\n').find((l) => /error|ERR|No matching|Could not/.test(l))?.slice(0, 140) ?? String(e).slice(0, 140);
const kB = (n) => (n == null ? '-' : (n / 1000).toFixed(1));
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// 1. Resolve latest versions and install into a temp dir (--legacy-peer-deps: @apideck/vault-react declares react <=18).
const tmp = mkdtempSync(join(tmpdir(), 'bench-peers-'));
const versions = {}, installErr = {};
for (const pkg of new Set(PEERS.flatMap((p) => p.pkgs))) {
  try { versions[pkg] = sh(['view', `${pkg}@latest`, 'version'], tmp).split('\n').pop(); }
  catch (e) { installErr[pkg] = `not on registry: ${errText(e)}`; }
}
const deps = { react: '^19', 'react-dom': '^19', ...versions };
// @apideck/wayfinder@0.2.5 (latest, a dep of @apideck/react-vault: ^0.2.3) was published without its dist/; pin 0.2.3.
const OVERRIDES = { '@apideck/wayfinder': '0.2.3' };
const NPM_FLAGS = ['--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--loglevel=error'];
writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'bench-peers', private: true, dependencies: deps, overrides: OVERRIDES }, null, 2));
console.log(`installing ${Object.keys(deps).length} packages in ${tmp} ...`);
try { sh(['install', ...NPM_FLAGS], tmp); }
catch (e) { // fall back to one package at a time so one broken peer does not sink the rest
  console.warn(`batch install failed (${errText(e)}); retrying one by one`);
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'bench-peers', private: true, overrides: OVERRIDES }));
  for (const [pkg, v] of Object.entries(deps)) {
    try { sh(['install', ...NPM_FLAGS, `${pkg}@${v}`], tmp); } catch (e2) { installErr[pkg] = `install failed: ${errText(e2)}`; }
  }
}
const installed = (pkg) => existsSync(join(tmp, 'node_modules', pkg, 'package.json'));
const reactVersion = installed('react') ? JSON.parse(readFileSync(join(tmp, 'node_modules/react/package.json'), 'utf8')).version : null;

// 2. Bundle + gzip. Entry re-exports the whole public API; default export is added when the module has one.
const BUILD = { bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' }, loader: { '.png': 'empty', '.svg': 'empty', '.woff': 'empty', '.woff2': 'empty' } };
async function measure(resolveDir, specs, external) {
  const star = specs.map((s) => `export * from ${JSON.stringify(s)};`).join('\n');
  const build = (contents) => esbuild.build({ ...BUILD, external, outdir: join(resolveDir, '.bench-out'),
    stdin: { contents, resolveDir, sourcefile: 'entry.js', loader: 'js' } });
  let res;
  try { res = await build(`${star}\nexport { default } from ${JSON.stringify(specs[0])};`); }
  catch (e) { if (!/No matching export/.test(e.message)) throw e; res = await build(star); }
  const js = res.outputFiles.filter((f) => f.path.endsWith('.js'));
  const text = js.map((f) => f.text).join('\n');
  const css = res.outputFiles.filter((f) => f.path.endsWith('.css')); // CSS imported from JS, if any
  return { min: js.reduce((n, f) => n + f.contents.length, 0), gzip: js.reduce((n, f) => n + gz(f.contents), 0),
    cssGzip: css.length ? css.reduce((n, f) => n + gz(f.contents), 0) : undefined, text };
}
async function measureCss(resolveDir, spec) {
  const res = await esbuild.build({ ...BUILD, outdir: join(resolveDir, '.bench-out'),
    stdin: { contents: `@import ${JSON.stringify(spec)};`, resolveDir, sourcefile: 'entry.css', loader: 'css' } });
  return res.outputFiles.reduce((n, f) => n + gz(f.contents), 0);
}

const results = [];
for (const peer of PEERS) {
  const row = { name: peer.name, packages: peer.pkgs, version: peer.pkgs.map((p) => versions[p] ?? '?').join(' + '),
    rendersUI: peer.ui, how: peer.how, remoteScripts: peer.remote, iframeOrigin: peer.frame ?? null };
  const missing = peer.pkgs.find((p) => installErr[p] || !installed(p));
  try {
    if (missing) throw new Error(installErr[missing] ?? `${missing} not installed`);
    const m = await measure(tmp, peer.pkgs, REACT_EXTERNAL);
    Object.assign(row, { minBytes: m.min, gzipBytes: m.gzip, cssGzipBytes: m.cssGzip ?? (peer.css ? await measureCss(tmp, peer.css) : null),
      // each listed URL is a prefix: report the full URL as found in the bundle, or null if a new version dropped it
      remoteFound: peer.remote.map((u) => m.text.match(new RegExp(`${esc(u)}[^"'\`\\s]*`))?.[0] ?? null) });
  } catch (e) { row.error = (e.errors?.[0]?.text ?? e.message).slice(0, 160); }
  results.push(row);
}

// 3. billpay-connect itself, from the built dist (same settings as .size-limit.js's two index.js checks).
const dist = join(repo, 'dist/index.js');
const own = [['billpay-connect (Radix+clsx external)', [...REACT_EXTERNAL, '@radix-ui/*', 'clsx']], ['billpay-connect (Radix+clsx bundled)', REACT_EXTERNAL]];
const ownVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
for (const [name, external] of own) {
  const row = { name, packages: ['billpay-connect'], version: `${ownVersion} (dist)`, rendersUI: 'yes (React + Radix Dialog)',
    how: 'own components render DOM in the page', remoteScripts: [], iframeOrigin: null };
  try {
    if (!existsSync(dist)) throw new Error('dist/index.js missing: run `npm run build` first');
    const m = await measure(repo, ['./dist/index.js'], external);
    Object.assign(row, { minBytes: m.min, gzipBytes: m.gzip, cssGzipBytes: await measureCss(repo, './dist/styles.css') });
  } catch (e) { row.error = (e.errors?.[0]?.text ?? e.message).slice(0, 160); }
  results.push(row);
}
if (!existsSync(dist)) console.warn('\nhint: dist/index.js not found; run `npm run build` first, then re-run `npm run bench:peers`.');

// 4. Table + JSON.
const remoteCol = (r) => r.remoteScripts.length
  ? r.remoteScripts.map((u, i) => (r.remoteFound ? r.remoteFound[i] ?? `${u} (NOT in bundle)` : u)).join(', ')
  : r.iframeOrigin ? `none (iframe ${r.iframeOrigin})` : 'none';
const rows = results.map((r) => [r.name, r.version, r.error ? 'FAILED' : kB(r.minBytes), r.error ? '-' : kB(r.gzipBytes),
  r.cssGzipBytes ? kB(r.cssGzipBytes) : '-', r.rendersUI, r.error ? `error: ${r.error}` : remoteCol(r)]);
const head = ['name', 'version', 'min kB', 'gzip kB', '+css gz kB', 'renders UI?', 'remote script (not in bundle weight)'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => (i >= 2 && i <= 4 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(' | ')} |`;
console.log(`\n${line(head)}\n|${widths.map((w, i) => (i >= 2 && i <= 4 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
rows.forEach((r) => console.log(line(r)));
console.log(`\nesbuild ${esbuild.version}, react ${reactVersion} external; kB = 1000 bytes; gzip level 9; full API (export *) per package.`);

const outDir = join(repo, 'bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'peers.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version,
  esbuild: esbuild.version, react: reactVersion, overrides: OVERRIDES, settings: { ...BUILD, gzipLevel: 9, external: REACT_EXTERNAL },
  results }, null, 2)}\n`);
console.log('written: bench-results/peers.json');
rmSync(tmp, { recursive: true, force: true });
