/**
 * The ratings engine: manipulation detection and aggregation over columns of ratings, pure (no
 * store, no clock, no I/O). The same code runs on a subset (one rated subject's ratings at
 * submission time, with the population's global mean passed in) and on the whole population (the
 * daily sweep, the bench).
 *
 * Detectors (each rule's figures are in policies/ratings.yaml, with why):
 * - burst: per window length of `windows` (shortest first) and per subject in submission order,
 *   every window of that length starting at a rating; expected volume = ratings in the
 *   `history_days` before the window × window / the part of those days since the subject's first
 *   rating (at least a day; expected at least 1); only the shortest length judges a subject with
 *   less than `min_ratings` of history (against the global mean); a window is flagged when its
 *   volume exceeds `volume_factor` × expected and reaches the length's `min_ratings`, and either
 *   its mean on either dimension departs from the history mean (no history: the global mean) by
 *   `mean_shift`, or, with a history of at least `min_ratings`, shift × volume / (history +
 *   volume) — what the window alone does to the subject's mean — reaches `max_effect` with the
 *   shift beyond EFFECT_NOISE standard errors. Overlapping flagged windows form one finding.
 *   Ratings of a run judged against the subject's own history never join the history of later
 *   windows, and what a shorter length flagged counts in no longer window.
 * - ring (rings.ts): a dense block of raters and subjects over `horizon_days` before `now` —
 *   at least `min_raters` raters giving its subjects `min_lift` times the share of their ratings
 *   that everyone else gives them, whose ratings alone move those subjects' mean by `min_effect`
 *   stars, with a rating within `window_days`; seeds are subject pairs co-rated far beyond chance,
 *   grown to a fixed point. The members' ratings of the block's subjects in the horizon are held.
 * - connected: a subject with ≥ `min_ratings` ratings of which ≥ `share` are from connected raters:
 *   the connected raters' ratings are held.
 * - duplicate: comments sharing a band key (see commentBands) from ≥ `min_raters` distinct raters.
 * - rate_limit: beyond `per_rater_per_day` ratings by one rater in one UTC calendar day, by
 *   submission time, the extra ones.
 * Releases are per reason. An operator's release clears a rating of the reason of the hold
 * released (e.g. "this burst was a genuine event"), never of the others: `cols.released` keeps,
 * per rating, the reasons (HOLD_BIT) it was released from. A rating is holdable for reason R when
 * it is open (state 0), or released (state 1) but not from R; each detector sees `state` as it
 * applies to its own reason — 0 holdable, 1 released from R, 2 removed (`columnsPerReason`; rings.ts
 * gets such a copy) — so removed ratings are ignored everywhere, and released ones count in every
 * volume and mean as before and are held only for a reason they were not released from (a burst
 * window is judged on the ratings it could hold; those released from a burst join its history).
 * A released rating held again stops counting while that hold is pending, like any held rating
 * (the store hides it: `held`), and that hold is decided like any other: confirmed, the rating is
 * removed; released, it counts again, released from that reason too.
 *
 * Aggregation (REFERENCE "Ratings integrity", IMDb form). Counted ratings: those not removed and
 * not held. Per subject and dimension:
 *   R = Σ wᵣ·x / Σ wᵣ (the weighted mean, `mean`),  v = counted ratings (`count`),
 *   bayesian = v/(v+m)·R + m/(v+m)·C when v ≥ m (m = `min_count`), else NaN,
 *   C = the unweighted mean of all counted ratings (or `globalMean` when given, for a subset),
 *   band = R ± z·s/√v clipped to [1, 5], s the (unweighted) sample standard deviation ([1, 5]
 *   for v = 1), distribution unweighted.
 * Rater weight: w = base + (1 − base) · a / (a + growth), where a = the number of the rater's
 * counted ratings within `agree_within` stars, on both dimensions, of the leave-one-out unweighted
 * mean of a subject whose aggregate is published (count ≥ min_count). A new account weighs
 * `base`; agreement with published aggregates brings it towards 1; no history of agreement can
 * make one rater count more than one rating.
 *
 * Speed: typed arrays only on the hot paths, counting sorts by subject and by rater, no per-rating
 * objects or Maps, no string keys (Maps appear only on the rare path that builds findings); a
 * detector's own `state` (releases per reason) is one byte per rating, copied only for a reason
 * some released rating was not released from, in one pass after one scan of `state`. From
 * PARALLEL_MIN ratings `detect` uses two threads: a helper thread (engine-worker.js) runs the
 * detectors over the same columns (shared memory) while the calling thread aggregates every
 * rating; the held ratings are then taken out of the aggregation (`takeOutHeld`), which gives the
 * same figures bit for bit as aggregating without them (sums of float32 weights are exact in
 * float64).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { foldForScreen } from '../catalogue/index.ts';
import { type Clock, daySpanIn } from '../context.ts';
import { type Finding, HOLD_BIT, type HoldReason, type RatingColumns } from './findings.ts';
import type { RatingsPolicy } from './policy.ts';
import { findRings } from './rings.ts';
import { toSimplified } from './traditional-chinese.ts';

// The columns and findings the detectors share (rings.ts among them) live in a module of their own.
export type { Finding, HoldReason, RatingColumns } from './findings.ts';
export { HOLD_BIT, HOLD_REASONS, holdReasons } from './findings.ts';

export interface Aggregates {
  /** Per subject: counted ratings (the same for both dimensions). */
  count: Int32Array;
  /** Per subject: ratings held out (not removed; open, or released from other reasons). */
  held: Int32Array;
  /** Per subject × 2 dimensions ([s*2+0] professionalism, [s*2+1] honesty): the weighted mean R (NaN without ratings). */
  mean: Float64Array;
  /** Per subject × 2: the Bayesian average, NaN below min_count. */
  bayesian: Float64Array;
  /** Per subject × 2: the confidence band around `mean`, clipped to [1, 5] (NaN without ratings). */
  low: Float64Array;
  high: Float64Array;
  /** Counted ratings per star, unweighted: [s*10 + dim*5 + (star-1)]. */
  dist: Int32Array;
  /** C of the Bayesian average per dimension. */
  globalMean: [number, number];
}

export interface EngineResult {
  /**
   * Per rating, the bitmask of reasons it is held for (HOLD_BIT); 0 when not held. A released
   * rating is held only for reasons it was not released from.
   */
  held: Uint8Array;
  findings: Finding[];
  /** Per rater. */
  weight: Float32Array;
  aggregates: Aggregates;
}

