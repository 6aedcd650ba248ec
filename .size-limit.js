// Size budgets, min+gzip, checked by `npm test`. Measured as a host's production build ships the kit:
// bundlers define process.env.NODE_ENV, so the kit's development warnings are not counted.
const production = (config) => ({ ...config, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });

export default [
  {
    "name": "billpay-connect: the kit's own code (components + hooks + core; Radix and clsx external)",
    "path": "dist/index.js",
    "import": "*",
    "ignore": [
      "react",
      "react-dom",
      "@radix-ui/react-dialog",
      "clsx"
    ],
    "limit": "25.75 kB",
    "gzip": true,
    "modifyEsbuildConfig": production
  },
  {
    "name": "billpay-connect with Radix Dialog and clsx bundled",
    "path": "dist/index.js",
    "import": "*",
    "ignore": [
      "react",
      "react-dom"
    ],
    "limit": "35.5 kB",
    "gzip": true,
    "modifyEsbuildConfig": production
  },
  {
    "name": "billpay-connect/headless (hooks + core)",
    "path": "dist/headless.js",
    "import": "*",
    "ignore": [
      "react",
      "react-dom"
    ],
    "limit": "16 kB",
    "gzip": true,
    "modifyEsbuildConfig": production
  },
  {
    "name": "What an app pays for one styled connect button: { CodatProvider, ConnectButton }",
    "path": "dist/index.js",
    "import": "{ CodatProvider, ConnectButton }",
    "ignore": [
      "react",
      "react-dom",
      "@radix-ui/react-dialog",
      "clsx"
    ],
    "limit": "17.75 kB",
    "gzip": true,
    "modifyEsbuildConfig": production
  },
  {
    "name": "What an app pays for a headless connect flow: { CodatProvider, useConnection }",
    "path": "dist/headless.js",
    "import": "{ CodatProvider, useConnection }",
    "ignore": [
      "react",
      "react-dom"
    ],
    "limit": "13.5 kB",
    "gzip": true,
    "modifyEsbuildConfig": production
  },
  {
    "name": "The Codat client alone (transport, retries, parsing, validation): { createCodatClient }",
    "path": "dist/headless.js",
    "import": "{ createCodatClient }",
    "ignore": [
      "react",
      "react-dom"
    ],
    "limit": "5.5 kB",
    "gzip": true,
    "modifyEsbuildConfig": production
  },
  {
    "name": "billpay-connect/styles.css",
    "path": "dist/styles.css",
    "limit": "4 kB",
    "gzip": true
  },
];
