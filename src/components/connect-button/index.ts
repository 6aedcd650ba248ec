export { ConnectButton } from './connect-button.js';
export type { ConnectButtonProps, ConnectButtonPart } from './connect-button.js';
