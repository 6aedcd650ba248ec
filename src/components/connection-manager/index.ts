export { ConnectionManager } from './connection-manager.js';
export type { ConnectionManagerProps, ConnectionManagerPart } from './connection-manager.js';
