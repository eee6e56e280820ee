/**
 * Ratings capability: citizens rate the professionalism and honesty of the doctors, teachers,
 * public offices and companies that served them, after a verified interaction only, one rating per
 * token; aggregates are Bayesian and published from a minimum count; bursts, rings, connected
 * raters, repeated comments and over-issuing sources are held for an operator's review, never
 * deleted; sustained aggregates become records only through the catalogue. Who rated is never
 * shown to the rated subject or the public.
 */
import type { Ctx } from '../context.ts';
import type { RatingsPolicy } from './policy.ts';
import { decideTurn, type RatingsDeps } from './submit.ts';
import { Turns } from './turns.ts';

export { RATINGS_SWEPT_ON, startDailySweep } from './background.ts';
export { decideHeld, getHeld, HOLD_DECISIONS, HOLD_FILTERS, HOLD_REASONS, listHeld } from './holds.ts';
export {
  type InteractionInput,
  type IssuedToken,
  issueInteractions,
  MAX_INTERACTIONS,
  SERVING_KINDS,
} from './interactions.ts';
export {
  checkRatingsPolicy,
  DEFAULT_RATINGS_POLICY_PATH,
  loadRatingsPolicy,
  parseRatingsPolicy,
  type RatingsPolicy,
} from './policy.ts';
export {
  RATINGS_PRINCIPAL,
  type RatingInput,
  type RatingsDeps,
  type SubmittedRating,
  submitRating,
} from './submit.ts';
export { RATINGS_SOURCE_CODE, type SweepDeps, type SweepResult, sweepRatings } from './sweep.ts';
export type { TurnCounts } from './turns.ts';
export {
  DIMENSIONS,
  getOwnRatings,
  getRatings,
  getRatingsOfAuditedPage,
  objectToRating,
  replyToRating,
} from './view.ts';

/** How long the population means (C of the IMDb form) are reused before they are read again. */
const MEANS_TTL_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * What the verbs need: the policy, the population means, read at most once a minute, and the
 * turns submissions gather into (one per platform, so concurrent submissions share commits).
 */
export const ratingsDeps = (policy: RatingsPolicy): RatingsDeps => {
  /** Means read at most once a minute; `revealed`: over the ratings submitted `after_days` ago or more. */
  const cachedMeans = (revealed: boolean) => {
    let cached: { at: number; means: [number, number] } | undefined;
    return async (ctx: Ctx): Promise<[number, number]> => {
      const now = ctx.clock.now().getTime();
      if (cached && now - cached.at >= 0 && now - cached.at < MEANS_TTL_MS) return cached.means;
      const by = revealed ? new Date(now - policy.reveal.afterDays * DAY_MS).toISOString() : undefined;
      const m = await ctx.store.ratings.globalMeans(by);
      // With no rating yet the middle of the scale stands for the population.
      const means: [number, number] = m.count > 0 ? [m.professionalism, m.honesty] : [3, 3];
      cached = { at: now, means };
      return means;
    };
  };
  return {
    policy,
    turns: new Turns(decideTurn),
    globalMean: cachedMeans(false),
    publishedMean: cachedMeans(true),
  };
};
