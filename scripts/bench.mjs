// npm run bench: the browser benches (builds bench/ with Vite, opens it in Debian's Chromium, runs the
// measurements in the page, writes bench-results/results.json) and the proxy bench (the built server entry
// against a local upstream, writes bench-results/proxy.json). `npm run bench -- browser` or `-- proxy` runs one.
// Not part of npm test: timings are reported, not asserted.
import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';

async function browserBench() {
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
}

// The proxy bench. Three processes: this one drives the load (an undici Pool per target, one connection per
// concurrent client), one runs a trivial node:http upstream standing in for Codat, one runs the built server
// entry (createCodatProxy + toNodeHandler over node:http, started with --expose-gc for the heap figures).
// "direct" is this process against the upstream, "proxied" the same requests through the proxy.
const proxyKey = 'YmVuY2gtYXBpLWtleS0wMTIzNDU2Nzg5YWJjZGVm';
const benchCompany = '8a210b68-6988-11ed-a1eb-0242ac120002';
// Reads spread over 1000 companies, as many customers' pages would: one company alone would measure the proxy's
// per-company queue (10 in flight), not its plumbing.
const benchCompanies = Array.from({ length: 1000 }, (_, i) => `8a210b68-6988-11ed-a1eb-${String(i).padStart(12, '0')}`);
const benchAnswer = JSON.stringify({
  id: benchCompany,
  name: 'Acme Widgets Ltd',
  description: 'Bench company',
  platform: '',
  redirect: `https://link.codat.io/company/${benchCompany}`,
  lastSync: null,
  created: '2026-11-24T10:00:00Z',
  createdByUserName: 'bench',
  dataConnections: [],
});

async function benchChild(role) {
  // Each child reports the CPU time it has used, so the bench can tell where each request's time goes.
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  if (role === 'upstream') {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(benchAnswer) });
      res.end(benchAnswer);
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
    return;
  }
  if (role === 'forwarder') {
    // The floor any Node proxy stands on: node:http in front of an undici Pool, forwarding the path with the key and
    // passing the answer back, with none of the kit's checks (no authorize, routes, limits, redaction or log).
    const { Pool } = await import('undici');
    const pool = new Pool(process.env.BENCH_UPSTREAM, { pipelining: 1, keepAliveTimeout: 60_000 });
    const server = createServer((req, res) => {
      const chunks = [];
      let status = 502;
      let type = 'application/json';
      pool.dispatch(
        { path: req.url.slice('/api/codat'.length), method: 'GET', headers: { authorization: `Basic ${proxyKey}` } },
        {
          onConnect() {},
          onHeaders(statusCode, headers) {
            status = statusCode;
            for (let i = 0; i < headers.length; i += 2) if (headers[i].toString().toLowerCase() === 'content-type') type = headers[i + 1].toString();
            return true;
          },
          onData(chunk) {
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            res.writeHead(status, { 'content-type': type });
            res.end(Buffer.concat(chunks));
          },
          onError() {
            res.writeHead(502);
            res.end();
          },
        },
      );
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
    return;
  }
  const { createCodatProxy, toNodeHandler } = await import(pathToFileURL(process.env.BENCH_SERVER_ENTRY).href);
  const proxy = createCodatProxy({ apiKey: proxyKey, baseUrl: process.env.BENCH_UPSTREAM, authorize: () => true });
  const server = createServer(toNodeHandler(proxy));
  server.keepAliveTimeout = 60_000;
  process.on('message', (message) => {
    if (message !== 'heap') return;
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ heapUsed, rss });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

async function startChild(role, env = {}) {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_CHILD: role, ...env }, execArgv: ['--expose-gc'], stdio: 'inherit' });
  const [{ port }] = await once(child, 'message');
  return { child, origin: `http://127.0.0.1:${port}` };
}

