import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

// The example uses the kit's built package, exactly as a host app would install it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^billpay-connect\/styles\.css$/, replacement: dist('styles.css') },
      { find: /^billpay-connect$/, replacement: dist('index.js') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0 },
  logLevel: 'warn',
});
