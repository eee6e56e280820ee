/**
 * The hot path on SQLite: one synchronous better-sqlite3 transaction per batch with prepared
 * statements. It runs inside Kysely's connection lock so it never interleaves with a Kysely
 * transaction on the same connection.
 */

import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import {
  auditLeafHash,
  createdSubjects,
  legalRepDetail,
  recordBatchDetail,
  recordContentLineOf,
} from '../../shared/audit-leaf.ts';
import { type KnownSubject, repAsSubject, type SubjectLookup, subjectMismatch } from '../common/batch.ts';
import type {
  AuditDraft,
  RecordWrite,
  SubjectKind,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';

type Actor = Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>;

/**
 * Subjects by identifier. Subjects are never deleted and ids never change, so a cache of committed
 * rows stays true; what a transaction creates or changes goes in at once (one look-up per record)
 * and is taken back out if the transaction fails.
 */
const CACHE_LIMIT = 1_000_000;

export const makeBatchWriters = (raw: BetterSqlite3.Database) => {
  const selSubject = raw.prepare<[string], { id: number; kind: string; legal_rep_id: number | null }>(
    'select id, kind, legal_rep_id from subjects where identifier = ?',
  );
  // A subject not known in memory is inserted straight away: the unique identifier refuses it when
  // it exists (then it is read), which saves a look-up for every new subject.
  const insSubject = raw.prepare(
    `insert into subjects (kind, identifier, name, birth_date, sex, legal_rep_id, created_at, context_id)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (identifier) do nothing`,
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

  /**
   * Audit entries of one transaction share one context row, written when first needed. The
   * subjects it creates are audited together by one `subjects.create` entry committing to their
   * content, written by `flush` (before the batch's own entry).
   */
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
    let created = createdSubjects();
    const subjectCreated = (subjectId: number, ref: SubjectRef) => created.add(subjectId, ref);
    const flush = () => {
      const detail = created.detail();
      if (detail === undefined) return;
      entry(null, 'subjects.create', detail);
      created = createdSubjects();
    };
    return { context, entry, subjectCreated, flush };
  };

  /** Cache entries a transaction replaced, with what they held before, to undo if it fails. */
  type Undo = [identifier: string, before: KnownSubject | undefined][];

  /** One transaction's subject resolution: the cache first, then the database. */
  const resolver = (at: string, audit: ReturnType<typeof auditor>, undo: Undo) => {
    const lookup: SubjectLookup = {
      get: (identifier) => {
        const s = cache.get(identifier);
        if (s) return s;
        const row = selSubject.get(identifier);
        if (!row) return undefined;
        // Committed before this transaction (what it wrote is in the cache already).
        const loaded = { id: row.id, kind: row.kind as SubjectKind, legalRepId: row.legal_rep_id };
        cache.set(identifier, loaded);
        return loaded;
      },
    };
    const remember = (identifier: string, s: KnownSubject) => {
      undo.push([identifier, cache.get(identifier)]);
      cache.set(identifier, s);
    };
    /** Inserts the subject unless its identifier is taken; undefined when it was. */
    const tryCreate = (ref: SubjectRef, legalRepId: number | null): KnownSubject | undefined => {
      const info = insSubject.run(
        ref.kind,
        ref.identifier,
        ref.name,
        ref.birthDate ?? null,
        ref.sex ?? null,
        legalRepId,
        at,
        audit.context(),
      );
      if (info.changes === 0) return undefined;
      const s = { id: Number(info.lastInsertRowid), kind: ref.kind, legalRepId };
      remember(ref.identifier, s);
      audit.subjectCreated(s.id, ref);
      return s;
    };
    /** The subject's row, created or updated as the reference says; `created` tells which. */
    const ensure = (
      ref: SubjectRef,
    ): { subject: KnownSubject; created: boolean } | ReturnType<typeof subjectMismatch> => {
      // The common case, a subject without a representative: known and of the same kind, or new.
      if (!ref.legalRepresentative) {
        const cached = cache.get(ref.identifier);
        const s = cached ?? tryCreate(ref, null);
        if (s && s.kind === ref.kind) {
          if (ref.licences) for (const l of ref.licences) insLicence.run(s.id, l.kind, l.number);
          return { subject: s, created: cached === undefined };
        }
      }
      const bad = subjectMismatch(ref, lookup);
      if (bad) return bad;
      let repId: number | null = null;
      if (ref.legalRepresentative) {
        const rep = ref.legalRepresentative;
        repId = (lookup.get(rep.identifier) ?? tryCreate(repAsSubject(rep), null)!).id;
      }
      let s = lookup.get(ref.identifier);
      let created = false;
      if (!s) {
        s = tryCreate(ref, repId)!;
        created = true;
      } else if (repId !== null && s.legalRepId !== repId) {
        updLegalRep.run(repId, s.id);
        audit.entry(s.id, 'subject.legal_rep', legalRepDetail(repId));
        s = { ...s, legalRepId: repId };
        remember(ref.identifier, s);
      }
      if (ref.licences) for (const l of ref.licences) insLicence.run(s.id, l.kind, l.number);
      return { subject: s, created };
    };
    return ensure;
  };

  const recordTx = raw.transaction(
    (sourceId: number, records: RecordWrite[], at: string, actor: Actor, undo: Undo): WriteOutcome[] => {
      const audit = auditor(actor, at);
      const ensure = resolver(at, audit, undo);
      const out: WriteOutcome[] = new Array(records.length);
      const ids: number[] = [];
      const digest = createHash('sha256');
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const e = ensure(r.subject);
        if (!e || 'status' in e) {
          out[i] = e!;
          continue;
        }
        const subjectId = e.subject.id;
        const info = insRecord.run(
          sourceId,
          r.sourceRecordId,
          r.type,
          subjectId,
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
          out[i] = { status: 'duplicate' };
          continue;
        }
        const recordId = Number(info.lastInsertRowid);
        ids.push(recordId);
        digest.update(
          recordContentLineOf(
            recordId,
            sourceId,
            r.sourceRecordId,
            r.type,
            subjectId,
            r.occurredAt,
            r.decidedAt,
            r.disclosedAt,
            r.amount,
            r.evidence,
            r.note,
          ),
        );
        out[i] = { status: 'stored', recordId, subjectId };
      }
      audit.flush();
      // One audit entry for the batch, committing to the content of every record it stored.
      if (ids.length > 0)
        audit.entry(null, 'records.create', recordBatchDetail(sourceId, ids, digest.digest('hex')));
      return out;
    },
  );

  const subjectTx = raw.transaction(
    (subjects: SubjectRef[], at: string, actor: Actor, undo: Undo): SubjectOutcome[] => {
      const audit = auditor(actor, at);
      const ensure = resolver(at, audit, undo);
      const out = subjects.map((ref): SubjectOutcome => {
        const e = ensure(ref);
        if (!e || 'status' in e) return e!;
        return { status: e.created ? 'created' : 'existing', subjectId: e.subject.id };
      });
      audit.flush();
      return out;
    },
  );

  /** Runs a transaction; if it fails, the cache forgets what it wrote. */
  const committed =
    <A extends unknown[], R>(tx: BetterSqlite3.Transaction<(...args: [...A, Undo]) => R>) =>
    (...args: A): R => {
      const undo: Undo = [];
      try {
        // Immediate: the write lock is taken before anything is read (see openSqliteStore).
        return tx.immediate(...args, undo);
      } catch (e) {
        for (let i = undo.length - 1; i >= 0; i--) {
          const [identifier, before] = undo[i]!;
          if (before) cache.set(identifier, before);
          else cache.delete(identifier);
        }
        throw e;
      } finally {
        if (cache.size > CACHE_LIMIT) cache.clear();
      }
    };

  return {
    writeRecords: committed<[number, RecordWrite[], string, Actor], WriteOutcome[]>(recordTx),
    registerSubjects: committed<[SubjectRef[], string, Actor], SubjectOutcome[]>(subjectTx),
  };
};
