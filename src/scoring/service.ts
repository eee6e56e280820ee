/**
 * Scoring verbs over the store: full rescoring of the population from columns, rescoring the
 * subjects a batch touched, and a subject's explained score as of any date. Results are kept per
 * subject, policy version and as-of date, so a policy change rescores without losing old results.
 */
import { hash } from 'node:crypto';
import { requirePermission } from '../access/index.ts';
import { type Catalogue, DOMAINS, type Domain } from '../catalogue/index.ts';
import { type Ctx, dayNumberIn, spanOfDay, todayOf } from '../context.ts';
import { type DayOfInstant, formatDay, parseDay } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';
import type { ChangeWatch, ScoreRow, ScoringSubjectRow } from '../store/index.ts';
import { fileBindings, getReadableSubject, ownFileBindings, type SubjectFile } from '../subjects/index.ts';
import { ColumnBuilder } from './columns.ts';
import { rescoreAll, scoreSubject } from './engine.ts';
import { linksOf, loadScoringNeighbourhood } from './linkage.ts';
import { type ListTerms, parseScoringPolicy, type ScoringPolicy } from './policy.ts';
import { GRADES, type Grade, type LinkedOrganization, type ScoreResult } from './types.ts';
import { asKnownAt } from './versions.ts';

export interface ScoringDeps {
  policy: ScoringPolicy;
  catalogue: Catalogue;
}

/**
 * The first day a score may be computed as of: the engine counts days from 1970-01-01 (day 0,
 * shared/days.ts) and marks "no day" with −1, and the working-day calendar starts that year; no
 * credit record the platform keeps is that old.
 */
export const FIRST_AS_OF = '1970-01-01';

/** The as-of date asked for, checked: a real date, from FIRST_AS_OF, not in the future. */
const asOfDate = (ctx: Ctx, asOf?: string): string => {
  const today = todayOf(ctx.clock);
  if (asOf === undefined) return today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(parseDay(asOf))) {
    const quoted = JSON.stringify(asOf.length > 40 ? `${asOf.slice(0, 40)}…` : asOf);
    throw invalidInput(`as-of date ${quoted} is not a date (YYYY-MM-DD)`, [
      { field: 'as_of', message: 'expected YYYY-MM-DD' },
    ]);
  }
  if (asOf > today)
    throw invalidInput(`as-of date ${asOf} is in the future`, [{ field: 'as_of', message: 'in the future' }]);
  if (asOf < FIRST_AS_OF)
    throw invalidInput(
      `as-of date ${asOf} is before ${FIRST_AS_OF}: scores are computed on days counted from ${FIRST_AS_OF}`,
      [{ field: 'as_of', message: `from ${FIRST_AS_OF}` }],
    );
  return asOf;
};

/**
 * The knowledge cut-off of a computation as of `asOf`: the last instant of that day in the
 * platform's zone when it is past (records recorded since do not count, and those corrected or
 * withdrawn since read as they were then), else none (what is on file now).
 */
export const pastKnowledge = (ctx: Ctx, asOf: string): string | undefined => {
  const last = spanOfDay(ctx.clock, asOf).until - 1;
  return last < ctx.clock.now().getTime() ? new Date(last).toISOString() : undefined;
};

/**
 * The platform's time as the engines (`scoreSubject`, `computeEntries`, `rescoreAll`) take it,
 * computing as of `asOf`: they may know every record recorded by the last instant of that day in
 * the platform's zone (`knownAsOf`), and they count the day a record was learned of in that zone
 * (`dayOfInstant`: a derived listing warns no earlier). Always given: the engines alone know no
 * zone and would end the day at UTC midnight, which leaves out, west of UTC, a record received
 * this evening (a performance would not lift a listing) and, east of it, lets a past day know the
 * first hours of the next.
 */
export const engineTime = (ctx: Ctx, asOf: string): { knownAsOf: string; dayOfInstant: DayOfInstant } => ({
  knownAsOf: new Date(spanOfDay(ctx.clock, asOf).until - 1).toISOString(),
  dayOfInstant: dayNumberIn(ctx.clock),
});

