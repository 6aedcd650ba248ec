export * from './core/index.js';
export * from './hooks/index.js';
// Styled components (one line per component):
