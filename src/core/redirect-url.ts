/**
 * The Codat placeholders the kit reads, as a query string to put on the Redirect URL in the Codat Portal
 * (Settings > Auth flow > Redirects). Codat substitutes each `{placeholder}` and appends nothing itself.
 */
export const LINK_REDIRECT_QUERY =
  'companyId={companyId}&connectionId={connectionId}&platform={platform}&statusCode={statusCode}&errorMessage={errorMessage}&statusText={statusText}';

/**
 * The Redirect URL to paste into the Codat Portal for the page that handles the return (the page with the
 * kit's provider on it): that page's URL with the kit's placeholders added, keeping its own query.
 * `linkRedirectUrl('https://app.example/codat/return')` gives
 * `https://app.example/codat/return?companyId={companyId}&connectionId={connectionId}&platform={platform}&statusCode={statusCode}&errorMessage={errorMessage}&statusText={statusText}`.
 */
export function linkRedirectUrl(pageUrl: string): string {
  const [base = '', hash] = pageUrl.split('#', 2);
  const joined = base.includes('?') ? `${base.replace(/[?&]$/, '')}&${LINK_REDIRECT_QUERY}` : `${base}?${LINK_REDIRECT_QUERY}`;
  return hash === undefined ? joined : `${joined}#${hash}`;
}
