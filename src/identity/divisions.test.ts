import { describe, expect, it } from 'vitest';
import { DIVISIONS, findDivision, findProvince, PROVINCES } from './divisions.ts';
import { makeResidentId, validateResidentId } from './resident-id.ts';
import { makeUscc, validateUscc } from './uscc.ts';

describe('DIVISIONS', () => {
  it('lists at least 300 distinct codes covering every province-level unit', () => {
    expect(DIVISIONS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(DIVISIONS.map((d) => d.code)).size).toBe(DIVISIONS.length);
    expect(new Set(DIVISIONS.map((d) => d.province))).toEqual(new Set(Object.values(PROVINCES)));
  });

  it('files each code under the province its prefix names, with a full name', () => {
    for (const d of DIVISIONS) {
      expect(d.code).toMatch(/^\d{6}$/);
      expect(d.province).toBe(PROVINCES[d.code.slice(0, 2)]);
      expect(d.name.startsWith(d.province)).toBe(true);
    }
  });

  it('finds divisions by code', () => {
    expect(findDivision('110101')).toEqual({ code: '110101', name: '北京市东城区', province: '北京市' });
    expect(findDivision('371082')?.name).toBe('山东省威海市荣成市');
    expect(findDivision('510903')?.name).toBe('四川省遂宁市船山区');
    expect(findDivision('999999')).toBeUndefined();
    expect(findProvince('440305')).toBe('广东省');
    expect(findProvince('990000')).toBeUndefined();
  });

  it('holds only codes the identifier validators accept', () => {
    for (const { code } of DIVISIONS) {
      expect(validateResidentId(makeResidentId(code, '1990-01-01', 1)).ok).toBe(true);
      expect(validateUscc(makeUscc('9', '1', code, '12345678')).ok).toBe(true);
    }
  });
});
