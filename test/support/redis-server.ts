import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** Debian's redis-server (`apt-get install -y redis-server`; `npm test` installs it when root on Debian). */
export const redisServerPath = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

/** A redis-server of the test's own: on a free loopback port, nothing saved to disk. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** The server's process id. */
  pid: number;
  /** Stops it (SIGTERM to its pid) and resolves once it has exited. */
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port.'))));
    });
  });
}

/** Starts redis-server and resolves once it accepts connections; never touches a system service. */
export async function startRedisServer(): Promise<RedisServer> {
  if (!existsSync(redisServerPath)) {
    throw new Error(
      `These tests need redis-server at ${redisServerPath}. Install it with: sudo apt-get install -y redis-server ` +
        '(npm test does it when run as root on Debian), or point REDIS_SERVER_PATH at one.',
    );
  }
  const port = await freePort();
  const child = spawn(redisServerPath, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    void exited.then(() => reject(new Error(`redis-server exited before it was ready:\n${output}`)));
  });
  const pid = child.pid!;
  return {
    url: `redis://127.0.0.1:${port}`,
    pid,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
      await exited;
    },
  };
}
