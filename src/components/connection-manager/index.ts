export { ConnectionManager } from './connection-manager.js';
export type { ConnectionManagerActions, ConnectionManagerProps, ConnectionManagerPart } from './connection-manager.js';
