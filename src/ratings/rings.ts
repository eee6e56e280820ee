/**
 * Rings: raters who rate the same set of subjects together, found as dense, improbable blocks of
 * the rater × subject graph (pure; typed arrays on every pass over the ratings).
 *
 * The graph: one edge per rater and subject rated within `horizon_days` before `now` (a rater's
 * repeated ratings of one subject are one edge; removed ratings are left out). A block is raters U
 * and subjects S; it is judged by what it would be by chance — other raters (everyone outside U)
 * give the share p = (ratings of S by others) / (all ratings by others) of their ratings to S, so
 * U's ratings D_U would put about μ = p·D_U on S; the block has E edges. Its lift is E / μ, its
 * chance the Poisson tail P(X ≥ E | μ). Lift, not Jaccard, is what a ring cannot dodge:
 * - rotating subsets (each member rates 3–5 of 15 businesses) keep pairwise overlaps small but all
 *   edges inside S;
 * - camouflage ratings elsewhere raise D_U (so μ) only in proportion: 20 camouflage ratings a
 *   member divide a lift of thousands by six;
 * - a slow ring is whole within a year's horizon.
 *
 * Steps (m ratings in the horizon; P pairs of subjects rated by one rater, about 1.6 m on a
 * national population, where most raters rate a few subjects a year):
 * 1. each rater's subjects, ascending without repeats: the horizon's (rater, subject) pairs
 *    scattered into partitions by the rater's high bits, each partition counting-sorted by the
 *    rater's low bits within the cache (a scatter into two million raters' segments would miss it
 *    at every rating) and each rater's few subjects sorted by insertion, written back over the
 *    partitions already read; distinct raters per subject (deg) and Σ d(d − 1). A rater of one
 *    subject counts in deg only; the raters of two or more get compact indices;
 * 2. seeds: each rater's pairs of subjects (raters with more than PAIR_CAP subjects give none but
 *    may join a block), packed in one int and scattered into partitions of the smaller subject, so
 *    few subjects a partition that a table of a bit per pair of them (2^TABLE_BITS bits) stays in
 *    the cache — as many partitions at a time as the memory kept for step 3 holds, one pass over
 *    the sets each. A partition's pairs go once through its table: a pair found set already is a
 *    repeat; the table is cleared by a second pass. Few pairs repeat (18,000 of 8 million on the
 *    bench's population): only those are sorted and counted. A pair co-rated by c ≥ 2 raters is a
 *    seed when P(Poisson(deg_s·deg_t·Σd(d−1)/edges²) ≥ c) ≤ SEED_CHANCE, or when `min_raters`
 *    rate it together and are half the raters of the less rated one (where a ring is most of the
 *    ratings, it inflates the chance it would be judged by); seeds are taken in ascending (s, t)
 *    order;
 * 3. each subject's raters of two subjects or more (built over the pairs' memory: scattered by
 *    partitions of subjects, then by subject within the cache); seeds joined into components
 *    (union-find); each component (or, above COMPONENT_CAP subjects, each seeded subject with its
 *    seed partners) is grown to a fixed point: U = raters with `min_shared_subjects` of S (2 in
 *    the first round, to grow from a pair), S = subjects with 2 raters of U, each at `min_lift`
 *    times the others' share and either mostly in the block or beyond chance (MEMBER_CHANCE);
 * 4. a block is a ring when it has at least `min_raters` raters and 2 subjects, its lift reaches
 *    `min_lift`, its ratings alone move its subjects' mean by `min_effect` stars on a dimension
 *    (against the others' ratings of S, or the mean of the horizon when there are none) with the
 *    shift beyond RING_NOISE standard errors, and one of its ratings is within `window_days` of
 *    `now` (an older ring was judged by the sweeps of its time). The members' open ratings of S
 *    within the horizon are held (one more pass over the horizon's subjects, the rest of a row read
 *    only where its subject is in a block).
 * Cost: O(m + P + nRaters + nSubjects) time, in sequential passes and scatters into few enough
 * places to stay in the cache; memory about 3 ints a rating in the horizon (the sets over the
 * rows' copy, the pairs then the index by subject in one arena) and a few arrays of nSubjects.
 * Fresh memory is dear (every first write to a page faults: a few ms a MB where the bench runs,
 * up to a third of this detector's time when the allocator hands out new pages), so each large
 * array is reused once it is dead. The rest goes mostly to grouping by rater and to the pairs.
 * The effect test is what keeps honest communities out: a town's patients rating its few
 * hospitals form a dense block too, but their stars agree with everyone else's.
 */
import type { Finding, RatingColumns } from './findings.ts';
import type { RatingsPolicy } from './policy.ts';

const DAY_MS = 86_400_000;

