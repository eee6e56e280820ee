import { describe, expect, it } from 'vitest';
import {
  isLicenceKind,
  isSubjectKind,
  LICENCE_KINDS,
  makeResidentId,
  makeUscc,
  SUBJECT_KINDS,
  validateSubjectIdentifier,
} from './index.ts';

describe('validateSubjectIdentifier', () => {
  it('checks a person by resident ID number and returns the normalised number, birth date and sex', () => {
    expect(validateSubjectIdentifier('person', ' 11010519491231002x')).toEqual({
      ok: true,
      identifier: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    expect(validateSubjectIdentifier('person', '110105194912310021')).toEqual({
      ok: false,
      field: 'id_number',
      reason: 'check character should be X',
    });
  });

  it('passes the as-of date on to the birth date check', () => {
    const id = makeResidentId('510104', '2030-01-01', 3);
    expect(validateSubjectIdentifier('person', id, { asOf: new Date('2029-12-31T00:00:00Z') })).toMatchObject(
      {
        ok: false,
        field: 'id_number',
        reason: 'birth date is in the future',
      },
    );
  });

  it('checks organizations and public bodies by USCC and returns the normalised code', () => {
    expect(validateSubjectIdentifier('organization', '91512081ma62k0260e')).toEqual({
      ok: true,
      identifier: '91512081MA62K0260E',
    });
    const court = makeUscc('1', '1', '371082', '00000001');
    expect(validateSubjectIdentifier('public_body', court)).toEqual({ ok: true, identifier: court });
    const foundation = makeUscc('5', '3', '110105', 'MA001234');
    expect(validateSubjectIdentifier('organization', foundation).ok).toBe(true);
    expect(validateSubjectIdentifier('public_body', '91110000600037341M')).toMatchObject({
      ok: false,
      field: 'uscc',
    });
  });

  it('refuses a code whose registering authority does not fit the subject kind', () => {
    const r = validateSubjectIdentifier('public_body', '91110000600037341L');
    expect(r).toMatchObject({ ok: false, field: 'uscc' });
    expect(!r.ok && r.reason).toMatch(/public body.*market regulation/);
    const organ = makeUscc('1', '1', '110000', '00000019');
    expect(validateSubjectIdentifier('organization', organ)).toMatchObject({ ok: false, field: 'uscc' });
  });

  it('refuses a person identifier given for an organization and the reverse', () => {
    expect(validateSubjectIdentifier('organization', '11010519491231002X')).toMatchObject({
      ok: false,
      field: 'uscc',
    });
    expect(validateSubjectIdentifier('person', '91110000600037341L')).toMatchObject({
      ok: false,
      field: 'id_number',
    });
  });
});

describe('kinds', () => {
  it('recognises subject and licence kinds', () => {
    for (const k of SUBJECT_KINDS) expect(isSubjectKind(k)).toBe(true);
    for (const k of LICENCE_KINDS) expect(isLicenceKind(k)).toBe(true);
    expect(isSubjectKind('company')).toBe(false);
    expect(isLicenceKind('pilot')).toBe(false);
  });
});
