import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIVISIONS } from './divisions.ts';
import { makeUscc, normaliseUscc, USCC_ALPHABET, USCC_AUTHORITIES, validateUscc } from './uscc.ts';

const VALID = ['91110000600037341L', '9144030071526726XG', '91350100M000100Y43', '91512081MA62K0260E'];

const reasonOf = (value: string): string => {
  const r = validateUscc(value);
  if (r.ok) throw new Error(`${value} unexpectedly valid`);
  return r.reason;
};

const authorityAndCategory = fc.constantFrom(
  ...Object.entries(USCC_AUTHORITIES).flatMap(([a, { categories }]) =>
    Object.keys(categories).map((c) => [a, c] as const),
  ),
);
const usccParts = fc.record({
  ac: authorityAndCategory,
  division: fc.constantFrom('100000', '110000', ...DIVISIONS.map((d) => d.code)),
  body: fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 8, maxLength: 8 }),
});
const validUscc = usccParts.map(({ ac, division, body }) => makeUscc(ac[0], ac[1], division, body));

describe('validateUscc', () => {
  it('accepts the GB 32100-2015 examples and splits them into their parts', () => {
    for (const code of VALID) expect(validateUscc(code).ok).toBe(true);
    expect(validateUscc('91110000600037341L')).toEqual({
      ok: true,
      authority: '9',
      category: '1',
      division: '110000',
      orgCode: '600037341',
    });
    expect(validateUscc('91512081MA62K0260E')).toMatchObject({ division: '512081', orgCode: 'MA62K0260' });
  });

  it('names the expected check character when it is wrong', () => {
    expect(reasonOf('91110000600037341M')).toBe('check character should be L');
  });

  it('names the character and position outside the alphabet', () => {
    expect(reasonOf('9111000060003734IL')).toMatch(/^character "I" is not allowed at position 17/);
    expect(reasonOf('91110000600O37341L')).toMatch(/^character "O" is not allowed at position 12/);
  });

  it('names the expected organization-code check digit (position 17)', () => {
    // Changing position 17 alone breaks the inner GB 11714 check before the outer one is reached.
    expect(reasonOf('91110000600037342L')).toBe('organization-code check digit should be 1');
    expect(reasonOf('91512081MA62K0268E')).toBe('organization-code check digit should be 0');
  });

  it('rejects unknown registering authorities and categories', () => {
    expect(reasonOf('B1110000600037341L')).toMatch(/unknown registering authority "B"/);
    expect(reasonOf('94110000600037341L')).toMatch(
      /unknown organization category "4" for registering authority "9"/,
    );
    expect(reasonOf('Y2110000600037341L')).toMatch(/unknown organization category "2"/);
  });

  it('rejects a division code outside any province', () => {
    expect(reasonOf('91990000600037341L')).toMatch(/administrative division code 990000/);
    expect(reasonOf('911A0000600037341L')).toMatch(/administrative division code 1A0000/);
  });

  it('explains a wrong length', () => {
    expect(reasonOf('91110000600037341')).toBe('must be 18 characters, got 17');
  });

  it('accepts lower case and surrounding blanks, and reports the parts in upper case', () => {
    expect(validateUscc(' 91512081ma62k0260e ')).toMatchObject({ ok: true, orgCode: 'MA62K0260' });
    expect(normaliseUscc(' 91512081ma62k0260e ')).toBe('91512081MA62K0260E');
  });

  it('validates whatever makeUscc builds and gives back its parts', () => {
    fc.assert(
      fc.property(usccParts, ({ ac, division, body }) => {
        const code = makeUscc(ac[0], ac[1], division, body);
        const r = validateUscc(code);
        expect(r).toEqual({
          ok: true,
          authority: ac[0],
          category: ac[1],
          division,
          orgCode: code.slice(8, 17),
        });
        expect(code.slice(8, 16)).toBe(body);
      }),
    );
  });

  it('rebuilds the examples from their parts', () => {
    for (const code of VALID) {
      expect(makeUscc(code[0]!, code[1]!, code.slice(2, 8), code.slice(8, 16))).toBe(code);
    }
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        validUscc,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...USCC_ALPHABET),
        (code, at, ch) => {
          fc.pre(code[at] !== ch);
          expect(validateUscc(code.slice(0, at) + ch + code.slice(at + 1)).ok).toBe(false);
        },
      ),
    );
  });
});

describe('makeUscc', () => {
  it('rejects parts that cannot make a valid code', () => {
    expect(() => makeUscc('B', '1', '110000', '60003734')).toThrow(/registering authority/);
    expect(() => makeUscc('9', '9', '110000', '60003734')).toThrow(/organization category/);
    expect(() => makeUscc('9', '1', '990000', '60003734')).toThrow(/division/);
    expect(() => makeUscc('9', '1', '110000', '6000373')).toThrow(/organization code body/);
    expect(() => makeUscc('9', '1', '110000', '6000373I')).toThrow(/organization code body/);
  });
});
