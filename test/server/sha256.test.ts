import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/server/sha256.js';

describe('sha256Hex', () => {
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_000])('matches node:crypto for %i bytes', (length) => {
    const text = Array.from({ length }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('hashes the UTF-8 bytes of text outside ASCII', () => {
    const text = 'Müller & Söhne 名前 🍍';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('gives the known digest of "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
