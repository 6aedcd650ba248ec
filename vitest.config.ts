import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { SummaryReporter } from './test/support/summary-reporter.js';
import { referenceChromium, visualCommands, visualScreenshotOptions } from './test/support/visual-commands.js';

const react18 = (path: string) => fileURLToPath(new URL(`test/react18/node_modules/${path}`, import.meta.url));

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export default defineConfig({
  plugins: [react()],
  test: {
    reporters: ['default', new SummaryReporter()],
    globals: true,
    clearMocks: true,
    restoreMocks: true,
    projects: [
      {
        extends: true,
        plugins: [storybookTest({ configDir: fileURLToPath(new URL('.storybook', import.meta.url)) })],
        test: {
          name: 'storybook',
          setupFiles: ['.storybook/vitest.setup.ts'],
          provide: { referenceChromium: referenceChromium(fileURLToPath(new URL('.', import.meta.url))) },
          testTimeout: 20_000,
          browser: {
            enabled: true,
            headless: true,
            // A tall outer window, so the runner's iframe can grow to a story's full height unscaled for screenshots
            // (the screenshot pass grows it further when a story is taller). Locale, time zone and pixel ratio are
            // fixed so the pictures do not depend on the machine's settings.
            provider: playwright({
              launchOptions: chromium,
              contextOptions: { viewport: { width: 1280, height: 2400 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' },
            }),
            instances: [{ browser: 'chromium' }],
            viewport: { width: 960, height: 720 },
            screenshotFailures: false,
            // Visual regression: .storybook/vitest.setup.ts compares every story with its references in
            // stories/__screenshots__/ (npm run test:screenshots:update rewrites them); diffs go to .vitest-attachments/.
            commands: visualCommands,
            expect: { toMatchScreenshot: visualScreenshotOptions },
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/core/**/*.test.ts', 'test/sandbox/**/*.test.ts', 'test/server/**/*.test.ts', 'test/node/**/*.test.{ts,tsx}', 'test/contract/**/*.test.ts'],
          typecheck: {
            enabled: true,
            include: ['test/**/*.test-d.{ts,tsx}'],
            tsconfig: './tsconfig.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The runnable host examples (examples/next-app, examples/express-backend), installed from the packed kit
          // by scripts/ensure-hosts.mjs: one next build per run, shared by every case. And the host stacks
          // (test/hosts/stacks: the Vite template, create-next-app's styles, Tailwind v4, shadcn/ui), built with
          // that fixture's own Vite from the packed kit. Both are measured in Chromium against the kit's Storybook,
          // built at most once and cached by its inputs (test/hosts/storybook-reference.ts).
          name: 'hosts',
          environment: 'node',
          include: ['test/hosts/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        resolve: {
          alias: [
            { find: /^react$/, replacement: react18('react') },
            { find: /^react\/(.*)$/, replacement: react18('react/$1') },
            { find: /^react-dom$/, replacement: react18('react-dom') },
            { find: /^react-dom\/(.*)$/, replacement: react18('react-dom/$1') },
            // The ESM build, inlined below, so its react and react-dom imports take the aliases too.
            { find: /^@testing-library\/react$/, replacement: fileURLToPath(new URL('node_modules/@testing-library/react/dist/@testing-library/react.esm.js', import.meta.url)) },
          ],
        },
        test: {
          name: 'react18',
          environment: 'jsdom',
          include: ['test/hooks/**/*.test.{ts,tsx}', 'test/components/**/*.test.{ts,tsx}'],
          setupFiles: ['test/setup-dom.ts', 'test/support/assert-react-18.ts'],
          server: { deps: { inline: [/@testing-library\/react/, /@radix-ui\//, /react-remove-scroll/, /use-callback-ref/, /use-sidecar/, /react-style-singleton/] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['test/hooks/**/*.test.{ts,tsx}', 'test/components/**/*.test.{ts,tsx}'],
          setupFiles: ['test/setup-dom.ts'],
        },
      },
    ],
  },
});
