/**
 * Inspections for both backends (see ../inspections.ts). A plan is kept with its inspections and
 * every input of its draw in one transaction; an outcome is written only once.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type {
  InspectionRow,
  InspectionStore,
  InspectorRow,
  PlanRow,
  SupervisionFactsRow,
} from '../inspections.ts';
import type { Database } from '../schema.ts';
import { auditQueries } from './audit.ts';

const CHUNK = 500;

const inspectorOf = (r: Selectable<Database['inspectors']>): InspectorRow => ({
  id: Number(r.id),
  code: r.code,
  regulator: r.regulator,
  name: r.name,
  conflicts: JSON.parse(r.conflicts) as string[],
  createdAt: r.created_at,
});

const planOf = (r: Selectable<Database['inspection_plans']>): PlanRow => ({
  id: Number(r.id),
  regulator: r.regulator,
  period: r.period,
  policyVersion: r.policy_version,
  seed: r.seed,
  seedOrigin: r.seed_origin,
  inputs: JSON.parse(r.inputs),
  plan: JSON.parse(r.plan),
  createdAt: r.created_at,
  createdBy: r.created_by,
});

// The outcome's record is the inspected organization's (same subject: one partition under Citus).
const joined = (db: Kysely<Database>) =>
  db
    .selectFrom('inspections as i')
    .innerJoin('inspection_plans as p', 'p.id', 'i.plan_id')
    .innerJoin('subjects as s', 's.id', 'i.subject_id')
    .leftJoin('records as r', (j) =>
      j.onRef('r.subject_id', '=', 'i.subject_id').onRef('r.id', '=', 'i.record_id'),
    )
    .selectAll('i')
    .select(['p.regulator', 's.name as target_name', 's.kind as target_kind', 'r.status as record_status']);

const inspectionOf = (
  r: Selectable<Database['inspections']> & {
    regulator: string;
    target_name: string;
    target_kind: string;
    record_status: string | null;
  },
): InspectionRow => ({
  id: Number(r.id),
  planId: Number(r.plan_id),
  regulator: r.regulator,
  subjectId: Number(r.subject_id),
  target: r.target,
  targetName: r.target_name,
  targetKind: r.target_kind,
  class: r.class,
  inspectors: r.inspectors.split(','),
  dueDay: r.due_day,
  outcome: r.outcome,
  outcomeAt: r.outcome_at,
  outcomeBy: r.outcome_by,
  recordId: r.record_id === null ? null : Number(r.record_id),
  recordStatus: r.record_status,
  publishedAt: r.published_at,
  complaint: r.complaint,
});

export const inspectionStore = (db: Kysely<Database>): InspectionStore => ({
  async upsertInspector(i, at, audit) {
    return db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom('inspectors')
        .selectAll()
        .where('code', '=', i.code)
        .executeTakeFirst();
      if (existing && existing.regulator !== i.regulator)
        throw new CredenceError('conflict', `inspector ${i.code} is on the roster of ${existing.regulator}`);
      const conflicts = JSON.stringify([...new Set(i.conflicts)].sort());
      if (existing)
        await tx
          .updateTable('inspectors')
          .set({ name: i.name, conflicts })
          .where('id', '=', existing.id)
          .execute();
      else
        await tx
          .insertInto('inspectors')
          .values({ code: i.code, regulator: i.regulator, name: i.name, conflicts, created_at: at })
          .execute();
      await auditQueries.appendAudit(tx, audit, at);
      return inspectorOf(
        await tx.selectFrom('inspectors').selectAll().where('code', '=', i.code).executeTakeFirstOrThrow(),
      );
    });
  },

  async findInspector(code) {
    const row = await db.selectFrom('inspectors').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? inspectorOf(row) : undefined;
  },

  async listInspectors(regulator) {
    const rows = await db
      .selectFrom('inspectors')
      .selectAll()
      .where('regulator', '=', regulator)
      .orderBy('code')
      .execute();
    return rows.map(inspectorOf);
  },

  async listSupervisionFacts(q) {
    const subjects = await db
      .selectFrom('subjects')
      .select((eb) => [
        'subjects.id',
        'subjects.kind',
        'subjects.identifier',
        'subjects.name',
        eb
          .selectFrom('scores')
          .select('scores.grade')
          .whereRef('scores.subject_id', '=', 'subjects.id')
          .orderBy('scores.as_of', 'desc')
          .orderBy('scores.computed_at', 'desc')
          .limit(1)
          .as('grade'),
      ])
      .where('subjects.kind', 'in', ['organization', 'public_body'])
      .orderBy('subjects.id')
      .execute();
    // In force on the day as the public lists and checks read an entry (common/lookup.ts
    // listEntriesInForce): one whose grace period has ended is in force before `credence maintain`
    // marks it active, and one past its end is not, though still marked active.
    const lists = await db
      .selectFrom('list_entries as e')
      .innerJoin('subjects as s', 's.id', 'e.subject_id')
      .select(['e.subject_id', 'e.list_code'])
      .where('s.kind', 'in', ['organization', 'public_body'])
      .where('e.status', 'in', ['active', 'pending'])
      .where('e.from_date', '<=', q.day)
      .where((eb) => eb.or([eb('e.until_date', 'is', null), eb('e.until_date', '>', q.day)]))
      .execute();
    const disputed = q.countedWhileDisputed.filter((t) => q.negativeTypes.includes(t));
    const negative =
      q.negativeTypes.length === 0
        ? []
        : await db
            .selectFrom('records as r')
            .innerJoin('subjects as s', 's.id', 'r.subject_id')
            .select(['r.subject_id', sql<number | string>`count(*)`.as('n')])
            .where('s.kind', 'in', ['organization', 'public_body'])
            .where('r.type', 'in', [...q.negativeTypes])
            .where((eb) =>
              disputed.length === 0
                ? eb('r.status', '=', 'active')
                : eb.or([
                    eb('r.status', '=', 'active'),
                    eb.and([eb('r.status', '=', 'disputed'), eb('r.type', 'in', disputed)]),
                  ]),
            )
            .where('r.occurred_at', '>=', q.since)
            .groupBy('r.subject_id')
            .execute();
    const byList = new Map<number, string[]>();
    for (const l of lists) {
      const id = Number(l.subject_id);
      byList.set(id, [...(byList.get(id) ?? []), l.list_code]);
    }
    const byNeg = new Map(negative.map((n) => [Number(n.subject_id), Number(n.n)]));
    return subjects.map(
      (s): SupervisionFactsRow => ({
        id: Number(s.id),
        kind: s.kind as 'organization' | 'public_body',
        identifier: s.identifier,
        name: s.name,
        grade: s.grade ?? null,
        lists: byList.get(Number(s.id)) ?? [],
        negativeRecent: byNeg.get(Number(s.id)) ?? 0,
      }),
    );
  },

  async lastInspectors(regulator) {
    const rows = await db
      .selectFrom('inspections as i')
      .innerJoin('inspection_plans as p', 'p.id', 'i.plan_id')
      .select(['i.target', 'i.inspectors', 'i.id'])
      .where('p.regulator', '=', regulator)
      .orderBy('i.id')
      .execute();
    const out: Record<string, string[]> = {};
    for (const r of rows) out[r.target] = r.inspectors.split(',');
    return out;
  },

  async insertPlan(plan, inspections, audit) {
    return db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('inspection_plans')
        .values({
          regulator: plan.regulator,
          period: plan.period,
          policy_version: plan.policyVersion,
          seed: plan.seed,
          seed_origin: plan.seedOrigin,
          inputs: JSON.stringify(plan.inputs),
          plan: JSON.stringify(plan.plan),
          created_at: plan.createdAt,
          created_by: plan.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const planId = Number(id);
      for (let k = 0; k < inspections.length; k += CHUNK)
        await tx
          .insertInto('inspections')
          .values(
            inspections.slice(k, k + CHUNK).map((i) => ({
              plan_id: planId,
              subject_id: i.subjectId,
              target: i.target,
              class: i.class,
              inspectors: i.inspectors.join(','),
              due_day: i.dueDay,
            })),
          )
          .execute();
      await auditQueries.appendAudit(
        tx,
        audit.map((a) => ({ ...a, detail: a.detail?.replace('{plan}', String(planId)) ?? null })),
        plan.createdAt,
      );
      return planId;
    });
  },

  async insertComplaintInspection(planId, i, at, audit) {
    return db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('inspections')
        .values({
          plan_id: planId,
          subject_id: i.subjectId,
          target: i.target,
          class: i.class,
          inspectors: i.inspectors.join(','),
          due_day: i.dueDay,
          complaint: i.complaint ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await auditQueries.appendAudit(
        tx,
        audit.map((a) => ({ ...a, detail: a.detail?.replace('{inspection}', String(id)) ?? null })),
        at,
      );
      return Number(id);
    });
  },

  async getPlan(id) {
    const r = await db.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? planOf(r) : undefined;
  },

  async listPlans(regulator) {
    let q = db.selectFrom('inspection_plans').selectAll();
    if (regulator) q = q.where('regulator', '=', regulator);
    return (await q.orderBy('id', 'desc').execute()).map(planOf);
  },

  async listInspections(by) {
    let q = joined(db);
    if (by.planId !== undefined) q = q.where('i.plan_id', '=', by.planId);
    if (by.inspector !== undefined)
      q = q.where(sql<boolean>`(',' || i.inspectors || ',') like ${`%,${by.inspector},%`}`);
    if (by.published === true) q = q.where('i.published_at', 'is not', null);
    if (by.recordStatuses !== undefined)
      q =
        by.recordStatuses.length === 0
          ? q.where(sql<boolean>`1 = 0`)
          : q.where('r.status', 'in', [...by.recordStatuses]);
    if (by.subjectId !== undefined) q = q.where('i.subject_id', '=', by.subjectId);
    q = q.orderBy('i.id');
    if (by.limit !== undefined) q = q.limit(by.limit);
    return (await q.execute()).map(inspectionOf);
  },

  async getInspection(id) {
    const r = await joined(db).where('i.id', '=', id).executeTakeFirst();
    return r ? inspectionOf(r) : undefined;
  },

  async setOutcome(id, o, audit) {
    return db.transaction().execute(async (tx) => {
      const done = await tx
        .updateTable('inspections')
        .set({
          outcome: o.outcome,
          outcome_at: o.at,
          outcome_by: o.by,
          record_id: o.recordId,
          published_at: o.at,
        })
        .where('id', '=', id)
        .where('outcome', 'is', null)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1)
        throw new CredenceError('conflict', `inspection ${id} already has its outcome`);
      await auditQueries.appendAudit(tx, audit, o.at);
      return inspectionOf(await joined(tx).where('i.id', '=', id).executeTakeFirstOrThrow());
    });
  },
});
