/**
 * What is published of a subject's ratings: per dimension the weighted mean, the Bayesian average
 * (IMDb form, only from the minimum count), the count, the distribution, a confidence band and how
 * many ratings are held; the published comments with the subject's replies. Never who rated. The
 * public sees organizations, public bodies and licensed persons in their professional capacity
 * (found by licence number, never by resident ID); the rated subject sees the same aggregates and
 * its own comments, answers them or objects to a rating.
 *
 * A rating is shown only once it is `reveal.after_days` old (REFERENCE "Ratings integrity": "reveal
 * a rating only when both sides have rated or after a delay"), to the rated subject and the public
 * alike — the subject can read the public page too — so a doctor cannot tie a fresh rating to the
 * patient just seen: one by one (its week, stars, comment), and in the aggregates too, since a count
 * or distribution that moved right after a visit would show that visit's stars. The delay only
 * postpones, so what is shown never points at one visit either: a comment carries the week it was
 * given in, never its day, and never the service named by the token — not even to the rated
 * subject, who knows which service it gave whom on which day (ratings mostly come right after the
 * visit), and a hospital's service can name a patient's condition (product rule 2).
 */
import { requirePermission } from '../access/index.ts';
import { type Clock, type Ctx, dateIn } from '../context.ts';
import { actorOf } from '../due-process/index.ts';
import { validateSubjectIdentifier } from '../identity/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { conflict, invalidInput, notFound, protectedCategory } from '../shared/errors.ts';
import type { LicenceRow, RatingRow, SubjectRow } from '../store/index.ts';
import { buildColumns } from './columns.ts';
import { aggregate } from './engine.ts';
import type { RatingsPolicy } from './policy.ts';
import { screenComment } from './screen.ts';
import type { RatingsDeps } from './submit.ts';

export const DIMENSIONS = ['professionalism', 'honesty'] as const;
const MAX_COMMENTS = 50;

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** The aggregate of counted ratings (not held, not removed) per dimension. */
export const aggregatesOf = (
  rows: readonly RatingRow[],
  policy: RatingsPolicy,
  globalMean: [number, number],
) => {
  const counted = rows.filter((r) => !r.held && r.state !== 2);
  const held = rows.filter((r) => r.held).length;
  const out: Record<string, unknown> = {};
  if (counted.length === 0) {
    for (const d of DIMENSIONS)
      out[d] = {
        mean: null,
        bayesian: null,
        count: 0,
        distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
        held,
        band: null,
        published: false,
      };
    return out as Record<(typeof DIMENSIONS)[number], DimensionView>;
  }
  const built = buildColumns(counted, policy.weights.base);
  const { aggregates: a } = aggregate(built.cols, null, policy, { globalMean, weight: built.weight });
  DIMENSIONS.forEach((d, k) => {
    const count = a.count[0]!;
    const published = count >= policy.aggregation.minCount;
    const distribution: Record<number, number> = {};
    for (let s = 1; s <= 5; s++) distribution[s] = a.dist[k * 5 + s - 1]!;
    out[d] = {
      mean: round(a.mean[k]!),
      bayesian: published ? round(a.bayesian[k]!) : null,
      count,
      distribution,
      held,
      band: published ? { low: round(a.low[k]!), high: round(a.high[k]!) } : null,
      published,
    };
  });
  return out as Record<(typeof DIMENSIONS)[number], DimensionView>;
};

export interface DimensionView {
  mean: number | null;
  bayesian: number | null;
  count: number;
  distribution: Record<number, number>;
  held: number;
  band: { low: number | null; high: number | null } | null;
  published: boolean;
}

/** The rated subject named by a USCC or a licence number (never a resident ID). */
const ratedSubject = async (
  ctx: Ctx,
  id: string,
): Promise<{ subject: SubjectRow; licence: LicenceRow | null }> => {
  const text = id.trim();
  for (const kind of ['organization', 'public_body'] as const) {
    const v = validateSubjectIdentifier(kind, text);
    if (v.ok) {
      const s = await ctx.store.findSubjectByIdentifier(v.identifier);
      if (s && s.kind !== 'person') return { subject: s, licence: null };
    }
  }
  const lic = await ctx.store.ratings.findLicences(text);
  if (lic.length === 1) {
    const s = await ctx.store.findSubjectById(lic[0]!.subjectId);
    if (s) return { subject: s, licence: { subjectId: s.id, kind: lic[0]!.kind, number: lic[0]!.number } };
  }
  throw notFound(`no organization, public body or licensed professional "${text}" has ratings to show`);
};

const DAY_MS = 86_400_000;

