import { describe, expect, it } from 'vitest';
import { createCodatProxy } from '../../src/server/index.js';

// Issue 17: what a misbehaving Codat, host callback or client could do to the proxy, each reproduced here.

const key = btoa('>>>???secret-key-123');

describe('timeoutMs and the other limits', () => {
  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 31], [2 ** 29], ['1000']])('refuses timeoutMs %s at creation with a TypeError', (timeoutMs) => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: timeoutMs as number })).toThrow(TypeError);
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: timeoutMs as number })).toThrow(/timeoutMs/);
  });

  it('accepts the largest timeoutMs whose four-times wait a timer can hold, and a fraction of a millisecond', () => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: Math.floor(0x7fffffff / 4) })).not.toThrow();
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, timeoutMs: 0.5 })).not.toThrow();
  });

  it.each([
    ['maxBodyBytes', Number.NaN],
    ['maxBodyBytes', Number.POSITIVE_INFINITY],
    ['maxBodyBytes', 0],
  ])('refuses %s of %s at creation with a TypeError', (name, value) => {
    expect(() => createCodatProxy({ apiKey: key, authorize: () => true, [name]: value })).toThrow(TypeError);
  });
});
