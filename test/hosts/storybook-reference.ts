import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { repoRoot } from './host-process.js';
import { serveStatic } from './static-server.js';

/**
 * The kit's own Storybook, built statically as the reference the host tests measure against. The build is cached
 * on disk under node_modules/.cache/billpay-connect-storybook/<hash of its inputs>, so a run builds it at most
 * once however many test files (or vitest workers) ask for it, and a run with unchanged inputs not at all.
 */

/** What Storybook's static build is made from: a change to any of these builds it again. */
const inputs = ['src', 'stories', '.storybook', 'package-lock.json', 'vite.config.ts', 'tsconfig.json'];
const cacheRoot = join(repoRoot, 'node_modules/.cache/billpay-connect-storybook');
/** Builds kept in the cache: the current one and the one before it (a branch switched back and forth). */
const keep = 2;

/** A static Storybook build, served on localhost. */
export interface StorybookReference {
  /** `http://127.0.0.1:<port>`: `${url}/iframe.html?id=…` renders one story. */
  url: string;
  /** The build's directory in the cache. */
  dir: string;
  /** Whether this call built Storybook or found the build in the cache (possibly made by another worker). */
  source: 'built' | 'cached';
  /** Seconds spent building or waiting for another worker's build (0 on a plain cache hit). */
  seconds: number;
  /** Stops serving it (the build stays cached). */
  close: () => Promise<void>;
}

/** The sha-256 of the inputs' paths and contents, in a stable order. */
export function storybookInputsHash(): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
    } else {
      hash.update(`${relative(repoRoot, path)}\0`).update(readFileSync(path)).update('\0');
    }
  };
  for (const input of inputs) add(join(repoRoot, input));
  return hash.digest('hex').slice(0, 16);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The directory of a static Storybook build of the current inputs: from the cache, else built now. One process
 * builds (it holds `<hash>.lock`, a directory naming its pid); others wait for its build to appear, and take over
 * the lock when its holder died. The build goes to a temporary directory renamed into place, so a cached
 * directory is always complete.
 */
export async function buildStorybookReference(): Promise<{ dir: string; source: 'built' | 'cached'; seconds: number }> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  const hash = storybookInputsHash();
  const dir = join(cacheRoot, hash);
  const lock = `${dir}.lock`;
  mkdirSync(cacheRoot, { recursive: true });
  let waited = false;
  for (;;) {
    if (existsSync(dir)) {
      // Marks it as recently used, for pruning.
      const now = new Date();
      utimesSync(dir, now, now);
      return { dir, source: 'cached', seconds: waited ? seconds() : 0 };
    }
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Another process is building: wait for it, or take over when it is gone (or died before naming itself).
    let holder: number | undefined;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // Not written yet, or the lock was just released.
    }
    const stale = holder ? !alive(holder) : Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000;
    if (stale) rmSync(lock, { recursive: true, force: true });
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const temporary = join(cacheRoot, `.tmp-${hash}-${process.pid}`);
  try {
    if (existsSync(dir)) return { dir, source: 'cached', seconds: seconds() };
    rmSync(temporary, { recursive: true, force: true });
    await promisify(execFile)(join(repoRoot, 'node_modules/.bin/storybook'), ['build', '--quiet', '--disable-telemetry', '-o', temporary], {
      cwd: repoRoot,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    renameSync(temporary, dir);
    prune(hash);
    return { dir, source: 'built', seconds: seconds() };
  } finally {
    rmSync(temporary, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Removes all but the `keep` most recently used builds, and temporary directories of processes that died. */
function prune(current: string) {
  const entries = readdirSync(cacheRoot);
  const builds = entries
    .filter((name) => /^[0-9a-f]{16}$/.test(name) && name !== current)
    .map((name) => ({ name, used: statSync(join(cacheRoot, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { name } of builds.slice(keep - 1)) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  for (const name of entries) {
    const pid = Number(/^\.tmp-[0-9a-f]{16}-(\d+)$/.exec(name)?.[1]);
    if (pid && !alive(pid)) rmSync(join(cacheRoot, name), { recursive: true, force: true });
  }
}

let pending: Promise<{ dir: string; source: 'built' | 'cached'; seconds: number }> | undefined;

/** The address of one story in a served build, in the `light` or `dark` theme (the toolbar's global). */
export function storyUrl(reference: StorybookReference, id: string, theme: 'light' | 'dark'): string {
  return `${reference.url}/iframe.html?id=${id}&viewMode=story&globals=theme:${theme}`;
}

/** Waits until a story opened with `storyUrl` has rendered the kit inside its themed frame. */
export async function storyRendered(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.locator(`#storybook-root .sb-frame[data-theme="${theme}"] [class*="bpc-"]`).first().waitFor();
}

/** The kit's Storybook, from the cache or built (once per process), served on a free localhost port. */
export async function serveStorybookReference(): Promise<StorybookReference> {
  pending ??= buildStorybookReference();
  const build = await pending;
  const server = await serveStatic(build.dir);
  return { ...build, ...server };
}