export interface DetectOptions {
  /** The instant of the run, ms: the ring window ends here. */
  now: number;
  /** C per dimension, when `cols` is a subset of the population. */
  globalMean?: [number, number];
  /** Rater weights from the last population run, when `cols` is a subset (otherwise computed). */
  weight?: Float32Array;
  /** Detectors left out (the bench's knock-outs). */
  skip?: readonly HoldReason[];
  /**
   * 2: detection on a helper thread while this one aggregates (the default from PARALLEL_MIN
   * ratings, when weights are computed); 1: all on this thread.
   */
  threads?: 1 | 2;
  /** The platform's zone (TIME_ZONE): a rater's day for the rate limit is a day there. */
  timeZone?: string;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The days of instants in a zone (the platform's TIME_ZONE), as the number of the date's UTC
 * midnight in days, so `new Date(d * DAY_MS)` names the date. Asked of instants mostly in time
 * order: the day's span is kept, and a new one is worked out only when an instant leaves it.
 */
class ZoneDays {
  #from = 0;
  #until = -1;
  #day = 0;
  readonly #clock: Clock;
  constructor(timeZone: string | undefined) {
    this.#clock = { now: () => new Date(0), ...(timeZone ? { timeZone } : {}) };
  }
  of(ms: number): number {
    if (ms < this.#from || ms >= this.#until) {
      const span = daySpanIn(this.#clock, new Date(ms));
      this.#from = span.from;
      this.#until = span.until;
      this.#day = Date.parse(span.day) / DAY_MS;
    }
    return this.#day;
  }
}

/** MurmurHash3's finaliser: a fast 32-bit mix. */
const mix32 = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

// ------------------------------------------------------------------------------------------------
// Comment bands: near-duplicate keys (MinHash over character shingles and over sets, LSH bands).

const SHINGLE = 3;
const COMMENT_ROWS = 4;
/** Bands over the text in order: 8 bands of 4 MinHash rows (a pair with Jaccard 0.8 shares a band with p ≈ 0.98, 0.3 with p ≈ 0.06). */
const ORDER_BANDS = 8;
/**
 * Bands over the set of the text's words and Chinese character bigrams, whatever their order, so
 * a campaign that reorders its clauses still collides: 4 bands of 4 rows (Jaccard 0.8: p ≈ 0.88;
 * the same words reordered: 1).
 */
const SET_BANDS = 4;
/** Band keys per comment: the ordered bands, then the set bands (keys of old ratings have the first only). */
export const COMMENT_BANDS = ORDER_BANDS + SET_BANDS;
/**
 * Comments shorter than this (in letters and digits, after normalising) get no key: stock phrases
 * ("very good", "很好", "très bien") are what honest raters write alike; a campaign writes more.
 */
export const MIN_COMMENT_CHARS = 12;
/** Fewer distinct words and bigrams than this get no set keys: a short set is what many write. */
const MIN_SET_FEATURES = 5;
const COMMENT_SEEDS = Uint32Array.from({ length: COMMENT_BANDS * COMMENT_ROWS }, (_, k) =>
  mix32(0x51ed270b + k * 0x9e3779b9),
);
const STRIP = /[\p{P}\p{S}\p{Z}\p{C}]/gu;
const SEPARATORS = /[\p{P}\p{S}\p{Z}\p{C}]+/u;
/** Digits written for the letters they look like ("g00d", "3xc3113nt"), within a word of letters. */
const DIGIT_LETTERS: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
};
const LETTERED_WORD = /[\p{L}\p{N}]*\p{L}[\p{L}\p{N}]*/gu;
const HAN_RUN = /\p{Script=Han}+/gu;
const NON_HAN_RUN = /[^\p{Script=Han}]+/gu;

/**
 * A comment as it is keyed: the platform's one folding of text (`foldForScreen`: NFKD, lower case,
 * accents dropped, Cyrillic and Greek look-alikes as Latin letters), Traditional characters as
 * Simplified, and digits standing for letters inside a word as those letters (a word of digits —
 * "2 hours" — stays).
 */
export const foldComment = (text: string): string =>
  toSimplified(foldForScreen(text)).replace(LETTERED_WORD, (w) =>
    /\d/.test(w) ? w.replace(/[013457]/g, (d) => DIGIT_LETTERS[d]!) : w,
  );

const fnv = (cps: readonly number[], from: number, to: number, seed: number) => {
  let x = seed;
  for (let j = from; j < to; j++) x = Math.imul(x ^ cps[j]!, 0x01000193);
  return x;
};

/** Lowers `mins[first..first+count)` with the MinHash rows of feature hash `x`. */
const minHash = (mins: Uint32Array, first: number, count: number, x: number) => {
  for (let k = first; k < first + count; k++) {
    const v = mix32(x ^ COMMENT_SEEDS[k]!);
    if (v < mins[k]!) mins[k] = v;
  }
};

/**
 * The set a comment's set bands are over: its words (letters and digits) and, for Chinese, the
 * character bigrams of each run between separators (a run of one character is itself).
 */
const featuresOf = (folded: string): Set<number> => {
  const out = new Set<number>();
  for (const piece of folded.split(SEPARATORS)) {
    // "1" stands for "l" and for "i" alike: in a set, where no earlier key is kept, both are one.
    for (const word of piece.match(NON_HAN_RUN) ?? []) {
      const cps = Array.from(word.replaceAll('i', 'l'), (c) => c.codePointAt(0)!);
      out.add(fnv(cps, 0, cps.length, 0x811c9dc5) >>> 0);
    }
    for (const run of piece.match(HAN_RUN) ?? []) {
      const cps = Array.from(run, (c) => c.codePointAt(0)!);
      if (cps.length === 1) out.add(fnv(cps, 0, 1, 0x2f3a5c71) >>> 0);
      for (let i = 0; i + 2 <= cps.length; i++) out.add(fnv(cps, i, i + 2, 0x2f3a5c71) >>> 0);
    }
  }
  return out;
};

/**
 * The COMMENT_BANDS band keys of a comment (all 0 when it is too short), over the folded text
 * (`foldComment`): first ORDER_BANDS over its character 3-grams in order, punctuation, symbols and
 * white space stripped (over code points, so Chinese works as well as alphabetic text); then
 * SET_BANDS over the set of its words and Chinese bigrams (0 when that set is small). MinHash;
 * each band's rows hashed with its index (never 0).
 */
export function commentBands(text: string): Uint32Array {
  const out = new Uint32Array(COMMENT_BANDS);
  const folded = foldComment(text);
  const cps = Array.from(folded.replace(STRIP, ''), (c) => c.codePointAt(0)!);
  if (cps.length < MIN_COMMENT_CHARS) return out;
  const mins = new Uint32Array(COMMENT_BANDS * COMMENT_ROWS).fill(0xffffffff);
  const ordered = ORDER_BANDS * COMMENT_ROWS;
  for (let i = 0; i + SHINGLE <= cps.length; i++)
    minHash(mins, 0, ordered, fnv(cps, i, i + SHINGLE, 0x811c9dc5));
  const features = featuresOf(folded);
  const bands = features.size >= MIN_SET_FEATURES ? COMMENT_BANDS : ORDER_BANDS;
  for (const x of features) minHash(mins, ordered, SET_BANDS * COMMENT_ROWS, x);
  for (let b = 0; b < bands; b++) {
    let h = mix32(0x2545f491 + b);
    for (let r = 0; r < COMMENT_ROWS; r++) h = mix32(h ^ mins[b * COMMENT_ROWS + r]!) + r;
    out[b] = h >>> 0 || 1;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Columns

export interface RatingRow {
  subject: number;
  rater: number;
  at: number;
  professionalism: number;
  honesty: number;
  connected?: boolean;
  state?: 0 | 1 | 2;
  /** The reasons a released rating (state 1) was released from (none when left out). */
  released?: readonly HoldReason[];
  comment?: string | null;
}

/** Columns from rows (tests, small subsets); the dense sizes default to the largest index + 1. */
export function columnsOf(
  rows: readonly RatingRow[],
  sizes: { nSubjects?: number; nRaters?: number } = {},
): RatingColumns {
  const n = rows.length;
  const c: RatingColumns = {
    n,
    nSubjects: sizes.nSubjects ?? rows.reduce((m, r) => Math.max(m, r.subject + 1), 0),
    nRaters: sizes.nRaters ?? rows.reduce((m, r) => Math.max(m, r.rater + 1), 0),
    subject: new Int32Array(n),
    rater: new Int32Array(n),
    at: new Float64Array(n),
    professionalism: new Uint8Array(n),
    honesty: new Uint8Array(n),
    connected: new Uint8Array(n),
    state: new Uint8Array(n),
    released: new Uint8Array(n),
    comments: null,
  };
  const released = c.released!;
  const commented: number[] = [];
  const keys: Uint32Array[] = [];
  rows.forEach((r, i) => {
    c.subject[i] = r.subject;
    c.rater[i] = r.rater;
    c.at[i] = r.at;
    c.professionalism[i] = r.professionalism;
    c.honesty[i] = r.honesty;
    c.connected[i] = r.connected ? 1 : 0;
    c.state[i] = r.state ?? 0;
    for (const reason of r.released ?? []) released[i]! |= HOLD_BIT[reason];
    if (r.comment) {
      const k = commentBands(r.comment);
      if (k[0] !== 0) {
        commented.push(i);
        keys.push(k);
      }
    }
  });
  if (rows.some((r) => r.comment)) {
    const all = new Uint32Array(keys.length * COMMENT_BANDS);
    for (const [j, k] of keys.entries()) all.set(k, j * COMMENT_BANDS);
    c.comments = { rows: Int32Array.from(commented), keys: all };
  }
  return c;
}

// ------------------------------------------------------------------------------------------------
// Grouping

interface Grouping {
  /** Offsets per key (length keys + 1) into `order`. */
  start: Int32Array;
  /** Rating indices, grouped by key, each group in submission order. */
  order: Int32Array;
}

/**
 * Stable counting sort of the not-removed ratings by subject; each group then put in submission
 * order (a no-op when the rows came in submission order, as a store scan by id gives them).
 */
function groupBySubject(cols: RatingColumns, only: Uint8Array, total: Int32Array): Grouping {
  const { n, nSubjects, subject, state, at } = cols;
  const start = new Int32Array(nSubjects + 1);
  for (let s = 0; s < nSubjects; s++) start[s + 1] = start[s]! + (only[s] === 1 ? total[s]! : 0);
  const order = new Int32Array(start[nSubjects]!);
  const fill = start.slice(0, nSubjects);
  for (let i = 0; i < n; i++) {
    const s = subject[i]!;
    if (only[s] === 1 && state[i] !== 2) order[fill[s]!++] = i;
  }
  for (let s = 0; s < nSubjects; s++)
    if (only[s] === 1) sortSegmentByTime(order, start[s]!, start[s + 1]!, at);
  return { start, order };
}

/** Whether the rows are in submission order (as a store scan by id gives them). */
function inTimeOrder(at: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) if (at[i]! < at[i - 1]!) return false;
  return true;
}

/**
 * The subjects the burst and connected detectors must look at, in one sequential pass: any window
 * of the shortest length lies within two consecutive buckets of that length, so a subject whose ratings in
 * every two consecutive buckets stay below min_ratings has no burst (sound only in submission
 * order; otherwise every subject with min_ratings ratings is looked at); a connected finding needs
 * min_ratings ratings and the connected share.
 */
function subjectsToExamine(
  cols: RatingColumns,
  policy: RatingsPolicy,
  ordered: boolean,
  bursts: boolean,
  connectedToo: boolean,
): { only: Uint8Array; total: Int32Array; sums: [number, number] } {
  const { n, nSubjects: S, subject, state, at, connected, professionalism: P, honesty: H } = cols;
  // (with the sums of every rating not removed, for the detectors' global mean)
  let sp = 0;
  let sh = 0;
  const out = new Uint8Array(S);
  // Per subject, one 16-byte record (one cache line per rating, where five arrays took five):
  // [total, connected, current bucket, ratings in it | ratings in the bucket before << 16].
  const rec = new Int32Array(S * 4);
  const W = policy.bursts.windowHours * HOUR_MS;
  const minR = policy.bursts.minRatings;
  // bucket numbers must fit the Int32 record (ordered: the first and last rows bound them)
  const track =
    bursts &&
    ordered &&
    minR < 0x7fff &&
    (n === 0 || (at[0]! / W > -0x7fffffff && at[n - 1]! / W < 0x7fffffff));
  for (let s = 0; s < S; s++) rec[s * 4 + 2] = -0x80000000;
  for (let i = 0; i < n; i++) {
    if (state[i] === 2) continue;
    sp += P[i]!;
    sh += H[i]!;
    const x = subject[i]! * 4;
    rec[x]!++;
    rec[x + 1]! += connected[i]!;
    if (!track) continue;
    const b = Math.floor(at[i]! / W);
    let cp = rec[x + 3]!;
    if (rec[x + 2] !== b) {
      cp = rec[x + 2] === b - 1 ? (cp & 0xffff) << 16 : 0;
      rec[x + 2] = b;
    }
    // counts saturate at 0x7fff: only reaching minR matters
    if ((cp & 0xffff) < 0x7fff) cp++;
    rec[x + 3] = cp;
    if ((cp & 0xffff) + (cp >>> 16) >= minR) out[x >> 2] = 1;
  }
  const { share, minRatings } = policy.connected;
  // The longer windows are not tracked by buckets: a subject with the volume one of them needs is
  // looked at.
  let minLonger = Number.POSITIVE_INFINITY;
  for (const w of policy.bursts.windows.slice(1)) minLonger = Math.min(minLonger, w.minRatings);
  const total = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    const t = rec[s * 4]!;
    const c = rec[s * 4 + 1]!;
    total[s] = t;
    if (bursts && ((!track && t >= minR) || t >= minLonger)) out[s] = 1;
    if (connectedToo && t >= minRatings && c > 0 && c >= share * t) out[s] = 1;
  }
  return { only: out, total, sums: [sp, sh] };
}

/** Puts order[a..b) in (at, index) order, when it is not already. */
function sortSegmentByTime(order: Int32Array, a: number, b: number, at: Float64Array): void {
  let sorted = true;
  for (let k = a + 1; k < b; k++)
    if (at[order[k]!]! < at[order[k - 1]!]!) {
      sorted = false;
      break;
    }
  if (sorted) return;
  const seg = Array.from(order.subarray(a, b));
  seg.sort((x, y) => at[x]! - at[y]! || x - y);
  order.set(seg, a);
}

// ------------------------------------------------------------------------------------------------
// Detectors

/** 3 standard errors × 1.5 stars of spread: the least shift of a window's mean the effect rule reads. */
const EFFECT_NOISE = 4.5;

function detectBursts(
  cols: RatingColumns,
  g: Grouping,
  policy: RatingsPolicy,
  globalP: number,
  globalH: number,
  held: Uint8Array,
  findings: Finding[],
): void {
  // The examined ratings gathered in grouping order once: each window length's pass then reads
  // them in sequence, not by index across the whole population.
  const { order } = g;
  const m = order.length;
  const gathered: Gathered = {
    at: new Float64Array(m),
    p: new Uint8Array(m),
    h: new Uint8Array(m),
    state: new Uint8Array(m),
    flag: new Uint8Array(m),
  };
  for (let k = 0; k < m; k++) {
    const r = order[k]!;
    gathered.at[k] = cols.at[r]!;
    gathered.p[k] = cols.professionalism[r]!;
    gathered.h[k] = cols.honesty[r]!;
    gathered.state[k] = cols.state[r]!;
  }
  // Shortest window first: what it flags is left out of the longer windows and their histories.
  for (const [k, w] of policy.bursts.windows.entries()) {
    detectBurstsOf(
      k === 0,
      cols,
      g,
      gathered,
      gathered.flag.slice(),
      policy,
      w.hours * HOUR_MS,
      w.minRatings,
      globalP,
      globalH,
      held,
      findings,
    );
  }
}

/** The examined ratings' columns in grouping order; `flag`: 1 at a position a burst holds. */
interface Gathered {
  at: Float64Array;
  p: Uint8Array;
  h: Uint8Array;
  state: Uint8Array;
  flag: Uint8Array;
}

/**
 * One window length: per subject, every window of `W` ms starting at a rating, against the
 * history of `history_days` before it. Ratings an earlier length flagged (`flagged` has their
 * burst bit) count in neither; ratings this pass flags do not join the history of later windows.
 */
function detectBurstsOf(
  shortest: boolean,
  cols: RatingColumns,
  g: Grouping,
  gathered: Gathered,
  /** 1 at a position an earlier (shorter) length flagged. */
  flagged: Uint8Array,
  policy: RatingsPolicy,
  W: number,
  minRatings: number,
  globalP: number,
  globalH: number,
  held: Uint8Array,
  findings: Finding[],
): void {
  const { at, p: P, h: H, state } = gathered;
  const { start, order } = g;
  const { historyDays, volumeFactor, meanShift, maxEffect } = policy.bursts;
  const Hms = historyDays * DAY_MS;
  const bit = HOLD_BIT.burst;
  // Per position in `order`: 1 when its rating joined the history sums (so it leaves them again).
  const inHistory = new Uint8Array(order.length);
  for (let s = 0; s < cols.nSubjects; s++) {
    const a = start[s]!;
    const b = start[s + 1]!;
    if (b - a < minRatings) continue;
    let j = a; // window is [i, j)
    let h = a; // history is [h, i)
    let vol = 0;
    let wP = 0;
    let wH = 0;
    let hist = 0;
    let hP = 0;
    let hH = 0;
    let runStart = -1;
    let runEnd = -1;
    // Whether the run was judged against the subject's own history: only then are its ratings kept
    // out of it (a new subject's first busy days, judged against the global mean, become its norm).
    let runOwn = false;
    let first: Record<string, number> | null = null;
    for (let i = a; i < b; i++) {
      if (flagged[i] === 1) continue;
      const t = at[i]!;
      while (j < b && at[j]! < t + W) {
        if (flagged[j] === 0 && state[j] === 0) {
          wP += P[j]!;
          wH += H[j]!;
          vol++;
        }
        j++;
      }
      while (h < i && at[h]! < t - Hms) {
        if (inHistory[h] === 1) {
          hP -= P[h]!;
          hH -= H[h]!;
          hist--;
        }
        h++;
      }
      // A longer window judges a subject only against its own history (the shortest judges a
      // subject without one against the global mean).
      if (vol >= minRatings && (shortest || hist >= minRatings)) {
        // The rate over the history there is: a subject rated for a month has a month of it.
        const covered = Math.max(DAY_MS, Math.min(Hms, t - at[a]!));
        const expected = Math.max(1, (hist * W) / covered);
        if (vol > volumeFactor * expected) {
          const mP = wP / vol;
          const mH = wH / vol;
          const bP = hist > 0 ? hP / hist : globalP;
          const bH = hist > 0 ? hH / hist : globalH;
          const shift = Math.max(Math.abs(mP - bP), Math.abs(mH - bH));
          // What the window alone would do to the subject's mean, judged only against a history
          // of some size (without one, every first busy day of a new subject would be held).
          // (and only a shift beyond the noise of two means: three standard errors at a star and
          // a half of spread, so a busy honest month is not held for a tenth of a star)
          const effect =
            hist >= minRatings && shift >= EFFECT_NOISE * Math.sqrt(1 / vol + 1 / hist)
              ? (shift * vol) / (hist + vol)
              : 0;
          if (shift >= meanShift || effect >= maxEffect) {
            if (runStart >= 0 && i >= runEnd) {
              emitBurst(cols, s, order, runStart, runEnd, first!, held, gathered.flag, bit, findings);
              runStart = -1;
            }
            if (runStart < 0) {
              runStart = i;
              runEnd = j;
              runOwn = hist >= minRatings;
              first = {
                window_hours: W / HOUR_MS,
                volume: vol,
                expected: Number(expected.toFixed(3)),
                history: hist,
                mean_professionalism: mP,
                mean_honesty: mH,
                history_mean_professionalism: bP,
                history_mean_honesty: bH,
                effect: Number(((shift * vol) / (hist + vol)).toFixed(3)),
              };
            } else if (j > runEnd) runEnd = j;
          }
        }
      }
      // rating i leaves the window and, unless a flagged window holds it, joins the history
      if (state[i] === 0) {
        wP -= P[i]!;
        wH -= H[i]!;
        vol--;
      }
      if (state[i] !== 0 || !(runOwn && runStart >= 0 && i < runEnd)) {
        hP += P[i]!;
        hH += H[i]!;
        hist++;
        inHistory[i] = 1;
      }
    }
    if (runStart >= 0)
      emitBurst(cols, s, order, runStart, runEnd, first!, held, gathered.flag, bit, findings);
  }
}

function emitBurst(
  cols: RatingColumns,
  s: number,
  order: Int32Array,
  from: number,
  to: number,
  detail: Record<string, number>,
  held: Uint8Array,
  /** Per position in `order`: set for the positions this finding holds. */
  heldAt: Uint8Array,
  bit: number,
  findings: Finding[],
): void {
  // The run's edges are trimmed to the ratings on the burst's side (nearer its first window's mean
  // than the history's, along the shift between them): a window starting at an honest rating a
  // month before a slow attack holds the attack, not that rating. Within the edges the window is
  // held whole.
  const bP = detail.history_mean_professionalism!;
  const bH = detail.history_mean_honesty!;
  const dP = detail.mean_professionalism! - bP;
  const dH = detail.mean_honesty! - bH;
  const mid = (dP * dP + dH * dH) / 2;
  const onSide = (r: number) => (cols.professionalism[r]! - bP) * dP + (cols.honesty[r]! - bH) * dH > mid;
  while (from < to && !onSide(order[from]!)) from++;
  while (to > from && !onSide(order[to - 1]!)) to--;
  const ratings: number[] = [];
  for (let k = from; k < to; k++) {
    const r = order[k]!;
    // (a rating a shorter window flagged is already in that finding)
    if (cols.state[r] === 0 && (held[r]! & bit) === 0) {
      held[r]! |= bit;
      heldAt[k] = 1;
      ratings.push(r);
    }
  }
  if (ratings.length === 0) return;
  findings.push({
    reason: 'burst',
    subject: s,
    from: cols.at[order[from]!]!,
    to: cols.at[order[to - 1]!]!,
    ratings: Int32Array.from(ratings),
    detail: { ...detail, window_ratings: to - from },
  });
}

function detectConnected(
  cols: RatingColumns,
  g: Grouping,
  policy: RatingsPolicy,
  held: Uint8Array,
  findings: Finding[],
): void {
  const { connected, state, at } = cols;
  const { start, order } = g;
  const { share, minRatings } = policy.connected;
  for (let s = 0; s < cols.nSubjects; s++) {
    const a = start[s]!;
    const b = start[s + 1]!;
    if (b - a < minRatings) continue;
    let c = 0;
    for (let k = a; k < b; k++) c += connected[order[k]!]!;
    if (c === 0 || c < share * (b - a)) continue;
    const ratings: number[] = [];
    for (let k = a; k < b; k++) {
      const r = order[k]!;
      if (connected[r] === 1 && state[r] === 0) {
        held[r]! |= HOLD_BIT.connected;
        ratings.push(r);
      }
    }
    if (ratings.length > 0)
      findings.push({
        reason: 'connected',
        subject: s,
        from: at[ratings[0]!]!,
        to: at[ratings[ratings.length - 1]!]!,
        ratings: Int32Array.from(ratings),
        detail: { ratings: b - a, connected: c, share: Number((c / (b - a)).toFixed(3)) },
      });
  }
}

function detectRateLimit(
  cols: RatingColumns,
  policy: RatingsPolicy,
  ordered: boolean,
  days: ZoneDays,
  held: Uint8Array,
  findings: Finding[],
): void {
  const { n, nRaters, rater, at, state } = cols;
  const limit = policy.rateLimits.perRaterPerDay;
  if (ordered && limit < 250) {
    detectRateLimitOrdered(cols, limit, days, held, findings);
    return;
  }
  // Ratings per rater; raters within the limit over all time cannot exceed it in a day.
  const count = new Int32Array(nRaters + 1);
  for (let i = 0; i < n; i++) if (state[i] !== 2) count[rater[i]! + 1]!++;
  let over = 0;
  for (let r = 1; r <= nRaters; r++) {
    if (count[r]! <= limit) count[r] = 0;
    else over += count[r]!;
  }
  if (over === 0) return;
  for (let r = 0; r < nRaters; r++) count[r + 1]! += count[r]!;
  const order = new Int32Array(over);
  const fill = count.slice(0, nRaters);
  for (let i = 0; i < n; i++) {
    if (state[i] === 2) continue;
    const r = rater[i]!;
    if (count[r + 1]! > count[r]!) order[fill[r]!++] = i;
  }
  for (let r = 0; r < nRaters; r++) {
    const a = count[r]!;
    const b = count[r + 1]!;
    if (b === a) continue;
    sortSegmentByTime(order, a, b, at);
    let k = a;
    while (k < b) {
      const day = days.of(at[order[k]!]!);
      let e = k;
      while (e < b && days.of(at[order[e]!]!) === day) e++;
      if (e - k > limit) {
        const ratings: number[] = [];
        for (let x = k + limit; x < e; x++) {
          const i = order[x]!;
          if (state[i] === 0) {
            held[i]! |= HOLD_BIT.rate_limit;
            ratings.push(i);
          }
        }
        if (ratings.length > 0)
          findings.push({
            reason: 'rate_limit',
            subject: -1,
            from: at[ratings[0]!]!,
            to: at[ratings[ratings.length - 1]!]!,
            ratings: Int32Array.from(ratings),
            detail: {
              rater: r,
              day: new Date(day * DAY_MS).toISOString().slice(0, 10),
              ratings: e - k,
              limit,
            },
          });
      }
      k = e;
    }
  }
}

/**
 * The rate limit in submission order: rows come day by day, so one pass counts each rater's
 * ratings of the current day in a byte (2 MB for 2M raters, reset after each day from the day's
 * own rows) and keeps only the ratings beyond the limit; those are then grouped by rater and day,
 * in the order the general path gives.
 */
function detectRateLimitOrdered(
  cols: RatingColumns,
  limit: number,
  days: ZoneDays,
  held: Uint8Array,
  findings: Finding[],
): void {
  const { n, nRaters, rater, at, state } = cols;
  const perDay = new Uint8Array(nRaters);
  let over = new Int32Array(1024);
  let nOver = 0;
  let dayStart = 0;
  let day = n > 0 ? days.of(at[0]!) : 0;
  for (let i = 0; i < n; i++) {
    const d = days.of(at[i]!);
    if (d !== day) {
      for (let k = dayStart; k < i; k++) perDay[rater[k]!] = 0;
      dayStart = i;
      day = d;
    }
    if (state[i] === 2) continue;
    const r = rater[i]!;
    const c = perDay[r]!;
    if (c < 255) perDay[r] = c + 1;
    if (c >= limit) {
      if (nOver === over.length) {
        const grown = new Int32Array(over.length * 2);
        grown.set(over);
        over = grown;
      }
      over[nOver++] = i;
    }
  }
  if (nOver === 0) return;
  // Rare path: by rater, then in row (= time) order.
  const list = Array.from(over.subarray(0, nOver));
  list.sort((x, y) => rater[x]! - rater[y]! || x - y);
  let k = 0;
  while (k < nOver) {
    const r = rater[list[k]!]!;
    const d = days.of(at[list[k]!]!);
    let e = k;
    while (e < nOver && rater[list[e]!] === r && days.of(at[list[e]!]!) === d) e++;
    const ratings: number[] = [];
    for (let x = k; x < e; x++) {
      const i = list[x]!;
      if (state[i] === 0) {
        held[i]! |= HOLD_BIT.rate_limit;
        ratings.push(i);
      }
    }
    if (ratings.length > 0)
      findings.push({
        reason: 'rate_limit',
        subject: -1,
        from: at[ratings[0]!]!,
        to: at[ratings[ratings.length - 1]!]!,
        ratings: Int32Array.from(ratings),
        detail: {
          rater: r,
          day: new Date(d * DAY_MS).toISOString().slice(0, 10),
          ratings: limit + e - k,
          limit,
        },
      });
    k = e;
  }
}

/** Open addressing over non-zero 32-bit keys: slot of each key, chains of entries per slot. */
function tableSize(entries: number): number {
  let size = 1024;
  while (size < entries * 2) size *= 2;
  return size;
}

/**
 * Partitions of the duplicate detector's band keys by their top bits (keys are hashes, so even):
 * few enough that the writes of the partitioning pass stay within the TLB's reach, many enough
 * that a partition's count table stays in the CPU's cache.
 */
const DUP_PART_BITS = 8;

function detectDuplicates(
  cols: RatingColumns,
  policy: RatingsPolicy,
  held: Uint8Array,
  findings: Finding[],
): void {
  if (!cols.comments) return;
  const { rows: commentedRows, keys: commentKeys } = cols.comments;
  const { rater, state, at, subject } = cols;
  const B = COMMENT_BANDS;
  const minRaters = policy.duplicates.minRaters;
  // 1. The commented rows not removed and their keys, and how many keys fall in each partition.
  const shift = 32 - DUP_PART_BITS;
  const parts = 1 << DUP_PART_BITS;
  const partStart = new Int32Array(parts + 1);
  let nRows = 0;
  for (let x = 0; x < commentedRows.length; x++) if (state[commentedRows[x]!] !== 2) nRows++;
  let rows = commentedRows;
  let keys = commentKeys;
  if (nRows < commentedRows.length) {
    rows = new Int32Array(nRows);
    keys = new Uint32Array(nRows * B);
    let y = 0;
    for (let x = 0; x < commentedRows.length; x++) {
      if (state[commentedRows[x]!] === 2) continue;
      rows[y] = commentedRows[x]!;
      keys.set(commentKeys.subarray(x * B, (x + 1) * B), y * B);
      y++;
    }
  }
  for (let y = 0; y < nRows * B; y++) {
    const key = keys[y]!;
    if (key !== 0) partStart[(key >>> shift) + 1]!++;
  }
  if (nRows === 0) return;
  for (let k = 0; k < parts; k++) partStart[k + 1]! += partStart[k]!;
  // 2. The keys, partitioned; per partition, the keys met at least minRaters times (a small table
  // that stays in cache, where one table of every key is random access over tens of MB; keys are
  // hashes, so their low bits place them).
  const m = partStart[parts]!;
  const pKey = new Uint32Array(m);
  const fill = partStart.slice(0, parts);
  for (let y = 0; y < nRows * B; y++) {
    const key = keys[y]!;
    if (key !== 0) pKey[fill[key >>> shift]!++] = key;
  }
  let maxPart = 0;
  for (let k = 0; k < parts; k++) maxPart = Math.max(maxPart, partStart[k + 1]! - partStart[k]!);
  const local = tableSize(maxPart);
  const lmask = local - 1;
  const table = new Uint32Array(local);
  const tally = new Int32Array(local);
  const hot: number[] = [];
  for (let k = 0; k < parts; k++) {
    const a = partStart[k]!;
    const e = partStart[k + 1]!;
    for (let y = a; y < e; y++) {
      const key = pKey[y]!;
      let slot = key & lmask;
      while (table[slot] !== 0 && table[slot] !== key) slot = (slot + 1) & lmask;
      table[slot] = key;
      if (++tally[slot]! === minRaters) hot.push(key);
    }
    for (let y = a; y < e; y++) {
      let slot = pKey[y]! & lmask;
      while (table[slot] !== 0) {
        table[slot] = 0;
        tally[slot] = 0;
        slot = (slot + 1) & lmask;
      }
    }
  }
  if (hot.length === 0) return;
  // Ascending keys: the order a sort of every key gives.
  hot.sort((p, q) => p - q);
  // 3. The commented rows of each hot key, in row order.
  const size = tableSize(hot.length);
  const mask = size - 1;
  const hotTable = new Uint32Array(size);
  const slotOf = new Int32Array(size);
  hot.forEach((key, id) => {
    let slot = mix32(key) & mask;
    while (hotTable[slot] !== 0) slot = (slot + 1) & mask;
    hotTable[slot] = key;
    slotOf[slot] = id;
  });
  const byKey: number[][] = hot.map(() => []);
  for (let x = 0; x < nRows; x++) {
    for (let b = 0; b < B; b++) {
      const key = keys[x * B + b]!;
      if (key === 0) continue;
      let slot = mix32(key) & mask;
      while (hotTable[slot] !== 0 && hotTable[slot] !== key) slot = (slot + 1) & mask;
      if (hotTable[slot] === key) byKey[slotOf[slot]!]!.push(rows[x]!);
    }
  }
  // Rare path: keys with enough raters, merged into clusters by the ratings they share.
  const clusterOf = new Map<number, number>();
  const parent: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const members of byKey) {
    const raters = new Set(members.map((i) => rater[i]!));
    if (raters.size < minRaters) continue;
    const id = parent.length;
    parent.push(id);
    for (const i of members) {
      const c = clusterOf.get(i);
      if (c === undefined) clusterOf.set(i, id);
      else parent[find(c)] = find(id);
    }
  }
  if (clusterOf.size === 0) return;
  const byCluster = new Map<number, number[]>();
  for (const [i, c] of clusterOf) {
    const root = find(c);
    const list = byCluster.get(root);
    if (list) list.push(i);
    else byCluster.set(root, [i]);
  }
  // Clusters in the order of their first rating.
  const clusters = [...byCluster.values()];
  for (const members of clusters) members.sort((x, y) => at[x]! - at[y]! || x - y);
  clusters.sort((p, q) => at[p[0]!]! - at[q[0]!]! || p[0]! - q[0]!);
  for (const members of clusters) {
    const open = members.filter((i) => state[i] === 0);
    for (const i of open) held[i]! |= HOLD_BIT.duplicate;
    if (open.length === 0) continue;
    const subjects = new Set(members.map((i) => subject[i]!));
    findings.push({
      reason: 'duplicate',
      subject: subjects.size === 1 ? subject[members[0]!]! : -1,
      from: at[open[0]!]!,
      to: at[open[open.length - 1]!]!,
      ratings: Int32Array.from(open),
      detail: {
        ratings: members.length,
        raters: new Set(members.map((i) => rater[i]!)).size,
        subjects: subjects.size,
      },
    });
  }
}

/**
 * Rings (rings.ts): the members' ratings of the ring's subjects holdable as a ring are held
 * (`cols.state` is the ring's own: `columnsPerReason`).
 */
function detectRings(
  cols: RatingColumns,
  policy: RatingsPolicy,
  now: number,
  ordered: boolean,
  held: Uint8Array,
  findings: Finding[],
): void {
  for (const f of findRings(cols, policy.rings, now, ordered)) {
    for (let j = 0; j < f.ratings.length; j++) held[f.ratings[j]!]! |= HOLD_BIT.ring;
    findings.push(f);
  }
}

// ------------------------------------------------------------------------------------------------
// Aggregation

/** Subjects per block of the aggregation's partition: 16,384 × 40 bytes of distribution fit a 1 MB L2 cache. */
const BLOCK_BITS = 14;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;

/** The aggregation's working state, between its passes and a later correction for holds. */
interface AggregationState {
  blocks: number;
  blockStart: Int32Array;
  /** Counted ratings by block: subject within the block | (p − 1) << 16 | (h − 1) << 19. */
  packed: Int32Array;
  byRater: Int32Array;
  heldCount: Int32Array;
  dist: Int32Array;
  count: Int32Array;
  sum: Float64Array;
  sq: Float64Array;
  g: { p: number; h: number; n: number };
  /** Per subject, the stars that agree with its leave-one-out mean (null when weights were given). */
  agrees: Uint16Array | null;
  agree: Uint8Array | null;
  agreeOver: Int32Array | null;
  weight: Float32Array;
  /** Per subject, [Σw, Σw·p, Σw·h]. */
  ws: Float64Array;
}

/** A rater's weight from their count of agreeing ratings (one expression for every path). */
const weightOf = (base: number, growth: number, a: number): number =>
  Math.fround(base + ((1 - base) * a) / (a + growth));

/** Count, sums and squares of subject s from its distribution. */
function subjectStats(st: AggregationState, s: number): void {
  const { dist, count, sum, sq } = st;
  const d = s * 10;
  let v = 0;
  let sp = 0;
  let sh = 0;
  let qp = 0;
  let qh = 0;
  for (let k = 1; k <= 5; k++) {
    const cp = dist[d + k - 1]!;
    const ch = dist[d + 4 + k]!;
    v += cp;
    sp += k * cp;
    sh += k * ch;
    qp += k * k * cp;
    qh += k * k * ch;
  }
  count[s] = v;
  sum[s * 2] = sp;
  sum[s * 2 + 1] = sh;
  sq[s * 2] = qp;
  sq[s * 2 + 1] = qh;
}

/** Bits 0–4: the professionalism stars that agree with subject s's leave-one-out mean; 5–9 honesty. */
function agreeMask(st: AggregationState, s: number, m: number, within: number): number {
  const v = st.count[s]!;
  if (v < m || v < 2) return 0;
  const { sum } = st;
  let mask = 0;
  for (let k = 1; k <= 5; k++) {
    if (Math.abs(k - (sum[s * 2]! - k) / (v - 1)) <= within) mask |= 1 << (k - 1);
    if (Math.abs(k - (sum[s * 2 + 1]! - k) / (v - 1)) <= within) mask |= 1 << (k + 4);
  }
  return mask;
}

/** Whether a rating of p and h stars agrees under `mask`. */
const agreesWith = (mask: number, p: number, h: number): number => (mask >> (p - 1)) & (mask >> (h + 4)) & 1;

/**
 * The aggregation's passes: counted ratings are those not removed and not in `held` (null: none
 * held). Weights are computed from agreement unless given.
 */
function aggregationPasses(
  cols: RatingColumns,
  held: Uint8Array | null,
  policy: RatingsPolicy,
  given: Float32Array | undefined,
): AggregationState {
  const { n, nSubjects: S, nRaters, subject, rater, professionalism: P, honesty: H, state } = cols;
  // The counted ratings, partitioned by blocks of BLOCK subjects (stable, so each subject's
  // ratings stay in row order): each later pass then touches one block's per-subject records at a
  // time, which stay in the CPU's cache, where a pass in row order jumps over all of them.
  const blocks = (S >> BLOCK_BITS) + 1;
  const blockStart = new Int32Array(blocks + 1);
  const heldCount = new Int32Array(S);
  for (let i = 0; i < n; i++) {
    const st = state[i]!;
    if (st === 2) continue;
    if (held !== null && held[i] !== 0) heldCount[subject[i]!]!++;
    else blockStart[(subject[i]! >> BLOCK_BITS) + 1]!++;
  }
  for (let k = 0; k < blocks; k++) blockStart[k + 1]! += blockStart[k]!;
  const nc = blockStart[blocks]!;
  const packed = new Int32Array(nc);
  const byRater = new Int32Array(nc);
  const fill = blockStart.slice(0, blocks);
  for (let i = 0; i < n; i++) {
    const st = state[i]!;
    if (st === 2 || (held !== null && held[i] !== 0)) continue;
    const s = subject[i]!;
    const x = fill[s >> BLOCK_BITS]!++;
    packed[x] = (s & BLOCK_MASK) | ((P[i]! - 1) << 16) | ((H[i]! - 1) << 19);
    byRater[x] = rater[i]!;
  }
  // The distribution (two increments in one 40-byte record per rating); counts, sums and squares
  // follow from it per subject, exactly (integers).
  const dist = new Int32Array(S * 10);
  for (let k = 0; k < blocks; k++) {
    const base = (k << BLOCK_BITS) * 10;
    for (let x = blockStart[k]!; x < blockStart[k + 1]!; x++) {
      const v = packed[x]!;
      const d = base + (v & BLOCK_MASK) * 10;
      dist[d + ((v >> 16) & 7)]!++;
      dist[d + 5 + (v >> 19)]!++;
    }
  }
  const st: AggregationState = {
    blocks,
    blockStart,
    packed,
    byRater,
    heldCount,
    dist,
    count: new Int32Array(S),
    sum: new Float64Array(S * 2),
    sq: new Float64Array(S * 2),
    g: { p: 0, h: 0, n: 0 },
    agrees: null,
    agree: null,
    agreeOver: null,
    weight: given ?? new Float32Array(nRaters),
    ws: new Float64Array(S * 3),
  };
  for (let s = 0; s < S; s++) {
    subjectStats(st, s);
    st.g.p += st.sum[s * 2]!;
    st.g.h += st.sum[s * 2 + 1]!;
    st.g.n += st.count[s]!;
  }
  const m = policy.aggregation.minCount;
  // Agreement counts per rater in one byte (2 MB for 2M raters stays in cache, where 8 MB of
  // Int32 did not); the rare rater beyond 254 continues in `agreeOver`.
  let wTable: Float32Array | null = null;
  const { weight } = st;
  if (!given) {
    // Per subject, which stars agree with its leave-one-out mean: bits 0–4 professionalism,
    // 5–9 honesty (the same expression per star as per rating, so the same answers).
    const within = policy.weights.agreeWithin;
    const agrees = new Uint16Array(S);
    for (let s = 0; s < S; s++) agrees[s] = agreeMask(st, s, m, within);
    const agree = new Uint8Array(nRaters);
    let agreeOver: Int32Array | null = null;
    for (let k = 0; k < blocks; k++) {
      const s0 = k << BLOCK_BITS;
      for (let x = blockStart[k]!; x < blockStart[k + 1]!; x++) {
        const v = packed[x]!;
        const mask = agrees[s0 + (v & BLOCK_MASK)]!;
        if (mask === 0 || ((mask >> ((v >> 16) & 7)) & (mask >> ((v >> 19) + 5)) & 1) === 0) continue;
        const r = byRater[x]!;
        const a = agree[r]!;
        if (a < 255) agree[r] = a + 1;
        else {
          agreeOver ??= new Int32Array(nRaters);
          agreeOver[r]!++;
        }
      }
    }
    const { base, growth } = policy.weights;
    wTable = new Float32Array(255);
    for (let a = 0; a < 255; a++) wTable[a] = weightOf(base, growth, a);
    for (let r = 0; r < nRaters; r++) {
      const a = agree[r]! < 255 ? agree[r]! : 255 + agreeOver![r]!;
      weight[r] = a < 255 ? wTable[a]! : weightOf(base, growth, a);
    }
    st.agrees = agrees;
    st.agree = agree;
    st.agreeOver = agreeOver;
  }
  // Weighted sums per subject, interleaved [Σw, Σw·p, Σw·h] (one cache line per rating, not three);
  // each subject's terms are added in row order, as before.
  const { ws, agree } = st;
  for (let k = 0; k < blocks; k++) {
    const base = (k << BLOCK_BITS) * 3;
    for (let x = blockStart[k]!; x < blockStart[k + 1]!; x++) {
      const v = packed[x]!;
      const r = byRater[x]!;
      let w: number;
      if (agree !== null) {
        const a = agree[r]!;
        w = a < 255 ? wTable![a]! : weight[r]!;
      } else w = weight[r]!;
      const y = base + (v & BLOCK_MASK) * 3;
      ws[y]! += w;
      ws[y + 1]! += w * (((v >> 16) & 7) + 1);
      ws[y + 2]! += w * ((v >> 19) + 1);
    }
  }
  return st;
}

/** The published figures from the aggregation's state. */
function aggregatesFrom(
  st: AggregationState,
  S: number,
  policy: RatingsPolicy,
  globalMean: [number, number] | undefined,
): Aggregates {
  const { count, heldCount, ws, sum, sq, dist, g } = st;
  const m = policy.aggregation.minCount;
  const C: [number, number] = globalMean ?? (g.n > 0 ? [g.p / g.n, g.h / g.n] : [Number.NaN, Number.NaN]);
  const z = policy.aggregation.z;
  const mean = new Float64Array(S * 2);
  const bayesian = new Float64Array(S * 2);
  const low = new Float64Array(S * 2);
  const high = new Float64Array(S * 2);
  for (let s = 0; s < S; s++) {
    const v = count[s]!;
    for (let d = 0; d < 2; d++) {
      const x = s * 2 + d;
      if (v === 0) {
        mean[x] = bayesian[x] = low[x] = high[x] = Number.NaN;
        continue;
      }
      const R = ws[s * 3 + 1 + d]! / ws[s * 3]!;
      mean[x] = R;
      bayesian[x] = v >= m ? (v / (v + m)) * R + (m / (v + m)) * C[d]! : Number.NaN;
      if (v < 2) {
        low[x] = 1;
        high[x] = 5;
      } else {
        const varS = Math.max(0, (sq[x]! - (sum[x]! * sum[x]!) / v) / (v - 1));
        const half = (z * Math.sqrt(varS)) / Math.sqrt(v);
        low[x] = Math.max(1, R - half);
        high[x] = Math.min(5, R + half);
      }
    }
  }
  return { count, held: heldCount, mean, bayesian, low, high, dist, globalMean: C };
}

/**
 * The aggregation step alone (the read path): counted ratings are those not removed and not in
 * `held` (null: none held). Weights are computed from agreement unless given.
 */
export function aggregate(
  cols: RatingColumns,
  held: Uint8Array | null,
  policy: RatingsPolicy,
  opts: { globalMean?: [number, number]; weight?: Float32Array } = {},
): { aggregates: Aggregates; weight: Float32Array } {
  const st = aggregationPasses(cols, held, policy, opts.weight);
  return { aggregates: aggregatesFrom(st, cols.nSubjects, policy, opts.globalMean), weight: st.weight };
}

/**
 * Takes the held ratings `heldRows` (not removed, each once) out of an aggregation of every rating
 * (computed weights, none held), so that it equals the aggregation without them, bit for bit:
 * counts and distributions are integers; agreement is recounted on the subjects that lost
 * ratings, and the raters whose weight changed have their weighted sums moved by the difference.
 * Exact because every weight is a float32 and every partial sum a multiple of the smallest
 * weight's last bit far below 2^53 of it (checked: false when it is not so, and the caller
 * aggregates again).
 */
function takeOutHeld(
  st: AggregationState,
  cols: RatingColumns,
  heldRows: Int32Array,
  policy: RatingsPolicy,
): boolean {
  const { nSubjects: S, nRaters, subject, rater, professionalism: P, honesty: H } = cols;
  const { dist, heldCount, ws, weight, agrees, agree, agreeOver, g } = st;
  if (agrees === null || agree === null) return false;
  const m = policy.aggregation.minCount;
  const within = policy.weights.agreeWithin;
  const { base, growth } = policy.weights;
  const aOf = (r: number) => (agree[r]! < 255 ? agree[r]! : 255 + agreeOver![r]!);
  // Exactness: all weights (those computed, and any a held rating changes) are float32 values
  // in [wMin, wMax]; sums of up to maxCount × 5 × wMax in steps of wMin's last bit.
  let wMin = Number.POSITIVE_INFINITY;
  let wMax = 0;
  for (let r = 0; r < nRaters; r++) {
    const w = weight[r]!;
    if (w > 0 && w < wMin) wMin = w;
    if (w > wMax) wMax = w;
  }
  let maxCount = 0;
  for (let s = 0; s < S; s++) if (st.count[s]! > maxCount) maxCount = st.count[s]!;
  // 1. The held ratings out of the distribution, the global sums and the weighted sums.
  const affected = new Uint8Array(S);
  for (let k = 0; k < heldRows.length; k++) {
    const i = heldRows[k]!;
    const s = subject[i]!;
    const p = P[i]!;
    const h = H[i]!;
    affected[s] = 1;
    heldCount[s]!++;
    dist[s * 10 + p - 1]!--;
    dist[s * 10 + 4 + h]!--;
    g.p -= p;
    g.h -= h;
    g.n--;
    const w = weight[rater[i]!]!;
    ws[s * 3]! -= w;
    ws[s * 3 + 1]! -= w * p;
    ws[s * 3 + 2]! -= w * h;
  }
  const oldAgrees = agrees.slice();
  for (let s = 0; s < S; s++) {
    if (affected[s] === 0) continue;
    subjectStats(st, s);
    agrees[s] = agreeMask(st, s, m, within);
  }
  // 2. Agreement recounted on the affected subjects' ratings: every rating of theirs in the
  // partition (held ones included) moves from the old answer to the new, then the held ones lose
  // theirs.
  const { blocks, blockStart, packed, byRater } = st;
  const delta = new Int32Array(nRaters);
  const touched: number[] = [];
  const move = (r: number, d: number) => {
    if (delta[r] === 0) touched.push(r);
    delta[r]! += d;
  };
  for (let k = 0; k < blocks; k++) {
    const s0 = k << BLOCK_BITS;
    for (let x = blockStart[k]!; x < blockStart[k + 1]!; x++) {
      const v = packed[x]!;
      const s = s0 + (v & BLOCK_MASK);
      if (affected[s] === 0) continue;
      const p = ((v >> 16) & 7) + 1;
      const h = (v >> 19) + 1;
      const d = agreesWith(agrees[s]!, p, h) - agreesWith(oldAgrees[s]!, p, h);
      if (d !== 0) move(byRater[x]!, d);
    }
  }
  for (let k = 0; k < heldRows.length; k++) {
    const i = heldRows[k]!;
    if (agreesWith(agrees[subject[i]!]!, P[i]!, H[i]!) === 1) move(rater[i]!, -1);
  }
  // 3. New weights; the weighted sums of every rating of a rater whose weight changed moved by
  // the difference (held ones taken back out: they no longer count at all).
  const changed = new Uint32Array((nRaters >> 5) + 1);
  const dw = new Float64Array(touched.length);
  const dwAt = new Map<number, number>();
  for (const r of touched) {
    const d = delta[r]!;
    if (d === 0) continue;
    const w = weightOf(base, growth, aOf(r) + d);
    if (w > 0 && w < wMin) wMin = w;
    if (w > wMax) wMax = w;
    if (w === weight[r]) continue;
    dw[dwAt.size] = w - weight[r]!;
    dwAt.set(r, dwAt.size);
    changed[r >> 5]! |= 1 << (r & 31);
    weight[r] = w;
  }
  const exact =
    Number.isFinite(wMin) && Number.isFinite(wMax) && 10 * (maxCount + 1) * wMax < 2 ** 52 * wMinUlp(wMin);
  if (!exact) return false;
  if (dwAt.size === 0) return true;
  for (let k = 0; k < blocks; k++) {
    const base3 = (k << BLOCK_BITS) * 3;
    for (let x = blockStart[k]!; x < blockStart[k + 1]!; x++) {
      const r = byRater[x]!;
      if ((changed[r >> 5]! & (1 << (r & 31))) === 0) continue;
      const v = packed[x]!;
      const d = dw[dwAt.get(r)!]!;
      const y = base3 + (v & BLOCK_MASK) * 3;
      ws[y]! += d;
      ws[y + 1]! += d * (((v >> 16) & 7) + 1);
      ws[y + 2]! += d * ((v >> 19) + 1);
    }
  }
  for (let k = 0; k < heldRows.length; k++) {
    const i = heldRows[k]!;
    const r = rater[i]!;
    if ((changed[r >> 5]! & (1 << (r & 31))) === 0) continue;
    const s = subject[i]!;
    const d = dw[dwAt.get(r)!]!;
    ws[s * 3]! -= d;
    ws[s * 3 + 1]! -= d * P[i]!;
    ws[s * 3 + 2]! -= d * H[i]!;
  }
  return true;
}

/** The value of the last bit of a positive float32 `w`'s significand. */
function wMinUlp(w: number): number {
  return 2 ** (Math.floor(Math.log2(w)) - 23);
}

// ------------------------------------------------------------------------------------------------

/** The detectors in the order their findings are listed. */
const DETECTORS: readonly HoldReason[] = ['burst', 'connected', 'ring', 'duplicate', 'rate_limit'];

/** Every reason's bit. */
const ALL_REASONS = DETECTORS.reduce((m, r) => m | HOLD_BIT[r], 0);

/**
 * The columns each detector reads: `state` as it applies to that detector's reason — 0 where the
 * detector may hold the rating (open, or released from other reasons only), 1 where an operator
 * released it from this reason (it counts, and is not held for it again), 2 removed — so every
 * detector (rings.ts among them) reads `state` as it always has. One pass finds the reasons some
 * released rating was not released from; only those get a copy of `state`, made when asked for
 * (none at all when no rating is released).
 */
function columnsPerReason(cols: RatingColumns): (reason: HoldReason) => RatingColumns {
  const { n, state, released } = cols;
  let missing = 0;
  for (let i = 0; i < n && missing !== ALL_REASONS; i++)
    if (state[i] === 1) missing |= released === undefined ? ALL_REASONS : ~released[i]! & ALL_REASONS;
  return (reason) => {
    const bit = HOLD_BIT[reason];
    if ((missing & bit) === 0) return cols;
    const mine = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const st = state[i]!;
      mine[i] = st === 1 && (released === undefined || (released[i]! & bit) === 0) ? 0 : st;
    }
    return { ...cols, state: mine };
  };
}

