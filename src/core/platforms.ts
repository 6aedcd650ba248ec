/** A platform the customer can connect, as the kit shows it. */
export interface Platform {
  /** The 4-letter Codat platform key, e.g. `qhyg`. */
  key: string;
  /** Display name, e.g. "QuickBooks Online". */
  name: string;
  /** Up to two letters shown when no logo is available. */
  monogram: string;
  /** The monogram's background colour (a CSS colour), as the stylesheet paints it; white letters go on it. */
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

/**
 * Which of Codat's two Bill Pay solutions the platforms come from: `sync`, the current (synchronous)
 * Bill Pay, or `async`, the asynchronous Bill Pay this kit started from.
 */
export type BillPayPlatformList = 'sync' | 'async';

type Row = [key: string, name: string, monogram: string, brandColor: string, isOfflineConnector?: boolean];

const platform = ([key, name, monogram, brandColor, isOfflineConnector = false]: Row): Platform =>
  Object.freeze({ key, name, monogram, brandColor, isOfflineConnector, isBeta: false, enabled: true });

const freeAgent: Row = ['fbrh', 'FreeAgent', 'FA', '#d12c94'];
const netSuite: Row = ['akxx', 'Oracle NetSuite', 'NS', '#536cd4'];
const quickBooksOnline: Row = ['qhyg', 'QuickBooks Online', 'QB', '#1f860f'];
const sageIntacct: Row = ['knfz', 'Sage Intacct', 'SI', '#008469'];
const xero: Row = ['gbol', 'Xero', 'X', '#007caa'];

/** The platforms of Codat's current, synchronous Bill Pay, in display order: the kit's default list. */
export const BILL_PAY_SYNC_PLATFORMS: readonly Platform[] = Object.freeze(
  [freeAgent, netSuite, quickBooksOnline, sageIntacct, xero, ['rwuv', 'Zoho Books', 'ZB', '#db303c'] as Row].map(platform),
);

/** The platforms of Codat's asynchronous Bill Pay, in display order. QuickBooks Desktop needs Codat's desktop connector. */
export const BILL_PAY_ASYNC_PLATFORMS: readonly Platform[] = Object.freeze(
  [
    ['pdvj', 'MYOB Business', 'MY', '#a246de'] as Row,
    netSuite,
    quickBooksOnline,
    ['pqsw', 'QuickBooks Desktop', 'QD', '#b65a0a', true] as Row,
    sageIntacct,
    xero,
  ].map(platform),
);

/** The default platform list: Codat's current (synchronous) Bill Pay. */
export const BILL_PAY_PLATFORMS: readonly Platform[] = BILL_PAY_SYNC_PLATFORMS;

/** The keys of the default (synchronous) Bill Pay list. */
export const BILL_PAY_PLATFORM_KEYS: readonly string[] = Object.freeze(BILL_PAY_PLATFORMS.map((p) => p.key));

/** The keys of both Bill Pay lists: what the client accepts unless told otherwise. */
export const ALL_BILL_PAY_PLATFORM_KEYS: readonly string[] = Object.freeze([
  ...new Set([...BILL_PAY_SYNC_PLATFORMS, ...BILL_PAY_ASYNC_PLATFORMS].map((p) => p.key)),
]);

/** The built-in platforms of one Bill Pay solution. @default 'sync' */
export function billPayPlatforms(list: BillPayPlatformList = 'sync'): readonly Platform[] {
  return list === 'async' ? BILL_PAY_ASYNC_PLATFORMS : BILL_PAY_SYNC_PLATFORMS;
}

/** Finds a built-in platform of either Bill Pay list by key. */
export function findPlatform(key: string | undefined): Platform | undefined {
  if (key === undefined) return undefined;
  return BILL_PAY_SYNC_PLATFORMS.find((p) => p.key === key) ?? BILL_PAY_ASYNC_PLATFORMS.find((p) => p.key === key);
}

/** Finds a built-in platform of either Bill Pay list by its display name (Codat's `platformName`), ignoring case. */
export function findPlatformByName(name: string | undefined): Platform | undefined {
  const wanted = name?.trim().toLowerCase();
  if (!wanted) return undefined;
  return [...BILL_PAY_SYNC_PLATFORMS, ...BILL_PAY_ASYNC_PLATFORMS].find((p) => p.name.toLowerCase() === wanted);
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
