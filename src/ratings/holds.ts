/**
 * Held windows: what detection finds is hidden from the aggregates, never deleted, until an
 * operator confirms it (the ratings are removed from counting for good) or releases it (they count,
 * and are never held again for that reason), with written reasons, audited. A release judges the
 * hold's one reason: a released rating found later for another reason (raters released as a burst
 * who then form a ring) is held again, hidden while that hold is pending, and that hold is decided
 * like any other. A finding joins the pending hold it continues (the same subject's burst, a ring
 * or duplicate text already held) rather than opening a second one; ratings already decided for
 * the same reason are left as decided.
 *
 * A hold goes on the rated subject's trail (product rule 9) only once every rating in it is
 * `reveal.after_days` old (`trailRevealedHolds`, run by the daily sweep), or when it is decided:
 * an entry there carries the instant it was written, and a hold opened by a rating as it comes
 * would tell the subject when that rating came — for a connected-rater hold, which colleague gave
 * it. Until then its opening is on the platform's own trail, naming the subject in the detail
 * that auditors read. So is everything else about such a hold — an operator's read of it, its
 * decision: a read that named the hold on the subject's trail would tell the subject that ratings
 * just came and were held (and, for a connected-rater hold, that a colleague gave one). Those
 * lines go on the platform's trail at once and wait in the hold's detail (`DEFERRED`); when the
 * hold goes on the subject's trail, they go with it, each under the operator who acted and with
 * the instant it acted, in the same transaction that marks the hold.
 */
