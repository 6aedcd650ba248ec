import { useEffect, useState } from 'react';

/**
 * While the dialog is mounted, makes everything outside it `inert` and stops the page behind from
 * scrolling. Radix hides the rest of the page with aria-hidden, which leaves it focusable (axe:
 * aria-hidden-focus); inert makes it truly unreachable. Radix's scroll lock injects a <style> element,
 * which a strict CSP refuses; setting the root's style properties through the CSSOM is allowed.
 */
export function IsolateOthers() {
  const [marker, setMarker] = useState<HTMLSpanElement | null>(null);
  useEffect(() => {
    const content = marker?.parentElement;
    if (!content) return;
    const changed: HTMLElement[] = [];
    for (let node: HTMLElement = content; node.parentElement && node !== document.body; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert && sibling.tagName !== 'SCRIPT') {
          sibling.inert = true;
          changed.push(sibling);
        }
      }
    }
    const html = document.documentElement;
    const { overflow, paddingRight } = html.style;
    // Keep the layout still where the scrollbar was.
    const gutter = html.clientWidth && window.innerWidth - html.clientWidth;
    if (gutter > 0) html.style.paddingRight = `${parseFloat(getComputedStyle(html).paddingRight) + gutter}px`;
    html.style.overflow = 'hidden';
    return () => {
      for (const el of changed) el.inert = false;
      Object.assign(html.style, { overflow, paddingRight });
    };
  }, [marker]);
  return <span ref={setMarker} hidden />;
}