/** Runs `concurrency` clients in closed loops for `ms`, adding each latency (ms) to `into`; the time taken. */
async function load(pool, path, concurrency, ms, into) {
  const end = performance.now() + ms;
  const client = async (_, worker) => {
    for (let n = worker; performance.now() < end; n += concurrency) {
      const start = performance.now();
      try {
        const { statusCode, body } = await pool.request({ path: path(n), method: 'GET' });
        await body.dump();
        if (statusCode !== 200) into.errors += 1;
      } catch {
        into.errors += 1;
      }
      into.latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  into.ms += performance.now() - started;
}

/**
 * Direct and proxied in alternating slices (the machine is shared: a slice of each under the same load), then
 * requests per second and latency percentiles over all slices of each.
 */
async function compare(Pool, targets, concurrency, ms, slices) {
  const runs = targets.map(({ origin, path, processes }) => ({
    path,
    processes,
    pool: new Pool(origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 }),
    into: { latencies: [], errors: 0, ms: 0, cpu: {} },
  }));
  // Warm every path (JIT, connections) before measuring.
  for (const run of runs) await load(run.pool, run.path, concurrency, 500, { latencies: [], errors: 0, ms: 0 });
  for (let slice = 0; slice < slices; slice += 1) {
    for (const run of runs) {
      const before = await cpuOf(run.processes);
      await load(run.pool, run.path, concurrency, ms / slices, run.into);
      const after = await cpuOf(run.processes);
      for (const name of Object.keys(after)) run.into.cpu[name] = (run.into.cpu[name] ?? 0) + after[name] - before[name];
    }
  }
  return Promise.all(
    runs.map(async ({ pool, into }) => {
      await pool.close();
      const sorted = into.latencies.sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      // CPU time (user + system) each process spent per request answered, in microseconds.
      const cpu = Object.fromEntries(Object.entries(into.cpu).map(([name, us]) => [name, us / sorted.length]));
      return { rps: sorted.length / (into.ms / 1000), p50: at(0.5), p99: at(0.99), requests: sorted.length, errors: into.errors, cpu };
    }),
  );
}

/** CPU time used so far (user + system, microseconds) by this process ('load') and each named child. */
async function cpuOf(processes) {
  const used = ({ user, system }) => user + system;
  const out = { load: used(process.cpuUsage()) };
  for (const [name, child] of Object.entries(processes)) {
    child.send('cpu');
    const [{ cpu }] = await once(child, 'message');
    out[name] = used(cpu);
  }
  return out;
}

/** Sends `total` requests through `concurrency` clients; resolves when all are answered. */
async function burst(Pool, origin, path, concurrency, total) {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
  let left = total;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left -= 1;
        const { statusCode, body } = await pool.request({ path: path(left), method: 'GET' });
        await body.dump();
        if (statusCode !== 200) errors += 1;
      }
    }),
  );
  await pool.close();
  return errors;
}

