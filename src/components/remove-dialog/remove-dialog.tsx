import type { UseRemoveResult } from '../../hooks/index.js';
import { ConfirmDialog, type ConfirmDialogPart, type ConfirmDialogProps } from '../shared/confirm-dialog.js';

/** Parts of `RemoveDialog` that take classes. */
export type RemoveDialogPart = ConfirmDialogPart;

/** Props of `RemoveDialog`. */
export interface RemoveDialogProps extends ConfirmDialogProps {
  /** The `useRemove` result that drives the dialog. */
  remove: UseRemoveResult;
}

/**
 * The remove confirmation, the same alert dialog as `UnlinkDialog`: it says that removing is permanent (the
 * connection and its synced data are deleted, and connecting again means signing in anew), and its confirm
 * action is styled as destructive. Focus starts on Cancel, Escape cancels (except while removing), a failure
 * keeps it open with the error and a retry, success closes it.
 */
export function RemoveDialog({ remove, ...props }: RemoveDialogProps) {
  return <ConfirmDialog {...props} kind="remove" flow={remove} busy={remove.status === 'removing'} />;
}
