/**
 * Inspection plans as the platform runs them: a regulator's roster, the class of every
 * organization and public body from its file, a seed fixed after the snapshots, the draw kept with
 * every input so anyone can re-run it, targets seen only by operators and the assigned inspectors
 * until each inspection is done, and outcomes that become records through the catalogue.
 *
 * The seed, by default: the snapshot hashes are written to the audit log first, a signed tree head
 * is then cut over them, and the seed is the SHA-256 of that head's checkpoint — fixed after the
 * snapshots and unknowable before them (RFC 3797's idea). An operator may instead enter a seed from
 * a public lottery; it is recorded with the plan.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { can, refuseWithdrawnSource, requirePermission } from '../access/index.ts';
import { type AuditDeps, cutAuditHead } from '../audit/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import { type Ctx, dateIn, type Principal, todayOf } from '../context.ts';
import { actorOf } from '../due-process/index.ts';
import { ingestRecords } from '../ingest/index.ts';
import type { ListPolicy } from '../lists/index.ts';
import { countsWhileDisputed, gradesToday, type ScoringPolicy } from '../scoring/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { conflict, forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { InspectionRow, PlanRow } from '../store/index.ts';
import { classOf } from './classes.ts';
import {
  type DrawInput,
  type DrawnPlan,
  drawPlan,
  rosterSnapshotHash,
  targetsSnapshotHash,
  verifyPlan,
} from './draw.ts';
import {
  INSPECTION_OUTCOMES,
  type InspectionOutcome,
  RISK_CLASSES,
  type RiskClass,
  type SupervisionPolicy,
} from './policy.ts';
import { regulatorSource } from './roster.ts';

export interface InspectionDeps {
  policy: SupervisionPolicy;
  catalogue: Catalogue;
  lists: ListPolicy;
  /** Whether a disputed record counts where its type does not say, and the grades of subjects due (see `classify`). */
  scoringPolicy: ScoringPolicy;
  audit: AuditDeps;
  /** Rescore and relist after an outcome's record (the platform's `refreshSubjects`). */
  refresh(subjectIds: number[]): Promise<unknown>;
}

/**
 * The platform's own principal for inspections: it cuts the head that fixes a plan's seed and
 * applies an outcome's effect (rescoring), decisions already taken and audited.
 */
export const INSPECTIONS_PRINCIPAL: Principal = { id: 'system:inspections', role: 'operator' };

/**
 * Every organization's and public body's class on today's date (in the platform's zone), with what
 * the draw and the plan need. As checks and the public lists see the file that day, before
 * `credence maintain` has run: a list entry counts while in force on the day (a grace period
 * ended, not expired), and a negative record under objection counts only where its type keeps
 * counting while disputed (the catalogue's `while_disputed`, else the scoring policy's default),
 * as the scorer and the lists count it.
 */
export const classify = async (
  ctx: Ctx,
  deps: Pick<InspectionDeps, 'policy' | 'catalogue' | 'lists' | 'scoringPolicy'>,
) => {
  const today = todayOf(ctx.clock);
  // The months back from today.
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const since = new Date(Date.UTC(year, month - 1 - deps.policy.classes.recentMonths, day));
  const negative = deps.catalogue.items.filter((i) => i.polarity === 'negative');
  const listKind = new Map(deps.lists.lists.map((l) => [l.code, l.kind]));
  const facts = await ctx.store.inspections.listSupervisionFacts({
    day: today,
    since: since.toISOString().slice(0, 10),
    negativeTypes: negative.map((i) => i.code),
    countedWhileDisputed: negative
      .filter((i) => countsWhileDisputed(i, deps.scoringPolicy.disputedCounts))
      .map((i) => i.code),
  });
  // A stored grade is the last recomputation's: where a subject's transition day has come and
  // `credence maintain` has not run yet (a direct grade lapsing, a deduction ending), its grade is
  // computed for today instead.
  const due = new Set<number>();
  for (let after = 0; ; ) {
    const ids = await ctx.store.listDueSubjects(today, after, 5_000);
    if (ids.length === 0) break;
    for (const id of ids) due.add(id);
    after = ids[ids.length - 1]!;
  }
  const stale = facts.filter((f) => due.has(f.id)).map((f) => f.id);
  const graded = await gradesToday(ctx, stale, { policy: deps.scoringPolicy, catalogue: deps.catalogue });
  return facts.map((f) => {
    const grade = graded.get(f.id) ?? f.grade;
    const lists = f.lists.flatMap((code) => {
      const kind = listKind.get(code);
      return kind ? [{ code, kind }] : [];
    });
    return {
      ...f,
      grade,
      class: classOf({ kind: f.kind, grade, lists, negativeRecentRecords: f.negativeRecent }, deps.policy),
      redListed: lists.some((l) => l.kind === 'red'),
    };
  });
};

