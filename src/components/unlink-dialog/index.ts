export { UnlinkDialog } from './unlink-dialog.js';
export type { UnlinkDialogProps, UnlinkDialogPart } from './unlink-dialog.js';
