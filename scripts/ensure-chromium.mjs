// Makes sure Debian's Chromium is at /usr/bin/chromium before the browser tests run.
// Nothing in this project downloads a browser of its own; on Debian as root we install the package.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    console.error(
      `billpay-connect: browser tests need Chromium at ${chromium}.\n` +
        `Install it with: sudo apt-get update && sudo apt-get install -y chromium\n` +
        `(or point CHROMIUM_PATH at an existing Chromium build).`,
    );
    process.exit(1);
  }
  console.log("billpay-connect: installing Debian's chromium for the browser tests…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}
