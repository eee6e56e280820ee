/**
 * Rating a service with its token: one rating per token, by the person who holds a rater (or
 * subject) credential, within the token's window. The token's state is checked in a fixed order so
 * each refusal says what is wrong: not a token at all or not one issued here (400), already used
 * (409), expired (410). The rating is then checked at once against the rated subject's own
 * history (bursts), its raters' connections and repeated comments, and against the rater's daily
 * limit; what looks steered is held for review, never dropped.
 */
import { createHash } from 'node:crypto';
import { can, requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../due-process/index.ts';
import { conflict, forbidden, gone, invalidInput } from '../shared/errors.ts';
import type { RatingAuditEntry, SubjectRow } from '../store/index.ts';
import { buildColumns } from './columns.ts';
import { commentBands, detect } from './engine.ts';
import { persistFindings } from './holds.ts';
import { hashToken, isTokenShaped } from './interactions.ts';
import type { RatingsPolicy } from './policy.ts';
import { checkCommentLength, screenComment } from './screen.ts';

/** The ratings capability's own principal: it writes what a rating does to the rated subject's file. */
export const RATINGS_PRINCIPAL = { id: 'system:ratings', role: 'operator' } as const;

export interface RatingInput {
  token: string;
  professionalism: number;
  honesty: number;
  comment?: string | null | undefined;
}

export interface SubmittedRating {
  id: number;
  status: 'published' | 'held';
  comment_status: 'none' | 'published' | 'held';
  rated: { kind: string; name: string };
}

export interface RatingsDeps {
  policy: RatingsPolicy;
  /** The mean of each dimension over every counted rating (C of the IMDb form), cached briefly. */
  globalMean(ctx: Ctx): Promise<[number, number]>;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The person the principal acts as. */
export const raterOf = async (ctx: Ctx): Promise<SubjectRow> => {
  const ref = ctx.principal.ref;
  const s = ref ? await ctx.store.findSubjectByIdentifier(ref) : undefined;
  if (s?.kind !== 'person') throw forbidden('only a person with a rater or subject credential may rate');
  return s;
};

const stars = (v: number, field: string) => {
  if (!Number.isInteger(v) || v < 1 || v > 5)
    throw invalidInput(`${field} must be a whole number of stars from 1 to 5`, [
      { field, message: String(v) },
    ]);
};

/** Whether the rater is bound to the rated subject, or both are bound to one organization. */
const isConnected = async (ctx: Ctx, rater: SubjectRow, rated: SubjectRow, day: string) => {
  const mine = await ctx.store.listBindings({ personIds: [rater.id], inForceOn: day });
  if (mine.length === 0) return false;
  if (rated.kind !== 'person') return mine.some((b) => b.organizationId === rated.id);
  const theirs = await ctx.store.listBindings({ personIds: [rated.id], inForceOn: day });
  const orgs = new Set(theirs.map((b) => b.organizationId));
  return mine.some((b) => orgs.has(b.organizationId));
};

export const submitRating = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: RatingInput;
  deps: RatingsDeps;
}): Promise<SubmittedRating> => {
  requirePermission(ctx.principal, 'ratings.submit');
  const { policy } = deps;
  stars(input.professionalism, 'professionalism');
  stars(input.honesty, 'honesty');
  const rater = await raterOf(ctx);
  const token = typeof input.token === 'string' ? input.token.trim() : '';
  if (!isTokenShaped(token))
    throw invalidInput(
      'not an interaction token: expected cit_ followed by 43 characters, as the service gave it',
      [{ field: 'token', message: 'malformed' }],
    );
  const interaction = await ctx.store.ratings.findInteractionByTokenHash(hashToken(token));
  if (!interaction)
    throw invalidInput('this token was not issued by any registered service: check it was copied whole', [
      { field: 'token', message: 'unknown token' },
    ]);
  if (interaction.redeemedAt !== null) throw conflict('this interaction token has already been used to rate');
  const now = ctx.clock.now();
  if (now.toISOString() > interaction.expiresAt)
    throw gone(
      `this interaction token expired on ${interaction.expiresAt.slice(0, 10)}: a service can be rated within ${policy.tokens.redeemWindowDays} days`,
    );
  if (interaction.servingId === rater.id) throw forbidden('you cannot rate your own service');
  const rated = (await ctx.store.findSubjectById(interaction.servingId))!;

  let comment: string | null = null;
  let commentStatus: SubmittedRating['comment_status'] = 'none';
  const given = input.comment?.trim();
  if (given) {
    checkCommentLength(given, policy.comments.maxLength);
    const screened = screenComment(given, policy.comments.maxLength);
    if (screened.ok) {
      comment = screened.text;
      commentStatus = 'published';
    } else {
      comment = given.normalize('NFC');
      commentStatus = 'held';
    }
  }
  const at = now.toISOString();
  const day = at.slice(0, 10);

  // Holds the rating joins as it is written: its source's flagged day, the rater's daily limit.
  const holdIds: number[] = [];
  const volume = await ctx.store.ratings.findPendingHold(
    'source_volume',
    `${interaction.sourceCode}:${interaction.issuedAt.slice(0, 10)}`,
  );
  if (volume) holdIds.push(volume.id);
  const today = await ctx.store.ratings.listRatingsBy(rater.id, `${day}T00:00:00.000Z`);
  if (today.length >= policy.rateLimits.perRaterPerDay) {
    const key = `rate_limit:${createHash('sha256').update(`${rater.id}\n${day}`).digest('hex').slice(0, 16)}`;
    const open =
      (await ctx.store.ratings.findPendingHold('rate_limit', key))?.id ??
      (await ctx.store.ratings.insertHold(
        {
          reason: 'rate_limit',
          key,
          ratedId: null,
          windowFrom: `${day}T00:00:00.000Z`,
          windowTo: `${day}T23:59:59.999Z`,
          detail: { day, limit: policy.rateLimits.perRaterPerDay },
          hides: true,
          createdAt: at,
        },
        [],
        [
          {
            ...actorOf(ctx),
            subjectId: null,
            action: 'ratings.hold',
            detail: JSON.stringify({ hold: '{hold}', reason: 'rate_limit' }),
          },
        ],
      ));
    holdIds.push(open);
  }

  // The rater's own trail says what it did; the rated subject's trail says a verified rating
  // came, under the platform's name: who rated is never shown to the rated subject.
  const audit: RatingAuditEntry[] = [
    {
      ...actorOf(ctx),
      subjectId: rater.id,
      action: 'rating.submit',
      detail: JSON.stringify({ rating: '{rating}', rated: rated.identifier }),
    },
    {
      actor: RATINGS_PRINCIPAL.id,
      role: RATINGS_PRINCIPAL.role,
      purpose: 'a verified rating of your service was received',
      requestId: ctx.requestId,
      subjectId: rated.id,
      action: 'rating.receive',
      detail: JSON.stringify({ rating: '{rating}' }),
    },
  ];
  const id = await ctx.store.ratings.insertRating(
    {
      interactionId: interaction.id,
      ratedId: rated.id,
      raterId: rater.id,
      sourceId: interaction.sourceId,
      professionalism: input.professionalism,
      honesty: input.honesty,
      comment,
      commentStatus,
      commentBands: comment ? Array.from(commentBands(comment)) : null,
      connected: await isConnected(ctx, rater, rated, interaction.serviceDate),
      submittedAt: at,
    },
    holdIds,
    audit,
  );

  await detectAround(ctx, rated.id, now.getTime(), deps);
  const row = await ctx.store.ratings.findRating(id);
  return {
    id,
    status: row?.held || row?.state === 2 ? 'held' : 'published',
    comment_status: commentStatus,
    rated: { kind: rated.kind, name: rated.name },
  };
};

/**
 * The checks that need only the rated subject's recent ratings: bursts against its own history,
 * connected raters and repeated comments. Rings and cross-subject duplicates need every rating:
 * the sweep finds them (`credence ratings sweep`, daily while serving).
 */
export const detectAround = async (ctx: Ctx, ratedId: number, now: number, deps: RatingsDeps) => {
  const { bursts } = deps.policy;
  const since = new Date(now - bursts.historyDays * DAY - bursts.windowHours * HOUR).toISOString();
  const rows = await ctx.store.ratings.listRatingsOf(ratedId, since);
  if (rows.length === 0) return [];
  const built = buildColumns(rows);
  const result = detect(built.cols, deps.policy, { now, globalMean: await deps.globalMean(ctx) });
  const local = result.findings.filter(
    (f) => f.reason === 'burst' || f.reason === 'connected' || f.reason === 'duplicate',
  );
  // Held under the platform's name: an entry on the rated subject's trail never names a rater.
  return persistFindings(
    // Who may run detection acts under its own name; a rater's submission under the platform's.
    can(ctx.principal, 'ratings.sweep') ? ctx : { ...ctx, principal: RATINGS_PRINCIPAL },
    built,
    local,
  );
};
