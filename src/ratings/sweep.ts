/**
 * The sweep over every rating (`credence ratings sweep`, daily while serving): the engine's whole
 * detection — rings on the rater–subject graph and duplicate comments across subjects, which no
 * single submission can see, as well as bursts — kept as holds, and the holds whose ratings are
 * all revealed put on their rated subjects' trails (holds.ts); then sustained aggregates become
 * records, only through the catalogue: the platform's ratings source (kind citizen_ratings, which
 * nobody can register) submits them through the ingestion verb like any source, so they carry the
 * catalogue's points, validity, objection and repair rights.
 *
 * Sustained: the last complete period (`records.period_days`, periods counted from 1970-01-01 so
 * each is judged once; days in the platform's zone, TIME_ZONE, from local midnight) split into `records.windows` equal windows; each window brings at least
 * `min_window_count` counted ratings, and at each window's end the published Bayesian average is
 * beyond the threshold — below `low` on either dimension, or above `high` on both.
 */
import { hashCredential, newCredential, requirePermission } from '../access/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import { type Clock, type Ctx, type Principal, spanOfDay, todayOf } from '../context.ts';
import { ingestRecords, type RawLine } from '../ingest/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import type { RatingRow, SourceRow, SubjectRow } from '../store/index.ts';
import { buildColumns } from './columns.ts';
import { COMMENT_BANDS, commentBands as commentBandsOf, detect } from './engine.ts';
import { persistFindings, trailRevealedHolds } from './holds.ts';
import type { RatingsPolicy } from './policy.ts';
import type { RatingsDeps } from './submit.ts';
import { aggregatesOf } from './view.ts';

export const RATINGS_SOURCE_CODE = 'credence-ratings';
const PAGE = 50_000;
const DAY = 86_400_000;

export interface SweepDeps extends RatingsDeps {
  catalogue: Catalogue;
  /** Rescore and relist the subjects whose records changed (the platform's `refreshSubjects`). */
  refresh(subjectIds: number[]): Promise<unknown>;
}

export interface SweepResult {
  ratings: number;
  subjects: number;
  holds: { opened_or_extended: number; by_reason: Record<string, number> };
  records: { period: { from: string; to: string }; stored: number; duplicates: number; rejected: number };
}

/** The platform's ratings source, registered on first use with a credential nobody is shown. */
const ratingsSource = async (ctx: Ctx, catalogue: Catalogue): Promise<SourceRow> => {
  const found = await ctx.store.findSourceByCode(RATINGS_SOURCE_CODE);
  if (found) return found;
  try {
    return await ctx.store.insertSource(
      {
        code: RATINGS_SOURCE_CODE,
        kind: 'citizen_ratings',
        name: "Citizens' verified ratings (Credence)",
        legalBasis: 'as stated for each record type in the catalogue',
        types: catalogue.typesForSourceKind('citizen_ratings').map((t) => t.code),
        credentialHash: hashCredential(newCredential('src')),
      },
      ctx.clock.now().toISOString(),
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: null,
        action: 'source.register',
        detail: `${RATINGS_SOURCE_CODE} citizen_ratings`,
        requestId: ctx.requestId,
      },
    );
  } catch (e) {
    const again = await ctx.store.findSourceByCode(RATINGS_SOURCE_CODE);
    if (again) return again;
    throw e;
  }
};

const RATINGS_SOURCE_PRINCIPAL: Principal = {
  id: 'system:ratings',
  role: 'source',
  ref: RATINGS_SOURCE_CODE,
};

/** The last complete period before `today` (day numbers, `to` exclusive). */
const lastPeriod = (today: number, periodDays: number) => {
  const to = Math.floor(today / periodDays) * periodDays;
  return { from: to - periodDays, to };
};

/** The last complete period before today in the clock's zone (TIME_ZONE), as every other day the platform counts. */
export const lastPeriodOn = (clock: Clock, periodDays: number) =>
  lastPeriod(parseDay(todayOf(clock)), periodDays);

/**
 * The first instant (ms) of day number `day` in the clock's zone: a period's days and its windows
 * run from local midnight (a fraction of a day, when the windows do not split the period in whole
 * days, is counted on from there).
 */