const domainsOf = (d: Int32Array, i: number): Record<Domain, number> =>
  Object.fromEntries(DOMAINS.map((name, k) => [name, d[i * DOMAINS.length + k]!])) as Record<Domain, number>;

export interface RescoreProgress {
  phase: 'load' | 'score' | 'save';
  done: number;
  total: number;
}

export interface RescoreSummary {
  subjects: number;
  records: number;
  policyVersion: string;
  asOf: string;
  /** The grades of the scores this run wrote (a subject left unsettled is not counted). */
  grades: Record<Grade, number>;
  /**
   * Subjects whose score the pass over every record did not write: a write of their score,
   * entries or bindings, or a revision of their records, came after it read them. Each was scored
   * again afterwards from its records as read then (`rescoreSubjects`'s way), guarded alike.
   */
  skipped: number;
  /**
   * Of those, subjects changed again before each of RESCORE_TRIES writes: left as the write after
   * their last change leaves them (the population is then not noted as scored under this version).
   */
  unsettled: number;
}

/** Tries at scoring again, one by one, the subjects the full pass skipped. */
const RESCORE_TRIES = 3;

/** Rescores every subject as of a date from an in-memory columnar form of all records. */
export const rescoreAllSubjects = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { asOf?: string; onProgress?: (p: RescoreProgress) => void };
  deps: ScoringDeps;
}): Promise<RescoreSummary> => {
  requirePermission(ctx.principal, 'scores.compute');
  const asOf = asOfDate(ctx, input.asOf);
  const report = input.onProgress ?? (() => {});
  // Where the change feed stands before anything is read: a subject it names after this was
  // written or revised meanwhile, and its score is not overwritten from what this run read.
  const watch: ChangeWatch = {
    since: ctx.clock.now().toISOString(),
    after: await ctx.store.lastCheckChange(),
    changed: new Set(),
    everything: false,
  };
  const subjects = await ctx.store.listSubjectsForScoring();
  const total = await ctx.store.countRecords();
  const builder = new ColumnBuilder(deps.catalogue, total);
  // As of a past day, records revised since read as they were then (few: one indexed read).
  const knownAt = pastKnowledge(ctx, asOf);
  const versions = knownAt ? await ctx.store.listVersionsKnownAfter(knownAt) : [];
  await ctx.store.scanRecordsForScoring(50_000, (rows) => {
    for (const r of versions.length > 0 ? asKnownAt(rows, versions, knownAt!) : rows) builder.add(r);
    report({ phase: 'load', done: builder.length, total });
  });
  const cols = builder.finish();
  report({ phase: 'score', done: 0, total: subjects.length });
  // An organization's act counts for the person bound on its day (linkage.ts).
  const links = linksOf(
    await ctx.store.listBindings({ role: 'legal_representative', ...(knownAt ? { knownAt } : {}) }),
    ctx.clock.timeZone,
  );
  const res = rescoreAll(cols, subjects, deps.policy, deps.catalogue, asOf, {
    ...engineTime(ctx, asOf),
    links,
    keyFactors: true,
    nextChanges: true,
  });
  report({ phase: 'score', done: subjects.length, total: subjects.length });

  const computedAt = ctx.clock.now().toISOString();
  const grades = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  const kf = res.keyFactors!;
  // At most the change feed's one-row-a-subject limit (store/common/checks.ts: FULL_CHANGE).
  const CHUNK = 5000;
  const skipped: number[] = [];
  for (let from = 0; from < subjects.length; from += CHUNK) {
    const rows: ScoreRow[] = [];
    for (let i = from; i < Math.min(from + CHUNK, subjects.length); i++) {
      const grade = GRADES[res.grades[i]!]!;
      const factors = [];
      for (let k = 0; k < 4; k++) {
        const id = kf.recordIds[i * 4 + k]!;
        if (!Number.isNaN(id)) factors.push({ record_id: id, points: kf.points[i * 4 + k]! });
      }
      rows.push({
        subjectId: subjects[i]!.id,
        policyVersion: deps.policy.version,
        asOf,
        score: res.scores[i]!,
        grade,
        domains: JSON.stringify(domainsOf(res.domains, i)),
        keyFactors: JSON.stringify(factors),
        computedAt,
      });
    }
    const left = await ctx.store.saveScoresUnchanged(rows, watch);
    for (const id of left) skipped.push(id);
    const leftSet = new Set(left);
    for (const r of rows) if (!leftSet.has(r.subjectId)) grades[r.grade as Grade]++;
    // A window closing or opening is a day `credence maintain` must visit; the days list entries
    // set stay when earlier.
    const due: { subjectId: number; dueDay: string }[] = [];
    for (let i = from; i < Math.min(from + CHUNK, subjects.length); i++) {
      const d = res.nextChanges![i]!;
      if (d >= 0) due.push({ subjectId: subjects[i]!.id, dueDay: formatDay(d) });
    }
    await ctx.store.lowerDueDays(due);
    report({ phase: 'save', done: Math.min(from + CHUNK, subjects.length), total: subjects.length });
  }
  const unsettled = await rescoreSkipped(ctx, skipped, asOf, deps, grades);
  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: null,
        action: 'scores.compute',
        detail: JSON.stringify({
          subjects: subjects.length,
          records: cols.length,
          policy_version: deps.policy.version,
          as_of: asOf,
          skipped: skipped.length,
          unsettled: unsettled.length,
        }),
        requestId: ctx.requestId,
      },
    ],
    computedAt,
  );
  // A subject left unsettled may hold no score of this version: a later start rescores again.
  if (unsettled.length === 0) await ctx.store.setMeta('scored_policy_version', deps.policy.version);
  return {
    subjects: subjects.length,
    records: cols.length,
    policyVersion: deps.policy.version,
    asOf,
    grades,
    skipped: skipped.length,
    unsettled: unsettled.length,
  };
};

