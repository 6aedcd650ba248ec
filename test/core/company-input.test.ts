import { describe, expect, it } from 'vitest';
import { normalizeCompanyName, stripCompanyName, validateCompanyInput, validatePlatformKey } from '../../src/core/index.js';

const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

describe('validateCompanyInput follows Codat’s company rules', () => {
  it('strips the characters Codat strips from a name, as Codat does', () => {
    expect(normalizeCompanyName('Company (Codat[1])')).toBe('Company Codat1');
    expect(validateCompanyInput({ name: '  Smith & Sons, Ltd. @ Home? Yes!  ' }).name).toBe("Smith & Sons, Ltd. @ Home? Yes!");
    expect(validateCompanyInput({ name: "O'Brien-Lee #2 <b>" }).name).toBe("O'Brien-Lee 2 b");
  });

  it('folds accents before stripping, so an accented name keeps its letters where Codat would drop them', () => {
    expect(stripCompanyName('Müller & Søn Café')).toBe('Mller & Sn Caf');
    expect(normalizeCompanyName('Müller & Co (UK)')).toBe('Muller & Co UK');
    expect(validateCompanyInput({ name: 'Crème Brûlée Ltd.' }).name).toBe('Creme Brulee Ltd.');
    expect(() => validateCompanyInput({ name: '株式会社' })).toThrowError(expect.objectContaining({ code: 'invalid-input', field: 'name' }));
  });

  it('refuses a name made only of characters Codat strips, naming the field and what is allowed', () => {
    expect(() => validateCompanyInput({ name: '()[]{}#' })).toThrowError(
      expect.objectContaining({ code: 'invalid-input', field: 'name', message: expect.stringMatching(/letters or numbers/) }),
    );
  });

  it('accepts ten tags and refuses eleven', () => {
    expect(validateCompanyInput({ name: 'Acme', tags: tags(10) }).tags).toEqual(tags(10));
    expect(() => validateCompanyInput({ name: 'Acme', tags: tags(11) })).toThrowError(
      expect.objectContaining({ code: 'invalid-input', field: 'tags', message: expect.stringMatching(/at most 10 tags/) }),
    );
  });

  it('refuses a tag key over 27 characters, an empty key and a value over 100', () => {
    expect(validateCompanyInput({ name: 'Acme', tags: { ['k'.repeat(27)]: 'v'.repeat(100) } }).tags).toBeDefined();
    for (const bad of [{ ['k'.repeat(28)]: 'v' }, { '': 'v' }, { uid: 'v'.repeat(101) }]) {
      expect(() => validateCompanyInput({ name: 'Acme', tags: bad })).toThrowError(expect.objectContaining({ code: 'invalid-input', field: 'tags' }));
    }
  });

  it('refuses a tag value that is not a string', () => {
    expect(() => validateCompanyInput({ name: 'Acme', tags: { uid: 7 } as unknown as Record<string, string> })).toThrowError(
      expect.objectContaining({ code: 'invalid-input', field: 'tags' }),
    );
  });
});

describe('validatePlatformKey', () => {
  it('accepts the keys of both Bill Pay lists by default and refuses others', () => {
    for (const key of ['fbrh', 'rwuv', 'pdvj', 'pqsw', 'gbol']) expect(validatePlatformKey(key)).toBe(key);
    expect(() => validatePlatformKey('mqjo')).toThrowError(expect.objectContaining({ code: 'invalid-input', field: 'platformKey' }));
    expect(validatePlatformKey('mqjo', { platformKeys: ['mqjo'] })).toBe('mqjo');
  });
});
