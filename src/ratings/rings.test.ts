import { beforeAll, describe, expect, it } from 'vitest';
import { columnsOf, detect, type Finding, HOLD_BIT, type RatingColumns, type RatingRow } from './engine.ts';
import { loadRatingsPolicy, type RatingsPolicy } from './policy.ts';
import { findRings, log10PoissonTail, PAIR_CAP } from './rings.ts';

let policy: RatingsPolicy;
beforeAll(async () => {
  policy = await loadRatingsPolicy();
});

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 30, 12);

/** A small seeded generator (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const star = (random: () => number, q: number) =>
  Math.min(5, Math.max(1, Math.round(q + (random() - 0.5) * 2.2)));
const byTime = (rows: RatingRow[]) => [...rows].sort((a, b) => a.at - b.at);

/**
 * A city over the last year: 20,000 raters and 2,000 subjects, 100,000 ratings skewed both ways
 * (subject ~ S·u², so the first few are the big hospitals everyone goes to; rater ~ R·u^1.5, the
 * busiest rating every few days), stars around each subject's quality. And 600 regular patients
 * of the five big hospitals, each rating 3–5 of them once to three times in the year, with a few
 * other services besides: many raters rating the same few popular subjects, honestly. And 300
 * small shops rated five times a year each.
 */
const SUBJECTS = 2000;
const RATERS = 20_000;
const random = rng(2026);
const quality = Array.from({ length: SUBJECTS }, () => 2 + 3 * random());
const city: RatingRow[] = [];
for (let k = 0; k < 100_000; k++) {
  const subject = Math.floor(SUBJECTS * random() ** 2);
  city.push({
    subject,
    rater: Math.floor(RATERS * random() ** 1.5),
    at: NOW - Math.floor(random() * 365 * DAY),
    professionalism: star(random, quality[subject]!),
    honesty: star(random, quality[subject]!),
  });
}
const regulars: RatingRow[] = [];
for (let r = 0; r < 600; r++) {
  const hospitals = [0, 1, 2, 3, 4].sort(() => random() - 0.5).slice(0, 3 + Math.floor(random() * 3));
  const visit = (subject: number) =>
    regulars.push({
      subject,
      rater: 30_000 + r,
      at: NOW - Math.floor(random() * 365 * DAY),
      professionalism: star(random, quality[subject]!),
      honesty: star(random, quality[subject]!),
    });
  for (const h of hospitals) for (let v = 1 + Math.floor(random() * 3); v > 0; v--) visit(h);
  for (let k = 0; k < 3; k++) visit(5 + Math.floor(random() * 200));
}
// Small shops (subjects 2000…2299): five ratings a year each from the city's raters.
const shops: RatingRow[] = [];
for (let s = SUBJECTS; s < SUBJECTS + 300; s++)
  for (let k = 0; k < 5; k++)
    shops.push({
      subject: s,
      rater: Math.floor(RATERS * random() ** 1.5),
      at: NOW - Math.floor(random() * 365 * DAY),
      professionalism: star(random, quality[s - SUBJECTS]!),
      honesty: star(random, quality[s - SUBJECTS]!),
    });
const honest = byTime([...city, ...regulars, ...shops]);

/** Businesses a ring boosts: small shops. */
const businesses = (from: number, count: number) =>
  Array.from({ length: count }, (_, k) => SUBJECTS + from + k);

/**
 * A ring of 20 fresh raters (from `base`): each rates `per()` of `targets` with five stars over
 * the `days` before now, and `camouflage` popular subjects with honest-looking stars.
 */
