/**
 * The largest `timeoutMs`: a keyed create waits four times `timeoutMs`, and a timer holds at most 2^31-1 ms
 * (a longer one fires at once, which would turn every request into a timeout).
 */
export const MAX_TIMEOUT_MS = Math.floor(0x7fffffff / 4);

/** Bounds of a numeric option. */
interface LimitRule {
  /** Smallest value allowed (inclusive). @default a value above 0 */
  min?: number;
  /** Largest value allowed (inclusive). @default Number.MAX_SAFE_INTEGER */
  max?: number;
  /** Whether only whole numbers make sense (bytes, counts). @default false */
  integer?: boolean;
  /** How the value is counted, for the message. */
  unit: string;
}

/**
 * A numeric option of `createCodatProxy`, checked when the proxy is created: `fallback` when left out, the value
 * when it is a finite number within the rule, otherwise a TypeError naming the option. A NaN from an unset
 * environment variable, 0 or Infinity is a mistake in code; taken as given it would turn every request into an
 * immediate timeout or remove the limit, so it fails at start-up rather than at the first request.
 */
export function checkedLimit(name: string, value: unknown, fallback: number, rule: LimitRule): number {
  if (value === undefined) return fallback;
  const { min, max = Number.MAX_SAFE_INTEGER, integer = false, unit } = rule;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined ? value > 0 : value >= min) &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    const lowest = min === undefined ? 'greater than 0' : `at least ${min}`;
    throw new TypeError(
      `billpay-connect: createCodatProxy's ${name} must be ${integer ? 'a whole number' : 'a number'} of ${unit} ${lowest} and at most ${max} (got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}).`,
    );
  }
  return value;
}

/**
 * The `platformKeys` option, checked when the proxy is created: `fallback` when left out, otherwise a copy of a
 * non-empty array of four-letter lower-case keys (the shape Codat's keys have), or a TypeError.
 */
export function checkedPlatformKeys(value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length === 0 || !value.every((key) => typeof key === 'string' && /^[a-z]{4}$/.test(key))) {
    throw new TypeError("billpay-connect: createCodatProxy's platformKeys must be a non-empty array of four-letter lower-case platform keys, such as ['gbol', 'qhyg'].");
  }
  return Object.freeze([...(value as string[])]);
}
