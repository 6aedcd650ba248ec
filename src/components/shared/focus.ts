/**
 * Focuses `target` if focus was lost, i.e. fell back to the body because the focused element was removed
 * (a notice that went away, a button the new state no longer shows). Focus the user put elsewhere stays.
 */
export function refocus(target: HTMLElement | null | undefined): void {
  const active = target?.ownerDocument.activeElement;
  if (target && (!active || active === target.ownerDocument.body)) target.focus();
}