const startOfDayIn = (clock: Clock, day: number) => {
  const whole = Math.floor(day);
  return spanOfDay(clock, formatDay(whole)).from + (day - whole) * DAY;
};

/**
 * Which way, if any, a subject's published aggregate was sustained beyond the thresholds over the
 * period: at the end of every window the Bayesian average over its counted ratings revealed by then
 * (`reveal.after_days` old, as the published view counts them: view.ts) was published and beyond
 * the threshold, and the window brought at least `min_window_count` fresh
 * counted ratings (so an old aggregate alone never makes a new record).
 */
export const sustained = (
  rows: readonly RatingRow[],
  policy: RatingsPolicy,
  globalMean: [number, number],
  period: { from: number; to: number },
  /** Whose days: the windows start at midnight in its zone. */
  clock: Clock,
): {
  polarity: 'low' | 'high';
  windows: { professionalism: number; honesty: number; count: number }[];
} | null => {
  const { windows, minWindowCount, low, high, periodDays } = policy.records;
  const span = periodDays / windows;
  const seen: { professionalism: number; honesty: number; count: number }[] = [];
  let allLow = true;
  let allHigh = true;
  const counted = rows.filter((r) => !r.held && r.state !== 2);
  const revealMs = policy.reveal.afterDays * DAY;
  for (let w = 0; w < windows; w++) {
    const fromMs = startOfDayIn(clock, period.from + w * span);
    const toMs = startOfDayIn(clock, period.from + (w + 1) * span);
    const fresh = counted.filter((r) => {
      const t = Date.parse(r.submittedAt);
      return t >= fromMs && t < toMs;
    }).length;
    if (fresh < minWindowCount) return null;
    const a = aggregatesOf(
      counted.filter((r) => Date.parse(r.submittedAt) < toMs - revealMs),
      policy,
      globalMean,
    );
    const p = a.professionalism.bayesian;
    const h = a.honesty.bayesian;
    if (p === null || h === null) return null;
    seen.push({ professionalism: p, honesty: h, count: a.professionalism.count });
    if (!(p < low || h < low)) allLow = false;
    if (!(p > high && h > high)) allHigh = false;
  }
  if (allLow) return { polarity: 'low', windows: seen };
  if (allHigh) return { polarity: 'high', windows: seen };
  return null;
};

const subjectLine = (s: SubjectRow) =>
  s.kind === 'person'
    ? { kind: 'person', id_number: s.identifier, name: s.name }
    : { kind: s.kind, uscc: s.identifier, name: s.name };

/**
 * Comment keys kept by an earlier version of the engine — another number of bands, another folding
 * of the text — match no key computed now, so a campaign spread across an upgrade would pass as
 * different texts. The number of bands tells them apart (it changes whenever the keys' computation
 * does): the sweep computes them again from the comment, uses them, and keeps them, so detection at
 * submission (which reads the stored keys, never the text) finds them too.
 */
const renewCommentKeys = async (ctx: Ctx, rows: RatingRow[]): Promise<number> => {
  const renewed: { id: number; ratedId: number; commentBands: number[] }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.comment === null || r.commentBands === null || r.commentBands.length === COMMENT_BANDS) continue;
    const commentBands = Array.from(commentBandsOf(r.comment));
    rows[i] = { ...r, commentBands };
    renewed.push({ id: r.id, ratedId: r.ratedId, commentBands });
  }
  await ctx.store.ratings.setCommentBands(renewed);
  return renewed.length;
};

