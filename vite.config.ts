import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Entries whose modules render React and so must carry the `'use client'` directive. */
const clientEntries = new Set(['index', 'headless']);

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    target: 'es2022',
    lib: {
      entry: {
        index: 'src/index.ts',
        headless: 'src/headless.ts',
        // Data, validators, parsers, the client and the flow machines, without 'use client': for server code.
        core: 'src/core/index.ts',
        sandbox: 'src/sandbox/index.ts',
        server: 'src/server/index.ts',
        'sandbox-server': 'src/sandbox-server/index.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@radix-ui\//, 'clsx', /^node:/],
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        banner: (chunk) =>
          chunk.isEntry && clientEntries.has(chunk.name) ? "'use client';" : '',
      },
    },
  },
});