/**
 * Runs the detectors in `which` (the mean of every rating not removed is computed unless given) and
 * returns their findings in DETECTORS order. Pure: the held bits are the findings' ratings. Each
 * detector holds only the ratings holdable for its reason (`columnsPerReason`).
 */
export function runDetectors(
  cols: RatingColumns,
  policy: RatingsPolicy,
  opts: { now: number; globalMean?: [number, number]; timeZone?: string },
  which: readonly HoldReason[],
): Finding[] {
  const held = new Uint8Array(cols.n);
  const findings: Finding[] = [];
  const on = new Set(which);
  const ordered = inTimeOrder(cols.at, cols.n);
  const colsFor = columnsPerReason(cols);
  if (on.has('burst') || on.has('connected')) {
    // (which subjects to examine and their grouping read `state` only for removed ratings)
    const { only, total, sums } = subjectsToExamine(
      cols,
      policy,
      ordered,
      on.has('burst'),
      on.has('connected'),
    );
    const g = groupBySubject(cols, only, total);
    if (on.has('burst')) {
      // Before detection: the mean of every rating not removed (unless given).
      let c = 0;
      for (let s = 0; s < cols.nSubjects; s++) c += total[s]!;
      const [globalP, globalH] = opts.globalMean ?? (c > 0 ? [sums[0] / c, sums[1] / c] : [3, 3]);
      detectBursts(colsFor('burst'), g, policy, globalP, globalH, held, findings);
    }
    if (on.has('connected')) detectConnected(colsFor('connected'), g, policy, held, findings);
  }
  if (on.has('ring')) detectRings(colsFor('ring'), policy, opts.now, ordered, held, findings);
  if (on.has('duplicate')) detectDuplicates(colsFor('duplicate'), policy, held, findings);
  if (on.has('rate_limit'))
    detectRateLimit(colsFor('rate_limit'), policy, ordered, new ZoneDays(opts.timeZone), held, findings);
  return findings;
}

