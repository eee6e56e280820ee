/**
 * The hot path on SQLite: one synchronous better-sqlite3 transaction per batch with prepared
 * statements. It runs inside Kysely's connection lock so it never interleaves with a Kysely
 * transaction on the same connection.
 */

import { createHash, randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import {
  auditLeafHash,
  createdSubjects,
  recordBatchDetail,
  recordContentLineOf,
} from '../../shared/audit-leaf.ts';
import {
  type KnownSubject,
  nameClash,
  newNameRefusal,
  repAsSubject,
  type SubjectLookup,
  subjectMismatch,
} from '../common/batch.ts';
import {
  type BindingChange,
  type BindingState,
  bindingChangeSubjects,
  bindingRefusal,
  emptyBindingState,
  KEEP_BINDING_VERSIONS_SQL,
  LEGAL_REPS_GENERATION,
  minorNamed,
  type NamedRole,
  NO_BINDING_RIGHTS,
  namedRoles,
  namesBindings,
  organizationBindingDetail,
  personBindingDetail,
  personsNamed,
  planBindings,
  withdrawnNamed,
} from '../common/bindings.ts';
import { SYNC_SUBJECT_NAMES } from '../migrations/lookup.ts';
import type {
  AuditDraft,
  BindingRights,
  BindingRole,
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
 * and is taken back out if the transaction fails. The one thing another write changes is an
 * organization's legal representative in force (an objection's decision, maybe in another process
 * such as the CLI): each transaction reads `legal_reps_generation` under its write lock first and
 * forgets every subject when it moved.
 */
const CACHE_LIMIT = 1_000_000;

export const makeBatchWriters = (raw: BetterSqlite3.Database) => {
  const selSubject = raw.prepare<
    [string],
    { id: number; kind: string; legal_rep_id: number | null; name: string | null }
  >('select id, kind, legal_rep_id, name from subjects where identifier = ?');
  // A subject not known in memory is inserted straight away: the unique identifier refuses it when
  // it exists (then it is read), which saves a look-up for every new subject.
  const insSubject = raw.prepare(
    `insert into subjects (kind, identifier, name, birth_date, sex, legal_rep_id, created_at, context_id)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (identifier) do nothing`,
  );
  const updLegalRep = raw.prepare('update subjects set legal_rep_id = ? where id = ?');
  // Prepared on first use: they read migration 0024's column, and the migration tests write
  // batches through this store on databases not yet at 0024 (naming no representative).
  let bindingStatements:
    | {
        sel: BetterSqlite3.Statement<
          [number],
          { person_id: number; role: string; valid_until: string | null; withdrawn_at: string | null }
        >;
        close: BetterSqlite3.Statement;
      }
    | undefined;
  const bindingSql = () =>
    (bindingStatements ??= {
      // A withdrawn binding (removed on an objection, migration 0024) never held; only the registry
      // import may bind its person again (withdrawnNamed).
      sel: raw.prepare(
        'select person_id, role, valid_until, withdrawn_at from subject_bindings where organization_id = ? order by id',
      ),
      close: raw.prepare(
        `update subject_bindings set valid_until = ?
         where organization_id = ? and role = ? and person_id = ? and valid_until is null and withdrawn_at is null`,
      ),
    });
  // Prepared on first use, as `bindingStatements`: it reads migration 0026's table.
  let keepClosedStatement: BetterSqlite3.Statement | undefined;
  const keepClosed = () =>
    (keepClosedStatement ??= raw.prepare(
      `${KEEP_BINDING_VERSIONS_SQL} organization_id = ? and role = ? and person_id = ? and valid_until is null and withdrawn_at is null`,
    ));
  const insBinding = raw.prepare(
    `insert into subject_bindings (organization_id, person_id, role, valid_from, valid_until, source_id, context_id, recorded_at)
     values (?, ?, ?, ?, null, ?, ?, ?)`,
  );
  const setGeneration = raw.prepare(
    `insert into meta (key, value) values ('checks_generation', ?)
     on conflict (key) do update set value = excluded.value`,
  );
  const insCheckChange = raw.prepare('insert into check_changes (subject_id) values (?)');
  /** Checks bind today's persons: the next check sees a binding change (as queries.noteCheckChanges). */
  const noteBindingChanges = (changes: BindingChange[]) => {
    if (changes.length === 0) return;
    setGeneration.run(randomUUID());
    for (const id of bindingChangeSubjects(changes)) insCheckChange.run(id);
  };
  const bindingState = (organizationId: number): BindingState => {
    const st = emptyBindingState();
    const { current, ever, withdrawn } = st;
    for (const r of bindingSql().sel.all(organizationId)) {
      const role = r.role as BindingRole;
      if (r.withdrawn_at !== null) {
        const gone = withdrawn.get(role) ?? new Map<number, string>();
        gone.set(r.person_id, r.withdrawn_at.slice(0, 10));
        withdrawn.set(role, gone);
        continue;
      }
      ever.add(role);
      if (r.valid_until !== null) continue;
      const list = current.get(role);
      if (list) list.push(r.person_id);
      else current.set(role, [r.person_id]);
    }
    return st;
  };
  const insLicence = raw.prepare(
    'insert into licences (subject_id, kind, number) values (?, ?, ?) on conflict do nothing',
  );
  const insRecord = raw.prepare(
    `insert into records (source_id, source_record_id, type, subject_id, occurred_at, decided_at, disclosed_at,
       recorded_at, amount, evidence, note, status, context_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)
     on conflict (source_id, source_record_id) do nothing`,
  );
  const selRecordKey = raw
    .prepare<[number, string], number>('select 1 from records where source_id = ? and source_record_id = ?')
    .pluck();
  const insContext = raw.prepare(
    'insert into audit_contexts (at, actor, role, purpose, request_id) values (?, ?, ?, ?, ?)',
  );
  const insAudit = raw.prepare(
    'insert into audit_log (context_id, subject_id, action, detail, leaf_hash) values (?, ?, ?, ?, ?)',
  );
  const cache = new Map<string, KnownSubject>();
  const selRepsGeneration = raw
    .prepare<[string], string | null>('select value from meta where key = ?')
    .pluck();
  let repsGeneration: string | null | undefined;
  /** In the transaction, before anything is read from the cache. */
  const confirmCache = () => {
    const now = selRepsGeneration.get(LEGAL_REPS_GENERATION) ?? null;
    if (now !== repsGeneration) {
      cache.clear();
      repsGeneration = now;
    }
  };
  // The public lookup's name index, brought up to date in the transaction that created an
  // organization or a public body (migration 0019 says why not by a trigger).
  const syncStatements = SYNC_SUBJECT_NAMES.map((q) => raw.prepare(q));
  const syncNames = () => {
    for (const st of syncStatements) st.run();
  };

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
  /** One transaction's subjects, made under its write lock. */
  const resolver = (at: string, day: string, audit: ReturnType<typeof auditor>, undo: Undo) => {
    confirmCache();
    const lookup: SubjectLookup = {
      get: (identifier) => {
        const s = cache.get(identifier);
        if (s) return s;
        const row = selSubject.get(identifier);
        if (!row) return undefined;
        // Committed before this transaction (what it wrote is in the cache already).
        const loaded = {
          id: row.id,
          kind: row.kind as SubjectKind,
          legalRepId: row.legal_rep_id,
          name: row.name,
        };
        cache.set(identifier, loaded);
        return loaded;
      },
    };
    /** Whether this transaction created an organization or a public body, whose name to index. */
    let createdOrganization = false;
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
      if (ref.kind !== 'person') createdOrganization = true;
      const s = { id: Number(info.lastInsertRowid), kind: ref.kind, legalRepId, name: ref.name };
      remember(ref.identifier, s);
      audit.subjectCreated(s.id, ref);
      return s;
    };
    /**
     * The subject's row, created as the reference says; `created` tells which. A reference naming
     * bindings other than those on file is refused without binding rights; with them, `bind` holds
     * what to apply once the line is kept (a duplicate line changes nothing).
     */
    const ensure = (
      ref: SubjectRef,
      rights: BindingRights,
    ):
      | { subject: KnownSubject; created: boolean; bind?: NamedRole[] }
      | ReturnType<typeof subjectMismatch> => {
      // The common case, a subject without a representative: known and of the same kind, or new.
      if (!namesBindings(ref)) {
        // A name that may not be put on file is looked up first: on file already, it is the name.
        const cached =
          cache.get(ref.identifier) ?? (ref.nameProblem ? lookup.get(ref.identifier) : undefined);
        if (!cached && ref.nameProblem) return { status: 'rejected', ...ref.nameProblem };
        const s = cached ?? tryCreate(ref, null);
        // A person known by another name falls through to the refusal below.
        if (s && s.kind === ref.kind && !(ref.kind === 'person' && nameClash(s, ref.name))) {
          if (ref.licences) for (const l of ref.licences) insLicence.run(s.id, l.kind, l.number);
          return { subject: s, created: cached === undefined };
        }
      }
      const bad =
        subjectMismatch(ref, lookup) ??
        minorNamed(ref, day) ??
        newNameRefusal(ref, (identifier) => lookup.get(identifier) !== undefined);
      if (bad) return bad;
      const named = namedRoles(ref);
      const idOf = (identifier: string) => lookup.get(identifier)?.id;
      let s = lookup.get(ref.identifier);
      // The common line names only the legal representative in force.
      const onlyCurrent =
        s !== undefined &&
        named.length === 1 &&
        named[0]!.role === 'legal_representative' &&
        s.legalRepId !== null &&
        idOf(named[0]!.persons[0]!.identifier) === s.legalRepId;
      let bind: NamedRole[] | undefined;
      if (named.length > 0 && !onlyCurrent) {
        if (!rights.mayBind) {
          if (!s) return bindingRefusal(named[0]!.field, rights);
          const st = bindingState(s.id);
          const plan = planBindings(s.id, named, st.current, st.ever, idOf);
          if (plan === 'differs_unknown') return bindingRefusal(named[0]!.field, rights);
          if (plan.length > 0)
            return bindingRefusal(named.find((n) => n.role === plan[0]!.role)!.field, rights);
        } else {
          if (s && !rights.rebindsWithdrawn) {
            const st = bindingState(s.id);
            const refused = withdrawnNamed(named, st.current, st.withdrawn, idOf);
            if (refused) return refused;
          }
          for (const p of personsNamed(ref)) if (!lookup.get(p.identifier)) tryCreate(repAsSubject(p), null);
          bind = named;
        }
      }
      let created = false;
      if (!s) {
        s = tryCreate(ref, null)!;
        created = true;
      }
      if (ref.licences) for (const l of ref.licences) insLicence.run(s.id, l.kind, l.number);
      return bind ? { subject: s, created, bind } : { subject: s, created };
    };
    /** Applies a kept line's bindings: periods closed and opened, the legal representative in force, their trail. */
    const applyBindings = (
      org: KnownSubject,
      identifier: string,
      named: NamedRole[],
      sourceId: number | null,
    ) => {
      const st = bindingState(org.id);
      const plan = planBindings(org.id, named, st.current, st.ever, (i) => lookup.get(i)?.id);
      if (plan === 'differs_unknown') throw new Error('a bound person was not created');
      for (const c of plan) {
        for (const person of c.unbind) {
          // The period's state before it closed, for a report as of before (migration 0026).
          keepClosed().run(at, org.id, c.role, person);
          bindingSql().close.run(day, org.id, c.role, person);
          audit.entry(person, 'subject.binding', personBindingDetail(c, false, day));
        }
        for (const person of c.bind) {
          insBinding.run(org.id, person, c.role, c.first ? null : day, sourceId, audit.context(), at);
          audit.entry(person, 'subject.binding', personBindingDetail(c, true, day));
        }
        audit.entry(org.id, 'subject.binding', organizationBindingDetail(c, day));
        if (c.role === 'legal_representative' && c.bind.length > 0) {
          updLegalRep.run(c.bind[0]!, org.id);
          remember(identifier, { ...(cache.get(identifier) ?? org), legalRepId: c.bind[0]! });
        }
      }
      noteBindingChanges(plan);
    };
    return { ensure, applyBindings, createdOrganization: () => createdOrganization, known: lookup.get };
  };

  const recordTx = raw.transaction(
    (
      sourceId: number,
      records: RecordWrite[],
      at: string,
      actor: Actor,
      rights: BindingRights,
      day: string,
      undo: Undo,
    ): WriteOutcome[] => {
      const audit = auditor(actor, at);
      const { ensure, applyBindings, createdOrganization, known } = resolver(at, day, audit, undo);
      const kept: [KnownSubject, string, NamedRole[]][] = [];
      const out: WriteOutcome[] = new Array(records.length);
      const ids: number[] = [];
      const digest = createHash('sha256');
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        // A duplicate line changes nothing: it must not create the subject, the persons it names or
        // its licences (a wrong name pinned to an ID would then refuse the real records). Only a line
        // that could create something is looked up first; a known subject's plain line meets the
        // insert's conflict below, as a duplicate.
        const creates =
          r.subject.licences !== undefined || namesBindings(r.subject) || !known(r.subject.identifier);
        if (creates && selRecordKey.get(sourceId, r.sourceRecordId) !== undefined) {
          out[i] = { status: 'duplicate' };
          continue;
        }
        const e = ensure(r.subject, rights);
        if (!e || 'status' in e) {
          // A line refused for its subject is first a duplicate when its key was stored (as on
          // PostgreSQL, which looks keys up first): the name check must not tell whoever re-sends a
          // stored key whether a guessed identity number is on file.
          out[i] =
            !creates && selRecordKey.get(sourceId, r.sourceRecordId) !== undefined
              ? { status: 'duplicate' }
              : e!;
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
        if (e.bind) kept.push([e.subject, r.subject.identifier, e.bind]);
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
      if (createdOrganization()) syncNames();
      // A duplicate line changes nothing: only the kept lines' bindings apply, in batch order
      // (after the subjects they name are audited, as on PostgreSQL).
      for (const [org, identifier, named] of kept) applyBindings(org, identifier, named, sourceId);
      // One audit entry for the batch, committing to the content of every record it stored.
      if (ids.length > 0)
        audit.entry(null, 'records.create', recordBatchDetail(sourceId, ids, digest.digest('hex')));
      return out;
    },
  );

  const subjectTx = raw.transaction(
    (subjects: SubjectRef[], at: string, actor: Actor, day: string, undo: Undo): SubjectOutcome[] => {
      const audit = auditor(actor, at);
      const { ensure, applyBindings, createdOrganization } = resolver(at, day, audit, undo);
      const kept: [KnownSubject, string, NamedRole[]][] = [];
      const rights: BindingRights = {
        mayBind: true,
        whoMay: NO_BINDING_RIGHTS.whoMay,
        rebindsWithdrawn: true,
      };
      const out = subjects.map((ref): SubjectOutcome => {
        const e = ensure(ref, rights);
        if (!e || 'status' in e) return e!;
        if (e.bind) kept.push([e.subject, ref.identifier, e.bind]);
        return { status: e.created ? 'created' : 'existing', subjectId: e.subject.id };
      });
      audit.flush();
      if (createdOrganization()) syncNames();
      for (const [org, identifier, named] of kept) applyBindings(org, identifier, named, null);
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
    writeRecords: committed<[number, RecordWrite[], string, Actor, BindingRights, string], WriteOutcome[]>(
      recordTx,
    ),
    registerSubjects: committed<[SubjectRef[], string, Actor, string], SubjectOutcome[]>(subjectTx),
  };
};
