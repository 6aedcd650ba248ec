import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the kit's own package). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A child process listening on a port. */
export interface HostProcess {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The child's pid (also its process group, which `stop` ends). */
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** Ends the process group and waits for the child to exit. */
  stop: () => Promise<void>;
}

/** Options of `startHostProcess`. */
export interface HostProcessOptions {
  /** Arguments after `node`; the string `{port}` is replaced with the chosen port. */
  args: readonly string[];
  /** Working directory. */
  cwd: string;
  /** The child's whole environment (`PORT` is added). */
  env: NodeJS.ProcessEnv;
  /** Path polled until it answers with any HTTP status. @default '/' */
  readyPath?: string;
  /** How long to wait for the first answer. @default 60000 */
  timeoutMs?: number;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `node <args>` on a free port and resolves once it answers HTTP (polling the port, no fixed sleeps).
 * Rejects with the child's output when it exits first or does not answer in time.
 */
export async function startHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(
    process.execPath,
    options.args.map((a) => a.replaceAll('{port}', String(port))),
    { cwd: options.cwd, env: { ...options.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start node ${options.args.join(' ')}`);
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    if (!running) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!running) throw new Error(`node ${options.args.join(' ')} exited before listening:\n${log}`);
    try {
      await fetch(`${url}${options.readyPath ?? '/'}`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      return { url, port, pid, output: () => log, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`node ${options.args.join(' ')} did not answer on ${url} in time:\n${log}`);
    }
    // Poll again after a short pause, or as soon as the child exits.
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), exited]);
  }
}

/**
 * Fails unless the example has the kit installed from the packed tarball (a real folder, not a link to the
 * source) and it matches the current build, so a test never runs against a stale kit.
 */
export function assertPackedKit(exampleDir: string): void {
  const installed = join(exampleDir, 'node_modules/billpay-connect');
  const hint = 'run `npm run build && node scripts/ensure-hosts.mjs` first (npm test does both)';
  if (!existsSync(join(installed, 'package.json'))) throw new Error(`${exampleDir} has no billpay-connect installed: ${hint}`);
  if (lstatSync(installed).isSymbolicLink()) throw new Error(`${installed} is a link, not the packed kit: ${hint}`);
  for (const file of ['dist/index.js', 'dist/core.js', 'dist/server.js', 'dist/styles.css']) {
    if (!readFileSync(join(installed, file)).equals(readFileSync(join(repoRoot, file)))) {
      throw new Error(`${exampleDir} has an older kit than dist/ (${file} differs): ${hint}`);
    }
  }
}

/** This process's environment without the given variables. */
export function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}
