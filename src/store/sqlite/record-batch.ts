/**
 * The hot path on SQLite: one synchronous better-sqlite3 transaction per batch with prepared
 * statements. It runs inside Kysely's connection lock so it never interleaves with a Kysely
 * transaction on the same connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { type KnownSubject, kindMismatch, subjectsNamed } from '../common/batch.ts';
import type { AuditDraft, RecordWrite, SubjectKind, SubjectRef, WriteOutcome } from '../types.ts';

/** Committed subjects by identifier. Subjects are never deleted and ids never change, so a cache of committed rows stays true. */
const CACHE_LIMIT = 1_000_000;

export const makeRecordBatchWriter = (raw: BetterSqlite3.Database) => {
  const selSubject = raw.prepare<[string], { id: number; kind: string; legal_rep_id: number | null }>(
    'select id, kind, legal_rep_id from subjects where identifier = ?',
  );
  const insSubject = raw.prepare(
    'insert into subjects (kind, identifier, name, birth_date, sex, legal_rep_id, created_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const updLegalRep = raw.prepare('update subjects set legal_rep_id = ? where id = ?');
  const insLicence = raw.prepare('insert into licences (subject_id, kind, number) values (?, ?, ?) on conflict do nothing');
  const insRecord = raw.prepare(
    `insert into records (source_id, source_record_id, type, subject_id, occurred_at, decided_at, disclosed_at,
       recorded_at, amount, evidence, note, status)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')
     on conflict (source_id, source_record_id) do nothing`,
  );
  const insAudit = raw.prepare(
    `insert into audit_log (at, actor, role, purpose, subject_id, action, detail, request_id, leaf_hash)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const cache = new Map<string, KnownSubject>();

  const lookup = (identifier: string, fresh: Map<string, KnownSubject>): KnownSubject | undefined => {
    const hit = fresh.get(identifier) ?? cache.get(identifier);
    if (hit) return hit;
    const row = selSubject.get(identifier);
    if (!row) return undefined;
    const s = { id: row.id, kind: row.kind as SubjectKind, legalRepId: row.legal_rep_id };
    fresh.set(identifier, s);
    return s;
  };

  const create = (ref: SubjectRef, at: string, legalRepId: number | null): KnownSubject => {
    const info = insSubject.run(ref.kind, ref.identifier, ref.name, ref.birthDate ?? null, ref.sex ?? null, legalRepId, at);
    return { id: Number(info.lastInsertRowid), kind: ref.kind, legalRepId };
  };

  const run = raw.transaction(
    (
      sourceId: number,
      records: RecordWrite[],
      at: string,
      audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
      touched: Map<string, KnownSubject>,
    ): WriteOutcome[] => {
      const known = new Map<string, KnownSubject>();
      for (const id of subjectsNamed(records).keys()) {
        const s = lookup(id, touched);
        if (s) known.set(id, s);
      }
      const out: WriteOutcome[] = [];
      for (const r of records) {
        const bad = kindMismatch(r, known);
        if (bad) {
          out.push(bad);
          continue;
        }
        let repId: number | null = null;
        const rep = r.subject.legalRepresentative;
        if (rep) {
          let p = known.get(rep.identifier);
          if (!p) {
            p = create({ kind: 'person', identifier: rep.identifier, name: rep.name, birthDate: rep.birthDate, sex: rep.sex }, at, null);
            known.set(rep.identifier, p);
            touched.set(rep.identifier, p);
          }
          repId = p.id;
        }
        let s = known.get(r.subject.identifier);
        if (!s) {
          s = create(r.subject, at, repId);
          known.set(r.subject.identifier, s);
          touched.set(r.subject.identifier, s);
        } else if (repId !== null && s.legalRepId !== repId) {
          updLegalRep.run(repId, s.id);
          s = { ...s, legalRepId: repId };
          known.set(r.subject.identifier, s);
          touched.set(r.subject.identifier, s);
        }
        if (r.subject.licences) for (const l of r.subject.licences) insLicence.run(s.id, l.kind, l.number);
        const info = insRecord.run(
          sourceId,
          r.sourceRecordId,
          r.type,
          s.id,
          r.occurredAt,
          r.decidedAt,
          r.disclosedAt,
          at,
          r.amount,
          r.evidence,
          r.note,
        );
        if (info.changes === 0) {
          out.push({ status: 'duplicate' });
          continue;
        }
        const recordId = Number(info.lastInsertRowid);
        const entry = {
          ...audit,
          at,
          subjectId: s.id,
          action: 'record.create',
          detail: `${r.type} ${recordId}`,
        };
        insAudit.run(at, entry.actor, entry.role, entry.purpose, s.id, entry.action, entry.detail, entry.requestId, auditLeafHash(entry));
        out.push({ status: 'stored', recordId, subjectId: s.id });
      }
      return out;
    },
  );

  return (
    sourceId: number,
    records: RecordWrite[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
  ): WriteOutcome[] => {
    const touched = new Map<string, KnownSubject>();
    const out = run(sourceId, records, at, audit, touched);
    // Only after commit: a rolled-back batch must leave no trace in the cache.
    if (cache.size + touched.size > CACHE_LIMIT) cache.clear();
    for (const [k, v] of touched) cache.set(k, v);
    return out;
  };
};
