import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIVISIONS } from './divisions.ts';
import {
  ageOn,
  isMinorOn,
  makeResidentId,
  normaliseResidentId,
  residentIdCheckCharacter,
  validateResidentId,
} from './resident-id.ts';

const reasonOf = (value: string, opts?: { asOf?: Date }): string => {
  const r = validateResidentId(value, opts);
  if (r.ok) throw new Error(`${value} unexpectedly valid`);
  return r.reason;
};

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

const residentIdParts = fc.record({
  division: fc.constantFrom(...DIVISIONS.map((d) => d.code)),
  birthDate: fc
    .date({
      min: new Date('1800-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map(isoDate),
  order: fc.integer({ min: 1, max: 999 }),
});
const validResidentId = residentIdParts.map((p) => makeResidentId(p.division, p.birthDate, p.order));

describe('validateResidentId', () => {
  it('accepts the GB 11643-1999 examples and reads birth date, sex and division', () => {
    expect(validateResidentId('11010519491231002X')).toEqual({
      ok: true,
      birthDate: '1949-12-31',
      sex: 'female',
      division: '110105',
    });
    expect(validateResidentId('360426199101010071')).toEqual({
      ok: true,
      birthDate: '1991-01-01',
      sex: 'male',
      division: '360426',
    });
    expect(validateResidentId('440524188001010014')).toMatchObject({
      ok: true,
      birthDate: '1880-01-01',
      sex: 'male',
    });
  });

  it('names the expected check character when it is wrong', () => {
    expect(reasonOf('110105194912310021')).toBe('check character should be X');
  });

  it('accepts a lower-case x and surrounding blanks', () => {
    expect(validateResidentId('11010519491231002x').ok).toBe(true);
    expect(validateResidentId('  11010519491231002X\t').ok).toBe(true);
    expect(normaliseResidentId(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('explains malformed numbers precisely', () => {
    expect(reasonOf('1101051949123100')).toBe('must be 18 characters, got 16');
    expect(reasonOf('1101051949123100A2')).toBe('character 17 must be a digit');
    expect(reasonOf('11010519491231002Y')).toBe('character 18 must be a digit or X');
    expect(reasonOf('000000199101010071')).toBe('address code 000000 is not a valid administrative division');
    expect(reasonOf('990101199101010071')).toMatch(/address code 990101/);
    expect(reasonOf('110000199101010071')).toMatch(/address code 110000/);
  });

  it('rejects a birth date that does not exist, even with a correct check character', () => {
    const first17 = '11010519910230007';
    expect(reasonOf(first17 + residentIdCheckCharacter(first17))).toBe(
      'birth date 1991-02-30 does not exist',
    );
    const feb29In1900 = '11010519000229007';
    expect(reasonOf(feb29In1900 + residentIdCheckCharacter(feb29In1900))).toMatch(
      /1900-02-29 does not exist/,
    );
    expect(validateResidentId(makeResidentId('110105', '2000-02-29', 7)).ok).toBe(true);
  });

  it('rejects a birth date after the given as-of date, and only checks it when one is given', () => {
    const id = makeResidentId('440305', '2031-06-01', 12);
    expect(validateResidentId(id).ok).toBe(true);
    expect(reasonOf(id, { asOf: new Date('2031-05-31T23:00:00Z') })).toBe('birth date is in the future');
    expect(validateResidentId(id, { asOf: new Date('2031-06-01T00:00:00Z') }).ok).toBe(true);
  });

  it('accepts the residence-permit codes for Hong Kong, Macao and Taiwan residents', () => {
    for (const division of ['810000', '820000', '830000']) {
      expect(validateResidentId(makeResidentId(division, '1990-07-01', 1)).ok).toBe(true);
    }
  });

  it('validates whatever makeResidentId builds and gives back its birth date and sex', () => {
    fc.assert(
      fc.property(residentIdParts, ({ division, birthDate, order }) => {
        const r = validateResidentId(makeResidentId(division, birthDate, order));
        expect(r).toEqual({ ok: true, birthDate, sex: order % 2 === 1 ? 'male' : 'female', division });
      }),
    );
  });

  it('rejects every single-character change of a valid number', () => {
    fc.assert(
      fc.property(
        validResidentId,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        (id, at, ch) => {
          fc.pre(id[at] !== ch);
          const changed = id.slice(0, at) + ch + id.slice(at + 1);
          expect(validateResidentId(changed).ok).toBe(false);
        },
      ),
    );
  });

  it('MOD 11-2 alone catches every changed digit and every swap of adjacent digits in the first 17', () => {
    fc.assert(
      fc.property(
        validResidentId,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 0, max: 9 }),
        (id, at, d) => {
          const first17 = id.slice(0, 17);
          const changed = first17.slice(0, at) + d + first17.slice(at + 1);
          fc.pre(changed !== first17);
          expect(residentIdCheckCharacter(changed)).not.toBe(id[17]);
        },
      ),
    );
    fc.assert(
      fc.property(validResidentId, fc.integer({ min: 0, max: 15 }), (id, at) => {
        fc.pre(id[at] !== id[at + 1]);
        const swapped = id.slice(0, at) + id[at + 1] + id[at] + id.slice(at + 2, 17);
        expect(residentIdCheckCharacter(swapped)).not.toBe(id[17]);
      }),
    );
  });
});

describe('makeResidentId', () => {
  it('rejects parts that cannot make a valid number', () => {
    expect(() => makeResidentId('000000', '1990-01-01', 1)).toThrow(/division/);
    expect(() => makeResidentId('11010', '1990-01-01', 1)).toThrow(/division/);
    expect(() => makeResidentId('110105', '1990-02-30', 1)).toThrow(/birth date/);
    expect(() => makeResidentId('110105', '1990-01-01', 0)).toThrow(/order code/);
    expect(() => makeResidentId('110105', '1990-01-01', 1000)).toThrow(/order code/);
    expect(() => makeResidentId('110105', '1990-01-01', 1.5)).toThrow(/order code/);
  });
});

describe('ageOn', () => {
  it('counts a year as completed on the birthday', () => {
    expect(ageOn('2006-05-10', '2024-05-09')).toBe(17);
    expect(ageOn('2006-05-10', '2024-05-10')).toBe(18);
    expect(isMinorOn('2006-05-10', '2024-05-09')).toBe(true);
    expect(isMinorOn('2006-05-10', '2024-05-10')).toBe(false);
  });

  it('lets someone born on 29 February complete a year on 1 March in a common year', () => {
    expect(ageOn('2000-02-29', '2018-02-28')).toBe(17);
    expect(ageOn('2000-02-29', '2018-03-01')).toBe(18);
    expect(ageOn('2000-02-29', '2020-02-29')).toBe(20);
  });

  it('refuses malformed dates and dates before birth', () => {
    expect(() => ageOn('2000-13-01', '2020-01-01')).toThrow(/birth date/);
    expect(() => ageOn('2000-01-01', '2020/01/01')).toThrow(/date/);
    expect(() => ageOn('2000-01-02', '2000-01-01')).toThrow(/before birth date/);
  });

  it('grows by exactly one on each birthday', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2050-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 120 }),
        (birth, years) => {
          const b = isoDate(birth);
          fc.pre(b.slice(5) !== '02-29');
          const birthday = String(birth.getUTCFullYear() + years).padStart(4, '0') + b.slice(4);
          const dayBefore = isoDate(new Date(Date.parse(`${birthday}T00:00:00Z`) - 86_400_000));
          expect(ageOn(b, birthday)).toBe(years);
          expect(ageOn(b, dayBefore)).toBe(years - 1);
        },
      ),
    );
  });
});
