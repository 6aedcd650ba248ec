export { RemoveDialog } from './remove-dialog.js';
export type { RemoveDialogProps, RemoveDialogPart } from './remove-dialog.js';
