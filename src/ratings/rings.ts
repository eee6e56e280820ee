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
 * Steps, near-linear in the ratings within the horizon:
 * 1. the horizon's (rater, subject) pairs radix-sorted by rater; each rater's subjects sorted
 *    without repeats; distinct raters per subject (deg);
 * 2. seeds: each rater's pairs of subjects (raters with more than PAIR_CAP subjects give none but
 *    may join a block), packed and radix-sorted to count them: a pair co-rated by c ≥ 2 raters is a
 *    seed when P(Poisson(deg_s·deg_t·Σd(d−1)/edges²) ≥ c) ≤ SEED_CHANCE, or when `min_raters`
 *    rate it together and are half the raters of the less rated one (where a ring is most of the
 *    ratings, it inflates the chance it would be judged by);
 * 3. seeds joined into components (union-find); each component (or, above COMPONENT_CAP subjects,
 *    each seeded subject with its seed partners) is grown to a fixed point: U = raters with
 *    `min_shared_subjects` of S (2 in the first round, to grow from a pair), S = subjects with 2
 *    raters of U, each at `min_lift` times the others' share and either mostly in the block or
 *    beyond chance (MEMBER_CHANCE);
 * 4. a block is a ring when it has at least `min_raters` raters and 2 subjects, its lift reaches
 *    `min_lift`, its ratings alone move its subjects' mean by `min_effect` stars on a dimension
 *    (against the others' ratings of S, or the mean of the horizon when there are none) with the
 *    shift beyond RING_NOISE standard errors, and one of its ratings is within `window_days` of
 *    `now` (an older ring was judged by the sweeps of its time). The members' open ratings of S
 *    within the horizon are held.
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
/** Partitions of a sort number at most 2^PART_BITS in the high bits: each sorts within the cache. */
const PART_BITS = 8;
/** Growth rounds of a block before it is judged as it stands. */
const ROUNDS = 8;

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

/** Bits of a radix pass: 2,048 buckets, whose write heads stay in the L1 cache. */
const RADIX = 11;

/** Sorts the non-negative `key` (below 2^bits) in place or into `scratch`; returns the sorted one. */
function radixSort1(
  key: Int32Array<ArrayBuffer>,
  scratch: Int32Array<ArrayBuffer>,
  bits: number,
): Int32Array<ArrayBuffer> {
  const n = key.length;
  const count = new Int32Array(1 << RADIX);
  const mask = (1 << RADIX) - 1;
  let k = key;
  let k2 = scratch;
  for (let shift = 0; shift < bits; shift += RADIX) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(k[i]! >>> shift) & mask]!++;
    let sum = 0;
    for (let b = 0; b < count.length; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const x = k[i]!;
      k2[count[(x >>> shift) & mask]!++] = x;
    }
    [k, k2] = [k2, k];
  }
  return k;
}

