import { describe, expect, it } from 'vitest';
import { makeResidentId } from './index.ts';
import { maskPersonalData, personalDataIn } from './personal-data.ts';

const ID = makeResidentId('440118', '1999-09-02', 109);

describe('personal identifiers in free text', () => {
  it('finds a checked resident ID number, a mobile number, an e-mail address and a card number', () => {
    expect(personalDataIn(`身份证${ID}`)).toBe('resident ID number');
    expect(personalDataIn(`身份证${ID.slice(0, 17)}${ID.endsWith('0') ? '1' : '0'}`)).not.toBe(
      'resident ID number',
    );
    expect(personalDataIn('手机１３８００１３８０００')).toBe('mobile number');
    expect(personalDataIn('mail Zhang.Wei@Example.CN')).toBe('e-mail address');
    expect(personalDataIn('卡号 6222 0202 0011 2345 678')).toBe('bank card number');
    expect(personalDataIn('(2025)京0105执123号')).toBeUndefined();
    // A document's number in a case reference is not taken for a card's.
    expect(personalDataIn('LDJC20230512123456')).toBe('bank card number');
    expect(personalDataIn('LDJC20230512123456', { cards: false })).toBeUndefined();
  });

  it('masks each one, and leaves a text without any as it is', () => {
    expect(maskPersonalData(`(2026)宁0106执77号 身份证${ID} 手机13800138000`)).toBe(
      `(2026)宁0106执77号 身份证${'*'.repeat(18)} 手机${'*'.repeat(11)}`,
    );
    expect(maskPersonalData('（2025）京0105执123号')).toBe('（2025）京0105执123号');
  });
});