import { createHash } from 'node:crypto';
import { requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { actorOf, auditReadsBySubject } from '../due-process/index.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import type { HoldRow, HoldStatus, RatingAuditEntry, RatingRow } from '../store/index.ts';
import type { BuiltColumns } from './columns.ts';
import type { Finding } from './engine.ts';
import { holdBitOf } from './findings.ts';
import type { RatingsPolicy } from './policy.ts';

/** What each reason means, for the operator's queue. */
export const HOLD_REASONS: Readonly<Record<string, string>> = {
  burst: 'a burst of ratings whose volume and mean depart from the subject’s own history (review bombing)',
  ring: 'raters who rate the same set of subjects together (lockstep ring)',
  connected: 'most raters are connected to the rated subject (its own organization or staff)',
  duplicate: 'the same or nearly the same comment from several raters',
  rate_limit: 'a rater beyond the daily number of ratings',
  source_volume: 'a source issued far more tokens in a day than it serves',
  objection: 'the rated subject objected to this rating',
};

const instant = (ms: number) => new Date(ms).toISOString();
/** Raters are never named to anyone reviewing: a short digest stands for one within a hold. */
const pseudonym = (holdKey: string, raterId: number) =>
  `rater-${createHash('sha256').update(`${holdKey}\n${raterId}`).digest('hex').slice(0, 8)}`;

/** In a hold's detail: when its opening was written on the rated subject's trail. */
export const ON_SUBJECT_TRAIL = 'on_subject_trail_at';
/** In a hold's detail: the lines owed to the rated subject's trail once the hold is there. */
export const DEFERRED = 'deferred_trail';
/** At most this many deferred lines are kept one by one; the rest are counted. */
const DEFERRED_CAP = 100;
/** What a hold's detail keeps over a new finding's when the finding extends it. */
const KEPT_KEYS = [ON_SUBJECT_TRAIL, DEFERRED, `${DEFERRED}_more`] as const;
/**
 * Decided holds still owing the subject's trail are looked for among those decided this many days
 * before the ratings' reveal delay: their ratings came before the decision, so they are revealed
 * at most `reveal.after_days` after it, and a sweep runs daily.
 */
const DECIDED_LOOKBACK_DAYS = 60;

const DAY_MS = 86_400_000;

/** A line owed to a rated subject's trail, as kept in the hold's detail. */
interface DeferredLine {
  actor: string;
  role: string;
  purpose: string;
  request_id: string | null;
  action: string;
  detail: Record<string, unknown>;
  at: string;
}

const deferredLine = (
  ctx: Ctx,
  action: string,
  detail: Record<string, unknown>,
  at: string,
): DeferredLine => {
  const a = actorOf(ctx);
  return {
    actor: a.actor,
    role: a.role,
    purpose: a.purpose,
    request_id: a.requestId,
    action,
    detail,
    at,
  };
};

/** The deferred lines of a hold as audit entries on its rated subject's trail, each with the instant it was done. */
const deferredEntries = (ctx: Ctx, h: HoldRow): RatingAuditEntry[] => {
  const lines = Array.isArray(h.detail[DEFERRED]) ? (h.detail[DEFERRED] as DeferredLine[]) : [];
  const more = Number(h.detail[`${DEFERRED}_more`] ?? 0);
  const entries: RatingAuditEntry[] = lines.map((l) => ({
    actor: l.actor,
    role: l.role,
    purpose: l.purpose,
    requestId: l.request_id,
    subjectId: h.ratedId,
    action: l.action,
    detail: JSON.stringify({ ...l.detail, done_at: l.at }),
  }));
  if (more > 0)
    entries.push({
      ...actorOf(ctx),
      subjectId: h.ratedId,
      action: 'ratings.hold_read',
      detail: JSON.stringify({ hold_ids: [h.id], further_reads: more }),
    });
  return entries;
};

/** The entry that puts a hold on its rated subject's trail. */
const subjectTrailEntry = (ctx: Ctx, h: HoldRow, ratings: number): RatingAuditEntry => ({
  ...actorOf(ctx),
  subjectId: h.ratedId,
  action: 'ratings.hold',
  detail: JSON.stringify({ hold: h.id, reason: h.reason, ratings }),
});

/** Whether a hold still owes its rated subject's trail the line of its opening. */
const owesSubjectTrail = (h: HoldRow) =>
  h.ratedId !== null && h.reason !== 'objection' && h.detail[ON_SUBJECT_TRAIL] === undefined;

/**
 * Keeps the engine's findings as holds; returns the ids of the holds opened or extended. A hold
 * opened is audited on the platform's trail (no subject): see the head of this file.
 */
export const persistFindings = async (ctx: Ctx, built: BuiltColumns, findings: readonly Finding[]) => {
  const touched = new Set<number>();
  for (const f of findings) {
    const ids = Array.from(f.ratings, (i) => built.ratingIds[i]!);
    if (ids.length === 0) continue;
    const past = await ctx.store.ratings.holdsOfRatings(ids);
    const same = past.filter((h) => h.reason === f.reason);
    const decided = new Set(same.filter((h) => h.status !== 'pending').map((h) => h.ratingId));
    const inPending = new Set(same.filter((h) => h.status === 'pending').map((h) => h.ratingId));
    const fresh = ids.filter((id) => !decided.has(id) && !inPending.has(id));
    if (fresh.length === 0) continue;
    const ratedId = f.subject >= 0 ? built.subjectIds[f.subject]! : null;
    const pendingId =
      same.find((h) => h.status === 'pending')?.holdId ??
      (ratedId !== null
        ? (await ctx.store.ratings.findPendingHold(f.reason, `${f.reason}:${ratedId}`))?.id
        : undefined);
    // The engine's dense rater indices never leave it: reviewers see raters by pseudonym only.
    const { rater: _r, rater_ids: _ids, ...detail } = f.detail;
    if (pendingId !== undefined) {
      // The new detail replaces the old: whether the hold is on the subject's trail, and what it
      // owes that trail, carry over (read in the store's transaction, so no read is lost).
      await ctx.store.ratings.addToHold(pendingId, fresh, {
        windowFrom: instant(f.from),
        windowTo: instant(f.to),
        detail,
        keep: KEPT_KEYS,
      });
      touched.add(pendingId);
      continue;
    }
    const key = ratedId !== null ? `${f.reason}:${ratedId}` : `${f.reason}:${fresh[0]}`;
    const rated = ratedId !== null ? await ctx.store.findSubjectById(ratedId) : undefined;
    const id = await ctx.store.ratings.insertHold(
      {
        reason: f.reason,
        key,
        ratedId,
        windowFrom: instant(f.from),
        windowTo: instant(f.to),
        detail: { ...detail, ratings: ids.length },
        hides: true,
        createdAt: ctx.clock.now().toISOString(),
      },
      fresh,
      [
        {
          ...actorOf(ctx),
          subjectId: null,
          action: 'ratings.hold',
          detail: JSON.stringify({
            hold: '{hold}',
            reason: f.reason,
            ratings: fresh.length,
            ...(rated ? { rated: rated.identifier } : {}),
          }),
        },
      ],
    );
    touched.add(id);
  }
  return [...touched];
};

/**
 * Puts on each rated subject's trail the holds of it whose ratings are all revealed
 * (`reveal.after_days` old) and that are not there yet — pending, or decided meanwhile — with the
 * lines they owe it (reads, a decision); returns how many holds. Each hold's lines and its mark are
 * one transaction: written once, never twice nor lost.
 */
export const trailRevealedHolds = async (ctx: Ctx, policy: RatingsPolicy) => {
  const now = ctx.clock.now().getTime();
  const at = new Date(now).toISOString();
  const revealedBy = now - policy.reveal.afterDays * DAY_MS;
  const decidedSince = new Date(revealedBy - DECIDED_LOOKBACK_DAYS * DAY_MS).toISOString();
  const PAGE = 500;
  let written = 0;
  for (const q of [{ status: 'pending' as const }, { status: 'all' as const, decidedSince }]) {
    for (let before: number | undefined; ; ) {
      const page = await ctx.store.ratings.listHolds({
        ...q,
        limit: PAGE,
        ...(before !== undefined ? { before } : {}),
      });
      for (const h of page) {
        if (!owesSubjectTrail(h)) continue;
        const ratings = await ctx.store.ratings.listHoldRatings(h.id);
        if (ratings.some((r) => Date.parse(r.submittedAt) > revealedBy)) continue;
        await ctx.store.ratings.noteOnHolds(
          [
            {
              holdId: h.id,
              set: { [ON_SUBJECT_TRAIL]: at, [DEFERRED]: undefined, [`${DEFERRED}_more`]: undefined },
            },
          ],
          [subjectTrailEntry(ctx, h, ratings.length), ...deferredEntries(ctx, h)],
          at,
        );
        written++;
      }
      if (page.length < PAGE) break;
      before = page[page.length - 1]!.id;
    }
  }
  return written;
};

/** A held window as the operator and the auditor see it (the lines it owes the subject's trail are the audit log's). */
export const holdView = (h: HoldRow) => ({
  id: h.id,
  reason: h.reason,
  reason_text: HOLD_REASONS[h.reason] ?? h.reason,
  subject: h.ratedIdentifier ? { identifier: h.ratedIdentifier, name: h.ratedName } : null,
  window: { from: h.windowFrom, to: h.windowTo },
  detail: Object.fromEntries(
    Object.entries(h.detail).filter(([k]) => k !== DEFERRED && k !== `${DEFERRED}_more`),
  ),
  hides: h.hides,
  status: h.status,
  ratings: h.ratings,
  created_at: h.createdAt,
  decided_at: h.decidedAt,
  decided_by: h.decidedBy,
  decision_reason: h.decisionReason,
});

const ratingInHold = (holdKey: string) => (r: RatingRow) => ({
  id: r.id,
  rater: pseudonym(holdKey, r.raterId),
  professionalism: r.professionalism,
  honesty: r.honesty,
  comment: r.comment,
  comment_status: r.commentStatus,
  submitted_at: r.submittedAt,
  service: r.service,
  service_date: r.serviceDate,
  connected: r.connected,
});

export const HOLD_FILTERS = ['pending', 'confirmed', 'released', 'all'] as const;

/**
 * A read of held windows goes on each rated subject's trail (product rule 9): the windows name it
 * and show the ratings of it, comments held for their content included. A window not yet on that
 * trail is read on the platform's (naming the subject), and owes the subject's trail the line.
 */
const auditHeldRead = async (ctx: Ctx, holds: readonly HoldRow[]) => {
  const at = ctx.clock.now().toISOString();
  const owing = holds.filter(owesSubjectTrail);
  if (owing.length > 0)
    await ctx.store.ratings.noteOnHolds(
      owing.map((h) => ({
        holdId: h.id,
        push: {
          key: DEFERRED,
          items: [deferredLine(ctx, 'ratings.hold_read', { hold_ids: [h.id] }, at)],
          cap: DEFERRED_CAP,
        },
      })),
      [
        {
          ...actorOf(ctx),
          subjectId: null,
          action: 'ratings.hold_read',
          detail: JSON.stringify({
            hold_ids: owing.map((h) => h.id),
            rated: [...new Set(owing.map((h) => h.ratedIdentifier))],
          }),
        },
      ],
      at,
    );
  await auditReadsBySubject(
    ctx,
    holds.flatMap((h) =>
      h.ratedId === null || owesSubjectTrail(h) ? [] : [{ subjectId: h.ratedId, id: h.id }],
    ),
    'ratings.hold_read',
    'hold_ids',
    at,
  );
};

export const listHeld = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { status?: (typeof HOLD_FILTERS)[number]; limit?: number; before?: number };
}) => {
  requirePermission(ctx.principal, 'ratings.read_held');
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const rows = await ctx.store.ratings.listHolds({
    status: input.status ?? 'pending',
    limit: limit + 1,
    ...(input.before !== undefined ? { before: input.before } : {}),
  });
  const page = rows.slice(0, limit);
  await auditHeldRead(ctx, page);
  return {
    holds: page.map(holdView),
    next_before: rows.length > limit ? page[page.length - 1]!.id : null,
  };
};

