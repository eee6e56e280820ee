/**
 * The demo's risk-based random inspections (issue 17), so a fresh start shows one regulator at
 * work: the demo's market regulator gets a roster of inspectors (two of them with declared
 * conflicts of interest), a plan for the quarter of the demo's "today" drawn with the default
 * seed (the SHA-256 of a signed audit head cut after the snapshots), and outcomes for about a
 * third of the inspections, mostly passes, which become records and are published. Everything
 * goes through the supervision verbs. The roster, its conflicts and which inspections get which
 * outcome come from the demo's seeded generator (a stream of its own); the targets themselves
 * follow the audit head's seed, so they differ from one installation to the next, as they must.
 */
import type { Ctx } from '../context.ts';
import {
  addInspector,
  classify,
  drawCount,
  type InspectionDeps,
  type InspectionOutcome,
  listPlans,
  planInspections,
  type RiskClass,
  recordOutcome,
} from '../supervision/index.ts';
import { Random } from './random.ts';
import { demoSourceCode } from './sources.ts';
import type { DemoOptions } from './types.ts';

/** The regulator whose plan the demo draws. */
export const DEMO_REGULATOR = demoSourceCode('market_regulator');

/**
 * The roster: enough inspectors that the workload cap (supervision.yaml) leaves no drawn target
 * of the default demo unassigned, and never fewer than eight.
 */
const MIN_ROSTER = 8;
/** The first inspectors' names; a larger demo's further inspectors go by their codes. */
const NAMES = [
  '王建国',
  '李敏',
  '张伟',
  '刘洋',
  '陈静',
  '杨帆',
  '赵磊',
  '黄婷',
  '周强',
  '吴霞',
  '徐斌',
  '孙丽',
];
/** Roster positions (from 1) of the inspectors who declare conflicts, and how many each. */
const CONFLICTED: Readonly<Record<number, number>> = { 3: 2, 6: 3 };
/** Share of the plan's inspections whose outcome the demo enters (the rest stay pending). */
const DONE_SHARE = 1 / 3;
/** Outcome weights per class, the penalty apart (the demo refers exactly one): riskier, worse. */
const MIX: Readonly<Record<RiskClass, readonly [passed: number, onSpot: number, ordered: number]>> = {
  A: [0.9, 0.1, 0],
  B: [0.75, 0.17, 0.08],
  C: [0.55, 0.25, 0.2],
  D: [0.4, 0.3, 0.3],
};
const MIXED: readonly InspectionOutcome[] = ['passed', 'corrected_on_spot', 'ordered_corrected'];
/** Rescoring before the draw goes in batches of this many subjects. */
const REFRESH_BATCH = 2000;

export const demoInspectorCode = (k: number) => `demo-inspector-${k}`;

/** The demo's period label: the quarter of its last day, e.g. `2026-Q4`. */
export const demoPeriod = (end: string): string =>
  `${end.slice(0, 4)}-Q${Math.floor((Number(end.slice(5, 7)) - 1) / 3) + 1}`;

/** What the demo's inspections became, for the summary. */
export interface DemoInspectionsResult {
  /** A plan was already on file for the demo's regulator: nothing was added (a second load). */
  skipped: boolean;
  regulator: string;
  period: string;
  planId?: number;
  inspectors: number;
  /** Inspectors with declared conflicts, and the conflicts declared. */
  conflicted: number;
  conflicts: number;
  /** Organizations and public bodies classed at the draw (red-listed ones included). */
  organizations: number;
  perClass: { class: RiskClass; population: number; drawn: number }[];
  drawn: number;
  unassigned: number;
  outcomes: Record<InspectionOutcome, number>;
  published: number;
  /** A roster inspector with inspections still to do, for the demo's inspector credential. */
  inspector?: string;
}

const emptyResult = (period: string, skipped: boolean): DemoInspectionsResult => ({
  skipped,
  regulator: DEMO_REGULATOR,
  period,
  inspectors: 0,
  conflicted: 0,
  conflicts: 0,
  organizations: 0,
  perClass: [],
  drawn: 0,
  unassigned: 0,
  outcomes: { passed: 0, corrected_on_spot: 0, ordered_corrected: 0, penalty_referred: 0 },
  published: 0,
});

