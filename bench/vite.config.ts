import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  // The production build with Profiler callbacks kept, so renders can be counted.
  resolve: { alias: [{ find: /^react-dom\/client$/, replacement: 'react-dom/profiling' }] },
  build: { outDir: fileURLToPath(new URL('../bench-results/page', import.meta.url)), emptyOutDir: true },
  logLevel: 'warn',
});
