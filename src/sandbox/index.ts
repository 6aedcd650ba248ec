export { createSandbox } from './create-sandbox.js';
export type {
  Sandbox,
  SandboxEvent,
  SandboxFault,
  SandboxOperation,
  SandboxOptions,
  SandboxRequest,
  SandboxSeedCompany,
  SandboxSeedConnection,
} from './create-sandbox.js';