/**
 * The subjects the full pass skipped, scored again from their records as read now and written
 * under the same guard (each try watches the feed from before its own read), a chunk at a time;
 * their grades counted in `grades`. Returns those changed again before every try.
 */
const rescoreSkipped = async (
  ctx: Ctx,
  skipped: readonly number[],
  asOf: string,
  deps: ScoringDeps,
  grades: Record<Grade, number>,
): Promise<number[]> => {
  let pending = [...skipped];
  for (let tries = 0; tries < RESCORE_TRIES && pending.length > 0; tries++) {
    const again: number[] = [];
    for (let i = 0; i < pending.length; i += 5000) {
      const ids = pending.slice(i, i + 5000);
      const watch: ChangeWatch = {
        since: ctx.clock.now().toISOString(),
        after: await ctx.store.lastCheckChange(),
        changed: new Set(),
        everything: false,
      };
      const wanted = new Set(ids);
      const rows = (await scoreRowsFromStore(ctx, ids, asOf, deps)).filter((r) => wanted.has(r.subjectId));
      const left = new Set(await ctx.store.saveScoresUnchanged(rows, watch));
      for (const r of rows) {
        if (left.has(r.subjectId)) again.push(r.subjectId);
        else grades[r.grade as Grade]++;
      }
    }
    pending = again;
  }
  // Those left unsettled keep the score the write after their last change gave them: not counted.
  return pending;
};

/** Whether the population has been scored under this policy version (else a full rescoring is due). */
export const isScoredUnder = async (ctx: Ctx, policy: ScoringPolicy): Promise<boolean> =>
  (await ctx.store.getMeta('scored_policy_version')) === policy.version;

/** Scores one subject from the store, with the records of organizations it represents. */
const scoreFromStore = async (
  ctx: Ctx,
  subject: ScoringSubjectRow,
  asOf: string,
  deps: ScoringDeps,
): Promise<ScoreResult> => (await scoredWithRecords(ctx, subject, asOf, deps)).result;

