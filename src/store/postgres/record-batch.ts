/**
 * Bulk writes on PostgreSQL: a handful of set-based statements per batch, with column arrays
 * passed through unnest() so a 10,000-record batch never meets the 65,535-parameter limit.
 */

import { createHash } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  auditLeafHash,
  createdSubjects,
  type RecordContent,
  recordBatchDetail,
  recordContentLine,
} from '../../shared/audit-leaf.ts';
import {
  type KnownSubject,
  newNameRefusal,
  repAsSubject,
  subjectMismatch,
  subjectsNamed,
} from '../common/batch.ts';
import {
  type BindingChange,
  type BindingState,
  bindingQueries,
  bindingRefusal,
  emptyBindingState,
  minorNamed,
  type NamedRole,
  namedRoles,
  organizationBindingDetail,
  personBindingDetail,
  personsNamed,
  planBindings,
  withdrawnNamed,
} from '../common/bindings.ts';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  BindingRights,
  RecordWrite,
  SubjectKind,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';

type Actor = Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>;
type Tx = Transaction<Database>;

const REGISTRY_RIGHTS: BindingRights = {
  mayBind: true,
  whoMay: 'the registry import',
  rebindsWithdrawn: true,
};

const insertContext = async (tx: Tx, actor: Actor, at: string): Promise<number> => {
  const ctx = await sql<{ id: number }>`
    insert into audit_contexts (at, actor, role, purpose, request_id)
    values (${at}, ${actor.actor}, ${actor.role}, ${actor.purpose}, ${actor.requestId}) returning id`.execute(
    tx,
  );
  return Number(ctx.rows[0]!.id);
};

/** The transaction's audit context, inserted when first needed. */
const contextOnce = (tx: Tx, actor: Actor, at: string) => {
  let id: Promise<number> | undefined;
  return () => {
    id ??= insertContext(tx, actor, at);
    return id;
  };
};

type Entry = { subjectId: number | null; action: string; detail: string };

const insertAudit = async (
  tx: Tx,
  actor: Actor,
  at: string,
  entries: Entry[],
  context: () => Promise<number>,
) => {
  if (entries.length === 0) return;
  const hashes = entries.map((e) => auditLeafHash(actor, at, e.subjectId, e.action, e.detail));
  await sql`
    insert into audit_log (context_id, subject_id, action, detail, leaf_hash)
    select ${await context()}, s, a, d, h
    from unnest(${entries.map((e) => e.subjectId)}::bigint[], ${entries.map((e) => e.action)}::text[],
      ${entries.map((e) => e.detail)}::text[], ${hashes}::bytea[]) with ordinality as t(s, a, d, h, o)
    order by o`.execute(tx);
};

/**
 * Resolves every subject reference to a row, creating, linking and licensing as needed.
 * Returns per reference either the subject (with whether it was created) or a rejection.
 */