/** Radix-sorts each partition [start[p], start[p + 1]) of `key` (values below 2^bits) in place. */
function sortPartitions(key: Int32Array<ArrayBuffer>, start: Int32Array, parts: number, bits: number): void {
  let largest = 0;
  for (let p = 0; p < parts; p++) largest = Math.max(largest, start[p + 1]! - start[p]!);
  const scratch = new Int32Array(largest);
  for (let p = 0; p < parts; p++) {
    const part = key.subarray(start[p]!, start[p + 1]!);
    const sorted = radixSort1(part, scratch, bits);
    if (sorted !== part) part.set(sorted.subarray(0, part.length));
  }
}

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1)));

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
  const { nRaters, nSubjects, rater, subject, at, state } = cols;
  const P = cols.professionalism;
  const H = cols.honesty;
  const { minRaters, minSharedSubjects: minShared, minLift, minEffect, windowDays, horizonDays } = policy;
  const from = now - horizonDays * DAY_MS;
  const activeFrom = now - windowDays * DAY_MS;
  // In submission order the horizon is one run of rows, found by bisection.
  let lo = 0;
  let n = cols.n;
  if (ordered) {
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
    n = end;
  }

  // 1. the (rater, subject) pairs of the horizon sorted by rater then subject: packed in one int
  // (the rater's low bits above the subject) within partitions by the rater's high bits, each
  // radix-sorted within the cache (a scatter into a million raters' segments would miss it at
  // every rating).
  const sBits = bitsFor(nSubjects - 1);
  const rLow = Math.max(0, Math.min(31 - sBits, bitsFor(nRaters - 1) - PART_BITS));
  const rParts = ((nRaters - 1) >>> rLow) + 1;
  const rStart = new Int32Array(rParts + 1);
  for (let i = lo; i < n; i++) {
    if (state[i] === 2) continue;
    if (!ordered) {
      const t = at[i]!;
      if (t < from || t > now) continue;
    }
    rStart[(rater[i]! >>> rLow) + 1]!++;
  }
  for (let p = 0; p < rParts; p++) rStart[p + 1]! += rStart[p]!;
  const m = rStart[rParts]!;
  if (m === 0) return [];
  const byRater = new Int32Array(m);
  {
    const put = rStart.slice(0, rParts);
    const lowMask = (1 << rLow) - 1;
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
  sortPartitions(byRater, rStart, rParts, rLow + sBits);
  // Raters get compact indices e, with their subjects (ascending, without repeats) at
  // setSubj[segStart[e] .. + setLen[e]).
  const sMask = (1 << sBits) - 1;
  let E = 0;
  for (let p = 0; p < rParts; p++)
    for (let x = rStart[p]!; x < rStart[p + 1]!; x++)
      if (x === rStart[p] || byRater[x]! >>> sBits !== byRater[x - 1]! >>> sBits) E++;
  const segStart = new Int32Array(E + 1);
  const setLen = new Int32Array(E);
  const raterOf = new Int32Array(E);
  const setSubj = new Int32Array(m);
  const deg = new Int32Array(nSubjects); // distinct raters per subject
  let pairs = 0; // Σ d(d−1) over raters: how often two edges share a rater
  {
    let e = -1;
    let w = 0;
    for (let p = 0; p < rParts; p++) {
      const end = rStart[p + 1]!;
      let prevRater = -1;
      for (let x = rStart[p]!; x < end; x++) {
        const k = byRater[x]!;
        const r = (p << rLow) | (k >>> sBits);
        const subj = k & sMask;
        if (r !== prevRater) {
          if (e >= 0) {
            const d = w - segStart[e]!;
            setLen[e] = d;
            pairs += d * (d - 1);
            if (d === 1) deg[setSubj[w - 1]!]!++;
          }
          e++;
          segStart[e] = w;
          raterOf[e] = r;
          prevRater = r;
        } else if (subj === setSubj[w - 1]) continue;
        setSubj[w++] = subj;
      }
    }
    const d = w - segStart[e]!;
    setLen[e] = d;
    pairs += d * (d - 1);
    if (d === 1) deg[setSubj[w - 1]!]!++;
    segStart[E] = w;
  }
  // Raters of each subject among those with two subjects or more (for the blocks' growth); with
  // the single ones above, the distinct raters per subject.
  const subjStart = new Int32Array(nSubjects + 1);
  for (let e = 0; e < E; e++) {
    const l = setLen[e]!;
    if (l < 2) continue;
    for (let k = segStart[e]!; k < segStart[e]! + l; k++) subjStart[setSubj[k]! + 1]!++;
  }
  for (let s = 0; s < nSubjects; s++) {
    deg[s]! += subjStart[s + 1]!;
    subjStart[s + 1]! += subjStart[s]!;
  }
  let edges = 0;
  for (let s = 0; s < nSubjects; s++) edges += deg[s]!;

  // 2. seeds: pairs co-rated far beyond chance. Two subjects of deg a and b share about
  // μ = a·b·pairs/edges² raters by chance; a pair co-rated by c ≥ 2 is a seed when
  // P(Poisson(μ) ≥ c) ≤ SEED_CHANCE. The pairs come from each rater's set (sequentially), then
  // are sorted to count them.
  const kappa = pairs / (edges * edges);
  // Pairs are packed in one int (the smaller subject's low bits above the larger subject) within
  // partitions by the smaller subject's high bits, then radix-sorted partition by partition.
  const bBits = sBits;
  const aBits = Math.max(0, Math.min(31 - bBits, bBits - PART_BITS));
  const parts = ((nSubjects - 1) >>> aBits) + 1;
  const partStart = new Int32Array(parts + 1);
  for (let e = 0; e < E; e++) {
    const d = setLen[e]!;
    if (d < 2 || d > PAIR_CAP) continue;
    const a0 = segStart[e]!;
    for (let x = a0; x < a0 + d - 1; x++) partStart[(setSubj[x]! >>> aBits) + 1]! += a0 + d - 1 - x;
  }
  for (let p = 0; p < parts; p++) partStart[p + 1]! += partStart[p]!;
  const nPairs = partStart[parts]!;
  if (nPairs === 0) return [];
  let packed = new Int32Array(nPairs);
  {
    const put = partStart.slice(0, parts);
    const lowMask = (1 << aBits) - 1;
    for (let e = 0; e < E; e++) {
      const d = setLen[e]!;
      if (d < 2 || d > PAIR_CAP) continue;
      const a0 = segStart[e]!;
      for (let x = a0; x < a0 + d - 1; x++) {
        const sa = setSubj[x]!;
        const p = sa >>> aBits;
        const high = (sa & lowMask) << bBits;
        let w = put[p]!;
        for (let y = x + 1; y < a0 + d; y++) packed[w++] = high | setSubj[y]!;
        put[p] = w;
      }
    }
  }
  sortPartitions(packed, partStart, parts, aBits + bBits);
  const parent = new Int32Array(nSubjects);
  for (let s = 0; s < nSubjects; s++) parent[s] = s;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const seeded = new Uint8Array(nSubjects);
  // Seed edges, for components too large to grow whole.
  let seedA = new Int32Array(1024);
  let seedB = new Int32Array(1024);
  let nSeeds = 0;
  const seedLog = Math.log10(SEED_CHANCE);
  const memberLog = Math.log10(MEMBER_CHANCE);
  const bMask = (1 << bBits) - 1;
  for (let p = 0; p < parts; p++) {
    const end = partStart[p + 1]!;
    for (let x = partStart[p]!; x < end; ) {
      const k = packed[x]!;
      let y = x + 1;
      while (y < end && packed[y] === k) y++;
      const c = y - x;
      x = y;
      if (c < 2) continue;
      const s = (p << aBits) | (k >>> bBits);
      const t = k & bMask;
      // Or, where the ring is most of the ratings (and so of the chance it is judged by), a pair
      // that min_raters rate together, half the raters of the less rated one.
      const lockstep = c >= minRaters && 2 * c >= Math.min(deg[s]!, deg[t]!);
      if (!lockstep && log10PoissonTail(c, deg[s]! * deg[t]! * kappa) > seedLog) continue;
      seeded[s] = 1;
      seeded[t] = 1;
      const rs = find(s);
      const rt = find(t);
      if (rs !== rt) parent[rs] = rt;
      if (nSeeds === seedA.length) {
        const ga = new Int32Array(nSeeds * 2);
        ga.set(seedA);
        seedA = ga;
        const gb = new Int32Array(nSeeds * 2);
        gb.set(seedB);
        seedB = gb;
      }
      seedA[nSeeds] = s;
      seedB[nSeeds++] = t;
    }
  }
  if (nSeeds === 0) return [];
  packed = new Int32Array(0);

  const subjRater = new Int32Array(subjStart[nSubjects]!);
  {
    const put = subjStart.slice(0, nSubjects);
    for (let e = 0; e < E; e++) {
      const l = setLen[e]!;
      if (l < 2) continue;
      for (let k = segStart[e]!; k < segStart[e]! + l; k++) subjRater[put[setSubj[k]!]!++] = e;
    }
  }

  // 3. components of seeded subjects, as lists (counting sort by root).
  const compSize = new Int32Array(nSubjects);
  for (let s = 0; s < nSubjects; s++) if (seeded[s]) compSize[find(s)]!++;
  const compStart = new Int32Array(nSubjects + 1);
  for (let s = 0; s < nSubjects; s++) compStart[s + 1] = compStart[s]! + compSize[s]!;
  const compList = new Int32Array(compStart[nSubjects]!);
  {
    const put = compStart.slice(0, nSubjects);
    for (let s = 0; s < nSubjects; s++) if (seeded[s]) compList[put[find(s)]!++] = s;
  }
  // Seed partners per subject (for components grown subject by subject).
  const partnerStart = new Int32Array(nSubjects + 1);
  for (let k = 0; k < nSeeds; k++) {
    partnerStart[seedA[k]! + 1]!++;
    partnerStart[seedB[k]! + 1]!++;
  }
  for (let s = 0; s < nSubjects; s++) partnerStart[s + 1]! += partnerStart[s]!;
  const partner = new Int32Array(nSeeds * 2);
  {
    const put = partnerStart.slice(0, nSubjects);
    for (let k = 0; k < nSeeds; k++) {
      partner[put[seedA[k]!]!++] = seedB[k]!;
      partner[put[seedB[k]!]!++] = seedA[k]!;
    }
  }

  // Growth state, reused across blocks (every touched entry is reset after use).
  const hitR = new Int32Array(E);
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
    const g = new Int32Array(Math.max(need, a.length * 2));
    g.set(a);
    return g;
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
        D0 += setLen[e]!;
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
      const d = setLen[e]!;
      const mu = share * d;
      if (h >= need && h >= minLift * mu && (2 * h >= d || log10PoissonTail(h, mu) <= memberLog)) {
        U = grow32(U, nU + 1);
        U[nU++] = e;
        DU += setLen[e]!;
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
      for (let k = segStart[e]!; k < segStart[e]! + setLen[e]!; k++) {
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

  // Blocks that pass the lift test, before their stars and instants are read.
  interface Candidate {
    raters: Int32Array;
    subjects: Int32Array;
    edges: number;
    share: number;
    expected: number;
    lift: number;
    DU: number;
  }
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

  for (let root = 0; root < nSubjects; root++) {
    const a = compStart[root]!;
    const size = compStart[root + 1]! - a;
    if (size < 2) continue;
    if (size <= COMPONENT_CAP) {
      nS = 0;
      S = grow32(S, size);
      for (let x = a; x < a + size; x++) if (!claimed[compList[x]!]) S[nS++] = compList[x]!;
      if (nS >= 2) judge();
      continue;
    }
    // A large component (popular subjects chained by chance): each seeded subject with its partners.
    for (let x = a; x < a + size; x++) {
      const s = compList[x]!;
      if (claimed[s]) continue;
      nS = 0;
      S = grow32(S, 1 + partnerStart[s + 1]! - partnerStart[s]!);
      S[nS++] = s;
      for (let k = partnerStart[s]!; k < partnerStart[s + 1]!; k++)
        if (!claimed[partner[k]!]) S[nS++] = partner[k]!;
      if (nS >= 2) judge();
    }
  }
  if (candidates.length === 0) return [];

  // 4. one pass over the horizon for the candidates' stars and instants: the members' ratings of
  // the block's subjects, and everyone's ratings of them.
  const C = candidates.length;
  const blockOfSubject = new Int32Array(nSubjects).fill(-1);
  const blockOfRater = new Int32Array(nRaters).fill(-1);
  candidates.forEach((c, b) => {
    for (const s of c.subjects) blockOfSubject[s] = b;
    for (const e of c.raters) blockOfRater[raterOf[e]!] = b;
  });
  const nAll = new Float64Array(C);
  const sumAll = new Float64Array(C * 2);
  const nMine = new Float64Array(C);
  const sumMine = new Float64Array(C * 2);
  const first = new Float64Array(C).fill(Number.POSITIVE_INFINITY);
  const last = new Float64Array(C).fill(Number.NEGATIVE_INFINITY);
  const held: number[][] = candidates.map(() => []);
  let nGlobal = 0;
  const sumGlobal = [0, 0];
  for (let i = lo; i < n; i++) {
    const t = at[i]!;
    if (t < from || t > now || state[i] === 2) continue;
    nGlobal++;
    sumGlobal[0]! += P[i]!;
    sumGlobal[1]! += H[i]!;
    const b = blockOfSubject[subject[i]!]!;
    if (b < 0) continue;
    nAll[b]!++;
    sumAll[b * 2]! += P[i]!;
    sumAll[b * 2 + 1]! += H[i]!;
    if (blockOfRater[rater[i]!] !== b) continue;
    nMine[b]!++;
    sumMine[b * 2]! += P[i]!;
    sumMine[b * 2 + 1]! += H[i]!;
    if (t < first[b]!) first[b] = t;
    if (t > last[b]!) last[b] = t;
    if (state[i] === 0) held[b]!.push(i);
  }

  // 5. rings: blocks whose ratings alone move their subjects' mean, with a recent rating.
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
