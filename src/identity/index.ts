/**
 * Identity capability: the identifiers that name a subject (resident ID numbers for persons,
 * Unified Social Credit Codes for organizations and public bodies), administrative divisions, and
 * the subject and licence kinds. Other capabilities import from this file only.
 */
import { invalidInput } from '../shared/errors.ts';
import { normaliseResidentId, type Sex, validateResidentId } from './resident-id.ts';
import { normaliseUscc, USCC_AUTHORITIES, validateUscc } from './uscc.ts';

export { DIVISIONS, type Division, findDivision, findProvince, PROVINCES } from './divisions.ts';
export {
  ADULT_AGE,
  ageOn,
  isMinorOn,
  makeResidentId,
  normaliseResidentId,
  type ResidentIdResult,
  residentIdCheckCharacter,
  type Sex,
  validateResidentId,
} from './resident-id.ts';
export {
  makeUscc,
  normaliseUscc,
  USCC_ALPHABET,
  USCC_AUTHORITIES,
  type UsccResult,
  validateUscc,
} from './uscc.ts';

export const SUBJECT_KINDS = ['person', 'organization', 'public_body'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const isSubjectKind = (value: unknown): value is SubjectKind =>
  typeof value === 'string' && (SUBJECT_KINDS as readonly string[]).includes(value);

/** Professional licences a person subject may hold. */
export const LICENCE_KINDS = [
  'doctor',
  'teacher',
  'lawyer',
  'pharmacist',
  'nurse',
  'accountant',
  'architect',
] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];
export const isLicenceKind = (value: unknown): value is LicenceKind =>
  typeof value === 'string' && (LICENCE_KINDS as readonly string[]).includes(value);

export type SubjectIdentifierResult =
  | { ok: true; identifier: string; birthDate?: string; sex?: Sex }
  | { ok: false; field: 'id_number' | 'uscc'; reason: string };

/**
 * GB 32100-2015: government organs, public institutions and mass organizations are registered by
 * the establishment administration (1), military public institutions by its military counterpart (A).
 */
const PUBLIC_BODY_AUTHORITIES: readonly string[] = ['1', 'A'];

/**
 * Check the main identifier of a subject of the given kind: a resident ID number for a person, a
 * Unified Social Credit Code for an organization or public body — whose registering authority must
 * match the kind. On success `identifier` is the normalised form to store.
 */
export const validateSubjectIdentifier = (
  kind: SubjectKind,
  identifier: string,
  opts?: { asOf?: Date },
): SubjectIdentifierResult => {
  switch (kind) {
    case 'person': {
      const r = validateResidentId(identifier, opts);
      if (!r.ok) return { ok: false, field: 'id_number', reason: r.reason };
      return { ok: true, identifier: normaliseResidentId(identifier), birthDate: r.birthDate, sex: r.sex };
    }
    case 'organization':
    case 'public_body': {
      const r = validateUscc(identifier);
      if (!r.ok) return { ok: false, field: 'uscc', reason: r.reason };
      const isPublic = PUBLIC_BODY_AUTHORITIES.includes(r.authority);
      if (kind === 'public_body' && !isPublic) {
        return {
          ok: false,
          field: 'uscc',
          reason:
            `a public body's code is registered by the establishment administration (first character 1), ` +
            `this one by ${USCC_AUTHORITIES[r.authority]!.name} (${r.authority})`,
        };
      }
      if (kind === 'organization' && isPublic) {
        return {
          ok: false,
          field: 'uscc',
          reason:
            `first character ${r.authority} marks a public body (` +
            `${USCC_AUTHORITIES[r.authority]!.categories[r.category]!}), not an organization`,
        };
      }
      return { ok: true, identifier: normaliseUscc(identifier) };
    }
    default:
      throw invalidInput(
        `unknown subject kind "${String(kind)}"; expected one of ${SUBJECT_KINDS.join(', ')}`,
      );
  }
};
export { maskResidentId } from './mask.ts';
export { maskPersonalData, type PersonalDataKind, personalDataIn } from './personal-data.ts';