/** Whether a rating is old enough to be shown one by one (`reveal.after_days` after it was given). */
const isRevealed = (r: Pick<RatingRow, 'submittedAt'>, policy: RatingsPolicy, clock: Clock) =>
  Date.parse(r.submittedAt) + policy.reveal.afterDays * DAY_MS <= clock.now().getTime();

/** The ratings old enough to be shown, alone or in an aggregate. */
const revealedRows = (rows: readonly RatingRow[], policy: RatingsPolicy, clock: Clock) =>
  rows.filter((r) => isRevealed(r, policy, clock));

/** Published comments among revealed ratings, newest first. */
const publishedComments = (revealed: readonly RatingRow[]) =>
  revealed
    .filter((r) => !r.held && r.state !== 2 && r.commentStatus === 'published' && r.comment)
    .slice(-MAX_COMMENTS)
    .reverse();

/**
 * The Monday (YYYY-MM-DD) of the ISO week (ISO 8601: weeks start on Monday) in which `at` falls in
 * the clock's zone (TIME_ZONE), as every day the platform counts.
 */
export const weekOf = (clock: Clock, at: Date): string => {
  const day = parseDay(dateIn(clock, at));
  // Day 0, 1970-01-01, was a Thursday: (day + 3) mod 7 counts the days since Monday.
  return formatDay(day - ((((day + 3) % 7) + 7) % 7));
};

/** A comment as shown: its week, never its day (with the day, it would point at the visit). */
const commentOf = (r: RatingRow, clock: Clock) => ({
  week: weekOf(clock, new Date(r.submittedAt)),
  professionalism: r.professionalism,
  honesty: r.honesty,
  comment: r.comment,
  reply: r.reply,
  replied_at: r.repliedAt,
});

/** Below the minimum count no stars are shown (each of a few would be a rater's): count and held only. */
const shown = (d: DimensionView): DimensionView => (d.published ? d : { ...d, mean: null, distribution: {} });

/** The published view of a subject's ratings, without auditing the read (the callers do). */
const publishedRatingsOf = async (
  ctx: Ctx,
  subject: SubjectRow,
  licence: LicenceRow | null,
  deps: RatingsDeps,
) => {
  const rows = revealedRows(await ctx.store.ratings.listRatingsOf(subject.id), deps.policy, ctx.clock);
  const aggregates = aggregatesOf(rows, deps.policy, await deps.publishedMean(ctx));
  // Below the minimum count nothing is published that would show a few raters' stars: no mean, no
  // distribution, no comments (each carries its stars).
  const published = aggregates.professionalism.published;
  return {
    subject: {
      kind: subject.kind,
      name: subject.name,
      uscc: subject.kind === 'person' ? undefined : subject.identifier,
      licence: licence ? { kind: licence.kind, number: licence.number } : undefined,
    },
    min_count: deps.policy.aggregation.minCount,
    reveal_after_days: deps.policy.reveal.afterDays,
    professionalism: shown(aggregates.professionalism),
    honesty: shown(aggregates.honesty),
    comments: published ? publishedComments(rows).map((r) => commentOf(r, ctx.clock)) : [],
  };
};

/**
 * Published ratings of an organization, a public body or a licensed professional. The read is
 * audited on the subject's trail (product rule 9), like an organization's page
 * (`lookup.organization.read`), so a doctor sees who looked up its ratings and why.
 */
export const getRatings = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: string };
  deps: RatingsDeps;
}) => {
  requirePermission(ctx.principal, 'ratings.read');
  const { subject, licence } = await ratedSubject(ctx, input.id);
  await ctx.store.appendAudit(
    [{ ...actorOf(ctx), subjectId: subject.id, action: 'ratings.read', detail: null }],
    ctx.clock.now().toISOString(),
  );
  return publishedRatingsOf(ctx, subject, licence, deps);
};

/**
 * The published ratings shown on a page that has audited its own read of the subject (an
 * organization's page: its one `lookup.organization.read` entry covers the ratings it shows).
 */
export const getRatingsOfAuditedPage = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { subject: SubjectRow };
  deps: RatingsDeps;
}) => {
  requirePermission(ctx.principal, 'ratings.read');
  return publishedRatingsOf(ctx, input.subject, null, deps);
};

/**
 * The subject's own ratings: the aggregates as the public sees them, held counts, and the
 * comments old enough to be revealed with their ids to answer — without the service they rate,
 * which with the week would narrow a comment down to the person served.
 */
