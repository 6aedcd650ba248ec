import { describe, expectTypeOf, it } from 'vitest';
import type { BillPayError, BillPayErrorCode, Company, Connection, LinkReturn } from '../../src/core/index.js';
import type {
  UseConnectionResult,
  UseConnectionsResult,
  UseCreateCompanyResult,
  UseLinkReturnResult,
  UsePlatformsResult,
  UseUnlinkResult,
} from '../../src/hooks/index.js';

describe('result unions narrow on status', () => {
  it('useCreateCompany', () => {
    const r = {} as UseCreateCompanyResult;
    if (r.status === 'success') expectTypeOf(r.company).toEqualTypeOf<Company>();
    if (r.status === 'error') expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    if (r.status === 'idle') expectTypeOf(r.error).toEqualTypeOf<undefined>();
  });

  it('useConnection', () => {
    const r = {} as UseConnectionResult;
    if (r.status === 'linked') expectTypeOf(r.connection).toEqualTypeOf<Connection>();
    if (r.status === 'error' || r.status === 'blocked' || r.status === 'cancelled') expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    if (r.status === 'idle') expectTypeOf(r.connection).toEqualTypeOf<undefined>();
    expectTypeOf(r.connect).returns.resolves.toEqualTypeOf<Connection | undefined>();
  });

  it('useUnlink', () => {
    const r = {} as UseUnlinkResult;
    if (r.status === 'unlinked') expectTypeOf(r.connection).toEqualTypeOf<Connection>();
    if (r.status === 'error') expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    if (r.status === 'confirming') expectTypeOf(r.error).toEqualTypeOf<undefined>();
  });

  it('useConnections, usePlatforms and useLinkReturn', () => {
    const list = {} as UseConnectionsResult;
    if (list.status === 'error') expectTypeOf(list.error).toEqualTypeOf<BillPayError>();
    const platforms = {} as UsePlatformsResult;
    if (platforms.status === 'success') expectTypeOf(platforms.error).toEqualTypeOf<undefined>();
    const back = {} as UseLinkReturnResult;
    if (back.status === 'linked') expectTypeOf(back.connection).toEqualTypeOf<Connection>();
    if (back.status === 'failed') expectTypeOf(back.error).toEqualTypeOf<BillPayError>();
  });

  it('error codes and link returns are closed unions', () => {
    expectTypeOf<BillPayErrorCode>().toEqualTypeOf<
      | 'network'
      | 'aborted'
      | 'timeout'
      | 'http'
      | 'rate-limited'
      | 'invalid-response'
      | 'invalid-input'
      | 'popup-blocked'
      | 'unsafe-link-url'
      | 'link-cancelled'
      | 'link-failed'
    >();
    const link = {} as LinkReturn;
    if (link.status === 'success') expectTypeOf(link.companyId).toEqualTypeOf<string>();
    if (link.status === 'invalid') expectTypeOf(link.reason).toEqualTypeOf<string>();
  });
});