/** The held bits from findings, and the held ratings each once. */
function heldOf(n: number, findings: readonly Finding[]): { held: Uint8Array; rows: Int32Array } {
  const held = new Uint8Array(n);
  let rows = new Int32Array(1024);
  let k = 0;
  for (const f of findings) {
    const bit = HOLD_BIT[f.reason];
    for (let j = 0; j < f.ratings.length; j++) {
      const i = f.ratings[j]!;
      if (held[i] === 0) {
        if (k === rows.length) {
          const grown = new Int32Array(rows.length * 2);
          grown.set(rows);
          rows = grown;
        }
        rows[k++] = i;
      }
      held[i]! |= bit;
    }
  }
  return { held, rows: rows.subarray(0, k) };
}

/** Below this many ratings a second thread costs more than it saves. */
const PARALLEL_MIN = 200_000;

/** Detects manipulation, then aggregates without the held ratings. */
export function detect(cols: RatingColumns, policy: RatingsPolicy, opts: DetectOptions): EngineResult {
  const skip = new Set(opts.skip ?? []);
  const which = DETECTORS.filter((d) => !skip.has(d));
  const mean = opts.globalMean ? { globalMean: opts.globalMean } : {};
  const zone = opts.timeZone ? { timeZone: opts.timeZone } : {};
  const threads = opts.threads ?? (cols.n >= PARALLEL_MIN ? 2 : 1);
  if (threads === 2 && !opts.weight) {
    const helper = engineHelper();
    if (helper) {
      // The helper thread runs the detectors while this one aggregates every rating (the
      // aggregation does not depend on detection but for the held ratings, taken out after).
      const job = helper.start(cols, policy, { now: opts.now, ...mean, ...zone }, which);
      if (job) {
        let st: AggregationState | undefined;
        let failure: unknown;
        try {
          st = aggregationPasses(cols, null, policy, undefined);
        } catch (e) {
          failure = e;
        }
        // the helper's answer is always collected, so that it is free for the next call
        const findings = job.wait();
        if (failure !== undefined || st === undefined) throw failure;
        const { held, rows } = heldOf(cols.n, findings);
        const ok = takeOutHeld(st, cols, rows, policy);
        if (ok)
          return {
            held,
            findings,
            weight: st.weight,
            aggregates: aggregatesFrom(st, cols.nSubjects, policy, opts.globalMean),
          };
        const { aggregates, weight } = aggregate(cols, held, policy, mean);
        return { held, findings, weight, aggregates };
      }
    }
  }
  const findings = runDetectors(cols, policy, { now: opts.now, ...mean, ...zone }, which);
  const { held } = heldOf(cols.n, findings);
  const { aggregates, weight } = aggregate(cols, held, policy, {
    ...mean,
    ...(opts.weight ? { weight: opts.weight } : {}),
  });
  return { held, findings, weight, aggregates };
}