const shuffle = <T>(rng: Random, xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    [xs[i], xs[k]] = [xs[k]!, xs[i]!];
  }
  return xs;
};

/**
 * Loads the demo's inspections after its records: scores and lists the organizations and public
 * bodies (their class needs both), puts the roster on file, draws the plan and enters a third of
 * the outcomes as the operator. Skipped when the regulator already has a plan, so loading the
 * demo twice adds none.
 */
export const loadDemoInspections = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { options: DemoOptions };
  deps: InspectionDeps;
}): Promise<DemoInspectionsResult> => {
  const period = demoPeriod(input.options.end);
  if ((await listPlans({ ctx, input: { regulator: DEMO_REGULATOR } })).length > 0)
    return emptyResult(period, true);
  const result = emptyResult(period, false);
  const rng = new Random(input.options.seed, 5);

  // A class follows a grade and list entries: every organization and public body is scored and
  // listed first, those without records too (the loader refreshed only those it stored records for).
  const before = await classify(ctx, deps);
  for (let i = 0; i < before.length; i += REFRESH_BATCH)
    await deps.refresh(before.slice(i, i + REFRESH_BATCH).map((c) => c.id));

  // A quarterly plan at the policy's ratios, two inspectors a target, each under the cap.
  const classes = await classify(ctx, deps);
  const drawable = classes.filter((c) => !c.redListed || deps.policy.redListed.drawn);
  const estimate = (['A', 'B', 'C', 'D'] as const).reduce(
    (n, k) => n + drawCount(drawable.filter((c) => c.class === k).length, deps.policy.ratios[k]),
    0,
  );
  const size = Math.max(
    MIN_ROSTER,
    Math.ceil((estimate * deps.policy.inspectorsPerTarget) / deps.policy.workloadCap),
  );
  const companies = classes.filter((c) => c.kind === 'organization').map((c) => c.identifier);
  shuffle(rng, companies);
  for (let k = 1; k <= size; k++) {
    const conflicts = companies.splice(0, CONFLICTED[k] ?? 0);
    await addInspector({
      ctx,
      input: { code: demoInspectorCode(k), regulator: DEMO_REGULATOR, name: NAMES[k - 1], conflicts },
    });
    result.inspectors++;
    if (conflicts.length > 0) result.conflicted++;
    result.conflicts += conflicts.length;
  }

  const plan = await planInspections({ ctx, input: { regulator: DEMO_REGULATOR, period }, deps });
  result.planId = plan.id;
  result.organizations = classes.length;
  result.perClass = plan.per_class.map((c) => ({
    class: c.class as RiskClass,
    population: c.population,
    drawn: c.drawn,
  }));
  result.drawn = plan.per_class.reduce((n, c) => n + c.drawn, 0);
  result.unassigned = plan.unassigned.length;

  // A third of the inspections done, in a seeded order; the riskiest of them referred for a penalty.
  const done = shuffle(
    rng,
    plan.inspections.map((i) => ({ id: i.id, class: i.class as RiskClass, inspectors: i.inspectors })),
  ).slice(0, Math.round(plan.inspections.length * DONE_SHARE));
  const rank = (c: RiskClass) => 'ABCD'.indexOf(c);
  const penalty = done.reduce<(typeof done)[number] | undefined>(
    (worst, i) => (worst === undefined || rank(i.class) > rank(worst.class) ? i : worst),
    undefined,
  );
  for (const i of done) {
    let outcome: InspectionOutcome = 'penalty_referred';
    if (i !== penalty) {
      const [p, s] = MIX[i.class];
      const u = rng.next();
      outcome = MIXED[u < p ? 0 : u < p + s ? 1 : 2]!;
    }
    const r = await recordOutcome({ ctx, input: { id: i.id, outcome }, deps });
    result.outcomes[outcome]++;
    if (r.published_at !== null) result.published++;
  }

  // The demo's inspector credential goes to whoever has the most inspections still to do.
  const pending = new Map<string, number>();
  const finished = new Set(done.map((i) => i.id));
  for (const i of plan.inspections)
    if (!finished.has(i.id)) for (const x of i.inspectors) pending.set(x, (pending.get(x) ?? 0) + 1);
  const busiest = [...pending].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (busiest) result.inspector = busiest[0];
  return result;
};