/** Raters with more distinct subjects than this seed no pair (their pairs grow as the square). */
export const PAIR_CAP = 64;
/** A seed pair is co-rated by so many raters that chance would give as many at most this often. */
export const SEED_CHANCE = 1e-6;
/** A member's ratings of the block's subjects are as many as chance would give at most this often. */
export const MEMBER_CHANCE = 1e-5;
/** Components of more seeded subjects than this are grown from each seeded subject instead. */
export const COMPONENT_CAP = 512;
/** Standard errors (of one-star noise) by which a block's mean must depart from the others'. */
export const RING_NOISE = 4.5;
/** Partitions at most 2^PART_BITS (of raters, of subjects), by high bits: each sorts within the cache. */
const PART_BITS = 8;
/** Growth rounds of a block before it is judged as it stands. */
const ROUNDS = 8;
/** A rater's subjects up to this many are sorted by insertion (the typed array's sort above). */
const INSERTION_MAX = 32;
/** Bits of the table of a partition's pairs in step 2 (2^23 bits: 1 MiB, within the cache). */
const TABLE_BITS = 23;

/** What a ring finding says, beyond the held ratings. */
export interface RingDetail extends Record<string, number | string> {
  raters: number;
  subjects: number;
  /** Distinct rater–subject edges in the block (a rater's repeats are one). */
  edges: number;
  /** edges / (raters × subjects). */
  density: number;
  /** The members' share of their own ratings that went to the block's subjects. */
  members_share: number;
  /** Everyone else's share of their ratings that went to the block's subjects. */
  others_share: number;
  /** The edges chance would give (others' share × the members' ratings). */
  expected: number;
  lift: number;
  /** log10 of the Poisson chance of as many edges or more. */
  log10_chance: number;
  /** Stars by which the members' ratings depart from the others' on the block's subjects, per dimension. */
  shift_professionalism: number;
  shift_honesty: number;
  /** Stars by which the members' ratings alone move the subjects' mean (the larger dimension). */
  effect: number;
  /** Days between the block's first and last rating. */
  span_days: number;
  /**
   * Engine indices of the members (stripped before a hold is stored: reviewers see pseudonyms).
   * The subjects are those of the finding's ratings.
   */
  rater_ids: string;
}

/** ln Γ(x + 1) = ln x! (Stirling with two corrections; exact enough from x = 1). */
const lnFactorial = (x: number): number => {
  if (x < 2) return 0;
  if (x < 20) {
    let s = 0;
    for (let k = 2; k <= x; k++) s += Math.log(k);
    return s;
  }
  return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x ** 3);
};

/** log10 P(X ≥ k) for X ~ Poisson(mu), k > mu (the tail's sum bounded by its first term's series). */
export const log10PoissonTail = (k: number, mu: number): number => {
  if (k <= mu) return 0;
  const first = k * Math.log(mu) - mu - lnFactorial(k);
  // Terms fall at least by mu / (k + 1) each: the tail is below first / (1 − mu/(k+1)).
  return Math.min(0, (first - Math.log(1 - mu / (k + 1))) / Math.LN10);
};

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1)));

/** The rows [lo, end) of the horizon [from, now] when the rows are in submission order (bisection). */
function horizonRows(at: Float64Array, n: number, from: number, now: number): [number, number] {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  hi = n;
  while (end < hi) {
    const mid = (end + hi) >>> 1;
    if (at[mid]! <= now) end = mid + 1;
    else hi = mid;
  }
  return [lo, end];
}

/** The rater × subject graph of the horizon (step 1). */
interface Graph {
  /** Raters of two distinct subjects or more (compact indices e, by rater index ascending). */
  nE: number;
  /** The rater index of each e. */
  raterOf: Int32Array;
  /** e's subjects, ascending without repeats, at setSubj[segStart[e] .. segStart[e + 1]). */
  segStart: Int32Array;
  setSubj: Int32Array;
  /**
   * Distinct raters per subject: those of one subject only, until the index by subject adds the
   * others (subjectIndex).
   */
  deg: Int32Array;
  /** The pairs of subjects of each rater of 2 to PAIR_CAP, per partition of the smaller (pairBits). */
  pairParts: Float64Array;
  /** Distinct rater–subject edges, and Σ d(d − 1) over raters (how often two edges share one). */
  edges: number;
  pairs: number;
  /** Ratings in the horizon and their sums of stars, per dimension. */
  m: number;
  sumP: number;
  sumH: number;
}

/**
 * Bits of the smaller subject's low part in a packed pair (its high bits are the partition): so
 * that a bit per pair of a partition, 2^TABLE_BITS bits, stays in the cache.
 */
const pairBits = (nSubjects: number): number => {
  const bBits = bitsFor(nSubjects - 1);
  return Math.max(0, Math.min(bBits, TABLE_BITS - bBits));
};

/** Sorts a[from, to) ascending (a rater's subjects: a handful but for a few busy raters). */
function sortRun(a: Int32Array, from: number, to: number): void {
  if (to - from > INSERTION_MAX) {
    a.subarray(from, to).sort();
    return;
  }
  for (let x = from + 1; x < to; x++) {
    const v = a[x]!;
    let y = x - 1;
    while (y >= from && a[y]! > v) {
      a[y + 1] = a[y]!;
      y--;
    }
    a[y + 1] = v;
  }
}