export const getOwnRatings = async ({ ctx, deps }: { ctx: Ctx; deps: RatingsDeps }) => {
  requirePermission(ctx.principal, 'ratings.read_own');
  const subject = ctx.principal.ref ? await ctx.store.findSubjectByIdentifier(ctx.principal.ref) : undefined;
  if (!subject) throw notFound('your credential names no subject on file');
  // Only revealed ratings, in the aggregates as one by one: a count that moved right after a visit
  // would tell what the person just served gave, or that they wrote something held.
  const rows = revealedRows(await ctx.store.ratings.listRatingsOf(subject.id), deps.policy, ctx.clock);
  const aggregates = aggregatesOf(rows, deps.policy, await deps.publishedMean(ctx));
  const heldComments = rows.filter((r) => r.commentStatus === 'held').length;
  return {
    min_count: deps.policy.aggregation.minCount,
    reveal_after_days: deps.policy.reveal.afterDays,
    professionalism: shown(aggregates.professionalism),
    honesty: shown(aggregates.honesty),
    held_comments: heldComments,
    comments: publishedComments(rows).map((r) => ({
      rating_id: r.id,
      ...commentOf(r, ctx.clock),
    })),
  };
};

/**
 * A revealed rating of the principal's own subject. One not yet revealed gets the same 404 as
 * another's or a missing one: a different answer would tell the subject that a rating just arrived.
 */
const ownRating = async (ctx: Ctx, id: number, policy: RatingsPolicy) => {
  const subject = ctx.principal.ref ? await ctx.store.findSubjectByIdentifier(ctx.principal.ref) : undefined;
  const r = await ctx.store.ratings.findRating(id);
  if (!subject || !r || r.ratedId !== subject.id || !isRevealed(r, policy, ctx.clock))
    throw notFound(
      `no rating ${id} of yours is shown to you: a rating is shown, and can be answered or objected to, ${policy.reveal.afterDays} days after it is given`,
    );
  return { subject, rating: r };
};

const REPLY_MAX = 1000;

/** The rated subject answers a published comment publicly (screened like comments; replaces an earlier answer). */
export const replyToRating = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; text: string };
  deps: { policy: RatingsPolicy };
}) => {
  requirePermission(ctx.principal, 'ratings.respond');
  const { subject, rating } = await ownRating(ctx, input.id, deps.policy);
  if (rating.commentStatus !== 'published' || rating.held || rating.state === 2)
    throw conflict('only a published comment can be answered');
  const text = input.text.trim();
  if (text.length === 0 || text.length > REPLY_MAX)
    throw invalidInput(`a reply has 1–${REPLY_MAX} characters`, [
      { field: 'text', message: `${text.length} characters` },
    ]);
  const screened = screenComment(text, REPLY_MAX);
  if (!screened.ok)
    throw protectedCategory(
      `a public reply may not carry ${screened.held.join(' or ').replaceAll('_', ' ')}: rephrase it`,
      screened.held.map((h: string) => ({ field: 'text', message: h })),
    );
  const at = ctx.clock.now().toISOString();
  await ctx.store.ratings.setReply(rating.id, screened.text, at, [
    {
      ...actorOf(ctx),
      subjectId: subject.id,
      action: 'rating.reply',
      detail: JSON.stringify({ rating: rating.id }),
    },
  ]);
  return { rating_id: rating.id, reply: screened.text, replied_at: at };
};

/**
 * The rated subject objects to a rating: the objection goes to the operator's held queue with its
 * reasons. The rating keeps counting while the objection is pending, so objecting cannot hide a
 * fair rating by delay; confirmed, it is removed from counting; released, it stands.
 */
export const objectToRating = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; reason: string };
  deps: { policy: RatingsPolicy };
}) => {
  requirePermission(ctx.principal, 'ratings.respond');
  const { subject, rating } = await ownRating(ctx, input.id, deps.policy);
  const reason = input.reason.trim();
  if (reason.length < 10 || reason.length > 2000)
    throw invalidInput('say why in 10–2000 characters', [
      { field: 'reason', message: `${reason.length} characters` },
    ]);
  if (rating.state === 2) throw conflict(`rating ${rating.id} has already been removed`);
  const past = await ctx.store.ratings.holdsOfRatings([rating.id]);
  const objection = past.find((h) => h.reason === 'objection');
  if (objection)
    throw conflict(
      objection.status === 'pending'
        ? `your objection to rating ${rating.id} is already under review (held window ${objection.holdId})`
        : `your objection to rating ${rating.id} was already decided (${objection.status})`,
    );
  const at = ctx.clock.now().toISOString();
  const id = await ctx.store.ratings.insertHold(
    {
      reason: 'objection',
      key: `objection:${rating.id}`,
      ratedId: subject.id,
      windowFrom: rating.submittedAt,
      windowTo: rating.submittedAt,
      detail: { objection: reason },
      hides: false,
      createdAt: at,
    },
    [rating.id],
    [
      {
        ...actorOf(ctx),
        subjectId: subject.id,
        action: 'rating.object',
        detail: JSON.stringify({ rating: rating.id, hold: '{hold}' }),
      },
    ],
  );
  return { rating_id: rating.id, held_window: id, status: 'pending' as const };
};