/**
 * Draws a regulator's plan for a period: the class snapshot and the roster snapshot are hashed and
 * audited, the seed fixed after them, the draw run and kept with every input.
 */
export const planInspections = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { regulator: string; period: string; seed?: string };
  deps: InspectionDeps;
}) => {
  requirePermission(ctx.principal, 'inspections.plan');
  const regulator = await regulatorSource(ctx, input.regulator);
  // Its targets' outcomes could not be recorded: a withdrawn regulator draws nothing new either.
  refuseWithdrawnSource(ctx, regulator, 'it draws no new plan');
  const period = input.period.trim();
  if (!/^[0-9A-Za-z._-]{1,32}$/.test(period))
    throw invalidInput('a period is a short label such as 2026-Q4', [
      { field: 'period', message: input.period },
    ]);
  if (input.seed !== undefined && !/^([0-9a-f]{2}){16,64}$/.test(input.seed))
    throw invalidInput('an entered seed is 32–128 lowercase hex digits (16–64 bytes)', [
      { field: 'seed', message: 'not hex' },
    ]);
  if ((await ctx.store.inspections.listPlans(regulator.code)).some((p) => p.period === period))
    throw conflict(`${regulator.code} already has a plan for ${period}`);
  const classed = await classify(ctx, deps);
  const roster = await ctx.store.inspections.listInspectors(regulator.code);
  if (roster.length < deps.policy.inspectorsPerTarget)
    throw invalidInput(
      `the roster of ${regulator.code} has ${roster.length} inspector(s); a plan needs at least ${deps.policy.inspectorsPerTarget}`,
      [{ field: 'regulator', message: 'roster too small' }],
    );
  const targets = classed.map((c) => ({ id: c.identifier, class: c.class, redListed: c.redListed }));
  const rosterIn = roster.map((r) => ({ id: r.code, conflicts: r.conflicts }));
  const targetsHash = targetsSnapshotHash(targets);
  const rosterHash = rosterSnapshotHash(rosterIn);
  // The snapshots are in the log before the seed exists.
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: null,
        action: 'inspections.snapshot',
        detail: JSON.stringify({
          regulator: regulator.code,
          period,
          targets_hash: targetsHash,
          roster_hash: rosterHash,
        }),
      },
    ],
    ctx.clock.now().toISOString(),
  );
  let seed: string;
  let seedOrigin: string;
  if (input.seed) {
    seed = input.seed;
    seedOrigin = 'entered by the operator (a public lottery draw), recorded before the draw';
  } else {
    const head = await cutAuditHead({ ctx: { ...ctx, principal: INSPECTIONS_PRINCIPAL }, deps: deps.audit });
    if (!head) throw conflict('no audit head could be signed to fix the seed');
    seed = createHash('sha256').update(head.checkpoint).digest('hex');
    seedOrigin = `sha256 of the signed audit head of size ${head.tree_size} cut after the snapshots`;
  }
  const drawInput: DrawInput = {
    policyVersion: deps.policy.version,
    seed,
    targets,
    roster: rosterIn,
    lastInspectors: await ctx.store.inspections.lastInspectors(regulator.code),
  };
  const plan = drawPlan(drawInput, deps.policy);
  const byId = new Map(classed.map((c) => [c.identifier, c]));
  const due = formatDay(parseDay(todayOf(ctx.clock)) + deps.policy.outcomeDays);
  const at = ctx.clock.now().toISOString();
  const id = await ctx.store.inspections.insertPlan(
    {
      regulator: regulator.code,
      period,
      policyVersion: deps.policy.version,
      seed,
      seedOrigin,
      inputs: drawInput,
      plan,
      createdAt: at,
      createdBy: ctx.principal.id,
    },
    plan.assignments.map((a) => ({
      subjectId: byId.get(a.target)!.id,
      target: a.target,
      class: a.class,
      inspectors: a.inspectors,
      dueDay: due,
    })),
    [
      {
        ...actorOf(ctx),
        subjectId: null,
        action: 'inspections.plan',
        detail: JSON.stringify({
          plan: '{plan}',
          regulator: regulator.code,
          period,
          seed,
          targets: plan.assignments.length,
        }),
      },
    ],
  );
  return planView(
    (await ctx.store.inspections.getPlan(id))!,
    await ctx.store.inspections.listInspections({ planId: id }),
    ctx,
    deps,
  );
};