/** Step 1: the graph of the rows [lo, n) in the horizon [from, now]; null when it has no rating. */
function buildGraph(
  cols: RatingColumns,
  lo: number,
  n: number,
  from: number,
  now: number,
  ordered: boolean,
): Graph | null {
  const { nRaters, nSubjects, rater, subject, at, state } = cols;
  const P = cols.professionalism;
  const H = cols.honesty;
  // The (rater, subject) pairs packed in one int (the rater's low bits above the subject), in
  // partitions by the rater's high bits.
  const sBits = bitsFor(nSubjects - 1);
  const rLow = Math.max(0, Math.min(31 - sBits, bitsFor(nRaters - 1) - PART_BITS));
  const rParts = ((nRaters - 1) >>> rLow) + 1;
  const rStart = new Int32Array(rParts + 1);
  let sumP = 0;
  let sumH = 0;
  for (let i = lo; i < n; i++) {
    if (state[i] === 2) continue;
    if (!ordered) {
      const t = at[i]!;
      if (t < from || t > now) continue;
    }
    rStart[(rater[i]! >>> rLow) + 1]!++;
    sumP += P[i]!;
    sumH += H[i]!;
  }
  let largest = 0;
  for (let p = 0; p < rParts; p++) {
    largest = Math.max(largest, rStart[p + 1]!);
    rStart[p + 1]! += rStart[p]!;
  }
  const m = rStart[rParts]!;
  if (m === 0) return null;
  // (Fresh memory is dear — the first write to a page faults — so this one array of m ints is
  // reused: the sets are written back into it, each partition once it is read.)
  const byRater = new Int32Array(m);
  const lowMask = (1 << rLow) - 1;
  {
    const put = rStart.slice(0, rParts);
    for (let i = lo; i < n; i++) {
      if (state[i] === 2) continue;
      if (!ordered) {
        const t = at[i]!;
        if (t < from || t > now) continue;
      }
      const r = rater[i]!;
      byRater[put[r >>> rLow]!++] = ((r & lowMask) << sBits) | subject[i]!;
    }
  }

  // Each partition counting-sorted by the rater's low bits into `run`; each rater's subjects then
  // sorted and deduplicated back into byRater, below the partition (a rater of two or more: at
  // most m / 2 of them).
  const sMask = (1 << sBits) - 1;
  const cap = (m >>> 1) + 1;
  const raterOf = new Int32Array(cap);
  const segStart = new Int32Array(cap + 1);
  const deg = new Int32Array(nSubjects);
  const head = new Int32Array(lowMask + 2);
  const run = new Int32Array(largest);
  // Each rater's pairs of subjects (for step 2), per partition of the smaller subject.
  const aBits = pairBits(nSubjects);
  const pairParts = new Float64Array(((nSubjects - 1) >>> aBits) + 1);
  let nE = 0;
  let w = 0;
  let edges = 0;
  let pairs = 0;
  for (let p = 0; p < rParts; p++) {
    const a = rStart[p]!;
    const b = rStart[p + 1]!;
    if (a === b) continue;
    head.fill(0);
    for (let x = a; x < b; x++) head[(byRater[x]! >>> sBits) + 1]!++;
    for (let v = 0; v <= lowMask; v++) head[v + 1]! += head[v]!;
    for (let x = a; x < b; x++) {
      const k = byRater[x]!;
      run[head[k >>> sBits]!++] = k & sMask;
    }
    // head[v] is now the end of low bits v's run (and the start of the next).
    let start = 0;
    for (let v = 0; v <= lowMask; v++) {
      const end = head[v]!;
      if (end === start) continue;
      if (end - start === 1) {
        deg[run[start]!]!++;
        edges++;
        start = end;
        continue;
      }
      sortRun(run, start, end);
      let d = 0;
      let prev = -1;
      for (let x = start; x < end; x++) {
        const s = run[x]!;
        if (s !== prev) {
          byRater[w + d++] = s;
          prev = s;
        }
      }
      start = end;
      edges += d;
      if (d === 1) {
        deg[prev]!++;
        continue;
      }
      pairs += d * (d - 1);
      raterOf[nE] = (p << rLow) | v;
      segStart[nE++] = w;
      if (d <= PAIR_CAP)
        for (let x = w; x < w + d - 1; x++) pairParts[byRater[x]! >>> aBits]! += w + d - 1 - x;
      w += d;
    }
  }
  segStart[nE] = w;
  return { nE, raterOf, segStart, setSubj: byRater, deg, pairParts, edges, pairs, m, sumP, sumH };
}

/** The index by subject's partitions (by the subject's high bits) and where each starts. */
interface IndexLayout {
  /** A rater e and the subject's low bits are packed in one int while the index is partitioned. */
  iBits: number;
  partStart: Int32Array;
  largest: number;
}

