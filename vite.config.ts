import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Modules that hold hooks or components: only the chunks made of them carry `'use client'`. */
const clientModule = /\/src\/(hooks|components)\//;

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
      // Required by includeDependenciesRecursively: false below; entries may gain internal exports.
      preserveEntrySignatures: 'allow-extension',
      // standardwebhooks: a dependency of the server and sandbox-server entries only, never bundled.
      // undici: the server entry's upstream connection pool, loaded by it at the first proxied request; never bundled.
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@radix-ui\//, 'clsx', 'standardwebhooks', /^undici($|\/)/, /^node:/],
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Hooks and components get chunks of their own, so the entries stay plain re-exports: a Server
        // Component or Route Handler importing a platform list or parseLinkReturn from any entry gets the
        // real value, and only the hooks and components become client references.
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [
            { name: 'hooks', test: /\/src\/hooks\// },
            { name: 'components', test: /\/src\/components\// },
            { name: 'core', test: /\/src\/core\// },
          ],
        },
        banner: (chunk) => (chunk.moduleIds.some((id) => clientModule.test(id)) ? "'use client';" : ''),
      },
    },
  },
});