/**
 * The statuses of an outcome's record under which its result stays published. Removed on objection
 * or withdrawn by its source, repaired, archived: the record no longer stands, so neither does the
 * result it records (product rules 6 and 7), and it leaves the published list, the organization's
 * page and the public plan view. Under objection it still stands — every outcome type binds while
 * disputed (policies/catalogue.yaml) — and is shown marked contested, as the public lists show a
 * contested entry.
 */
const STANDING: readonly string[] = ['active', 'disputed'];

/** Done: its outcome entered (and published then). */
const done = (i: InspectionRow) => i.outcome !== null;

/** Its result is published now: done, and its record stands. */
const published = (i: InspectionRow) =>
  i.publishedAt !== null && i.recordStatus !== null && STANDING.includes(i.recordStatus);

const inspectionView = (i: InspectionRow, today: string) => ({
  id: i.id,
  plan_id: i.planId,
  target: { uscc: i.target, name: i.targetName, kind: i.targetKind },
  class: i.class,
  inspectors: i.inspectors,
  due_day: i.dueDay,
  overdue: i.outcome === null && today > i.dueDay,
  outcome: i.outcome,
  outcome_at: i.outcomeAt,
  published_at: published(i) ? i.publishedAt : null,
  on_complaint: i.complaint !== null,
});

const planView = (
  p: PlanRow,
  inspections: InspectionRow[],
  ctx: Ctx,
  deps: Pick<InspectionDeps, 'policy'>,
) => {
  const drawn = p.plan as DrawnPlan;
  const today = todayOf(ctx.clock);
  return {
    id: p.id,
    regulator: p.regulator,
    period: p.period,
    policy_version: p.policyVersion,
    seed: p.seed,
    seed_origin: p.seedOrigin,
    targets_hash: drawn.targetsHash,
    roster_hash: drawn.rosterHash,
    history_hash: drawn.historyHash,
    per_class: drawn.perClass.map((c) => ({
      class: c.class,
      population: c.population,
      red_listed: c.redListed,
      drawn: c.drawn,
      ratio: c.ratio,
    })),
    unassigned: drawn.unassigned,
    created_at: p.createdAt,
    outcome_days: deps.policy.outcomeDays,
    inspections: inspections.map((i) => inspectionView(i, today)),
  };
};

/**
 * A plan. Operators and auditors see every target; an inspector sees only the inspections it is
 * assigned; anyone else sees the plan's published inputs and the inspections already done whose
 * results stand (see STANDING), and the seed and the targets left unassigned once all are done.
 */
export const showPlan = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number };
  deps: Pick<InspectionDeps, 'policy'>;
}) => {
  requirePermission(ctx.principal, 'inspections.read_published');
  const p = await ctx.store.inspections.getPlan(input.id);
  if (!p) throw notFound(`no inspection plan ${input.id}`);
  const all = await ctx.store.inspections.listInspections({ planId: p.id });
  const sees = can(ctx.principal, 'inspections.read_all');
  const visible = sees
    ? all
    : can(ctx.principal, 'inspections.read_assigned')
      ? all.filter((i) => published(i) || i.inspectors.includes(ctx.principal.ref ?? ''))
      : all.filter(published);
  const view = planView(p, visible, ctx, deps);
  // Unannounced: with the seed and the snapshot anyone could compute the targets, so the public
  // gets the seed (and the inputs) once every inspection of the plan is done; the hashes commit
  // to them from the start. So too the targets drawn but left unassigned: they would tell those
  // organizations they were drawn, and their reasons tell of the roster's conflicts.
  // Done, whether or not its result still stands: the draw's secret has nothing left to protect.
  const complete = all.every(done);
  return sees || complete ? view : { ...view, seed: null, seed_origin: null, unassigned: [] };
};

