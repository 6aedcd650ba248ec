// Inline, decorative SVGs (the text beside them says it all): no icon font or image request, so a strict CSP
// holds. Left out when `unstyled`, whose CSS would not size or turn them.

/** Marks a busy control; the stylesheet turns it, and hides it under prefers-reduced-motion. */
export function Spinner({ unstyled }: { unstyled: boolean | undefined }) {
  return unstyled ? null : (
    <svg className="bpc-spinner" viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <circle cx="8" cy="8" r="6" opacity="0.3" />
      <path d="M14 8a6 6 0 0 0-6-6" strokeLinecap="round" />
    </svg>
  );
}

/** A check mark in `currentColor`. */
export function Check({ unstyled, className = 'bpc-check' }: { unstyled: boolean | undefined; className?: string | undefined }) {
  return unstyled ? null : (
    <svg className={className} viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2.25" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="m3.5 8.5 3 3 6-7" />
    </svg>
  );
}