async function proxyBench() {
  // BENCH_PROXY_ENTRY: an already built server entry (another version, to compare); otherwise this checkout's.
  let entry = process.env.BENCH_PROXY_ENTRY;
  if (!entry) {
    const outDir = join(process.cwd(), 'bench-results/server');
    await build({
      configFile: false,
      logLevel: 'warn',
      build: { ssr: 'src/server/index.ts', outDir, emptyOutDir: true, minify: false, target: 'node20', rollupOptions: { output: { entryFileNames: 'server.mjs' } } },
    });
    entry = join(outDir, 'server.mjs');
  }
  const { Pool } = await import('undici');
  const upstream = await startChild('upstream');
  const proxy = await startChild('proxy', { BENCH_SERVER_ENTRY: entry, BENCH_UPSTREAM: upstream.origin });
  const forwarder = await startChild('forwarder', { BENCH_UPSTREAM: upstream.origin });
  const ms = Number(process.env.BENCH_PROXY_MS ?? 6000);
  const round = (n, digits = 2) => Number(n.toFixed(digits));
  try {
    const rows = [];
    const cpuRows = [];
    for (const concurrency of [1, 50, 500]) {
      const [direct, bare, proxied] = await compare(
        Pool,
        [
          { origin: upstream.origin, path: (n) => `/companies/${benchCompanies[n % benchCompanies.length]}`, processes: { upstream: upstream.child } },
          {
            origin: forwarder.origin,
            path: (n) => `/api/codat/companies/${benchCompanies[n % benchCompanies.length]}`,
            processes: { upstream: upstream.child, proxy: forwarder.child },
          },
          {
            origin: proxy.origin,
            path: (n) => `/api/codat/companies/${benchCompanies[n % benchCompanies.length]}`,
            processes: { upstream: upstream.child, proxy: proxy.child },
          },
        ],
        concurrency,
        ms,
        6,
      );
      rows.push({
        concurrency,
        'direct req/s': Math.round(direct.rps),
        'proxied req/s': Math.round(proxied.rps),
        'throughput ratio': round(proxied.rps / direct.rps),
        'bare forwarder ratio': round(bare.rps / direct.rps),
        'vs bare forwarder': round(proxied.rps / bare.rps),
        'direct p50 ms': round(direct.p50, 3),
        'proxied p50 ms': round(proxied.p50, 3),
        'direct p99 ms': round(direct.p99, 3),
        'proxied p99 ms': round(proxied.p99, 3),
        'p99 ratio': round(proxied.p99 / direct.p99),
        errors: direct.errors + bare.errors + proxied.errors,
      });
      // Where each request's CPU time goes. With as many cores as busy processes, a proxy doing the work of an
      // HTTP server and an HTTP client reaches at most half of direct; on fewer cores, all three processes share
      // them, and the proxied share is about (load + upstream) / (load + upstream + proxy).
      cpuRows.push({
        concurrency,
        'load generator µs/req': round(direct.cpu.load, 1),
        'upstream µs/req': round(direct.cpu.upstream, 1),
        'bare forwarder µs/req': round(bare.cpu.proxy, 1),
        'kit proxy µs/req': round(proxied.cpu.proxy, 1),
        'kit / bare CPU': round(proxied.cpu.proxy / bare.cpu.proxy),
      });
    }
    const heap = async () => {
      proxy.child.send('heap');
      const [usage] = await once(proxy.child, 'message');
      return usage;
    };
    // Heap after gc before, halfway through and after `total` requests at concurrency 50: flat means no leak.
    const total = Number(process.env.BENCH_PROXY_REQUESTS ?? 100_000);
    const path = (n) => `/api/codat/companies/${benchCompanies[n % benchCompanies.length]}`;
    const before = await heap();
    let errors = await burst(Pool, proxy.origin, path, 50, total / 2);
    const halfway = await heap();
    errors += await burst(Pool, proxy.origin, path, 50, total / 2);
    const after = await heap();
    const mb = (bytes) => round(bytes / 1024 / 1024, 1);
    const memory = {
      requests: total,
      errors,
      'heap before MB': mb(before.heapUsed),
      'heap halfway MB': mb(halfway.heapUsed),
      'heap after MB': mb(after.heapUsed),
      'rss before MB': mb(before.rss),
      'rss after MB': mb(after.rss),
    };
    const single = rows[0];
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      entry,
      msPerMeasure: ms,
      addedP50MsAtConcurrency1: round(single['proxied p50 ms'] - single['direct p50 ms'], 3),
      rows,
      cpu: cpuRows,
      memory,
    };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(process.env.BENCH_PROXY_OUT ?? 'bench-results/proxy.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nProxy vs direct against a local node:http upstream (GET one of 1000 companies, ${ms} ms of each in 6 alternating slices); "bare forwarder" is node:http + an undici Pool with none of the kit's checks, the floor for any Node proxy on this machine`);
    console.table(rows);
    console.log('CPU time per request (user + system), measured in each process over the same slices');
    console.table(cpuRows);
    console.log(`added p50 at concurrency 1: ${report.addedP50MsAtConcurrency1} ms`);
    console.log(`proxy heap over ${total} requests (after gc)`);
    console.table([memory]);
    console.log(`written: ${process.env.BENCH_PROXY_OUT ?? 'bench-results/proxy.json'}`);
  } finally {
    proxy.child.kill();
    forwarder.child.kill();
    upstream.child.kill();
  }
}

const only = process.argv[2];
if (process.env.BENCH_CHILD) await benchChild(process.env.BENCH_CHILD);
else {
  if (only === undefined || only === 'browser') await browserBench();
  if (only === undefined || only === 'proxy') await proxyBench();
}