// ------------------------------------------------------------------------------------------------
// The helper thread

interface HelperJob {
  /** Blocks until the helper's findings are in. */
  wait(): Finding[];
}
interface Helper {
  /** Hands the detectors `which` to the helper; null when it cannot take them. */
  start(
    cols: RatingColumns,
    policy: RatingsPolicy,
    opts: { now: number; globalMean?: [number, number] },
    which: readonly HoldReason[],
  ): HelperJob | null;
}

/** How long a call waits for the helper thread to start, and for its findings, before failing. */
const HELPER_START_MS = 20_000;
const HELPER_ANSWER_MS = 600_000;

let helper: Helper | null | undefined;

/**
 * One helper thread per process, started on first use (engine-worker.ts, through engine-worker.js,
 * which registers tsx first, or compiled into the command line's bundle: the same code as this
 * thread runs).
 * It shares the columns (SharedArrayBuffer; copied there when they are not) and answers through a
 * port this thread reads synchronously, so `detect` stays a plain function. null when it cannot
 * start.
 */
function engineHelper(): Helper | null {
  if (helper !== undefined) return helper;
  helper = null;
  let worker: Worker;
  const ctl = new Int32Array(new SharedArrayBuffer(8)); // [0] answered, [1] ready
  const channel = new MessageChannel();
  const port: MessagePort = channel.port1;
  try {
    worker = new Worker(new URL('./engine-worker.js', import.meta.url), {
      workerData: { port: channel.port2, ctl },
      transferList: [channel.port2],
      // none of this process's flags (a loader's would load twice)
      execArgv: [],
    });
  } catch {
    return null;
  }
  worker.unref();
  port.unref();
  let broken = false;
  worker.on('error', () => {
    broken = true;
  });
  worker.on('exit', () => {
    broken = true;
  });
  const ready = (): boolean => {
    if (Atomics.load(ctl, 1) === 1) return true;
    Atomics.wait(ctl, 1, 0, HELPER_START_MS);
    return Atomics.load(ctl, 1) === 1;
  };
  helper = {
    start(cols, policy, opts, which) {
      if (broken) return null;
      if (!ready()) {
        broken = true;
        void worker.terminate();
        return null;
      }
      Atomics.store(ctl, 0, 0);
      // the policy's data (its `lineOf` is a function, which cannot cross)
      const { lineOf: _, ...data } = policy;
      port.postMessage({ cols: sharedColumns(cols), policy: data, opts, which });
      return {
        wait() {
          // (a timeout, not a time of the domain: the monotonic clock)
          const deadline = performance.now() + HELPER_ANSWER_MS;
          while (Atomics.load(ctl, 0) === 0) {
            const left = deadline - performance.now();
            if (left <= 0) {
              broken = true;
              throw new Error('the ratings engine helper thread did not answer');
            }
            Atomics.wait(ctl, 0, 0, Math.min(left, 1000));
          }
          const got = receiveMessageOnPort(port)?.message as
            | { findings: Finding[]; error?: undefined }
            | { error: string }
            | undefined;
          if (!got) throw new Error('the ratings engine helper thread answered nothing');
          if (got.error !== undefined) throw new Error(`ratings engine helper thread: ${got.error}`);
          return got.findings;
        },
      };
    },
  };
  return helper;
}

