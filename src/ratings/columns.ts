/**
 * Stored ratings → the engine's columns: dense indices for the rated subjects and the raters in
 * the order first met, and the rating ids in column order so a finding maps back to rows.
 */
import type { RatingRow } from '../store/index.ts';
import { COMMENT_BANDS, type RatingColumns } from './engine.ts';

export interface BuiltColumns {
  cols: RatingColumns;
  ratingIds: number[];
  /** Dense subject index → stored subject id. */
  subjectIds: number[];
  /** Dense rater index → stored subject id of the rater. */
  raterIds: number[];
  /** Each rater's weight as the last sweep kept it (`newRaterWeight` when it never did). */
  weight: Float32Array;
  subjectIndex: Map<number, number>;
}

export const buildColumns = (rows: readonly RatingRow[], newRaterWeight = 1): BuiltColumns => {
  const n = rows.length;
  // On shared memory, so that the engine's helper thread reads them where they are.
  const shared = (bytes: number) => new SharedArrayBuffer(bytes);
  const subject = new Int32Array(shared(n * 4));
  const rater = new Int32Array(shared(n * 4));
  const at = new Float64Array(shared(n * 8));
  const professionalism = new Uint8Array(shared(n));
  const honesty = new Uint8Array(shared(n));
  const connected = new Uint8Array(shared(n));
  const state = new Uint8Array(shared(n));
  const released = new Uint8Array(shared(n));
  const withComments = rows.some((r) => r.commentBands !== null);
  // Sparse: the rows whose comment has keys, and their keys.
  let nCommented = 0;
  for (const r of rows) if (r.commentBands && (r.commentBands[0] ?? 0) >>> 0 !== 0) nCommented++;
  const commentRows = new Int32Array(shared(nCommented * 4));
  const commentKeys = new Uint32Array(shared(nCommented * COMMENT_BANDS * 4));
  let c = 0;
  const subjectIndex = new Map<number, number>();
  const raterIndex = new Map<number, number>();
  const subjectIds: number[] = [];
  const raterIds: number[] = [];
  const weights: number[] = [];
  const ratingIds: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    let s = subjectIndex.get(r.ratedId);
    if (s === undefined) {
      s = subjectIds.length;
      subjectIndex.set(r.ratedId, s);
      subjectIds.push(r.ratedId);
    }
    let w = raterIndex.get(r.raterId);
    if (w === undefined) {
      w = raterIds.length;
      raterIndex.set(r.raterId, w);
      raterIds.push(r.raterId);
      weights.push(r.raterWeight ?? newRaterWeight);
    }
    subject[i] = s;
    rater[i] = w;
    at[i] = Date.parse(r.submittedAt);
    professionalism[i] = r.professionalism;
    honesty[i] = r.honesty;
    connected[i] = r.connected ? 1 : 0;
    state[i] = r.state;
    released[i] = r.releasedReasons;
    if (r.commentBands && (r.commentBands[0] ?? 0) >>> 0 !== 0) {
      commentRows[c] = i;
      for (let b = 0; b < COMMENT_BANDS && b < r.commentBands.length; b++)
        commentKeys[c * COMMENT_BANDS + b] = r.commentBands[b]! >>> 0;
      c++;
    }
    ratingIds[i] = r.id;
  }
  return {
    cols: {
      n,
      nSubjects: subjectIds.length,
      nRaters: raterIndex.size,
      subject,
      rater,
      at,
      professionalism,
      honesty,
      connected,
      state,
      released,
      comments: withComments ? { rows: commentRows, keys: commentKeys } : null,
    },
    ratingIds,
    subjectIds,
    raterIds,
    weight: Float32Array.from(weights),
    subjectIndex,
  };
};
