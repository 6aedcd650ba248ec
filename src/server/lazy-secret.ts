/** A secret setting: the value, a function that reads it (from a secret store), or undefined while it is unset. */
export type SecretSource = string | (() => string | undefined) | undefined;

/**
 * Reads a secret (the API key, a webhook signing secret) when it is first needed, not at creation, so the module
 * that creates the handler can be imported where it is not set (`next build`, a Docker image build). `problemOf`
 * says what is wrong with a value (undefined when it is fine). A string that is obviously wrong is a mistake in
 * code: it throws at once. Otherwise a problem is logged once and the reader answers undefined (the handler
 * answers 500) until a good value arrives, which is then `prepare`d once and kept.
 */
export function lazySecret<T>(source: SecretSource, problemOf: (value: string | undefined) => string | undefined, prepare: (value: string) => T): () => T | undefined {
  if (typeof source === 'string' && source && problemOf(source)) throw new Error(`billpay-connect: ${problemOf(source)}`);
  let ready: T | undefined;
  let reported = false;
  return () => {
    if (ready !== undefined) return ready;
    const value = typeof source === 'function' ? source() : source;
    const problem = problemOf(value);
    if (problem || !value) {
      if (!reported) console.error(`billpay-connect: ${problem}`);
      reported = true;
      return undefined;
    }
    ready = prepare(value);
    return ready;
  };
}
