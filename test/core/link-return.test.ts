import { describe, expect, it } from 'vitest';
import { isLinkPopup, LINK_POPUP_NAME } from '../../src/core/index.js';

describe('isLinkPopup', () => {
  it('recognises the kit’s popup names and nothing else', () => {
    expect(LINK_POPUP_NAME).toBe('bpc-link');
    expect(isLinkPopup('bpc-link')).toBe(true);
    expect(isLinkPopup('bpc-link:r1')).toBe(true);
    expect(isLinkPopup('bpc-linked')).toBe(false);
    expect(isLinkPopup('')).toBe(false);
  });

  it('reads no window on the server', () => {
    expect(typeof window).toBe('undefined');
    expect(isLinkPopup()).toBe(false);
  });
});
