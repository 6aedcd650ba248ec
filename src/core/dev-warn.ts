const everWarned = new Set<string>();

/**
 * Warns a host's developers once per `key`, in development builds only: bundlers replace
 * `process.env.NODE_ENV`, and a page without a bundler (no `process`) counts as production. Guard each call
 * site with `process.env.NODE_ENV !== 'production'` too, so production bundles drop the message text. Pass
 * `warned` to warn once per owner (a provider) rather than once per page.
 */
export function devWarn(key: string, message: string, warned: Set<string> = everWarned): void {
  if (typeof process === 'undefined' || process.env.NODE_ENV === 'production' || warned.has(key)) return;
  warned.add(key);
  console.warn(`billpay-connect: ${message}`);
}