const ensureSubjects = async (
  tx: Tx,
  refs: SubjectRef[],
  at: string,
  actor: Actor,
  context: () => Promise<number>,
  rights: BindingRights,
  day: string,
) => {
  const known = new Map<string, KnownSubject>();
  const load = async (ids: string[]) => {
    if (ids.length === 0) return;
    const rows = await sql<{
      id: number;
      kind: string;
      identifier: string;
      legal_rep_id: number | null;
      name: string | null;
    }>`
      select id, kind, identifier, legal_rep_id, name from subjects where identifier = any(${ids}::text[])`.execute(
      tx,
    );
    for (const r of rows.rows) {
      known.set(r.identifier, {
        id: Number(r.id),
        kind: r.kind as SubjectKind,
        legalRepId: r.legal_rep_id == null ? null : Number(r.legal_rep_id),
        name: r.name,
      });
    }
  };
  await load([...subjectsNamed(refs).keys()]);
  const verdicts: (ReturnType<typeof subjectMismatch> | ReturnType<typeof bindingRefusal>)[] = refs.map(
    (r) =>
      subjectMismatch(r, known) ??
      minorNamed(r, day) ??
      // A person the line would create under a name that may not be put on file. A person first
      // named by an earlier line of the batch is created by it, or not at all.
      newNameRefusal(r, (identifier) => known.has(identifier)),
  );
  // Without binding rights, a line naming others than the persons on file is refused before
  // anything is created for it.
  const binds = refs.map((r) => namedRoles(r));
  const named = (i: number) => binds[i]!.length > 0 && !verdicts[i];
  const onlyCurrent = (r: SubjectRef, i: number) => {
    const s = known.get(r.identifier);
    const n = binds[i]!;
    return (
      s !== undefined &&
      n.length === 1 &&
      n[0]!.role === 'legal_representative' &&
      s.legalRepId !== null &&
      known.get(n[0]!.persons[0]!.identifier)?.id === s.legalRepId
    );
  };
  // The bindings of the organizations whose lines name others, read once under their lock and
  // kept for applying them (applyKeptBindings).
  const states = new Map<number, BindingState>();
  const readStates = async () => {
    const orgs = refs.flatMap((r, i) =>
      named(i) && !onlyCurrent(r, i) && known.has(r.identifier) ? [known.get(r.identifier)!.id] : [],
    );
    // Lines without binding rights are only judged against them: no lock is needed.
    const read = rights.mayBind
      ? await lockedBindings(tx, orgs)
      : await bindingQueries.currentBindings(tx, orgs);
    for (const [id, st] of read) states.set(id, st);
    return states;
  };
  if (!rights.mayBind) {
    const state = await readStates();
    refs.forEach((r, i) => {
      if (!named(i) || onlyCurrent(r, i)) return;
      const s = known.get(r.identifier);
      if (!s) {
        verdicts[i] = bindingRefusal(binds[i]![0]!.field, rights);
        return;
      }
      const st = state.get(s.id) ?? emptyBindingState();
      const plan = planBindings(s.id, binds[i]!, st.current, st.ever, (id) => known.get(id)?.id);
      if (plan === 'differs_unknown') verdicts[i] = bindingRefusal(binds[i]![0]!.field, rights);
      else if (plan.length > 0)
        verdicts[i] = bindingRefusal(binds[i]!.find((n) => n.role === plan[0]!.role)!.field, rights);
    });
  }
  if (rights.mayBind && !rights.rebindsWithdrawn) {
    // With binding rights, a source's line still may not bind again whom an objection unbound.
    const state = await readStates();
    refs.forEach((r, i) => {
      if (!named(i) || onlyCurrent(r, i)) return;
      const st = state.get(known.get(r.identifier)?.id ?? -1);
      const refused = st && withdrawnNamed(binds[i]!, st.current, st.withdrawn, (id) => known.get(id)?.id);
      if (refused) verdicts[i] = refused;
    });
  }
  const existedBefore = new Set(known.keys());
  const created: { id: number; subject: SubjectRef }[] = [];

  const insertMissing = async (pick: (r: SubjectRef) => SubjectRef[]) => {
    const wanted = new Map<string, SubjectRef>();
    refs.forEach((r, i) => {
      if (verdicts[i]) return;
      for (const s of pick(r))
        if (!known.has(s.identifier) && !wanted.has(s.identifier)) wanted.set(s.identifier, s);
    });
    const subs = [...wanted.values()];
    if (subs.length === 0) return;
    // Bindings are written apart, with their history (bindings.ts).
    const repIds = subs.map(() => null);
    const contextId = await context();
    const inserted = await sql<{ id: number; identifier: string }>`
      insert into subjects (kind, identifier, name, birth_date, sex, legal_rep_id, created_at, context_id)
      select k, i, n, b, s, r, ${at}, ${contextId} from unnest(
        ${subs.map((s) => s.kind)}::text[], ${subs.map((s) => s.identifier)}::text[], ${subs.map((s) => s.name)}::text[],
        ${subs.map((s) => s.birthDate ?? null)}::text[], ${subs.map((s) => s.sex ?? null)}::text[], ${repIds}::bigint[]
      ) with ordinality as t(k, i, n, b, s, r, o) order by o
      on conflict (identifier) do nothing
      returning id, identifier`.execute(tx);
    for (const row of inserted.rows)
      created.push({ id: Number(row.id), subject: wanted.get(row.identifier)! });
    // Re-read rather than trust RETURNING alone: a concurrent batch may have created some of them.
    await load(subs.map((s) => s.identifier));
  };
  // Bound persons first, so organizations can point at them.
  await insertMissing((r) => personsNamed(r).map(repAsSubject));
  await insertMissing((r) => [r]);
  // One entry for the subjects created, committing to their content in id order.
  const audit = createdSubjects();
  for (const c of created.sort((a, b) => a.id - b.id)) audit.add(c.id, c.subject);
  const detail = audit.detail();
  if (detail !== undefined)
    await insertAudit(tx, actor, at, [{ subjectId: null, action: 'subjects.create', detail }], context);

  const licences: { subjectId: number; kind: string; number: string }[] = [];
  const resolved = refs.map(
    (
      r,
      i,
    ):
      | { subject: KnownSubject; created: boolean; bind?: NamedRole[] }
      | NonNullable<(typeof verdicts)[number]> => {
      const bad = verdicts[i] ?? subjectMismatch(r, known);
      if (bad) return bad;
      const s = known.get(r.identifier)!;
      for (const l of r.licences ?? []) licences.push({ subjectId: s.id, ...l });
      const created = !existedBefore.has(r.identifier);
      return rights.mayBind && binds[i]!.length > 0 && !onlyCurrent(r, i)
        ? { subject: s, created, bind: binds[i]! }
        : { subject: s, created };
    },
  );
  if (licences.length > 0) {
    await sql`
      insert into licences (subject_id, kind, number)
      select * from unnest(${licences.map((l) => l.subjectId)}::bigint[], ${licences.map((l) => l.kind)}::text[],
        ${licences.map((l) => l.number)}::text[])
      on conflict do nothing`.execute(tx);
  }
  return { resolved, idOf: (identifier: string) => known.get(identifier)?.id, states };
};

