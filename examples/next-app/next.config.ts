import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const root = dirname(fileURLToPath(import.meta.url));

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // This app sits inside the kit's repository: build from its own folder, not the repository's lockfile.
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
