import { describe, expectTypeOf, it } from 'vitest';
import type { BillPayError, BillPayErrorCode, Company, Connection, LinkReturn } from '../../src/core/index.js';
import type {
  ConnectionFlowStatus,
  ConnectionsStatus,
  CreateCompanyStatus,
  LinkReturnStatus,
  PlatformsStatus,
  RemoveStatus,
  UnlinkStatus,
  UseConnectionResult,
  UseConnectionsResult,
  UseCreateCompanyResult,
  UseLinkReturnResult,
  UsePlatformsResult,
  UseRemoveResult,
  UseUnlinkResult,
} from '../../src/hooks/index.js';

describe('result unions narrow on status', () => {
  it('useCreateCompany: company only on success, error only on error', () => {
    const r = {} as UseCreateCompanyResult;
    expectTypeOf(r.status).toEqualTypeOf<CreateCompanyStatus>();
    if (r.status === 'success') {
      expectTypeOf(r.company).toEqualTypeOf<Company>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'error') {
      expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
      expectTypeOf(r.error.code).toEqualTypeOf<BillPayErrorCode>();
      expectTypeOf(r.company).toEqualTypeOf<undefined>();
    }
    if (r.status === 'idle' || r.status === 'creating') {
      expectTypeOf(r.company).toEqualTypeOf<undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    expectTypeOf(r.create).returns.resolves.toEqualTypeOf<Company | undefined>();
  });

  it('useConnection: a connection once it exists, an error on every failure status', () => {
    const r = {} as UseConnectionResult;
    expectTypeOf(r.status).toEqualTypeOf<ConnectionFlowStatus>();
    if (r.status === 'idle') {
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'loading' || r.status === 'creating') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection | undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'ready' || r.status === 'awaiting-auth' || r.status === 'redirecting' || r.status === 'linked') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'cancelled') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection>();
      expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    }
    if (r.status === 'blocked' || r.status === 'error') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection | undefined>();
      expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    }
    expectTypeOf(r.connect).returns.resolves.toEqualTypeOf<Connection | undefined>();
    expectTypeOf(r.refresh).returns.resolves.toEqualTypeOf<Connection | undefined>();
  });

  it('useUnlink: the connection once unlinked, the error on error', () => {
    const r = {} as UseUnlinkResult;
    expectTypeOf(r.status).toEqualTypeOf<UnlinkStatus>();
    if (r.status === 'unlinked') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'error') {
      expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
    }
    if (r.status === 'idle' || r.status === 'confirming' || r.status === 'unlinking') {
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    expectTypeOf(r.confirm).returns.resolves.toEqualTypeOf<Connection | undefined>();
  });

  it('useRemove: the last-read connection once removed, the error on error', () => {
    const r = {} as UseRemoveResult;
    expectTypeOf(r.status).toEqualTypeOf<RemoveStatus>();
    if (r.status === 'removed') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection | undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'error') {
      expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
    }
    if (r.status === 'idle' || r.status === 'confirming' || r.status === 'removing') {
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    expectTypeOf(r.confirm).returns.resolves.toEqualTypeOf<Connection | undefined>();
  });

  it('useConnections: the error only on error', () => {
    const r = {} as UseConnectionsResult;
    expectTypeOf(r.status).toEqualTypeOf<ConnectionsStatus>();
    if (r.status === 'error') expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    if (r.status !== 'error') expectTypeOf(r.error).toEqualTypeOf<undefined>();
    expectTypeOf(r.connections).toEqualTypeOf<readonly Connection[]>();
  });

  it('usePlatforms: the error only on error', () => {
    const r = {} as UsePlatformsResult;
    expectTypeOf(r.status).toEqualTypeOf<PlatformsStatus>();
    if (r.status === 'error') expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
    if (r.status === 'success' || r.status === 'loading') expectTypeOf(r.error).toEqualTypeOf<undefined>();
  });

  it('useLinkReturn: a confirmed connection only when linked, an error when failed or on error', () => {
    const r = {} as UseLinkReturnResult;
    expectTypeOf(r.status).toEqualTypeOf<LinkReturnStatus>();
    if (r.status === 'linked') {
      expectTypeOf(r.connection).toEqualTypeOf<Connection>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
    if (r.status === 'pending') expectTypeOf(r.connection).toEqualTypeOf<Connection | undefined>();
    if (r.status === 'failed' || r.status === 'error') {
      expectTypeOf(r.error).toEqualTypeOf<BillPayError>();
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
    }
    if (r.status === 'none' || r.status === 'checking' || r.status === 'invalid') {
      expectTypeOf(r.connection).toEqualTypeOf<undefined>();
      expectTypeOf(r.error).toEqualTypeOf<undefined>();
    }
  });

  it('does not let an error be read without narrowing first', () => {
    const r = {} as UseCreateCompanyResult;
    // @ts-expect-error error may be undefined until status is narrowed to 'error'
    expectTypeOf(r.error.code).toEqualTypeOf<BillPayErrorCode>();
    const c = {} as UseConnectionResult;
    // @ts-expect-error connection may be undefined until status is narrowed
    expectTypeOf(c.connection.linkUrl).toEqualTypeOf<string>();
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
    if (link.status === 'error') expectTypeOf(link.errorMessage).toEqualTypeOf<string | undefined>();
    if (link.status === 'success') expectTypeOf(link.outcome).toEqualTypeOf<'linked' | 'unchanged'>();
    if (link.status === 'error') expectTypeOf(link.outcome).toEqualTypeOf<'cancelled' | 'not-supported' | 'failed'>();
    if (link.status === 'invalid') expectTypeOf(link.reason).toEqualTypeOf<string>();
  });
});