/**
 * The bindings of these organizations, read after locking their subject rows (in id order, so two
 * batches never wait on each other in a circle). Concurrent batches naming others for the same
 * organization take turns: each plans against what the one before it committed, so two lines
 * naming different legal representatives at once leave one in force, not both.
 */
const lockedBindings = async (tx: Tx, organizationIds: number[]): Promise<Map<number, BindingState>> => {
  if (organizationIds.length === 0) return new Map();
  const ids = [...new Set(organizationIds)].sort((a, b) => a - b);
  await sql`select id from subjects where id = any(${ids}::bigint[]) order by id for update`.execute(tx);
  const states = await bindingQueries.currentBindings(tx, ids);
  for (const id of ids) if (!states.has(id)) states.set(id, emptyBindingState());
  return states;
};

/**
 * Applies the bindings of the kept lines, in order: each line's plan is made against what the
 * lines before it left, then the periods are closed and opened and the trails written.
 */
const applyKeptBindings = async (
  tx: Tx,
  kept: { subject: KnownSubject; bind: NamedRole[] }[],
  known: (identifier: string) => number | undefined,
  sourceId: number | null,
  at: string,
  day: string,
  actor: Actor,
  context: () => Promise<number>,
  /** The states read (and locked) while resolving the subjects; the others are read here. */
  states: Map<number, BindingState>,
) => {
  if (kept.length === 0) return;
  const state = states;
  const unread = kept.map((k) => k.subject.id).filter((id) => !state.has(id));
  for (const [id, st] of await lockedBindings(tx, unread)) state.set(id, st);
  const changes: BindingChange[] = [];
  for (const k of kept) {
    let st = state.get(k.subject.id);
    if (!st) {
      st = emptyBindingState();
      state.set(k.subject.id, st);
    }
    const plan = planBindings(k.subject.id, k.bind, st.current, st.ever, known);
    if (plan === 'differs_unknown') throw new Error('a bound person was not created');
    for (const c of plan) {
      const now = (st.current.get(c.role) ?? []).filter((p) => !c.unbind.includes(p));
      st.current.set(c.role, [...now, ...c.bind]);
      st.ever.add(c.role);
      if (c.role === 'legal_representative' && c.bind.length > 0) k.subject.legalRepId = c.bind[0]!;
      changes.push(c);
    }
  }
  if (changes.length === 0) return;
  const contextId = await context();
  await bindingQueries.applyBindings(tx, changes, day, sourceId, contextId, at);
  const entries = changes.flatMap((c) => [
    ...c.unbind.map((p) => ({
      subjectId: p,
      action: 'subject.binding',
      detail: personBindingDetail(c, false, day),
    })),
    ...c.bind.map((p) => ({
      subjectId: p,
      action: 'subject.binding',
      detail: personBindingDetail(c, true, day),
    })),
    { subjectId: c.organizationId, action: 'subject.binding', detail: organizationBindingDetail(c, day) },
  ]);
  await insertAudit(tx, actor, at, entries, context);
};

