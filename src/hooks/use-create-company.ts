import { useCallback, useState } from 'react';
import { toBillPayError, type BillPayError, type Company, type CreateCompanyInput } from '../core/index.js';
import { useCodatContext, type HookClientOptions } from './codat-provider.js';
import { notify, useLatest, useLifecycle, useSingleFlight } from './internal.js';

/** Options of `useCreateCompany`. */
export interface UseCreateCompanyOptions extends HookClientOptions {
  /** Fires once when the company is created. */
  onCompanyCreated?: ((company: Company) => void) | undefined;
  /** Fires once per failed attempt. */
  onError?: ((error: BillPayError) => void) | undefined;
}

/** Status of `useCreateCompany`. */
export type CreateCompanyStatus = 'idle' | 'creating' | 'success' | 'error';

/** State of `useCreateCompany`, a union on `status`. */
export type CreateCompanyState =
  | { status: 'idle'; company: undefined; error: undefined }
  | { status: 'creating'; company: undefined; error: undefined }
  | { status: 'success'; company: Company; error: undefined }
  | { status: 'error'; company: undefined; error: BillPayError };

/** Result of `useCreateCompany`. */
export type UseCreateCompanyResult = CreateCompanyState & {
  /**
   * Creates the company (name trimmed and validated first). Calls made while one is in flight share it:
   * one POST. Never rejects: resolves the company, or undefined on failure (the error is in state).
   */
  create: (input: CreateCompanyInput) => Promise<Company | undefined>;
  /** Back to idle. */
  reset: () => void;
};

const idle: CreateCompanyState = { status: 'idle', company: undefined, error: undefined };

/** Creates the host's small-business customer as a Codat company. */
export function useCreateCompany(options: UseCreateCompanyOptions = {}): UseCreateCompanyResult {
  const { client } = useCodatContext('useCreateCompany', options);
  const [state, setState] = useState<CreateCompanyState>(idle);
  const callbacks = useLatest({ onCompanyCreated: options.onCompanyCreated, onError: options.onError });
  const { signal, isMounted } = useLifecycle();
  const flight = useSingleFlight<Company | undefined>(signal);

  const create = useCallback(
    (input: CreateCompanyInput): Promise<Company | undefined> => {
      if (flight.pending) return flight.pending;
      setState({ status: 'creating', company: undefined, error: undefined });
      return flight.run((s) =>
        client.createCompany(input, { signal: s }).then(
          (company) => {
            if (isMounted()) {
              setState({ status: 'success', company, error: undefined });
              notify(callbacks.current.onCompanyCreated, company);
            }
            return company;
          },
          (cause: unknown) => {
            const error = toBillPayError(cause, 'createCompany');
            if (isMounted() && !s.aborted) {
              setState({ status: 'error', company: undefined, error });
              notify(callbacks.current.onError, error);
            }
            return undefined;
          },
        ),
      );
    },
    [client, flight, isMounted, callbacks],
  );

  const reset = useCallback(() => setState(idle), []);
  return { ...state, create, reset };
}
