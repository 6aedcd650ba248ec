import type { Sandbox, SandboxOptions } from '../src/sandbox/index.js';
import type { LinkSimulator } from './link-simulator.js';

/** What a story asks of the sandbox, under `parameters.sandbox`. */
export interface StorySandboxParameters extends SandboxOptions {
  /** Put this company id on the provider. */
  companyId?: string;
}

const current: { sandbox?: Sandbox; simulator?: LinkSimulator } = {};

/** Called by the global decorator for each story. */
export function setStorySandbox(sandbox: Sandbox, simulator: LinkSimulator) {
  current.sandbox = sandbox;
  current.simulator = simulator;
}

/** The sandbox and simulated Link window of the story being shown (for play functions). */
export function storySandbox() {
  if (!current.sandbox || !current.simulator) throw new Error('No story sandbox: is the global decorator installed?');
  return { sandbox: current.sandbox, link: current.simulator };
}

/** A fixed company id used by seeded stories. */
export const STORY_COMPANY_ID = '8a210b68-6988-11ed-a1eb-0242ac120002';