/**
 * The inputs of a plan's draw (policy version, seed, targets with their classes, roster, last
 * inspectors) for anyone to re-run it: operators and auditors at once, everyone else once every
 * inspection of the plan is done.
 */
export const planInputs = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number };
}): Promise<InputsJson> => {
  requirePermission(ctx.principal, 'inspections.read_published');
  const p = await ctx.store.inspections.getPlan(input.id);
  if (!p) throw notFound(`no inspection plan ${input.id}`);
  if (!can(ctx.principal, 'inspections.read_all')) {
    const pending = (await ctx.store.inspections.listInspections({ planId: p.id })).filter((i) => !done(i));
    if (pending.length > 0)
      throw forbidden(
        `plan ${p.id}'s inputs are published once its inspections are done (${pending.length} still pending): they would reveal the targets`,
      );
  }
  return inputsJson(p.inputs as DrawInput);
};

/** A draw's inputs in the product's JSON casing (snake_case), as published and as `verify` reads them. */
export interface InputsJson {
  policy_version: string;
  seed: string;
  targets: { id: string; class: RiskClass; red_listed: boolean }[];
  roster: { id: string; conflicts: string[] }[];
  last_inspectors: Record<string, string[]>;
}

export const inputsJson = (d: DrawInput): InputsJson => ({
  policy_version: d.policyVersion,
  seed: d.seed,
  targets: d.targets.map((t) => ({ id: t.id, class: t.class, red_listed: t.redListed })),
  roster: d.roster.map((r) => ({ id: r.id, conflicts: [...r.conflicts] })),
  last_inspectors: Object.fromEntries(Object.entries(d.lastInspectors).map(([k, v]) => [k, [...v]])),
});

const inputsSchema = z.strictObject({
  policy_version: z.string(),
  seed: z.string(),
  targets: z.array(z.strictObject({ id: z.string(), class: z.enum(RISK_CLASSES), red_listed: z.boolean() })),
  roster: z.array(z.strictObject({ id: z.string(), conflicts: z.array(z.string()) })),
  last_inspectors: z.record(z.string(), z.array(z.string())),
});

/**
 * A draw's inputs from JSON someone hands in (`credence inspections verify --inputs`), checked for
 * their shape: `invalid_input` naming each field that is not as `GET /v1/inspections/plans/{id}/inputs`
 * gives it. `what` names the input in the message (a file).
 */
export const parseInputsJson = (value: unknown, what = 'the inputs'): DrawInput => {
  const r = inputsSchema.safeParse(value);
  if (!r.success)
    throw invalidInput(
      `${what}: not a draw's inputs as GET /v1/inspections/plans/{id}/inputs gives them`,
      r.error.issues.slice(0, 20).map((i) => ({ field: i.path.join('.') || '(top)', message: i.message })),
    );
  return inputsFromJson(r.data);
};

export const inputsFromJson = (j: InputsJson): DrawInput => ({
  policyVersion: j.policy_version,
  seed: j.seed,
  targets: j.targets.map((t) => ({ id: t.id, class: t.class, redListed: t.red_listed })),
  roster: j.roster.map((r) => ({ id: r.id, conflicts: r.conflicts })),
  lastInspectors: j.last_inspectors,
});

export const listPlans = async ({ ctx, input }: { ctx: Ctx; input: { regulator?: string } }) => {
  requirePermission(ctx.principal, 'inspections.read_published');
  // The seed is the plan's secret until its inspections are done (see showPlan): operators and
  // auditors only here.
  const sees = can(ctx.principal, 'inspections.read_all');
  return (await ctx.store.inspections.listPlans(input.regulator)).map((p) => ({
    id: p.id,
    regulator: p.regulator,
    period: p.period,
    seed: sees ? p.seed : null,
    created_at: p.createdAt,
  }));
};

/** An inspector's own assignments (all of them for an operator), overdue ones flagged. */
export const myInspections = async ({ ctx }: { ctx: Ctx }) => {
  requirePermission(ctx.principal, 'inspections.outcome');
  const today = todayOf(ctx.clock);
  const rows = can(ctx.principal, 'inspections.outcome_any')
    ? await ctx.store.inspections.listInspections({})
    : await ctx.store.inspections.listInspections({ inspector: ctx.principal.ref ?? '\u0000' });
  return rows.map((i) => inspectionView(i, today));
};

