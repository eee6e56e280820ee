/**
 * What the ratings engine's detectors share: the columns they read and the findings they return
 * (engine.ts re-exports them; rings.ts imports them from here, so the two do not import each other).
 */

export interface RatingColumns {
  n: number;
  nSubjects: number;
  nRaters: number;
  /** Dense indices 0..nSubjects-1 and 0..nRaters-1. */
  subject: Int32Array;
  rater: Int32Array;
  /** Submission instant, ms since the epoch. */
  at: Float64Array;
  /** 1..5 */
  professionalism: Uint8Array;
  honesty: Uint8Array;
  /** 1 when the rater is connected to the rated subject (bound to it, or to an organization it is bound to). */
  connected: Uint8Array;
  /**
   * 0 open to detection; 1 released by an operator from a hold (counts; held again only for a
   * reason it was not released from, `released`); 2 removed (never counts).
   */
  state: Uint8Array;
  /**
   * Per rating, the reasons (HOLD_BIT) an operator released it from: a release clears a rating of
   * the reason of the hold released, not of every other (a burst judged genuine may still be a
   * ring's). Read only where `state` is 1. Absent: no reason recorded — a released rating may be
   * held again for any.
   */
  released?: Uint8Array;
  /**
   * The ratings whose comment has keys (commentBands(), not all 0), ascending, and their keys,
   * COMMENT_BANDS each in the same order (sparse: a pass over them never reads the rows without);
   * null when no comment is known.
   */
  comments: { rows: Int32Array; keys: Uint32Array } | null;
}

export type HoldReason = 'burst' | 'ring' | 'connected' | 'duplicate' | 'rate_limit';
export const HOLD_REASONS: readonly HoldReason[] = ['burst', 'ring', 'connected', 'duplicate', 'rate_limit'];
/** The bit of each reason in `EngineResult.held`. */
export const HOLD_BIT: Readonly<Record<HoldReason, number>> = {
  burst: 1,
  ring: 2,
  connected: 4,
  duplicate: 8,
  rate_limit: 16,
};
/** The bit of a hold's reason; 0 for a reason no detector holds for (an objection, a source's volume). */
export const holdBitOf = (reason: string): number =>
  Object.hasOwn(HOLD_BIT, reason) ? HOLD_BIT[reason as HoldReason] : 0;
/** The reasons of a held bitmask, in HOLD_REASONS order. */
export const holdReasons = (mask: number): HoldReason[] =>
  HOLD_REASONS.filter((r) => (mask & HOLD_BIT[r]) !== 0);

export interface Finding {
  reason: HoldReason;
  /** The subject, or -1 when the finding spans subjects (a ring, a comment campaign). */
  subject: number;
  /** First and last submission instant of the held ratings, ms. */
  from: number;
  to: number;
  /**
   * Indices into the columns of the ratings this finding holds: open ones, and released ones not
   * released from this finding's reason.
   */
  ratings: Int32Array;
  detail: Record<string, number | string>;
}
