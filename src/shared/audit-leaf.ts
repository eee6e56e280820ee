import { createHash, hash } from 'node:crypto';

/** Who acted, in which role, for what purpose, in which request: shared by the entries one action writes. */
export interface AuditActorFields {
  actor: string;
  role: string;
  purpose: string;
  requestId: string | null;
}

/**
 * RFC 6962 §2.1 leaf hash: SHA-256(0x00 ‖ entry). The entry is the canonical JSON array
 * [at, actor, role, purpose, subjectId, action, detail, requestId], so anyone holding the log can
 * recompute it. (U+0000 encodes to the single byte 0x00 in UTF-8.) It sits on the hot path of every
 * audited write: the one-shot `crypto.hash` is about three times faster than a Hash object, and
 * positional arguments avoid building an object per entry.
 */
export const auditLeafHash = (
  a: AuditActorFields,
  at: string,
  subjectId: number | null,
  action: string,
  detail: string | null,
): Buffer =>
  hash(
    'sha256',
    `\u0000${JSON.stringify([at, a.actor, a.role, a.purpose, subjectId, action, detail, a.requestId])}`,
    'buffer',
  ) as unknown as Buffer;

/** The fields of a stored record that a batch's audit entry commits to. */
export interface RecordContent {
  id: number;
  sourceId: number;
  sourceRecordId: string;
  type: string;
  subjectId: number;
  occurredAt: string;
  decidedAt: string | null;
  disclosedAt: string | null;
  amount: number | null;
  evidence: string | null;
  note: string | null;
}

/**
 * One line of a batch's content digest. A batch of records is audited by one entry whose detail
 * carries SHA-256 over these lines in id order, so the log commits to what was written, not only
 * that something was.
 */
export const recordContentLine = (r: RecordContent): string =>
  recordContentLineOf(
    r.id,
    r.sourceId,
    r.sourceRecordId,
    r.type,
    r.subjectId,
    r.occurredAt,
    r.decidedAt,
    r.disclosedAt,
    r.amount,
    r.evidence,
    r.note,
  );

/** `recordContentLine` with positional fields, for the write path (no object per record). */
export const recordContentLineOf = (
  id: number,
  sourceId: number,
  sourceRecordId: string,
  type: string,
  subjectId: number,
  occurredAt: string,
  decidedAt: string | null,
  disclosedAt: string | null,
  amount: number | null,
  evidence: string | null,
  note: string | null,
): string =>
  `${JSON.stringify([id, sourceId, sourceRecordId, type, subjectId, occurredAt, decidedAt, disclosedAt, amount, evidence, note])}\n`;

/** The detail of a batch's `records.create` audit entry. */
export const recordBatchDetail = (sourceId: number, ids: number[], sha256: string): string =>
  JSON.stringify({
    source_id: sourceId,
    records: ids.length,
    first_id: ids[0],
    last_id: ids[ids.length - 1],
    sha256,
  });

/**
 * One line of the content digest of the subjects a transaction created: what identifies the
 * subject as created (a legal representative linked later is audited by its own entry).
 */
export const subjectContentLineOf = (
  id: number,
  kind: string,
  identifier: string,
  name: string,
  birthDate: string | null,
  sex: string | null,
): string => `${JSON.stringify([id, kind, identifier, name, birthDate, sex])}\n`;

/** A subject as the `subjects.create` entry commits to it. */
export interface CreatedSubject {
  kind: string;
  identifier: string;
  name: string;
  birthDate?: string | null;
  sex?: string | null;
}

/**
 * The subjects one transaction creates, added in id order as they are created; `detail()` is the
 * detail of its `subjects.create` entry: how many, the first and last id, and SHA-256 over their
 * content lines in id order (undefined when none were created). Each created subject points at the
 * entry's context (`subjects.context_id`), so a subject's trail finds it.
 */
export const createdSubjects = () => {
  const ids: number[] = [];
  const digest = createHash('sha256');
  return {
    add(id: number, s: CreatedSubject) {
      ids.push(id);
      digest.update(
        subjectContentLineOf(id, s.kind, s.identifier, s.name, s.birthDate ?? null, s.sex ?? null),
      );
    },
    detail(): string | undefined {
      if (ids.length === 0) return undefined;
      const sha256 = digest.digest('hex');
      return JSON.stringify({ subjects: ids.length, first_id: ids[0], last_id: ids[ids.length - 1], sha256 });
    },
  };
};
