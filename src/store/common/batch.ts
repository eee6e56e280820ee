/**
 * The backend-neutral half of a record batch write: given the subjects already known, decide per
 * record whether it can be stored and which subjects must be created. Backends do the I/O.
 */
import type { RecordWrite, SubjectKind, SubjectRef, WriteOutcome } from '../types.ts';

export interface KnownSubject {
  id: number;
  kind: SubjectKind;
  legalRepId: number | null;
}

/** Every subject a batch names (record subjects and legal representatives), first mention wins. */
export const subjectsNamed = (records: RecordWrite[]): Map<string, SubjectRef> => {
  const out = new Map<string, SubjectRef>();
  for (const r of records) {
    const rep = r.subject.legalRepresentative;
    if (rep && !out.has(rep.identifier)) {
      out.set(rep.identifier, { kind: 'person', identifier: rep.identifier, name: rep.name, birthDate: rep.birthDate, sex: rep.sex });
    }
    if (!out.has(r.subject.identifier)) out.set(r.subject.identifier, r.subject);
  }
  return out;
};

/** Reason a record cannot be stored against the subjects known, or undefined when it can. */
export const kindMismatch = (
  r: RecordWrite,
  known: Map<string, KnownSubject>,
): Extract<WriteOutcome, { status: 'rejected' }> | undefined => {
  const s = known.get(r.subject.identifier);
  if (s && s.kind !== r.subject.kind) {
    return {
      status: 'rejected',
      field: 'subject.kind',
      reason: `identifier ${r.subject.identifier} belongs to a ${s.kind.replace('_', ' ')}, not a ${r.subject.kind.replace('_', ' ')}`,
    };
  }
  const rep = r.subject.legalRepresentative;
  if (rep) {
    const p = known.get(rep.identifier);
    if (p && p.kind !== 'person') {
      return {
        status: 'rejected',
        field: 'subject.legal_representative.id_number',
        reason: `identifier ${rep.identifier} belongs to a ${p.kind.replace('_', ' ')}, not a person`,
      };
    }
  }
  return undefined;
};