const ring = (opts: {
  seed: number;
  base: number;
  targets: number[];
  per: (r: () => number) => number;
  days: number;
  camouflage?: number;
}): RatingRow[] => {
  const r = rng(opts.seed);
  const rows: RatingRow[] = [];
  for (let m = 0; m < 20; m++) {
    const order = [...opts.targets];
    for (let k = order.length - 1; k > 0; k--) {
      const j = Math.floor(r() * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    for (const subject of order.slice(0, opts.per(r)))
      rows.push({
        subject,
        rater: opts.base + m,
        at: NOW - Math.floor(r() * opts.days * DAY),
        professionalism: 5,
        honesty: 5,
      });
    for (let k = 0; k < (opts.camouflage ?? 0); k++) {
      const subject = Math.floor(SUBJECTS * r() ** 2);
      rows.push({
        subject,
        rater: opts.base + m,
        at: NOW - Math.floor(r() * opts.days * DAY),
        professionalism: star(r, quality[subject]!),
        honesty: star(r, quality[subject]!),
      });
    }
  }
  return rows;
};

/** Detection over the city with `attack`: the ring findings, and whether exactly the attack's ratings of `targets` are held. */
const judged = (attack: RatingRow[], targets: number[]) => {
  const cols = columnsOf(byTime([...honest, ...attack]));
  const r = detect(cols, policy, { now: NOW });
  const rings = r.findings.filter((f) => f.reason === 'ring');
  const ringRaters = new Set(attack.map((x) => x.rater));
  const onTargets = new Set(targets);
  let attackHeld = 0;
  let attackOnTargets = 0;
  let honestHeld = 0;
  for (let i = 0; i < cols.n; i++) {
    const mine = ringRaters.has(cols.rater[i]!);
    if (mine && onTargets.has(cols.subject[i]!)) {
      attackOnTargets++;
      if (r.held[i]! & HOLD_BIT.ring) attackHeld++;
    }
    if (!mine && r.held[i] !== 0) honestHeld++;
  }
  return { rings, attackHeld, attackOnTargets, honestHeld };
};

describe('rings that dodge lockstep detection', () => {
  it('rotating subsets: each of 20 members rates 3–5 of 15 businesses', () => {
    const targets = businesses(0, 15);
    const attack = ring({ seed: 1, base: 40_000, targets, per: (r) => 3 + Math.floor(r() * 3), days: 60 });
    const { rings, attackHeld, attackOnTargets, honestHeld } = judged(attack, targets);
    expect(rings).toHaveLength(1);
    // Pairwise the members share about one business: Jaccard far below 0.5, yet the block is dense.
    // A business only one member rated falls out, and with it a member left with two of the rest.
    expect(Number(rings[0]!.detail.raters)).toBeGreaterThanOrEqual(18);
    expect(Number(rings[0]!.detail.subjects)).toBeGreaterThanOrEqual(14);
    expect(Number(rings[0]!.detail.lift)).toBeGreaterThan(policy.rings.minLift);
    expect(attackHeld).toBeGreaterThanOrEqual(0.9 * attackOnTargets);
    expect(honestHeld).toBe(0);
  });

  it('camouflage: members rate 15–19 of 20 businesses and 20 popular subjects each, with honest-looking stars', () => {
    const targets = businesses(100, 20);
    const attack = ring({
      seed: 2,
      base: 41_000,
      targets,
      per: (r) => 15 + Math.floor(r() * 5),
      days: 60,
      camouflage: 20,
    });
    const { rings, attackHeld, attackOnTargets, honestHeld } = judged(attack, targets);
    expect(rings).toHaveLength(1);
    expect(rings[0]!.detail.raters).toBe(20);
    // The members gave half their ratings elsewhere; the block is still thousands of times chance.
    expect(Number(rings[0]!.detail.members_share)).toBeLessThan(0.6);
    expect(attackHeld).toBe(attackOnTargets);
    expect(honestHeld).toBe(0);
  });

  it('a slow ring: 15–19 of 20 businesses each, over a whole year', () => {
    const targets = businesses(200, 20);
    const attack = ring({ seed: 3, base: 42_000, targets, per: (r) => 15 + Math.floor(r() * 5), days: 360 });
    const { rings, attackHeld, attackOnTargets, honestHeld } = judged(attack, targets);
    expect(rings).toHaveLength(1);
    expect(rings[0]!.detail.raters).toBe(20);
    expect(Number(rings[0]!.detail.span_days)).toBeGreaterThan(300);
    // Held over the whole year, not only its last 90 days.
    expect(attackHeld).toBe(attackOnTargets);
    expect(honestHeld).toBe(0);
  });
});

describe('an honest city', () => {
  it('holds nothing: not the regular patients of its five big hospitals, not its busiest raters', () => {
    const r = detect(columnsOf(honest), policy, { now: NOW });
    expect(r.findings.map((f) => f.reason)).toEqual([]);
    expect(r.held.every((h) => h === 0)).toBe(true);
  });

  it('what chance alone would not give there, the stars explain: they agree with everyone else’s', () => {
    // Without the effect test, whatever dense block the city has is found; none moves its subjects.
    const blocks = findRings(columnsOf(honest), { ...policy.rings, minEffect: 0 }, NOW, true);
    for (const b of blocks) expect(Number(b.detail.effect)).toBeLessThan(policy.rings.minEffect);
  });
});

describe('what a ring finding says', () => {
  it('names the raters and subjects, the density, the lift over chance and the effect', () => {
    const targets = businesses(0, 15);
    const attack = ring({ seed: 4, base: 40_000, targets, per: () => 4, days: 60 });
    const cols = columnsOf(byTime([...honest, ...attack]));
    const [f] = findRings(cols, policy.rings, NOW, true);
    expect(f).toBeDefined();
    const d = f!.detail;
    const raters = String(d.rater_ids).split(',').map(Number);
    const subjects = [...new Set(Array.from(f!.ratings, (i) => cols.subject[i]!))];
    expect(raters.length).toBeGreaterThanOrEqual(18);
    for (const r of raters) expect(r >= 40_000 && r < 40_020).toBe(true);
    expect(subjects.length).toBeGreaterThanOrEqual(13);
    for (const s of subjects) expect(targets).toContain(s);
    expect(d.raters).toBe(raters.length);
    expect(d.subjects).toBe(subjects.length);
    expect(d.density).toBeCloseTo(Number(d.edges) / (raters.length * subjects.length), 3);
    expect(Number(d.expected)).toBeLessThan(1);
    expect(Number(d.log10_chance)).toBeLessThan(-50);
    expect(Number(d.shift_professionalism)).toBeGreaterThan(1);
    expect(Number(d.effect)).toBeGreaterThan(policy.rings.minEffect);
  });

  it('the Poisson tail', () => {
    // P(X ≥ 3 | μ = 0.1) = 1 − e^−0.1 (1 + 0.1 + 0.005) ≈ 1.547e-4
    expect(10 ** log10PoissonTail(3, 0.1)).toBeCloseTo(1.547e-4, 6);
    expect(log10PoissonTail(2, 5)).toBe(0);
  });
});

describe('what the detector reads', () => {
  /** A finding as its detail and its held ratings' rater, subject and instant (row numbers aside). */
  const seen = (cols: RatingColumns, f: Finding) => ({
    detail: f.detail,
    held: Array.from(f.ratings, (i) => `${cols.rater[i]},${cols.subject[i]},${cols.at[i]}`).sort(),
  });

  it('finds the same rings whatever the rows’ order', () => {
    const attack = ring({ seed: 5, base: 40_000, targets: businesses(0, 15), per: () => 4, days: 60 });
    const rows = byTime([...honest, ...attack]);
    const inOrder = columnsOf(rows);
    const r = rng(7);
    const mixed = [...rows];
    for (let k = mixed.length - 1; k > 0; k--) {
      const j = Math.floor(r() * (k + 1));
      [mixed[k], mixed[j]] = [mixed[j]!, mixed[k]!];
    }
    const shuffled = columnsOf(mixed, { nSubjects: inOrder.nSubjects, nRaters: inOrder.nRaters });
    const a = findRings(inOrder, policy.rings, NOW, true).map((f) => seen(inOrder, f));
    const b = findRings(shuffled, policy.rings, NOW, false).map((f) => seen(shuffled, f));
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
  });

  it('counts a member’s repeated ratings of a subject as one edge, and holds neither removed nor released ratings', () => {
    const targets = businesses(100, 20);
    const attack = ring({ seed: 6, base: 41_000, targets, per: (r) => 15 + Math.floor(r() * 5), days: 60 });
    const rows = attack.flatMap((x, k): RatingRow[] => {
      const again = k % 4 === 0 ? [{ ...x, at: x.at - DAY }] : [];
      const state = k % 9 === 2 ? 2 : k % 9 === 5 ? 1 : 0;
      return [{ ...x, state }, ...again];
    });
    const cols = columnsOf(byTime([...honest, ...rows]));
    const found = findRings(cols, policy.rings, NOW, true);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    const members = new Set(String(f.detail.rater_ids).split(',').map(Number));
    const subjects = new Set(Array.from(f.ratings, (i) => cols.subject[i]!));
    expect(members.size).toBe(20);
    expect(subjects.size).toBe(f.detail.subjects);
    const edges = new Set<string>();
    let open = 0;
    for (let i = 0; i < cols.n; i++) {
      if (!members.has(cols.rater[i]!) || !subjects.has(cols.subject[i]!) || cols.state[i] === 2) continue;
      edges.add(`${cols.rater[i]},${cols.subject[i]}`);
      if (cols.state[i] === 0) open++;
    }
    expect(f.detail.edges).toBe(edges.size);
    for (const i of f.ratings) expect(cols.state[i]).toBe(0);
    expect(f.ratings).toHaveLength(open);
  });

  it('a member of more than PAIR_CAP subjects seeds no pair but joins the ring', () => {
    const targets = businesses(200, 20);
    const attack = ring({ seed: 8, base: 42_000, targets, per: (r) => 15 + Math.floor(r() * 5), days: 60 });
    const busy: RatingRow[] = Array.from({ length: PAIR_CAP + 16 }, (_, k) => ({
      subject: 5 + 3 * k,
      rater: 42_000,
      at: NOW - (k + 1) * DAY,
      professionalism: star(random, quality[5 + 3 * k]!),
      honesty: star(random, quality[5 + 3 * k]!),
    }));
    const found = findRings(columnsOf(byTime([...honest, ...attack, ...busy])), policy.rings, NOW, true);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail.raters).toBe(20);
    expect(String(found[0]!.detail.rater_ids).split(',').map(Number)).toContain(42_000);
  });
});
