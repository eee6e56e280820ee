/**
 * The hot path on SQLite: one synchronous better-sqlite3 transaction per batch with prepared
 * statements. It runs inside Kysely's connection lock so it never interleaves with a Kysely
 * transaction on the same connection.
 */

import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { auditLeafHash, recordBatchDetail, recordContentLine } from '../../shared/audit-leaf.ts';
import { type KnownSubject, repAsSubject, subjectMismatch, subjectsNamed } from '../common/batch.ts';
import type {
  AuditDraft,
  RecordWrite,
  SubjectKind,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';

type Actor = Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>;

/** Committed subjects by identifier. Subjects are never deleted and ids never change, so a cache of committed rows stays true. */
const CACHE_LIMIT = 1_000_000;

export const makeBatchWriters = (raw: BetterSqlite3.Database) => {
  const selSubject = raw.prepare<[string], { id: number; kind: string; legal_rep_id: number | null }>(
    'select id, kind, legal_rep_id from subjects where identifier = ?',
  );
  const insSubject = raw.prepare(
    'insert into subjects (kind, identifier, name, birth_date, sex, legal_rep_id, created_at) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const updLegalRep = raw.prepare('update subjects set legal_rep_id = ? where id = ?');
  const insLicence = raw.prepare(
    'insert into licences (subject_id, kind, number) values (?, ?, ?) on conflict do nothing',
  );
  const insRecord = raw.prepare(
    `insert into records (source_id, source_record_id, type, subject_id, occurred_at, decided_at, disclosed_at,
       recorded_at, amount, evidence, note, status, context_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)
     on conflict (source_id, source_record_id) do nothing`,
  );
  const insContext = raw.prepare(
    'insert into audit_contexts (at, actor, role, purpose, request_id) values (?, ?, ?, ?, ?)',
  );
  const insAudit = raw.prepare(
    'insert into audit_log (context_id, subject_id, action, detail, leaf_hash) values (?, ?, ?, ?, ?)',
  );
  const cache = new Map<string, KnownSubject>();

  /** Audit entries of one transaction share one context row, written when first needed. */
  const auditor = (actor: Actor, at: string) => {
    let contextId: number | undefined;
    const context = () => {
      contextId ??= Number(
        insContext.run(at, actor.actor, actor.role, actor.purpose, actor.requestId).lastInsertRowid,
      );
      return contextId;
    };
    const entry = (subjectId: number | null, action: string, detail: string) => {
      insAudit.run(context(), subjectId, action, detail, auditLeafHash(actor, at, subjectId, action, detail));
    };
    return { context, entry };
  };

  /** One batch's view of the subjects it names: cache and database first, then what it creates. */
  const resolver = (
    subjects: SubjectRef[],
    at: string,
    audit: ReturnType<typeof auditor>,
    touched: Map<string, KnownSubject>,
  ) => {
    const known = new Map<string, KnownSubject>();
    for (const id of subjectsNamed(subjects).keys()) {
      const hit = cache.get(id);
      if (hit) known.set(id, hit);
      else {
        const row = selSubject.get(id);
        if (row) known.set(id, { id: row.id, kind: row.kind as SubjectKind, legalRepId: row.legal_rep_id });
      }
    }
    const remember = (identifier: string, s: KnownSubject) => {
      known.set(identifier, s);
      touched.set(identifier, s);
    };
    const create = (ref: SubjectRef, legalRepId: number | null): KnownSubject => {
      const info = insSubject.run(
        ref.kind,
        ref.identifier,
        ref.name,
        ref.birthDate ?? null,
        ref.sex ?? null,
        legalRepId,
        at,
      );
      const s = { id: Number(info.lastInsertRowid), kind: ref.kind, legalRepId };
      remember(ref.identifier, s);
      audit.entry(s.id, 'subject.create', ref.kind);
      return s;
    };
    /** The subject's row, created or updated as the reference says; `created` tells which. */
    const ensure = (
      ref: SubjectRef,
    ): { subject: KnownSubject; created: boolean } | ReturnType<typeof subjectMismatch> => {
      const bad = subjectMismatch(ref, known);
      if (bad) return bad;
      let repId: number | null = null;
      if (ref.legalRepresentative) {
        repId = (
          known.get(ref.legalRepresentative.identifier) ?? create(repAsSubject(ref.legalRepresentative), null)
        ).id;
      }
      let s = known.get(ref.identifier);
      let created = false;
      if (!s) {
        s = create(ref, repId);
        created = true;
      } else if (repId !== null && s.legalRepId !== repId) {
        updLegalRep.run(repId, s.id);
        s = { ...s, legalRepId: repId };
        remember(ref.identifier, s);
      }
      if (ref.licences) for (const l of ref.licences) insLicence.run(s.id, l.kind, l.number);
      return { subject: s, created };
    };
    return ensure;
  };

  const recordTx = raw.transaction(
    (
      sourceId: number,
      records: RecordWrite[],
      at: string,
      actor: Actor,
      touched: Map<string, KnownSubject>,
    ): WriteOutcome[] => {
      const audit = auditor(actor, at);
      const ensure = resolver(
        records.map((r) => r.subject),
        at,
        audit,
        touched,
      );
      const out: WriteOutcome[] = [];
      const ids: number[] = [];
      const digest = createHash('sha256');
      for (const r of records) {
        const e = ensure(r.subject);
        if (!e || 'status' in e) {
          out.push(e!);
          continue;
        }
        const s = e.subject;
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
          audit.context(),
        );
        if (info.changes === 0) {
          out.push({ status: 'duplicate' });
          continue;
        }
        const recordId = Number(info.lastInsertRowid);
        ids.push(recordId);
        digest.update(
          recordContentLine({
            id: recordId,
            sourceId,
            sourceRecordId: r.sourceRecordId,
            type: r.type,
            subjectId: s.id,
            occurredAt: r.occurredAt,
            decidedAt: r.decidedAt,
            disclosedAt: r.disclosedAt,
            amount: r.amount,
            evidence: r.evidence,
            note: r.note,
          }),
        );
        out.push({ status: 'stored', recordId, subjectId: s.id });
      }
      // One audit entry for the batch, committing to the content of every record it stored.
      if (ids.length > 0)
        audit.entry(null, 'records.create', recordBatchDetail(sourceId, ids, digest.digest('hex')));
      return out;
    },
  );

  const subjectTx = raw.transaction(
    (
      subjects: SubjectRef[],
      at: string,
      actor: Actor,
      touched: Map<string, KnownSubject>,
    ): SubjectOutcome[] => {
      const ensure = resolver(subjects, at, auditor(actor, at), touched);
      return subjects.map((ref) => {
        const e = ensure(ref);
        if (!e || 'status' in e) return e!;
        return { status: e.created ? 'created' : 'existing', subjectId: e.subject.id };
      });
    },
  );

  /** Runs a transaction and, only once it committed, remembers the subjects it touched. */
  const committed =
    <A extends unknown[], R>(tx: (...args: [...A, Map<string, KnownSubject>]) => R) =>
    (...args: A): R => {
      const touched = new Map<string, KnownSubject>();
      const out = tx(...args, touched);
      if (cache.size + touched.size > CACHE_LIMIT) cache.clear();
      for (const [k, v] of touched) cache.set(k, v);
      return out;
    };

  return {
    writeRecords: committed<[number, RecordWrite[], string, Actor], WriteOutcome[]>(recordTx),
    registerSubjects: committed<[SubjectRef[], string, Actor], SubjectOutcome[]>(subjectTx),
  };
};