/** Counts the index by subject's partitions (one pass over the sets, counters in the cache). */
function indexLayout(g: Graph, nSubjects: number): IndexLayout {
  const { nE, segStart, setSubj } = g;
  const iBits = Math.max(0, Math.min(bitsFor(nSubjects - 1) - PART_BITS, 31 - bitsFor(nE - 1)));
  const parts = ((nSubjects - 1) >>> iBits) + 1;
  const partStart = new Int32Array(parts + 1);
  for (let k = 0; k < segStart[nE]!; k++) partStart[(setSubj[k]! >>> iBits) + 1]!++;
  let largest = 0;
  for (let p = 0; p < parts; p++) {
    largest = Math.max(largest, partStart[p + 1]!);
    partStart[p + 1]! += partStart[p]!;
  }
  return { iBits, partStart, largest };
}

/** Each subject's raters e, ascending, at subjRater[subjStart[s] .. subjStart[s + 1]). */
interface SubjectIndex {
  subjStart: Int32Array;
  subjRater: Int32Array<ArrayBuffer>;
}

/**
 * The index by subject, in `arena` (which holds it, then its largest partition): scattered by
 * partitions of subjects first, each partition then counting-sorted by subject within the cache
 * (a scatter straight into 200,000 subjects' lists would miss it at every edge). Adds each
 * subject's raters of two subjects or more to g.deg.
 */
function subjectIndex(
  g: Graph,
  layout: IndexLayout,
  nSubjects: number,
  arena: Int32Array<ArrayBuffer>,
): SubjectIndex {
  const { nE, segStart, setSubj, deg } = g;
  const { iBits, partStart, largest } = layout;
  const iMask = (1 << iBits) - 1;
  const size = segStart[nE]!;
  const index = arena.subarray(0, size);
  const scratch = arena.subarray(size, size + largest);
  const parts = partStart.length - 1;
  const put = partStart.slice(0, parts);
  for (let e = 0; e < nE; e++) {
    const packed = e << iBits;
    for (let k = segStart[e]!; k < segStart[e + 1]!; k++) {
      const s = setSubj[k]!;
      index[put[s >>> iBits]!++] = packed | (s & iMask);
    }
  }
  const subjStart = new Int32Array(nSubjects + 1);
  for (let p = 0; p < parts; p++) {
    const a = partStart[p]!;
    const b = partStart[p + 1]!;
    const base = p << iBits;
    const top = Math.min(nSubjects, base + iMask + 1);
    for (let x = a; x < b; x++) subjStart[base + (index[x]! & iMask) + 1]!++;
    subjStart[base] = a;
    for (let s = base; s < top; s++) {
      deg[s]! += subjStart[s + 1]!;
      subjStart[s + 1]! += subjStart[s]!;
    }
    scratch.set(index.subarray(a, b));
    for (let x = 0; x < b - a; x++) {
      const v = scratch[x]!;
      index[subjStart[base | (v & iMask)]!++] = v >>> iBits;
    }
    // subjStart[s] moved to the end of s's raters, which is where s + 1's begin
    for (let s = top; s > base; s--) subjStart[s] = subjStart[s - 1]!;
    subjStart[base] = a;
  }
  return { subjStart, subjRater: index };
}

/** Pairs of subjects (s < t) rated together by c ≥ 2 raters, in ascending (s, t) order. */
interface Repeated {
  n: number;
  s: Int32Array;
  t: Int32Array;
  c: Int32Array;
  /** Memory the counting used, for the index by subject to reuse. */
  arena: Int32Array<ArrayBuffer>;
}

/** A growable Int32Array with `x` appended at `at`. */
const push32 = (a: Int32Array<ArrayBuffer>, at: number, x: number): Int32Array<ArrayBuffer> => {
  if (at === a.length) {
    const grown = new Int32Array(a.length * 2);
    grown.set(a);
    a = grown;
  }
  a[at] = x;
  return a;
};

/**
 * Step 2's counting: the pairs of subjects rated together by two raters or more (of 2 to PAIR_CAP
 * subjects). Each rater's pairs (s < t) are packed in one int (s's low bits above t) in partitions
 * by s's high bits — few enough subjects s a partition that a bit per pair (s, t) of them is
 * 2^TABLE_BITS bits — as many partitions at a time as the arena holds (one pass over the sets
 * each). Few pairs repeat (18,000 of 8 million on the bench's population), so a partition goes
 * once through its table, within the cache: a pair found set already is a repeat. The table is
 * cleared by a second pass, and the repeats alone are sorted and counted (a pair's count is one
 * more than its repeats).
 */
