import { useEffect, useRef } from 'react';
import type { ConnectionFlowStatus } from '../../hooks/index.js';

/**
 * Focuses `target` if focus was lost, i.e. fell back to the body because the focused element was removed
 * (a notice that went away, a button the new state no longer shows). Focus the user put elsewhere stays.
 */
export function refocus(target: HTMLElement | null | undefined): void {
  const active = target?.ownerDocument.activeElement;
  if (target && (!active || active === target.ownerDocument.body)) target.focus();
}

/** Calls `onClosed` once each time a connect flow leaves `awaiting-auth` (the Link window closed, whatever the outcome). */
export function useLinkWindowClosed(status: ConnectionFlowStatus, onClosed: () => void): void {
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current === 'awaiting-auth' && status !== 'awaiting-auth') onClosed();
    previous.current = status;
  }, [status, onClosed]);
}
