export { ConnectDialog } from './connect-dialog.js';
export type { ConnectDialogProps, ConnectDialogPart } from './connect-dialog.js';
