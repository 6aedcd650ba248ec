// Makes sure Debian's redis-server is at /usr/bin/redis-server before the tests run: the idempotency store's tests
// start their own on a free port (never a system service). On Debian as root we install the package.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const custom = process.env.REDIS_SERVER_PATH;
const redisServer = custom ?? '/usr/bin/redis-server';

if (!existsSync(redisServer)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  // Debian's package puts it at /usr/bin/redis-server: installing it cannot fill a REDIS_SERVER_PATH of your own.
  if (custom || !isRoot || !hasApt) {
    console.error(
      `billpay-connect: the server tests need redis-server at ${redisServer}.\n` +
        `Install it with: sudo apt-get update && sudo apt-get install -y redis-server\n` +
        `(the tests start their own on a free port; no service needs to run), or point REDIS_SERVER_PATH at one.`,
    );
    process.exit(1);
  }
  console.log("billpay-connect: installing Debian's redis-server for the server tests…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
  if (!existsSync(redisServer)) {
    console.error(`billpay-connect: apt-get installed redis-server, but ${redisServer} is still missing.`);
    process.exit(1);
  }
}