function repeatedPairs(g: Graph, nSubjects: number, indexSize: number): Repeated {
  const { nE, segStart, setSubj, pairParts } = g;
  const bBits = bitsFor(nSubjects - 1);
  const aBits = pairBits(nSubjects);
  const parts = pairParts.length;
  const aMask = (1 << aBits) - 1;
  const bMask = (1 << bBits) - 1;
  // (Each partition's count is below the arena's length: an int, for the loops.)
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, pairParts[p]! | 0);
  const arena = new Int32Array(Math.max(indexSize, 2 * largest));
  // The partitions' pairs at the start of the arena, their repeats at its end.
  const room = arena.length - largest;
  const table = new Int32Array(largest > 0 ? ((1 << (aBits + bBits)) >>> 5) + 1 : 0);
  const put = new Int32Array(parts);
  let rs = new Int32Array(1024);
  let rt = new Int32Array(1024);
  let rc = new Int32Array(1024);
  let nr = 0;
  for (let p0 = 0; p0 < parts && largest > 0; ) {
    // partitions [p0, p1) fill the room
    let p1 = p0;
    let used = 0;
    while (p1 < parts && used + pairParts[p1]! <= room) {
      put[p1] = used;
      used += pairParts[p1++]! | 0;
    }
    const sLo = p0 << aBits;
    const sHi = Math.min(nSubjects, p1 << aBits);
    for (let e = 0; e < nE; e++) {
      const a0 = segStart[e]!;
      const end = segStart[e + 1]!;
      if (end - a0 > PAIR_CAP) continue;
      for (let x = a0; x < end - 1; x++) {
        const s = setSubj[x]!;
        if (s < sLo) continue;
        if (s >= sHi) break;
        const p = s >>> aBits;
        const high = (s & aMask) << bBits;
        let w = put[p]!;
        for (let y = x + 1; y < end; y++) arena[w++] = high | setSubj[y]!;
        put[p] = w;
      }
    }
    for (let p = p0, a = 0; p < p1; p++) {
      const b = a + (pairParts[p]! | 0);
      // a repeat is written once per rater after the first
      let n = room;
      for (let x = a; x < b; x++) {
        const k = arena[x]!;
        const bit = 1 << (k & 31);
        const v = table[k >>> 5]!;
        if (v & bit) arena[n++] = k;
        else table[k >>> 5] = v | bit;
      }
      for (let x = a; x < b; x++) table[arena[x]! >>> 5] = 0;
      a = b;
      if (n === room) continue;
      arena.subarray(room, n).sort();
      for (let x = room; x < n; ) {
        const k = arena[x]!;
        let y = x + 1;
        while (y < n && arena[y] === k) y++;
        rs = push32(rs, nr, (p << aBits) | (k >>> bBits));
        rt = push32(rt, nr, k & bMask);
        rc = push32(rc, nr++, 1 + y - x);
        x = y;
      }
    }
    p0 = p1;
  }
  return { n: nr, s: rs, t: rt, c: rc, arena };
}

/** Seed pairs (s < t), in ascending (s, t) order, and their subjects joined by union-find. */
interface Seeds {
  n: number;
  a: Int32Array;
  b: Int32Array;
  seeded: Uint8Array;
  parent: Int32Array;
}

/** The root of x's component (halving the path on the way). */
const findRoot = (parent: Int32Array, x: number): number => {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]!]!;
    x = parent[x]!;
  }
  return x;
};

/**
 * Step 2: the seeds among the repeated pairs — co-rated far beyond chance — joined in ascending
 * (s, t) order.
 */
function findSeeds(g: Graph, rep: Repeated, nSubjects: number, minRaters: number): Seeds {
  const { deg } = g;
  // Two subjects of deg a and b share about μ = a·b·pairs/edges² raters by chance.
  const kappa = g.pairs / (g.edges * g.edges);
  const seedLog = Math.log10(SEED_CHANCE);
  const seeded = new Uint8Array(nSubjects);
  const parent = new Int32Array(nSubjects);
  for (let s = 0; s < nSubjects; s++) parent[s] = s;
  let seedA = new Int32Array(1024);
  let seedB = new Int32Array(1024);
  let nSeeds = 0;
  for (let x = 0; x < rep.n; x++) {
    const s = rep.s[x]!;
    const t = rep.t[x]!;
    const c = rep.c[x]!;
    // Beyond chance or, where the ring is most of the ratings (and so of the chance it is judged
    // by), a pair that min_raters rate together, half the raters of the less rated one.
    const lockstep = c >= minRaters && 2 * c >= Math.min(deg[s]!, deg[t]!);
    if (!lockstep && log10PoissonTail(c, deg[s]! * deg[t]! * kappa) > seedLog) continue;
    seeded[s] = 1;
    seeded[t] = 1;
    const ps = findRoot(parent, s);
    const pt = findRoot(parent, t);
    if (ps !== pt) parent[ps] = pt;
    seedA = push32(seedA, nSeeds, s);
    seedB = push32(seedB, nSeeds++, t);
  }
  return { n: nSeeds, a: seedA, b: seedB, seeded, parent };
}

/** A block that passes the lift test, before its stars and instants are read. */
interface Candidate {
  raters: Int32Array;
  subjects: Int32Array;
  edges: number;
  share: number;
  expected: number;
  lift: number;
  DU: number;
}