export const sweepRatings = async ({ ctx, deps }: { ctx: Ctx; deps: SweepDeps }): Promise<SweepResult> => {
  requirePermission(ctx.principal, 'ratings.sweep');
  const rows: RatingRow[] = [];
  for (let after = 0; ; ) {
    const page = await ctx.store.ratings.listAllRatings(after, PAGE);
    rows.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  await renewCommentKeys(ctx, rows);
  const now = ctx.clock.now().getTime();
  const globalMean = await deps.globalMean(ctx);
  const built = buildColumns(rows);
  const result = detect(built.cols, deps.policy, {
    now,
    globalMean,
    ...(ctx.clock.timeZone ? { timeZone: ctx.clock.timeZone } : {}),
  });
  const touched = await persistFindings(ctx, built, result.findings);
  // Holds go on the rated subject's trail only once their ratings are revealed (holds.ts).
  await trailRevealedHolds(ctx, deps.policy);
  // Weights grow with agreement: a = growth·(w − base)/(1 − w) inverts the policy's formula.
  const { base, growth } = deps.policy.weights;
  await ctx.store.ratings.setRaterWeights(
    built.raterIds.map((raterId, k) => {
      const w = result.weight[k]!;
      return { raterId, weight: w, agreed: w >= 1 ? 0 : Math.round((growth * (w - base)) / (1 - w)) };
    }),
    new Date(now).toISOString(),
  );
  const byReason: Record<string, number> = {};
  for (const f of result.findings) byReason[f.reason] = (byReason[f.reason] ?? 0) + 1;

  // Each subject's ratings as they stand now: what the findings just kept hides is held (open
  // ratings, and released ones held again for a reason they were not released from), without
  // reading them again.
  const period = lastPeriodOn(ctx.clock, deps.policy.records.periodDays);
  const bySubject: RatingRow[][] = built.subjectIds.map(() => []);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    bySubject[built.cols.subject[i]!]!.push(result.held[i] ? { ...r, held: true } : r);
  }
  const lines: RawLine[] = [];
  for (let k = 0; k < built.subjectIds.length; k++) {
    const subjectId = built.subjectIds[k]!;
    // Every rating up to the period's end: the published aggregate is over all of them.
    const theirs = bySubject[k]!;
    const verdict = sustained(theirs, deps.policy, globalMean, period, ctx.clock);
    if (!verdict) continue;
    const subject = await ctx.store.findSubjectById(subjectId);
    if (!subject) continue;
    const type = deps.policy.records.types[subject.kind][verdict.polarity];
    // One record at a time: while an earlier one of the type still counts, a further period of
    // the same ratings adds nothing (the same conduct counts once).
    const validityDays = Math.round((deps.catalogue.get(type)?.validity_years ?? 1) * 365);
    const counting = (await ctx.store.listRecordsForSubject(subjectId)).some(
      (r) =>
        r.type === type &&
        r.status === 'active' &&
        r.sourceCode === RATINGS_SOURCE_CODE &&
        parseDay(r.occurredAt) + validityDays > period.to,
    );
    if (counting) continue;
    const from = formatDay(period.from);
    const last = formatDay(period.to - 1);
    lines.push({
      line: lines.length + 1,
      value: {
        source_record_id: `ratings:${subject.identifier}:${verdict.polarity}:${from}`,
        type,
        subject: subjectLine(subject),
        occurred_at: last,
        decided_at: last,
        evidence: `verified ratings ${from}..${last}`,
        note: `Bayesian averages per window (professionalism/honesty, ratings): ${verdict.windows
          .map((w) => `${w.professionalism}/${w.honesty} (${w.count})`)
          .join(
            '; ',
          )}; threshold ${verdict.polarity === 'low' ? `below ${deps.policy.records.low}` : `above ${deps.policy.records.high}`}`,
      },
    });
  }
  const records = {
    period: { from: formatDay(period.from), to: formatDay(period.to - 1) },
    stored: 0,
    duplicates: 0,
    rejected: 0,
  };
  if (lines.length > 0) {
    const source = await ratingsSource(ctx, deps.catalogue);
    const sctx: Ctx = {
      ...ctx,
      principal: RATINGS_SOURCE_PRINCIPAL,
      purpose: 'sustained citizen ratings become a record',
    };
    const progress = await ingestRecords({
      ctx: sctx,
      input: {
        source: source.code,
        lines,
        catalogue: deps.catalogue,
        afterBatch: async (ids) => {
          await deps.refresh(ids);
        },
      },
    });
    records.stored = progress.accepted;
    records.duplicates = progress.duplicates;
    records.rejected = progress.rejected;
  }
  return {
    ratings: rows.length,
    subjects: built.subjectIds.length,
    holds: { opened_or_extended: touched.length, by_reason: byReason },
    records,
  };
};
