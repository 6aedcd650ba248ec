import type { UseUnlinkResult } from '../../hooks/index.js';
import { ConfirmDialog, type ConfirmDialogPart, type ConfirmDialogProps } from '../shared/confirm-dialog.js';

/** Parts of `UnlinkDialog` that take classes. */
export type UnlinkDialogPart = ConfirmDialogPart;

/** Props of `UnlinkDialog`. */
export interface UnlinkDialogProps extends ConfirmDialogProps {
  /** The `useUnlink` result that drives the dialog. */
  unlink: UseUnlinkResult;
}

/**
 * The unlink confirmation: a Radix Dialog with alert-dialog semantics. It says that unlinking keeps the data
 * already synced and is undone by reconnecting. Focus starts on Cancel, Escape cancels (except while
 * unlinking), clicks outside do nothing, a failure keeps it open with the error and a retry, success closes
 * it. The page behind is inert and does not scroll; the dialog injects no styles, so it works under
 * `default-src 'self'`.
 */
export function UnlinkDialog({ unlink, ...props }: UnlinkDialogProps) {
  return <ConfirmDialog {...props} kind="unlink" flow={unlink} busy={unlink.status === 'unlinking'} />;
}