/** The same, with the subject's own records it was scored from. */
const scoredWithRecords = async (ctx: Ctx, subject: ScoringSubjectRow, asOf: string, deps: ScoringDeps) => {
  const n = await loadScoringNeighbourhood(
    ctx.store,
    [subject.id],
    pastKnowledge(ctx, asOf),
    ctx.clock.timeZone,
  );
  const records = n.records.get(subject.id) ?? [];
  const represented = subject.kind === 'person' ? n.represented(subject.id) : [];
  const result = scoreSubject({
    subject,
    records,
    linkedRecords: represented.flatMap((o) => o.records),
    policy: deps.policy,
    catalogue: deps.catalogue,
    asOf,
    organizations: await linkedOrganizations(
      ctx,
      subject.id,
      represented.map((o) => o.subject.id),
      asOf,
    ),
    ...engineTime(ctx, asOf),
  });
  return { result, records };
};

/**
 * The organizations whose records count for a person, as a key factor names them: by name and
 * USCC, and whether the person still represents it on `asOf` (never a database id).
 */
const linkedOrganizations = async (
  ctx: Ctx,
  personId: number,
  organizationIds: readonly number[],
  asOf: string,
): Promise<Map<number, LinkedOrganization>> => {
  const out = new Map<number, LinkedOrganization>();
  if (organizationIds.length === 0) return out;
  const knownAt = pastKnowledge(ctx, asOf);
  const inForce = new Set(
    (
      await ctx.store.listBindings({
        personIds: [personId],
        role: 'legal_representative',
        inForceOn: asOf,
        ...(knownAt ? { knownAt } : {}),
      })
    ).map((b) => b.organizationId),
  );
  for (const id of new Set(organizationIds)) {
    const org = await ctx.store.findSubjectById(id);
    if (org) out.set(id, { identifier: org.identifier, name: org.name, represents: inForce.has(id) });
  }
  return out;
};

/**
 * The grades of these subjects as of today, computed (nothing saved): for the few whose stored
 * score may be behind the day (their transition day has come and `credence maintain` has not run).
 */
export const gradesToday = async (
  ctx: Ctx,
  subjectIds: readonly number[],
  deps: ScoringDeps,
): Promise<Map<number, Grade>> => {
  const out = new Map<number, Grade>();
  if (subjectIds.length === 0) return out;
  const today = todayOf(ctx.clock);
  const n = await loadScoringNeighbourhood(ctx.store, subjectIds, undefined, ctx.clock.timeZone);
  for (const id of subjectIds) {
    const s = n.subjects.get(id);
    if (!s) continue;
    const r = scoreSubject({
      subject: s,
      records: n.records.get(id) ?? [],
      linkedRecords: s.kind === 'person' ? n.represented(id).flatMap((o) => o.records) : [],
      policy: deps.policy,
      catalogue: deps.catalogue,
      asOf: today,
      ...engineTime(ctx, today),
    });
    out.set(id, r.grade);
  }
  return out;
};

/**
 * Why an organization or a public body has the grade its public page shows (product rule 5): the
 * key factors of its score as of today, each with its type, day, points, the day it stops counting
 * and the grade it sets when it sets one. Its own records only (an organization is never scored
 * through a binding); the page that shows them audits its read. Persons get none: their file is
 * never public.
 */
