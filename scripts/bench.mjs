// npm run bench: builds bench/ with Vite, opens it in Debian's Chromium, runs the measurements in the
// page and writes bench-results/results.json. Not part of npm test: timings are reported, not asserted.
import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import { chromium } from 'playwright-core';

await build({ configFile: 'bench/vite.config.ts' });
const root = join(process.cwd(), 'bench-results/page');
const server = createServer((req, res) => {
  const path = normalize(join(root, new URL(req.url ?? '/', 'http://x').pathname));
  const file = path.startsWith(root) && existsSync(path) && extname(path) ? path : join(root, 'index.html');
  res.writeHead(200, { 'Content-Type': { '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ?? 'text/html' });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.title === 'bench ready');
  const results = await page.evaluate(() => window.runBench());
  const report = { date: new Date().toISOString(), chromium: browser.version(), node: process.version, ...results };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/results.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nPlatformPicker, ${results.picker.platforms} platforms (React profiling build, StrictMode)`);
  console.table([
    { measure: 'median ms per keystroke (6-char search)', value: results.picker.medianMsPerKeystroke },
    { measure: 'p95 ms per keystroke', value: results.picker.p95MsPerKeystroke },
    { measure: 'React commits per selection (Profiler)', value: results.picker.rendersPerSelection },
  ]);
  console.log('Connect click -> linkUrl (sandbox latency fixed per request)');
  console.table(results.connect);
  console.log('written: bench-results/results.json');
} finally {
  await browser.close();
  server.close();
}
