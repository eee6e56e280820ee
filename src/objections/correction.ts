/**
 * An operator's correction of a record upheld in part: the fields to change, merged into the record
 * and checked exactly as ingestion checks a source's line (catalogue, the source's rights, the
 * subject kind, dates, amounts, case reference), so a correction cannot make a record the source
 * itself could not have sent.
 */
import type { Catalogue, SourceKind } from '../catalogue/index.ts';
import { checkLine } from '../ingest/index.ts';
import { invalidInput } from '../shared/errors.ts';
import type { RecordRow, SourceRow, SubjectRow } from '../store/index.ts';

/** The fields a correction may change; null clears an optional one. */
export interface Correction {
  type?: string | undefined;
  occurred_at?: string | undefined;
  decided_at?: string | null | undefined;
  disclosed_at?: string | null | undefined;
  amount?: number | null | undefined;
  evidence?: string | null | undefined;
  note?: string | null | undefined;
}

export const CORRECTION_FIELDS = [
  'type',
  'occurred_at',
  'decided_at',
  'disclosed_at',
  'amount',
  'evidence',
  'note',
] as const;

export interface CorrectedContent {
  type: string;
  occurredAt: string;
  decidedAt: string | null;
  disclosedAt: string | null;
  amount: number | null;
  evidence: string | null;
  note: string | null;
}

export const correctedContent = (
  record: RecordRow,
  subject: SubjectRow,
  source: SourceRow,
  correction: Correction,
  catalogue: Catalogue,
  today: string,
): CorrectedContent => {
  const unknown = Object.keys(correction).filter(
    (k) => !(CORRECTION_FIELDS as readonly string[]).includes(k),
  );
  if (unknown.length > 0)
    throw invalidInput(
      `a correction changes only ${CORRECTION_FIELDS.join(', ')}; not ${unknown.join(', ')}`,
      unknown.map((k) => ({ field: `correction.${k}`, message: 'not a field a correction may change' })),
    );
  const pick = <K extends keyof Correction>(k: K, current: Correction[K]) =>
    correction[k] === undefined ? current : correction[k];
  const line = {
    source_record_id: record.sourceRecordId,
    type: pick('type', record.type),
    subject:
      subject.kind === 'person'
        ? { kind: 'person', id_number: subject.identifier, name: subject.name }
        : { kind: subject.kind, uscc: subject.identifier, name: subject.name },
    occurred_at: pick('occurred_at', record.occurredAt),
    decided_at: pick('decided_at', record.decidedAt),
    disclosed_at: pick('disclosed_at', record.disclosedAt),
    amount: pick('amount', record.amount),
    evidence: pick('evidence', record.evidence),
    note: pick('note', record.note),
  };
  const checked = checkLine(line, {
    catalogue,
    sourceCode: source.code,
    sourceKind: source.kind as SourceKind,
    sourceTypes: new Set(source.types),
    today,
  });
  if (!('sourceRecordId' in checked) || !('subject' in checked)) {
    const p = checked as { field?: string; reason?: string };
    throw invalidInput(`the correction makes an invalid record: ${p.field}: ${p.reason}`, [
      { field: `correction.${p.field}`, message: p.reason ?? 'invalid' },
    ]);
  }
  const content: CorrectedContent = {
    type: checked.type,
    occurredAt: checked.occurredAt,
    decidedAt: checked.decidedAt,
    disclosedAt: checked.disclosedAt,
    amount: checked.amount,
    evidence: checked.evidence,
    note: checked.note,
  };
  const same =
    content.type === record.type &&
    content.occurredAt === record.occurredAt &&
    content.decidedAt === record.decidedAt &&
    content.disclosedAt === record.disclosedAt &&
    content.amount === record.amount &&
    content.evidence === record.evidence &&
    content.note === record.note;
  if (same)
    throw invalidInput(
      'the correction changes nothing: decide record_confirmed to keep the record as it is',
      [{ field: 'correction', message: 'no change' }],
    );
  return content;
};