/** The columns on shared memory (as they are when already there: buildColumns puts them there). */
function sharedColumns(cols: RatingColumns): RatingColumns {
  const share = <T extends Int32Array | Float64Array | Uint8Array | Uint32Array>(
    a: T,
    make: (b: SharedArrayBuffer) => T,
  ): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const b = make(new SharedArrayBuffer(a.byteLength));
    b.set(a as never);
    return b;
  };
  return {
    n: cols.n,
    nSubjects: cols.nSubjects,
    nRaters: cols.nRaters,
    subject: share(cols.subject, (b) => new Int32Array(b)),
    rater: share(cols.rater, (b) => new Int32Array(b)),
    at: share(cols.at, (b) => new Float64Array(b)),
    professionalism: share(cols.professionalism, (b) => new Uint8Array(b)),
    honesty: share(cols.honesty, (b) => new Uint8Array(b)),
    connected: share(cols.connected, (b) => new Uint8Array(b)),
    state: share(cols.state, (b) => new Uint8Array(b)),
    ...(cols.released ? { released: share(cols.released, (b) => new Uint8Array(b)) } : {}),
    comments: cols.comments && {
      rows: share(cols.comments.rows, (b) => new Int32Array(b)),
      keys: share(cols.comments.keys, (b) => new Uint32Array(b)),
    },
  };
}
