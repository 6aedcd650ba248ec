import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One host page (HOST_PAGE, e.g. `tailwind-after`) per build, as each host is its own app: a multi-page build
 * moves the stylesheets that several pages import into shared chunks, in one order for all of them, so the kit
 * imported before Tailwind and after it would ship alike. Defaults otherwise, as a host's build has them.
 */
// eslint-disable-next-line no-restricted-syntax -- Vite reads a config file's default export.
export default defineConfig({
  root,
  plugins: [react(), tailwindcss()],
  build: {
    rollupOptions: { input: `${root}${process.env.HOST_PAGE ?? 'vite-template'}.html` },
  },
});
