import { describe, expect, it } from 'vitest';
import {
  ALL_BILL_PAY_PLATFORM_KEYS,
  BILL_PAY_ASYNC_PLATFORMS,
  BILL_PAY_PLATFORMS,
  BILL_PAY_PLATFORM_KEYS,
  BILL_PAY_SYNC_PLATFORMS,
  billPayPlatforms,
  findPlatform,
} from '../../src/core/index.js';

const names = (list: readonly { name: string }[]) => list.map((p) => p.name);

describe('Bill Pay platform lists', () => {
  it('offers Codat’s current, synchronous Bill Pay platforms by default', () => {
    expect(BILL_PAY_PLATFORMS).toBe(BILL_PAY_SYNC_PLATFORMS);
    expect(billPayPlatforms()).toBe(BILL_PAY_SYNC_PLATFORMS);
    expect(BILL_PAY_PLATFORM_KEYS).toEqual(['fbrh', 'akxx', 'qhyg', 'knfz', 'gbol', 'rwuv']);
    expect(names(BILL_PAY_SYNC_PLATFORMS)).toEqual(['FreeAgent', 'Oracle NetSuite', 'QuickBooks Online', 'Sage Intacct', 'Xero', 'Zoho Books']);
  });

  it('keeps the asynchronous Bill Pay list, with QuickBooks Desktop as an offline connector', () => {
    expect(billPayPlatforms('async')).toBe(BILL_PAY_ASYNC_PLATFORMS);
    expect(BILL_PAY_ASYNC_PLATFORMS.map((p) => p.key)).toEqual(['pdvj', 'akxx', 'qhyg', 'pqsw', 'knfz', 'gbol']);
    expect(BILL_PAY_ASYNC_PLATFORMS.filter((p) => p.isOfflineConnector).map((p) => p.name)).toEqual(['QuickBooks Desktop']);
    expect(BILL_PAY_SYNC_PLATFORMS.some((p) => p.isOfflineConnector)).toBe(false);
  });

  it('finds a platform of either list and accepts the keys of both', () => {
    expect(findPlatform('rwuv')?.name).toBe('Zoho Books');
    expect(findPlatform('pqsw')?.name).toBe('QuickBooks Desktop');
    expect(findPlatform('mqjo')).toBeUndefined();
    expect([...ALL_BILL_PAY_PLATFORM_KEYS].sort()).toEqual(['akxx', 'fbrh', 'gbol', 'knfz', 'pdvj', 'pqsw', 'qhyg', 'rwuv']);
  });

  it('gives every platform a distinct monogram and a frozen entry', () => {
    const all = [...BILL_PAY_SYNC_PLATFORMS, ...BILL_PAY_ASYNC_PLATFORMS];
    const byKey = new Map(all.map((p) => [p.key, p.monogram]));
    expect(new Set(byKey.values()).size).toBe(byKey.size);
    expect(all.every((p) => Object.isFrozen(p))).toBe(true);
    expect(Object.isFrozen(BILL_PAY_SYNC_PLATFORMS) && Object.isFrozen(BILL_PAY_ASYNC_PLATFORMS)).toBe(true);
  });
});
