/**
 * True when the proxy's upstream is the kit's local sandbox server (plain http on loopback), whose Link pages
 * the kit refuses unless the host allows insecure loopback. A real Codat Link URL is https; the policy stays
 * strict there. Read per request, so one build runs against the sandbox and against Codat.
 */
export function usesLocalSandbox(): boolean {
  return /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/?$/.test(process.env.CODAT_BASE_URL ?? '');
}
