import { hash } from 'node:crypto';

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

/**
 * `auditLeafHash` for many entries of one action (same actor and time): the JSON around the
 * subject id and detail is built once, so each entry costs one string concatenation and one hash.
 * The bytes hashed are exactly those `auditLeafHash` hashes.
 */
export const auditLeafHasher = (a: AuditActorFields, at: string, action: string) => {
  const head = `\u0000${JSON.stringify([at, a.actor, a.role, a.purpose]).slice(0, -1)},`;
  const middle = `,${JSON.stringify(action)},`;
  const tail = `,${JSON.stringify(a.requestId ?? null)}]`;
  const details = new Map<string | null, string>();
  return (subjectId: number | null, detail: string | null): Buffer => {
    let d = details.get(detail);
    if (d === undefined) {
      d = JSON.stringify(detail ?? null);
      details.set(detail, d);
    }
    return hash('sha256', head + String(subjectId) + middle + d + tail, 'buffer') as unknown as Buffer;
  };
};

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