export const publishedKeyFactors = async (
  ctx: Ctx,
  subject: ScoringSubjectRow,
  deps: ScoringDeps,
): Promise<{ grade: Grade; factors: PublishedKeyFactor[] }> => {
  if (subject.kind === 'person') return { grade: 'A', factors: [] };
  const { result: r, records } = await scoredWithRecords(ctx, subject, todayOf(ctx.clock), deps);
  const contribution = new Map(r.breakdown.map((c) => [c.recordId, c]));
  const disputed = new Set(records.filter((x) => x.status === 'disputed').map((x) => x.id));
  return {
    grade: r.grade,
    factors: r.keyFactors.map((k) => {
      const c = contribution.get(k.recordId);
      return {
        type: k.type,
        type_name: deps.catalogue.get(k.type)?.name ?? k.type,
        date: k.date,
        points: k.points,
        until: c?.until ?? null,
        direct_grade: c?.directGrade ?? null,
        contested: disputed.has(k.recordId),
        text: k.text,
      };
    }),
  };
};

export interface PublishedKeyFactor {
  type: string;
  type_name: string;
  date: string;
  points: number;
  /** The first day it no longer counts. */
  until: string | null;
  direct_grade: string | null;
  /** Under a pending objection (it counts, as its type says, until decided). */
  contested: boolean;
  text: string;
}

/** A score as the store keeps it. */
export const scoreRow = (r: ScoreResult, computedAt: string): ScoreRow => ({
  subjectId: r.subjectId,
  policyVersion: r.policyVersion,
  asOf: r.asOf,
  score: r.score,
  grade: r.grade,
  domains: JSON.stringify(r.domains),
  keyFactors: JSON.stringify(r.keyFactors.map((k) => ({ record_id: k.recordId, points: k.points }))),
  computedAt,
});

/**
 * Rescores the subjects an ingested batch touched (and the legal representatives of touched
 * organizations, whom their serious records also count for), as of today. Gives the same results
 * as a full rescoring.
 */
export const rescoreSubjects = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  /** `asOf`: the day to score for (default today by the clock), e.g. a maintenance day. */
  input: { subjectIds: number[]; asOf?: string };
  deps: ScoringDeps;
}): Promise<number> => {
  requirePermission(ctx.principal, 'scores.update');
  if (input.subjectIds.length === 0) return 0;
  const rows = await scoreRowsFromStore(ctx, input.subjectIds, input.asOf ?? todayOf(ctx.clock), deps);
  await ctx.store.saveScores(rows);
  return rows.length;
};

/**
 * The scores of these subjects and of every person bound to an organization among them, as of
 * `asOf`, from their records and those that count for them, read now.
 */
const scoreRowsFromStore = async (
  ctx: Ctx,
  subjectIds: readonly number[],
  asOf: string,
  deps: ScoringDeps,
): Promise<ScoreRow[]> => {
  if (subjectIds.length === 0) return [];
  const n = await loadScoringNeighbourhood(
    ctx.store,
    subjectIds,
    pastKnowledge(ctx, asOf),
    ctx.clock.timeZone,
  );
  const computedAt = ctx.clock.now().toISOString();
  const rows: ScoreRow[] = [];
  for (const s of n.subjects.values()) {
    const linkedRecords = s.kind === 'person' ? n.represented(s.id).flatMap((o) => o.records) : [];
    const result = scoreSubject({
      subject: s,
      records: n.records.get(s.id) ?? [],
      linkedRecords,
      policy: deps.policy,
      catalogue: deps.catalogue,
      asOf,
      ...engineTime(ctx, asOf),
    });
    rows.push(scoreRow(result, computedAt));
  }
  return rows;
};

export interface ScoreReport extends ScoreResult {
  identifier: string;
  name: string;
  kind: string;
  /** Earlier results under this policy version, newest first: as-of date, score, grade. */
  history: { asOf: string; score: number; grade: string }[];
  /** The bindings in force on the as-of day: an organization's representatives, or whom a person represents. */
  bindings: BindingOnDay[];
}

