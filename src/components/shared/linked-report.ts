import { createContext } from 'react';
import type { Connection } from '../../core/index.js';

/**
 * Internal: how `ConfigureCustomer` learns that the `ConnectButton` it renders reached `status === 'linked'`
 * (the hook's own verdict), to show its success step. Absent everywhere else.
 */
export const LinkedReport = createContext<((connection: Connection) => void) | null>(null);
