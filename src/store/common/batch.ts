/**
 * The backend-neutral half of a record batch write: given the subjects already known, decide per
 * record whether it can be stored and which subjects must be created. Backends do the I/O.
 */
import type { PersonRef, RecordWrite, SubjectKind, SubjectRef, WriteOutcome } from '../types.ts';
import { namedRoles, personsNamed } from './bindings.ts';

export interface KnownSubject {
  id: number;
  kind: SubjectKind;
  legalRepId: number | null;
  /** The name on file (compared with the name a line gives a person: `nameClash`). */
  name?: string | null;
}

/** Marks some sources write between the parts of a name (买买提·艾力): the interpunct and its look-alikes. */
const NAME_DOTS = /[\s\u00b7\u2022\u2027\u30fb\uff0e.]/gu;
/** A person's name as compared: NFKC (full-width letters), without spaces or interpuncts, lower case. */
export const nameKey = (name: string): string => name.normalize('NFKC').replace(NAME_DOTS, '').toLowerCase();

/**
 * Whether a line names a known person by another name than the one on file: the identity number
 * or the name is wrong, and storing the record would put one person's conduct in another's file.
 * Organizations are renamed and keep their code, so only persons are compared.
 */
export const nameClash = (known: KnownSubject, name: string | undefined): boolean =>
  known.kind === 'person' &&
  typeof known.name === 'string' &&
  known.name !== '' &&
  typeof name === 'string' &&
  name !== known.name &&
  nameKey(name) !== nameKey(known.name);

const NAME_REASON = (identifier: string) =>
  `the name does not match the name on file for identity number ${identifier}: check the identity number and the name (the record is not stored)`;

/** Every subject a batch names (record subjects and the persons bound to them), first mention wins. */
export const subjectsNamed = (subjects: SubjectRef[]): Map<string, SubjectRef> => {
  const out = new Map<string, SubjectRef>();
  for (const s of subjects) {
    for (const p of personsNamed(s)) if (!out.has(p.identifier)) out.set(p.identifier, repAsSubject(p));
    if (!out.has(s.identifier)) out.set(s.identifier, s);
  }
  return out;
};

/** What a batch knows of stored subjects by identifier: a map, or a lookup that loads on demand. */
export type SubjectLookup = Pick<Map<string, KnownSubject>, 'get'>;

/** Reason a subject reference clashes with what is stored, or undefined when it does not. */
export const subjectMismatch = (
  ref: SubjectRef,
  known: SubjectLookup,
): { status: 'rejected'; field: string; reason: string } | undefined => {
  const s = known.get(ref.identifier);
  if (s && s.kind !== ref.kind) {
    return {
      status: 'rejected',
      field: 'subject.kind',
      reason: `identifier ${ref.identifier} belongs to a ${s.kind.replace('_', ' ')}, not a ${ref.kind.replace('_', ' ')}`,
    };
  }
  if (s && ref.kind === 'person' && nameClash(s, ref.name))
    return { status: 'rejected', field: 'subject.name', reason: NAME_REASON(ref.identifier) };
  for (const role of namedRoles(ref)) {
    for (const rep of role.persons) {
      const p = known.get(rep.identifier);
      if (p && p.kind !== 'person') {
        return {
          status: 'rejected',
          field: `${role.field}.id_number`,
          reason: `identifier ${rep.identifier} belongs to a ${p.kind.replace('_', ' ')}, not a person`,
        };
      }
      if (p && nameClash(p, rep.name))
        return { status: 'rejected', field: `${role.field}.name`, reason: NAME_REASON(rep.identifier) };
    }
  }
  return undefined;
};

/** Reason a record cannot be stored against the subjects known, or undefined when it can. */
export const kindMismatch = (
  r: RecordWrite,
  known: Map<string, KnownSubject>,
): Extract<WriteOutcome, { status: 'rejected' }> | undefined => subjectMismatch(r.subject, known);

export const repAsSubject = (rep: PersonRef): SubjectRef => ({
  kind: 'person',
  identifier: rep.identifier,
  name: rep.name,
  birthDate: rep.birthDate,
  sex: rep.sex,
  ...(rep.nameProblem ? { nameProblem: rep.nameProblem } : {}),
});

/**
 * The refusal of a line that would put a person on file under a name it may not hold (product
 * rule 2: `nameProblem`), checked only for the persons the line would create: the subject itself
 * when it is a person, else the persons it names. Undefined when nothing stands in the way.
 */
export const newNameRefusal = (
  ref: SubjectRef,
  isKnown: (identifier: string) => boolean,
): { status: 'rejected'; field: string; reason: string } | undefined => {
  const people = ref.kind === 'person' ? [ref] : personsNamed(ref);
  for (const p of people)
    if (p.nameProblem && !isKnown(p.identifier)) return { status: 'rejected', ...p.nameProblem };
  return undefined;
};