export const registerSubjects = (
  db: Kysely<Database>,
  refs: SubjectRef[],
  at: string,
  actor: Actor,
  day: string,
): Promise<SubjectOutcome[]> =>
  db.transaction().execute(async (tx) => {
    const seen = new Set<string>();
    const context = contextOnce(tx, actor, at);
    const { resolved, idOf, states } = await ensureSubjects(
      tx,
      refs,
      at,
      actor,
      context,
      REGISTRY_RIGHTS,
      day,
    );
    const kept = resolved.flatMap((r) =>
      'bind' in r && r.bind ? [{ subject: r.subject, bind: r.bind }] : [],
    );
    await applyKeptBindings(tx, kept, idOf, null, at, day, actor, context, states);
    return resolved.map((r, i) => {
      if ('status' in r) return r;
      const first = !seen.has(refs[i]!.identifier);
      seen.add(refs[i]!.identifier);
      return { status: r.created && first ? 'created' : 'existing', subjectId: r.subject.id };
    });
  });

export const writeRecordBatch = (
  db: Kysely<Database>,
  sourceId: number,
  records: RecordWrite[],
  at: string,
  actor: Actor,
  rights: BindingRights,
  day: string,
): Promise<WriteOutcome[]> =>
  db.transaction().execute(async (tx) => {
    const context = contextOnce(tx, actor, at);
    // A duplicate line changes nothing: it must not create the subject or the persons it names (a
    // wrong name pinned to an ID would then refuse the real records). The keys stored before, and
    // the first of equal source_record_ids in a batch wins; later ones are duplicates.
    const outcomes: (WriteOutcome | undefined)[] = new Array(records.length);
    const storedKeys = await sql<{ source_record_id: string }>`
      select source_record_id from record_keys
      where source_id = ${sourceId} and source_record_id = any(${records.map((r) => r.sourceRecordId)}::text[])`.execute(
      tx,
    );
    const seen = new Set(storedKeys.rows.map((r) => r.source_record_id));
    const fresh: number[] = [];
    records.forEach((r, i) => {
      if (seen.has(r.sourceRecordId)) outcomes[i] = { status: 'duplicate' };
      else {
        seen.add(r.sourceRecordId);
        fresh.push(i);
      }
    });
    const { resolved, idOf, states } = await ensureSubjects(
      tx,
      fresh.map((i) => records[i]!.subject),
      at,
      actor,
      context,
      rights,
      day,
    );
    const subjects: (typeof resolved)[number][] = new Array(records.length);
    const todo: number[] = [];
    fresh.forEach((i, j) => {
      const s = resolved[j]!;
      subjects[i] = s;
      if ('status' in s) outcomes[i] = s;
      else todo.push(i);
    });
    const col = <T>(f: (r: RecordWrite, i: number) => T) => todo.map((i) => f(records[i]!, i));
    const subjectIdOf = (_r: RecordWrite, i: number) => (subjects[i] as { subject: KnownSubject }).subject.id;
    const contextId = todo.length ? await context() : 0;
    const inserted = todo.length
      ? // Records are partitioned by subject (migration 0022), so the idempotency key, unique across
        // subjects, is claimed in record_keys first, with the record's id taken from its sequence
        // in batch order; only the lines that claimed their key are inserted.
        await sql<{ id: number; source_record_id: string; subject_id: number }>`
        with t as (
          select * from unnest(
            ${col((r) => r.sourceRecordId)}::text[], ${col((r) => r.type)}::text[], ${col(subjectIdOf)}::bigint[],
            ${col((r) => r.occurredAt)}::text[], ${col((r) => r.decidedAt)}::text[], ${col((r) => r.disclosedAt)}::text[],
            ${col((r) => r.amount)}::float8[], ${col((r) => r.evidence)}::text[], ${col((r) => r.note)}::text[]
          ) with ordinality as t(sri, ty, sid, oa, da, dis, am, ev, no, o)
        ), k as (
          insert into record_keys (source_id, source_record_id, subject_id, record_id)
          select ${sourceId}, sri, sid, nextval('records_id_seq') from t order by o
          on conflict (source_id, source_record_id) do nothing
          returning source_record_id, record_id
        )
        insert into records (id, source_id, source_record_id, type, subject_id, occurred_at, decided_at, disclosed_at,
          recorded_at, amount, evidence, note, status, context_id)
        select k.record_id, ${sourceId}, sri, ty, sid, oa, da, dis, ${at}, am, ev, no, 'active', ${contextId}
        from t join k on k.source_record_id = t.sri order by k.record_id
        returning id, source_record_id, subject_id`.execute(tx)
      : { rows: [] };
    const stored = new Map(inserted.rows.map((r) => [r.source_record_id, r]));
    const content: RecordContent[] = [];
    const kept: { subject: KnownSubject; bind: NamedRole[] }[] = [];
    for (const i of todo) {
      const r = records[i]!;
      const row = stored.get(r.sourceRecordId);
      if (!row) {
        outcomes[i] = { status: 'duplicate' };
        continue;
      }
      const subjectId = Number(row.subject_id);
      const id = Number(row.id);
      content.push({
        id,
        sourceId,
        sourceRecordId: r.sourceRecordId,
        type: r.type,
        subjectId,
        occurredAt: r.occurredAt,
        decidedAt: r.decidedAt,
        disclosedAt: r.disclosedAt,
        amount: r.amount,
        evidence: r.evidence,
        note: r.note,
      });
      outcomes[i] = { status: 'stored', recordId: id, subjectId };
      const e = subjects[i]!;
      if ('bind' in e && e.bind) kept.push({ subject: e.subject, bind: e.bind });
    }
    // A duplicate line changes nothing: only the kept lines' bindings apply, in batch order.
    await applyKeptBindings(tx, kept, idOf, sourceId, at, day, actor, context, states);
    if (content.length > 0) {
      // One audit entry for the batch, committing to the content of every record it stored (in id order).
      content.sort((a, b) => a.id - b.id);
      const digest = createHash('sha256');
      for (const c of content) digest.update(recordContentLine(c));
      const detail = recordBatchDetail(
        sourceId,
        content.map((c) => c.id),
        digest.digest('hex'),
      );
      await insertAudit(tx, actor, at, [{ subjectId: null, action: 'records.create', detail }], context);
    }
    return outcomes as WriteOutcome[];
  });