/** Step 3: the seeds' components grown into blocks; those that pass the lift test. */
function growBlocks(
  g: Graph,
  index: SubjectIndex,
  seeds: Seeds,
  arena: Int32Array<ArrayBuffer>,
  nSubjects: number,
  policy: RatingsPolicy['rings'],
): { candidates: Candidate[]; zeros: Int32Array } {
  const { nE, deg, segStart, setSubj, edges } = g;
  const { subjStart, subjRater } = index;
  const { n: nSeeds, a: seedA, b: seedB, seeded, parent } = seeds;
  const { minRaters, minSharedSubjects: minShared, minLift } = policy;
  const memberLog = Math.log10(MEMBER_CHANCE);
  // The components of seeded subjects, by root ascending, each listing its subjects ascending
  // (keys root·nSubjects + s, and s·nSubjects + t for the partners: exact in a double).
  let nSeeded = 0;
  for (let s = 0; s < nSubjects; s++) nSeeded += seeded[s]!;
  const byRoot = new Float64Array(nSeeded);
  for (let s = 0, x = 0; s < nSubjects; s++) if (seeded[s]) byRoot[x++] = findRoot(parent, s) * nSubjects + s;
  byRoot.sort();
  const compList = Int32Array.from(byRoot, (k) => k % nSubjects);
  // Seed partners per subject, ascending (for components grown subject by subject).
  const partners = new Float64Array(nSeeds * 2);
  for (let k = 0; k < nSeeds; k++) {
    partners[2 * k] = seedA[k]! * nSubjects + seedB[k]!;
    partners[2 * k + 1] = seedB[k]! * nSubjects + seedA[k]!;
  }
  partners.sort();
  /** The first of s's partners in `partners` (as its key), or where they would be. */
  const partnersOf = (s: number): number => {
    let lo = 0;
    let hi = partners.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (partners[mid]! < s * nSubjects) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Growth state, reused across blocks (every touched entry is reset after use).
  const hitR = arena.subarray(subjRater.length, subjRater.length + nE).fill(0);
  const hitS = new Int32Array(nSubjects);
  const inS = new Uint8Array(nSubjects);
  const claimed = new Uint8Array(nSubjects);
  let TR = new Int32Array(1024);
  let TS = new Int32Array(1024);
  let S = new Int32Array(1024);
  let U = new Int32Array(1024);
  let nS = 0;
  let nU = 0;
  const grow32 = (a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> => {
    if (need <= a.length) return a;
    const bigger = new Int32Array(Math.max(need, a.length * 2));
    bigger.set(a);
    return bigger;
  };
  /** The raters of S with ≥ `need` subjects in it at min_lift times the others' share: into U. */
  const ratersOf = (need: number): { DU: number; EU: number; DS: number } => {
    let nr = 0;
    let DS = 0;
    for (let x = 0; x < nS; x++) {
      const s = S[x]!;
      DS += deg[s]!;
      for (let k = subjStart[s]!; k < subjStart[s + 1]!; k++) {
        const e = subjRater[k]!;
        if (hitR[e]!++ === 0) {
          TR = grow32(TR, nr + 1);
          TR[nr++] = e;
        }
      }
    }
    // The others' share of S first from the raters with two subjects in it, then the lift test.
    let D0 = 0;
    let E0 = 0;
    for (let x = 0; x < nr; x++) {
      const e = TR[x]!;
      if (hitR[e]! >= need) {
        D0 += segStart[e + 1]! - segStart[e]!;
        E0 += hitR[e]!;
      }
    }
    const share = Math.max(DS - E0, 1) / Math.max(edges - D0, 1);
    nU = 0;
    let DU = 0;
    let EU = 0;
    for (let x = 0; x < nr; x++) {
      const e = TR[x]!;
      const h = hitR[e]!;
      hitR[e] = 0;
      // A member rates the block's subjects min_lift times as often as others do, and either so
      // many of them that chance would seldom give as many, or mostly them.
      const d = segStart[e + 1]! - segStart[e]!;
      const mu = share * d;
      if (h >= need && h >= minLift * mu && (2 * h >= d || log10PoissonTail(h, mu) <= memberLog)) {
        U = grow32(U, nU + 1);
        U[nU++] = e;
        DU += d;
        EU += h;
      }
    }
    return { DU, EU, DS };
  };
  /**
   * The subjects with ≥ 2 raters of U at min_lift times their share of the others' ratings, and
   * either rated mostly by U or by more of U than chance would seldom give: into S.
   */
  const subjectsOf = (DU: number): boolean => {
    let ns = 0;
    for (let x = 0; x < nU; x++) {
      const e = U[x]!;
      for (let k = segStart[e]!; k < segStart[e + 1]!; k++) {
        const t = setSubj[k]!;
        if (hitS[t]!++ === 0) {
          TS = grow32(TS, ns + 1);
          TS[ns++] = t;
        }
      }
    }
    const others = Math.max(edges - DU, 1);
    let next = 0;
    let same = true;
    for (let x = 0; x < ns; x++) {
      const t = TS[x]!;
      const h = hitS[t]!;
      hitS[t] = 0;
      const mu = (Math.max(deg[t]! - h, 1) / others) * DU;
      if (
        h >= 2 &&
        !claimed[t] &&
        h >= minLift * mu &&
        (2 * h >= deg[t]! || log10PoissonTail(h, mu) <= memberLog)
      ) {
        TS[next++] = t;
        if (!inS[t]) same = false;
      }
    }
    if (next !== nS) same = false;
    if (same) return false;
    for (let x = 0; x < nS; x++) inS[S[x]!] = 0;
    S = grow32(S, next);
    for (let x = 0; x < next; x++) {
      S[x] = TS[x]!;
      inS[TS[x]!] = 1;
    }
    nS = next;
    return true;
  };

  const candidates: Candidate[] = [];

  /** Grows the block from the subjects S[0..nS) and keeps it when it passes the lift test. */
  const judge = (): void => {
    for (let x = 0; x < nS; x++) inS[S[x]!] = 1;
    let DU = 0;
    let EU = 0;
    let DS = 0;
    // The first round takes raters of two of the seeds' subjects, to grow from a seed pair; from
    // the second, members rate min_shared_subjects of the block's.
    for (let round = 0; ; round++) {
      ({ DU, EU, DS } = ratersOf(round === 0 ? 2 : minShared));
      if (nU < (round === 0 ? 2 : minRaters) || round === ROUNDS) break;
      if (!subjectsOf(DU) && round > 0) break;
      if (nS < 2) break;
    }
    for (let x = 0; x < nS; x++) inS[S[x]!] = 0;
    if (nU < minRaters || nS < 2) return;
    const share = Math.max(DS - EU, 1) / Math.max(edges - DU, 1);
    const expected = share * DU;
    const lift = EU / expected;
    if (lift < minLift) return;
    const subjects = S.slice(0, nS);
    for (const s of subjects) claimed[s] = 1;
    candidates.push({ raters: U.slice(0, nU), subjects, edges: EU, share, expected, lift, DU });
  };

  for (let a = 0; a < nSeeded; ) {
    const end = byRoot[a]! - compList[a]! + nSubjects; // the next root's first key
    let size = 1;
    while (a + size < nSeeded && byRoot[a + size]! < end) size++;
    if (size <= COMPONENT_CAP) {
      nS = 0;
      S = grow32(S, size);
      for (let x = a; x < a + size; x++) if (!claimed[compList[x]!]) S[nS++] = compList[x]!;
      if (nS >= 2) judge();
    } else {
      // A large component (popular subjects chained by chance): each seeded subject with its partners.
      for (let x = a; x < a + size; x++) {
        const s = compList[x]!;
        if (claimed[s]) continue;
        const first = partnersOf(s);
        let last = first;
        while (last < partners.length && partners[last]! < (s + 1) * nSubjects) last++;
        nS = 0;
        S = grow32(S, 1 + last - first);
        S[nS++] = s;
        for (let k = first; k < last; k++) {
          const t = partners[k]! % nSubjects;
          if (!claimed[t]) S[nS++] = t;
        }
        if (nS >= 2) judge();
      }
    }
    a += size;
  }
  return { candidates, zeros: hitS };
}

/**
 * The rings among `cols` as of `now` (findings with reason 'ring', subject −1 unless one subject;
 * `ratings` are the open ratings to hold, in submission order). `ordered`: rows in submission order.
 */
export function findRings(
  cols: RatingColumns,
  policy: RatingsPolicy['rings'],
  now: number,
  ordered: boolean,
): Finding[] {
  const from = now - policy.horizonDays * DAY_MS;
  // In submission order the horizon is one run of rows, found by bisection.
  const [lo, n] = ordered ? horizonRows(cols.at, cols.n, from, now) : [0, cols.n];
  const g = buildGraph(cols, lo, n, from, now, ordered);
  if (g === null) return [];
  const layout = indexLayout(g, cols.nSubjects);
  const rep = repeatedPairs(g, cols.nSubjects, g.segStart[g.nE]! + Math.max(g.nE, layout.largest));
  if (rep.n === 0) return [];
  const index = subjectIndex(g, layout, cols.nSubjects, rep.arena);
  const seeds = findSeeds(g, rep, cols.nSubjects, policy.minRaters);
  if (seeds.n === 0) return [];
  const { candidates, zeros } = growBlocks(g, index, seeds, rep.arena, cols.nSubjects, policy);
  if (candidates.length === 0) return [];
  return judgeBlocks(cols, g, candidates, zeros, policy, lo, n, from, now);
}

/**
 * Step 4: the candidates' stars and instants in one pass over the horizon (the members' ratings of
 * the block's subjects, and everyone's ratings of them); the rings among them.
 */
function judgeBlocks(
  cols: RatingColumns,
  g: Graph,
  candidates: Candidate[],
  zeros: Int32Array,
  policy: RatingsPolicy['rings'],
  lo: number,
  n: number,
  from: number,
  now: number,
): Finding[] {
  const { rater, subject, at, state } = cols;
  const P = cols.professionalism;
  const H = cols.honesty;
  const { raterOf } = g;
  const { minEffect } = policy;
  const activeFrom = now - policy.windowDays * DAY_MS;
  const C = candidates.length;
  // Each block's subjects (b + 1 in `zeros`, nSubjects zeros) and members (rater indices in an
  // open-addressing table); a rater in two blocks counts in the later one, as the subjects would.
  const blockOfSubject = zeros;
  const inBlock = new Int32Array((blockOfSubject.length >>> 5) + 1); // a bit per subject: in the cache
  let members = 0;
  for (const c of candidates) members += c.raters.length;
  const tBits = bitsFor(2 * members);
  const tMask = (1 << tBits) - 1;
  const memberKey = new Int32Array(tMask + 1).fill(-1);
  const memberBlock = new Int32Array(tMask + 1);
  const slotOf = (r: number): number => {
    let h = Math.imul(r, 0x9e3779b1) >>> (32 - tBits);
    while (memberKey[h] !== -1 && memberKey[h] !== r) h = (h + 1) & tMask;
    return h;
  };
  candidates.forEach((c, b) => {
    for (const s of c.subjects) {
      blockOfSubject[s] = b + 1;
      inBlock[s >>> 5]! |= 1 << (s & 31);
    }
    for (const e of c.raters) {
      const h = slotOf(raterOf[e]!);
      memberKey[h] = raterOf[e]!;
      memberBlock[h] = b;
    }
  });
  const nAll = new Float64Array(C);
  const sumAll = new Float64Array(C * 2);
  const nMine = new Float64Array(C);
  const sumMine = new Float64Array(C * 2);
  const first = new Float64Array(C).fill(Number.POSITIVE_INFINITY);
  const last = new Float64Array(C).fill(Number.NEGATIVE_INFINITY);
  const held: number[][] = candidates.map(() => []);
  // The mean of the horizon, from step 1's sums.
  const nGlobal = g.m;
  const sumGlobal = [g.sumP, g.sumH];
  // The subject first: the rest of the row is read only for the blocks' subjects.
  for (let i = lo; i < n; i++) {
    const s = subject[i]!;
    if ((inBlock[s >>> 5]! & (1 << (s & 31))) === 0) continue;
    const b = blockOfSubject[s]! - 1;
    const t = at[i]!;
    if (t < from || t > now || state[i] === 2) continue;
    nAll[b]!++;
    sumAll[b * 2]! += P[i]!;
    sumAll[b * 2 + 1]! += H[i]!;
    const h = slotOf(rater[i]!);
    if (memberKey[h] === -1 || memberBlock[h] !== b) continue;
    nMine[b]!++;
    sumMine[b * 2]! += P[i]!;
    sumMine[b * 2 + 1]! += H[i]!;
    if (t < first[b]!) first[b] = t;
    if (t > last[b]!) last[b] = t;
    if (state[i] === 0) held[b]!.push(i);
  }

  // Rings: blocks whose ratings alone move their subjects' mean, with a recent rating.
  const findings: Finding[] = [];
  candidates.forEach((c, b) => {
    const nb = nMine[b]!;
    const no = nAll[b]! - nb;
    const shift = [0, 1].map(
      (d) =>
        sumMine[b * 2 + d]! / nb -
        (no > 0 ? (sumAll[b * 2 + d]! - sumMine[b * 2 + d]!) / no : sumGlobal[d]! / nGlobal),
    );
    const noise = RING_NOISE * Math.sqrt(1 / nb + (no > 0 ? 1 / no : 0));
    const effect = Math.max(...shift.map((x) => (Math.abs(x) >= noise ? (Math.abs(x) * nb) / (nb + no) : 0)));
    const ratings = held[b]!;
    if (effect < minEffect || last[b]! < activeFrom || ratings.length === 0) return;
    ratings.sort((x, y) => at[x]! - at[y]! || x - y);
    const raters = Array.from(c.raters, (e) => raterOf[e]!).sort((x, y) => x - y);
    const subjects = Array.from(c.subjects).sort((x, y) => x - y);
    const detail: RingDetail = {
      raters: raters.length,
      subjects: subjects.length,
      edges: c.edges,
      density: round3(c.edges / (raters.length * subjects.length)),
      members_share: round3(c.edges / c.DU),
      others_share: Number(c.share.toPrecision(3)),
      expected: Number(c.expected.toPrecision(3)),
      lift: Math.round(c.lift * 10) / 10,
      log10_chance: Math.round(log10PoissonTail(c.edges, c.expected) * 10) / 10,
      shift_professionalism: round3(shift[0]!),
      shift_honesty: round3(shift[1]!),
      effect: round3(effect),
      span_days: Math.round(((last[b]! - first[b]!) / DAY_MS) * 10) / 10,
      rater_ids: raters.join(','),
    };
    findings.push({
      reason: 'ring',
      subject: subjects.length === 1 ? subjects[0]! : -1,
      from: at[ratings[0]!]!,
      to: at[ratings[ratings.length - 1]!]!,
      ratings: Int32Array.from(ratings),
      detail,
    });
  });
  return findings;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