/**
 * Records an inspection's outcome: only an inspector assigned to it (or an operator); once. The
 * outcome becomes the catalogue's record through the regulator's source, so the organization's
 * score and class follow, and the result is published at once.
 */
export const recordOutcome = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; outcome: string; note?: string };
  deps: InspectionDeps;
}) => {
  requirePermission(ctx.principal, 'inspections.outcome');
  if (!(INSPECTION_OUTCOMES as readonly string[]).includes(input.outcome))
    throw invalidInput(`outcome must be one of ${INSPECTION_OUTCOMES.join(', ')}`, [
      { field: 'outcome', message: input.outcome },
    ]);
  const i = await ctx.store.inspections.getInspection(input.id);
  const mine =
    can(ctx.principal, 'inspections.outcome_any') || i?.inspectors.includes(ctx.principal.ref ?? '') === true;
  // An inspection not assigned to the caller is a 404, like one that does not exist: unannounced.
  if (!i || !mine) throw notFound(`no inspection ${input.id} assigned to you`);
  if (i.outcome !== null) throw conflict(`inspection ${i.id} already has its outcome (${i.outcome})`);
  // A withdrawn regulator records no new outcome (its record would go in under a withdrawn source):
  // the inspection stays open, and overdue, until the regulator is given a new credential.
  const regulator = await ctx.store.findSourceByCode(i.regulator);
  if (regulator) refuseWithdrawnSource(ctx, regulator, `its inspection ${i.id} takes no outcome`);
  const type = deps.policy.outcomes[input.outcome as InspectionOutcome].recordType;
  const subject = await ctx.store.findSubjectById(i.subjectId);
  if (!subject || subject.kind === 'person') throw forbidden('inspections never concern persons');
  const today = todayOf(ctx.clock);
  const sctx: Ctx = {
    ...ctx,
    principal: { id: `system:inspections@${i.regulator}`, role: 'source', ref: i.regulator },
    purpose: 'an inspection outcome becomes a record',
  };
  let recordId: number | null = null;
  const progress = await ingestRecords({
    ctx: sctx,
    input: {
      source: i.regulator,
      catalogue: deps.catalogue,
      lines: [
        {
          line: 1,
          value: {
            source_record_id: `inspection:${i.id}`,
            type,
            subject: { kind: subject.kind, uscc: subject.identifier, name: subject.name },
            occurred_at: today,
            decided_at: today,
            evidence: `inspection ${i.id} of plan ${i.planId}`,
            ...(input.note ? { note: input.note.slice(0, 2000) } : {}),
          },
        },
      ],
      onLine: (o) => {
        if (o.status === 'stored') recordId = o.recordId;
        else if (o.status === 'rejected')
          throw invalidInput(`the outcome's record was refused: ${o.field}: ${o.reason}`);
      },
      afterBatch: async (ids) => {
        await deps.refresh(ids);
      },
    },
  });
  if (progress.accepted !== 1 && recordId === null)
    throw conflict(`inspection ${i.id}'s record already exists`);
  const row = await ctx.store.inspections.setOutcome(
    i.id,
    { outcome: input.outcome, at: ctx.clock.now().toISOString(), by: ctx.principal.id, recordId },
    [
      {
        ...actorOf(ctx),
        subjectId: i.subjectId,
        action: 'inspections.outcome',
        detail: JSON.stringify({ inspection: i.id, outcome: input.outcome, record: recordId }),
      },
    ],
  );
  return inspectionView(row, today);
};

/**
 * Inspections done whose results stand, newest first (public: no inspector is named); one whose
 * record is under objection marked `contested`.
 */
export const publishedInspections = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  /** `subjectId`: of one organization or public body only (its public page). */
  input: { limit?: number; subjectId?: number };
}) => {
  requirePermission(ctx.principal, 'inspections.read_published');
  const rows = await ctx.store.inspections.listInspections({
    published: true,
    recordStatuses: STANDING,
    ...(input.subjectId === undefined ? {} : { subjectId: input.subjectId }),
  });
  return rows
    .slice(-(input.limit ?? 200))
    .reverse()
    .map((i) => ({
      id: i.id,
      plan_id: i.planId,
      regulator: i.regulator,
      target: { uscc: i.target, name: i.targetName, kind: i.targetKind },
      class: i.class,
      outcome: i.outcome,
      inspected_on: i.outcomeAt ? dateIn(ctx.clock, new Date(i.outcomeAt)) : null,
      published_at: i.publishedAt,
      contested: i.recordStatus === 'disputed',
    }));
};

