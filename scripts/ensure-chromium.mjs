// Makes sure Debian's Chromium is at /usr/bin/chromium before the browser tests run, with the fonts the visual
// references were drawn with (DejaVu and Liberation: fontconfig's defaults for system-ui, sans-serif, serif and the
// Times/Arial stacks). Nothing in this project downloads a browser of its own; on Debian as root we install packages.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** One file of each font package; a missing one means the package is missing. */
const fonts = {
  'fonts-dejavu-core': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  'fonts-dejavu-extra': '/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf',
  'fonts-liberation': '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
};

const missing = [
  ...(existsSync(chromium) ? [] : ['chromium']),
  ...Object.entries(fonts)
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg),
];

if (missing.length) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    const message = missing.includes('chromium')
      ? `billpay-connect: browser tests need Chromium at ${chromium}.\n`
      : `billpay-connect: the visual references were drawn with fonts this machine lacks (${missing.join(', ')}).\n`;
    console.error(
      message +
        `Install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
        `(or point CHROMIUM_PATH at an existing Chromium build).`,
    );
    if (missing.includes('chromium')) process.exit(1);
  } else {
    console.log(`billpay-connect: installing ${missing.join(', ')} for the browser tests…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  }
}
