export { PlatformPicker } from './platform-picker.js';
export type { PlatformPickerProps, PlatformPickerPart } from './platform-picker.js';
