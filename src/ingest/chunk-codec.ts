/**
 * Checked lines travel from the checking worker to the writing thread as columns: one array per
 * field, each holding values of one type. A structured clone of a few such arrays costs the
 * receiving thread a fraction of what `JSON.parse` of the same lines (or a clone of one object per
 * line, or of one flat mixed array) does, and the writing thread is the one that bounds ingestion.
 * Absent optional subject fields stay `undefined` (a structured clone keeps it), so every line
 * comes back with exactly the keys it left with.
 */
import type { RecordWrite, SubjectRef } from '../store/index.ts';
import type { CheckedLine, Revision } from './record-line.ts';

export interface PackedChunk {
  /** Every line's number, in order. */
  line: number[];
  /** Positions (in `line`) of the lines refused, ascending, with their problem. */
  problemAt: number[];
  field: string[];
  reason: string[];
  /** Positions of the lines that change a record sent before (rare), ascending, with the change. */
  reviseAt: number[];
  revise: Revision[];
  /** The records of the other lines, in order, field by field. */
  sourceRecordId: string[];
  type: string[];
  occurredAt: string[];
  decidedAt: (string | null)[];
  disclosedAt: (string | null)[];
  amount: (number | null)[];
  evidence: (string | null)[];
  note: (string | null)[];
  kind: SubjectRef['kind'][];
  identifier: string[];
  name: string[];
  birthDate: SubjectRef['birthDate'][];
  sex: SubjectRef['sex'][];
  legalRepresentative: SubjectRef['legalRepresentative'][];
  principalResponsiblePersons: SubjectRef['principalResponsiblePersons'][];
  actualController: SubjectRef['actualController'][];
  licences: SubjectRef['licences'][];
}

/** Splits checked lines into columns for `postMessage`. */
export const packChunk = (lines: readonly CheckedLine[]): PackedChunk => {
  const c: PackedChunk = {
    line: [],
    problemAt: [],
    field: [],
    reason: [],
    reviseAt: [],
    revise: [],
    sourceRecordId: [],
    type: [],
    occurredAt: [],
    decidedAt: [],
    disclosedAt: [],
    amount: [],
    evidence: [],
    note: [],
    kind: [],
    identifier: [],
    name: [],
    birthDate: [],
    sex: [],
    legalRepresentative: [],
    principalResponsiblePersons: [],
    actualController: [],
    licences: [],
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    c.line.push(l.line);
    if ('problem' in l) {
      c.problemAt.push(i);
      c.field.push(l.problem.field);
      c.reason.push(l.problem.reason);
      continue;
    }
    if ('revise' in l) {
      c.reviseAt.push(i);
      c.revise.push(l.revise);
      continue;
    }
    const w = l.write;
    const s = w.subject;
    c.sourceRecordId.push(w.sourceRecordId);
    c.type.push(w.type);
    c.occurredAt.push(w.occurredAt);
    c.decidedAt.push(w.decidedAt);
    c.disclosedAt.push(w.disclosedAt);
    c.amount.push(w.amount);
    c.evidence.push(w.evidence);
    c.note.push(w.note);
    c.kind.push(s.kind);
    c.identifier.push(s.identifier);
    c.name.push(s.name);
    c.birthDate.push(s.birthDate);
    c.sex.push(s.sex);
    c.legalRepresentative.push(s.legalRepresentative);
    c.principalResponsiblePersons.push(s.principalResponsiblePersons);
    c.actualController.push(s.actualController);
    c.licences.push(s.licences);
  }
  return c;
};

/** Rebuilds the checked lines `packChunk` split. */
export const unpackChunk = (c: PackedChunk): CheckedLine[] => {
  const out: CheckedLine[] = new Array(c.line.length);
  let p = 0;
  let v = 0;
  let w = 0;
  for (let i = 0; i < c.line.length; i++) {
    const line = c.line[i]!;
    if (c.problemAt[p] === i) {
      out[i] = { line, problem: { field: c.field[p]!, reason: c.reason[p]! } };
      p++;
      continue;
    }
    if (c.reviseAt[v] === i) {
      out[i] = { line, revise: c.revise[v]! };
      v++;
      continue;
    }
    const subject: SubjectRef = { kind: c.kind[w]!, identifier: c.identifier[w]!, name: c.name[w]! };
    if (c.birthDate[w] !== undefined) subject.birthDate = c.birthDate[w];
    if (c.sex[w] !== undefined) subject.sex = c.sex[w];
    if (c.legalRepresentative[w] !== undefined) subject.legalRepresentative = c.legalRepresentative[w];
    if (c.principalResponsiblePersons[w] !== undefined)
      subject.principalResponsiblePersons = c.principalResponsiblePersons[w];
    if (c.actualController[w] !== undefined) subject.actualController = c.actualController[w];
    if (c.licences[w] !== undefined) subject.licences = c.licences[w];
    const write: RecordWrite = {
      sourceRecordId: c.sourceRecordId[w]!,
      type: c.type[w]!,
      subject,
      occurredAt: c.occurredAt[w]!,
      decidedAt: c.decidedAt[w]!,
      disclosedAt: c.disclosedAt[w]!,
      amount: c.amount[w]!,
      evidence: c.evidence[w]!,
      note: c.note[w]!,
    };
    out[i] = { line, write };
    w++;
  }
  return out;
};