/** Re-runs a plan's draw from its published inputs: identical or not, and what differs. */
export const verifyStoredPlan = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; inputs?: DrawInput };
  deps: Pick<InspectionDeps, 'policy'>;
}) => {
  requirePermission(ctx.principal, 'inspections.read_published');
  const p = await ctx.store.inspections.getPlan(input.id);
  if (!p) throw notFound(`no inspection plan ${input.id}`);
  if (p.policyVersion !== deps.policy.version)
    return {
      identical: false,
      differences: [`the plan was drawn under policy ${p.policyVersion}, not the one in force`],
    };
  return verifyPlan(p.plan as DrawnPlan, input.inputs ?? (p.inputs as DrawInput), deps.policy);
};

/**
 * An inspection made on a complaint, outside the draw: the only way a red-listed organization is
 * inspected (it is left undisturbed by the draw), and open to any organization or public body.
 * It joins a plan of the regulator; its two inspectors are the least loaded of the roster who
 * declared no conflict with it, did not inspect it last time and are under the workload cap. The
 * complaint's text is kept with it and audited; like any inspection it is unannounced until done.
 */
export const inspectOnComplaint = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { planId: number; target: string; complaint: string };
  deps: Pick<InspectionDeps, 'policy' | 'catalogue' | 'lists' | 'scoringPolicy'>;
}) => {
  requirePermission(ctx.principal, 'inspections.plan');
  const complaint = input.complaint.trim();
  if (complaint.length < 10 || complaint.length > 2000)
    throw invalidInput('state the complaint in 10–2000 characters', [
      { field: 'complaint', message: `${complaint.length} characters` },
    ]);
  const p = await ctx.store.inspections.getPlan(input.planId);
  if (!p) throw notFound(`no inspection plan ${input.planId}`);
  const facts = (await classify(ctx, deps)).find((c) => c.identifier === input.target.trim().toUpperCase());
  if (!facts)
    throw notFound(
      `no organization or public body ${input.target} is on file (inspections never concern persons)`,
    );
  const planned = await ctx.store.inspections.listInspections({ planId: p.id });
  if (planned.some((i) => i.subjectId === facts.id && i.outcome === null))
    throw conflict(`${facts.identifier} already has an open inspection in plan ${p.id}`);
  const last = (await ctx.store.inspections.lastInspectors(p.regulator))[facts.identifier] ?? [];
  const load = new Map<string, number>();
  for (const i of planned) for (const code of i.inspectors) load.set(code, (load.get(code) ?? 0) + 1);
  const eligible = (await ctx.store.inspections.listInspectors(p.regulator))
    .filter((r) => !r.conflicts.includes(facts.identifier) && !last.includes(r.code))
    .filter((r) => (load.get(r.code) ?? 0) < deps.policy.workloadCap)
    .sort((a, b) => (load.get(a.code) ?? 0) - (load.get(b.code) ?? 0) || (a.code < b.code ? -1 : 1));
  if (eligible.length < deps.policy.inspectorsPerTarget)
    throw conflict(
      `the roster of ${p.regulator} has ${eligible.length} inspector(s) free of conflicts and under the workload cap for ${facts.identifier}; ${deps.policy.inspectorsPerTarget} are needed`,
    );
  const inspectors = eligible.slice(0, deps.policy.inspectorsPerTarget).map((r) => r.code);
  const at = ctx.clock.now().toISOString();
  const id = await ctx.store.inspections.insertComplaintInspection(
    p.id,
    {
      subjectId: facts.id,
      target: facts.identifier,
      class: facts.class,
      inspectors,
      dueDay: formatDay(parseDay(todayOf(ctx.clock)) + deps.policy.outcomeDays),
      complaint,
    },
    at,
    [
      {
        ...actorOf(ctx),
        subjectId: null,
        action: 'inspections.complaint',
        detail: JSON.stringify({ inspection: '{inspection}', plan: p.id, red_listed: facts.redListed }),
      },
    ],
  );
  const row = (await ctx.store.inspections.getInspection(id))!;
  return { ...inspectionView(row, todayOf(ctx.clock)), complaint };
};
