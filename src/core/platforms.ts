/** A platform the customer can connect, as the kit shows it. */
export interface Platform {
  /** The 4-letter Codat platform key, e.g. `qhyg`. */
  key: string;
  /** Display name, e.g. "QuickBooks Online". */
  name: string;
  /** Up to two letters shown when no logo is available. */
  monogram: string;
  /** Brand colour for the monogram tile (a CSS colour). */
  brandColor: string;
  /** Remote logo URL from the integrations endpoint; the styled kit only shows it when the host opts in. */
  logoUrl?: string | undefined;
  /** True for platforms that need a desktop connector (QuickBooks Desktop). */
  isOfflineConnector: boolean;
  /** True while Codat labels the integration beta. */
  isBeta: boolean;
  /** Whether the integration is enabled for the host's Codat client. */
  enabled: boolean;
}

/** The six accounting platforms Codat Bill Pay supports, in display order. Used when the integrations endpoint is not. */
export const BILL_PAY_PLATFORMS: readonly Platform[] = Object.freeze([
  { key: 'pdvj', name: 'MYOB Business', monogram: 'MY', brandColor: '#6100a5', isOfflineConnector: false, isBeta: false, enabled: true },
  { key: 'akxx', name: 'Oracle NetSuite', monogram: 'NS', brandColor: '#1a3f5c', isOfflineConnector: false, isBeta: false, enabled: true },
  { key: 'qhyg', name: 'QuickBooks Online', monogram: 'QB', brandColor: '#1d7a12', isOfflineConnector: false, isBeta: false, enabled: true },
  { key: 'pqsw', name: 'QuickBooks Desktop', monogram: 'QD', brandColor: '#236b15', isOfflineConnector: true, isBeta: false, enabled: true },
  { key: 'knfz', name: 'Sage Intacct', monogram: 'SI', brandColor: '#007e45', isOfflineConnector: false, isBeta: false, enabled: true },
  { key: 'gbol', name: 'Xero', monogram: 'X', brandColor: '#0f6c8c', isOfflineConnector: false, isBeta: false, enabled: true },
].map((p) => Object.freeze(p)));

/** The Bill Pay platform keys. */
export const BILL_PAY_PLATFORM_KEYS: readonly string[] = Object.freeze(BILL_PAY_PLATFORMS.map((p) => p.key));

/** Finds a built-in platform by key. */
export function findPlatform(key: string | undefined): Platform | undefined {
  return key === undefined ? undefined : BILL_PAY_PLATFORMS.find((p) => p.key === key);
}

/** Case- and accent-insensitive filter on name and key, as the picker's search field uses it. */
export function filterPlatforms<T extends { key: string; name: string }>(platforms: readonly T[], text: string): T[] {
  const needle = fold(text.trim());
  if (needle === '') return [...platforms];
  return platforms.filter((p) => fold(p.name).includes(needle) || p.key === needle);
}

function fold(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