export const getHeld = async ({ ctx, input }: { ctx: Ctx; input: { id: number } }) => {
  requirePermission(ctx.principal, 'ratings.read_held');
  const h = await ctx.store.ratings.getHold(input.id);
  if (!h) throw notFound(`no held window ${input.id}`);
  const ratings = await ctx.store.ratings.listHoldRatings(h.id);
  await auditHeldRead(ctx, [h]);
  return { ...holdView(h), items: ratings.map(ratingInHold(h.key)) };
};

export const HOLD_DECISIONS = ['confirm', 'release'] as const;

/**
 * Confirms (the ratings stop counting for good) or releases (they count, and are never held again
 * for this window's reason — for another they may be) a pending window, with written reasons;
 * audited on the rated subject's trail.
 */
export const decideHeld = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; decision: string; reason: string };
}) => {
  requirePermission(ctx.principal, 'ratings.decide');
  if (!(HOLD_DECISIONS as readonly string[]).includes(input.decision))
    throw invalidInput(`decision must be confirm or release`, [
      { field: 'decision', message: input.decision },
    ]);
  const reason = input.reason.trim();
  if (reason.length < 5 || reason.length > 2000)
    throw invalidInput('a decision states its reasons in 5–2000 characters', [
      { field: 'reason', message: `${reason.length} characters` },
    ]);
  const status: HoldStatus = input.decision === 'confirm' ? 'confirmed' : 'released';
  const before = await ctx.store.ratings.getHold(input.id);
  if (!before) throw notFound(`no held window ${input.id}`);
  const at = ctx.clock.now().toISOString();
  const action = `ratings.hold_${status}`;
  const detail = { hold: input.id, reason: before.reason };
  const decision = {
    status: status as 'confirmed' | 'released',
    by: ctx.principal.id,
    reason,
    at,
    // A release clears the ratings of this hold's reason only (the engine's bit; none for an objection).
    clears: status === 'released' ? holdBitOf(before.reason) : 0,
  };
  // A hold not yet on the subject's trail is decided on the platform's, and owes the subject's
  // trail the line, which goes there with the hold once its ratings are revealed (the head of this file).
  const h = owesSubjectTrail(before)
    ? await ctx.store.ratings.decideHold(
        input.id,
        decision,
        [
          {
            ...actorOf(ctx),
            subjectId: null,
            action,
            detail: JSON.stringify({ ...detail, rated: before.ratedIdentifier }),
          },
        ],
        // Never counted away with the reads beyond the cap: a decision is always owed one by one.
        {
          push: {
            key: DEFERRED,
            items: [deferredLine(ctx, action, detail, at)],
            cap: Number.POSITIVE_INFINITY,
          },
        },
      )
    : await ctx.store.ratings.decideHold(input.id, decision, [
        { ...actorOf(ctx), subjectId: before.ratedId, action, detail: JSON.stringify(detail) },
      ]);
  return holdView(h);
};