/** A subject's score as of a date, traced to its records and rules; the read is audited. */
export const getScoreReport = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { identifier: string; asOf?: string };
  deps: ScoringDeps;
}): Promise<ScoreReport> => {
  const { subject, own } = await getReadableSubject(ctx, input.identifier);
  const asOf = asOfDate(ctx, input.asOf);
  // As of a past day, under the scoring policy in force then, labelled with its version.
  const policy = await scoringPolicyInForce(ctx, asOf, deps);
  const result = await scoreFromStore(
    ctx,
    { id: subject.id, kind: subject.kind, legalRepId: subject.legalRepId, birthDate: subject.birthDate },
    asOf,
    { ...deps, policy },
  );
  const history = await ctx.store.listScores(subject.id, policy.version);
  // As of a past day, the bindings as they were on file then, as the score read them.
  const bindings = await fileBindings(ctx.store, subject, asOf, pastKnowledge(ctx, asOf));
  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: subject.id,
        action: 'score.read',
        detail: JSON.stringify({ as_of: asOf, policy_version: policy.version }),
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );
  return {
    ...result,
    identifier: subject.identifier,
    name: subject.name,
    kind: subject.kind,
    history: history.map((h) => ({ asOf: h.asOf, score: h.score, grade: h.grade })),
    // An organization reading its own score sees its representatives' ID numbers masked, as in its file.
    bindings: own ? ownFileBindings(subject, bindings) : bindings,
  };
};

/**
 * Scoring policies of earlier versions, or read with other list terms, parsed once per process: by
 * version, and by version and the SHA-256 of the list terms (JSON) when read with them. Bounded:
 * past EARLIER_POLICIES_KEPT the oldest parsed goes (a check explained per list terms of its day).
 */
const earlierPolicies = new Map<string, ScoringPolicy | null>();
const EARLIER_POLICIES_KEPT = 32;
const keepEarlierPolicy = (key: string, policy: ScoringPolicy | null) => {
  if (earlierPolicies.size >= EARLIER_POLICIES_KEPT && !earlierPolicies.has(key))
    earlierPolicies.delete(earlierPolicies.keys().next().value!);
  earlierPolicies.set(key, policy);
};

/**
 * The scoring policy in force at the end of `asOf` (the store's `policy_periods`; the first version
 * on file for a day before the platform's first start), parsed from the text the store keeps of
 * it; the present one for today, or when that text is not on file or no longer parses.
 */
const scoringPolicyInForce = async (ctx: Ctx, asOf: string, deps: ScoringDeps): Promise<ScoringPolicy> => {
  const knownAt = pastKnowledge(ctx, asOf);
  return knownAt === undefined ? deps.policy : scoringPolicyAt(ctx, knownAt, deps);
};

/**
 * The scoring policy in force at an instant (ISO), as `scoringPolicyInForce` finds it. With `lists`
 * (the lists policy in force then, with its terms), direct grades that follow a listing take those
 * list terms (one calendar for both: read afresh); without, the present ones.
 */
export const scoringPolicyAt = async (
  ctx: Ctx,
  at: string,
  deps: ScoringDeps,
  lists?: ListTerms,
): Promise<ScoringPolicy> => {
  const periods = await ctx.store.listPolicyPeriods('scoring');
  const until = Date.parse(at);
  let version = periods[0]?.version;
  for (const p of periods) if (Date.parse(p.from) <= until) version = p.version;
  version ??= deps.policy.version;
  if (lists === undefined && version === deps.policy.version) return deps.policy;
  const key = lists ? `${version}\u0000${hash('sha256', JSON.stringify(lists.lists), 'hex')}` : version;
  let policy = earlierPolicies.get(key);
  if (policy === undefined) {
    const doc = await ctx.store.findPolicy('scoring', version);
    try {
      policy = doc
        ? parseScoringPolicy(doc.content, deps.catalogue, `scoring policy ${version.slice(0, 12)}`, {
            lists: lists ? lists.lists : [...deps.policy.listTerms.values()],
          })
        : null;
    } catch {
      policy = null;
    }
    // Only what was found is kept: a version not on file yet may be saved later.
    if (doc) keepEarlierPolicy(key, policy);
  }
  return policy ?? deps.policy;
};

/** One binding in force on a day, as a report shows it. */
export type BindingOnDay = SubjectFile['bindings'][number];
