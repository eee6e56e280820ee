/**
 * The bulk record write on PostgreSQL: a handful of set-based statements per batch, with column
 * arrays passed through unnest() so a 10,000-record batch never meets the 65,535-parameter limit.
 */
import { type Kysely, sql } from 'kysely';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { type KnownSubject, kindMismatch, subjectsNamed } from '../common/batch.ts';
import type { Database } from '../schema.ts';
import type { AuditDraft, RecordWrite, SubjectKind, WriteOutcome } from '../types.ts';

export const writeRecordBatch = async (
  db: Kysely<Database>,
  sourceId: number,
  records: RecordWrite[],
  at: string,
  audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
): Promise<WriteOutcome[]> =>
  db.transaction().execute(async (tx) => {
    const named = subjectsNamed(records);
    const known = new Map<string, KnownSubject>();
    const load = async (ids: string[]) => {
      if (ids.length === 0) return;
      const rows = await sql<{ id: string; kind: string; identifier: string; legal_rep_id: string | null }>`
        select id, kind, identifier, legal_rep_id from subjects where identifier = any(${ids}::text[])`.execute(tx);
      for (const r of rows.rows) {
        known.set(r.identifier, {
          id: Number(r.id),
          kind: r.kind as SubjectKind,
          legalRepId: r.legal_rep_id == null ? null : Number(r.legal_rep_id),
        });
      }
    };
    await load([...named.keys()]);

    // Records whose subject kinds clash with what is stored are rejected before anything is created.
    const outcomes: (WriteOutcome | undefined)[] = records.map((r) => kindMismatch(r, known));

    // Create the subjects still missing: legal representatives first, so organizations can point at them.
    const missingFor = (pred: (kind: SubjectKind) => boolean) => {
      const wanted = new Map<string, RecordWrite['subject']>();
      records.forEach((r, i) => {
        if (outcomes[i]) return;
        const rep = r.subject.legalRepresentative;
        if (rep && pred('person') && !known.has(rep.identifier))
          wanted.set(rep.identifier, { kind: 'person', identifier: rep.identifier, name: rep.name, birthDate: rep.birthDate, sex: rep.sex });
        if (pred(r.subject.kind) && !known.has(r.subject.identifier) && !wanted.has(r.subject.identifier))
          wanted.set(r.subject.identifier, r.subject);
      });
      return [...wanted.values()];
    };
    const insertSubjects = async (subs: RecordWrite['subject'][]) => {
      if (subs.length === 0) return;
      const repIds = subs.map((s) => (s.legalRepresentative ? (known.get(s.legalRepresentative.identifier)?.id ?? null) : null));
      await sql`
        insert into subjects (kind, identifier, name, birth_date, sex, legal_rep_id, created_at)
        select k, i, n, b, s, r, ${at} from unnest(
          ${subs.map((s) => s.kind)}::text[], ${subs.map((s) => s.identifier)}::text[], ${subs.map((s) => s.name)}::text[],
          ${subs.map((s) => s.birthDate ?? null)}::text[], ${subs.map((s) => s.sex ?? null)}::text[], ${repIds}::bigint[]
        ) as t(k, i, n, b, s, r)
        on conflict (identifier) do nothing`.execute(tx);
      // Re-read rather than trust RETURNING: a concurrent batch may have created some of them.
      await load(subs.map((s) => s.identifier));
    };
    await insertSubjects(missingFor((k) => k === 'person'));
    await insertSubjects(missingFor(() => true));

    // Legal representative changes and licences.
    const repUpdates = new Map<number, number>();
    const licences: { subjectId: number; kind: string; number: string }[] = [];
    records.forEach((r, i) => {
      if (outcomes[i]) return;
      const s = known.get(r.subject.identifier)!;
      const rep = r.subject.legalRepresentative;
      if (rep) {
        const repId = known.get(rep.identifier)!.id;
        if (s.legalRepId !== repId) {
          repUpdates.set(s.id, repId);
          s.legalRepId = repId;
        }
      }
      for (const l of r.subject.licences ?? []) licences.push({ subjectId: s.id, ...l });
    });
    if (repUpdates.size > 0) {
      await sql`
        update subjects set legal_rep_id = u.r
        from unnest(${[...repUpdates.keys()]}::bigint[], ${[...repUpdates.values()]}::bigint[]) as u(s, r)
        where subjects.id = u.s`.execute(tx);
    }
    if (licences.length > 0) {
      await sql`
        insert into licences (subject_id, kind, number)
        select * from unnest(${licences.map((l) => l.subjectId)}::bigint[], ${licences.map((l) => l.kind)}::text[],
          ${licences.map((l) => l.number)}::text[])
        on conflict do nothing`.execute(tx);
    }

    // Records: the first of equal source_record_ids in a batch wins, later ones are duplicates.
    const seen = new Set<string>();
    const todo: number[] = [];
    records.forEach((r, i) => {
      if (outcomes[i]) return;
      if (seen.has(r.sourceRecordId)) outcomes[i] = { status: 'duplicate' };
      else {
        seen.add(r.sourceRecordId);
        todo.push(i);
      }
    });
    const col = <T>(f: (r: RecordWrite) => T) => todo.map((i) => f(records[i]!));
    const inserted = todo.length
      ? await sql<{ id: string; source_record_id: string; subject_id: string }>`
        insert into records (source_id, source_record_id, type, subject_id, occurred_at, decided_at, disclosed_at,
          recorded_at, amount, evidence, note, status)
        select ${sourceId}, sri, ty, sid, oa, da, dis, ${at}, am, ev, no, 'active' from unnest(
          ${col((r) => r.sourceRecordId)}::text[], ${col((r) => r.type)}::text[],
          ${col((r) => known.get(r.subject.identifier)!.id)}::bigint[], ${col((r) => r.occurredAt)}::text[],
          ${col((r) => r.decidedAt)}::text[], ${col((r) => r.disclosedAt)}::text[], ${col((r) => r.amount)}::float8[],
          ${col((r) => r.evidence)}::text[], ${col((r) => r.note)}::text[]
        ) as t(sri, ty, sid, oa, da, dis, am, ev, no)
        on conflict (source_id, source_record_id) do nothing
        returning id, source_record_id, subject_id`.execute(tx)
      : { rows: [] };
    const stored = new Map(inserted.rows.map((r) => [r.source_record_id, r]));
    const audits: { subjectId: number; detail: string; hash: string }[] = [];
    for (const i of todo) {
      const r = records[i]!;
      const row = stored.get(r.sourceRecordId);
      if (!row) {
        outcomes[i] = { status: 'duplicate' };
        continue;
      }
      const subjectId = Number(row.subject_id);
      const detail = `${r.type} ${row.id}`;
      audits.push({ subjectId, detail, hash: auditLeafHash({ ...audit, at, subjectId, action: 'record.create', detail }) });
      outcomes[i] = { status: 'stored', recordId: Number(row.id), subjectId };
    }
    if (audits.length > 0) {
      await sql`
        insert into audit_log (at, actor, role, purpose, subject_id, action, detail, request_id, leaf_hash)
        select ${at}, ${audit.actor}, ${audit.role}, ${audit.purpose}, s, 'record.create', d, ${audit.requestId}, h
        from unnest(${audits.map((a) => a.subjectId)}::bigint[], ${audits.map((a) => a.detail)}::text[],
          ${audits.map((a) => a.hash)}::text[]) with ordinality as t(s, d, h, o)
        order by o`.execute(tx);
    }
    return outcomes as WriteOutcome[];
  });
