import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  aggregate,
  COMMENT_BANDS,
  columnsOf,
  commentBands,
  detect,
  HOLD_BIT,
  type HoldReason,
  holdReasons,
  type RatingRow,
} from './engine.ts';
import { loadRatingsPolicy, type RatingsPolicy } from './policy.ts';

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

/** Stars around a subject's quality q (1..5), honest noise of about one star. */
const star = (random: () => number, q: number) =>
  Math.min(5, Math.max(1, Math.round(q + (random() - 0.5) * 2.2)));

/**
 * An honest population: raters rating random subjects at random instants over the last year,
 * around each subject's own quality, sorted by submission time as a store scan by id gives them.
 */
const honest = (opts: {
  raters: number;
  subjects: number;
  ratings: number;
  seed: number;
  raterBase?: number;
}) => {
  const random = rng(opts.seed);
  const quality = Array.from({ length: opts.subjects }, () => 2 + random() * 3);
  const rows: RatingRow[] = [];
  for (let k = 0; k < opts.ratings; k++) {
    const subject = Math.floor(random() * opts.subjects);
    rows.push({
      subject,
      rater: (opts.raterBase ?? 0) + Math.floor(random() * opts.raters),
      at: NOW - Math.floor(random() * 365 * DAY),
      professionalism: star(random, quality[subject]!),
      honesty: star(random, quality[subject]!),
    });
  }
  return rows.sort((a, b) => a.at - b.at);
};

const byTime = (rows: RatingRow[]) => [...rows].sort((a, b) => a.at - b.at);

describe('bursts (review bombing)', () => {
  // A doctor (subject 0) with 60 honest ratings spread over half a year among 200 subjects.
  const population = honest({ raters: 3000, subjects: 200, ratings: 12_000, seed: 7 });
  const random = rng(11);
  const doctor: RatingRow[] = Array.from({ length: 60 }, (_, k) => ({
    subject: 0,
    rater: 5000 + k,
    at: NOW - 200 * DAY + k * 3 * DAY + Math.floor(random() * DAY),
    professionalism: star(random, 4.3),
    honesty: star(random, 4.3),
  }));
  const base = byTime([...population.filter((r) => r.subject !== 0), ...doctor]);
  // 200 fake low ratings within one hour from fresh accounts.
  const attackAt = NOW - 5 * DAY;
  const attack: RatingRow[] = Array.from({ length: 200 }, (_, k) => ({
    subject: 0,
    rater: 10_000 + k,
    at: attackAt + k * 17_000,
    professionalism: 1,
    honesty: 1,
  }));
  const attacked = byTime([...base, ...attack]);

  it('holds the window of 200 low ratings in an hour; the published score moves less than 0.1 star', () => {
    const before = detect(columnsOf(base), policy, { now: NOW });
    const cols = columnsOf(attacked);
    const after = detect(cols, policy, { now: NOW });
    const bursts = after.findings.filter((f) => f.reason === 'burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ subject: 0, from: attackAt, to: attackAt + 199 * 17_000 });
    expect(bursts[0]!.ratings).toHaveLength(200);
    for (let i = 0; i < cols.n; i++)
      expect(holdReasons(after.held[i]!), `rating ${i}`).toEqual(cols.rater[i]! >= 10_000 ? ['burst'] : []);
    for (const d of [0, 1]) {
      expect(Number.isNaN(before.aggregates.bayesian[d])).toBe(false);
      expect(Math.abs(after.aggregates.bayesian[d]! - before.aggregates.bayesian[d]!)).toBeLessThan(0.1);
    }
    expect(after.aggregates.held[0]).toBe(200);
    expect(after.aggregates.count[0]).toBe(60);
  });

  /** Fake ratings on the doctor: `n` of them, the k-th at `when(k)`, with `stars(k)` stars. */
  const fakes = (n: number, when: (k: number) => number, stars: (k: number) => number = () => 1) =>
    Array.from({ length: n }, (_, k) => ({
      subject: 0,
      rater: 10_000 + k,
      at: when(k),
      professionalism: stars(k),
      honesty: stars(k),
    }));
  const published = (rows: RatingRow[]) => detect(columnsOf(byTime(rows)), policy, { now: NOW });
  const moved = (rows: RatingRow[]) => {
    const before = published(base).aggregates.bayesian;
    const after = published(rows).aggregates.bayesian;
    return Math.max(Math.abs(after[0]! - before[0]!), Math.abs(after[1]! - before[1]!));
  };

  it.each([
    ['200 one-star ratings spread over a week', fakes(200, (k) => NOW - 20 * DAY + k * 50 * 60_000)],
    [
      '200 one-star ratings over 14 days, never 20 within 24 hours',
      fakes(200, (k) => NOW - 20 * DAY + k * 100 * 60_000),
    ],
    [
      '7 one-star ratings a day for 90 days',
      fakes(630, (k) => NOW - 91 * DAY + Math.floor(k / 7) * DAY + (k % 7) * 3_600_000),
    ],
    [
      '200 three-star ratings in an hour (a mean one star from the history)',
      fakes(
        200,
        (k) => NOW - 5 * DAY + k * 17_000,
        (k) => 3 + (k % 3 === 0 ? 1 : 0),
      ),
    ],
  ])(
    'holds a bombing that keeps under the daily window: %s; the published score moves less than 0.1 star',
    (_, attack) => {
      const r = published([...base, ...attack]);
      const cols = columnsOf(byTime([...base, ...attack]));
      const from = Math.min(...attack.map((x) => x.at));
      const to = Math.max(...attack.map((x) => x.at));
      let heldFakes = 0;
      for (let i = 0; i < cols.n; i++) {
        if (r.held[i] === 0) continue;
        if (cols.rater[i]! >= 10_000) heldFakes++;
        // A held window is held whole: an honest rating is held only when the attack surrounds it.
        else expect(cols.at[i]!).toBeGreaterThanOrEqual(from);
        if (cols.rater[i]! < 10_000) expect(cols.at[i]!).toBeLessThanOrEqual(to);
      }
      expect(heldFakes).toBeGreaterThanOrEqual(attack.length * 0.95);
      expect(moved([...base, ...attack])).toBeLessThan(0.1);
    },
  );

  it('the same code finds it on the doctor alone, at submission time, given the global mean', () => {
    const full = detect(columnsOf(attacked), policy, { now: NOW });
    const mine = attacked.filter((r) => r.subject === 0);
    const sub = detect(columnsOf(mine), policy, { now: NOW, globalMean: full.aggregates.globalMean });
    expect(sub.findings.map((f) => [f.reason, f.ratings.length])).toEqual([['burst', 200]]);
    expect(sub.aggregates.globalMean).toEqual(full.aggregates.globalMean);
  });

  it('rows out of submission order give the same holds (the examination shortcut is only taken in order)', () => {
    const inOrder = detect(columnsOf(attacked), policy, { now: NOW });
    const reversed = [...attacked].reverse();
    const out = detect(columnsOf(reversed), policy, { now: NOW });
    expect(Array.from(out.held).reverse()).toEqual(Array.from(inOrder.held));
    expect(out.findings.map((f) => [f.reason, f.subject, f.ratings.length])).toEqual([['burst', 0, 200]]);
  });

  it('a new subject swamped by one day of praise is held, judged against the global mean', () => {
    const praise: RatingRow[] = Array.from({ length: 30 }, (_, k) => ({
      subject: 300,
      rater: 20_000 + k,
      at: NOW - DAY + k * 60_000,
      professionalism: 5,
      honesty: 5,
    }));
    const r = detect(columnsOf(byTime([...base, ...praise])), policy, { now: NOW });
    expect(r.findings.filter((f) => f.reason === 'burst').map((f) => [f.subject, f.ratings.length])).toEqual([
      [300, 30],
    ]);
  });

  it('ratings released from a burst count and are never held as one again; removed ones never count', () => {
    const released = (reasons: readonly HoldReason[]) =>
      columnsOf(
        attacked.map((r) =>
          r.rater >= 10_000 && r.rater < 10_100 ? { ...r, state: 1 as const, released: reasons } : r,
        ),
      );
    const cols = released(['burst']);
    const r = detect(cols, policy, { now: NOW });
    for (let i = 0; i < cols.n; i++) if (cols.state[i] === 1) expect(r.held[i]).toBe(0);
    expect(r.aggregates.count[0]).toBe(160);
    expect(r.aggregates.held[0]).toBe(100);
    // Released for another reason (an objection, which clears none the engine holds for): a burst still.
    const other = detect(released([]), policy, { now: NOW });
    expect(other.findings.filter((f) => f.reason === 'burst').map((f) => f.ratings.length)).toEqual([200]);
    expect(other.aggregates.count[0]).toBe(60);
    expect(other.aggregates.held[0]).toBe(200);
    const removed = detect(
      columnsOf(attacked.map((x) => (x.rater >= 10_000 ? { ...x, state: 2 as const } : x))),
      policy,
      { now: NOW },
    );
    expect(removed.findings.filter((f) => f.reason === 'burst')).toEqual([]);
    expect(removed.aggregates.count[0]).toBe(60);
    expect(removed.aggregates.held[0]).toBe(0);
  });
});

describe('rings (lockstep raters)', () => {
  // 20 raters each owning a business and rating 15–19 of the other members' businesses, within
  // the last two months, among an honest population.
  const random = rng(3);
  const RING = 20;
  const ring: RatingRow[] = [];
  for (let m = 0; m < RING; m++) {
    const others = Array.from({ length: RING }, (_, k) => k).filter((k) => k !== m);
    for (let k = others.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [others[k], others[j]] = [others[j]!, others[k]!];
    }
    const howMany = 15 + Math.floor(random() * 5);
    for (const b of others.slice(0, howMany))
      ring.push({
        subject: 500 + b,
        rater: 6000 + m,
        at: NOW - Math.floor(random() * 60 * DAY),
        professionalism: 5,
        honesty: 5,
      });
  }
  const population = honest({ raters: 5000, subjects: 500, ratings: 40_000, seed: 5 });

  it('finds the ring of 20 and holds exactly its ratings on its businesses', () => {
    const cols = columnsOf(byTime([...population, ...ring]));
    const r = detect(cols, policy, { now: NOW });
    const rings = r.findings.filter((f) => f.reason === 'ring');
    expect(rings).toHaveLength(1);
    expect(rings[0]!.detail.raters).toBe(20);
    expect(rings[0]!.subject).toBe(-1);
    expect(rings[0]!.ratings).toHaveLength(ring.length);
    for (let i = 0; i < cols.n; i++) expect((r.held[i]! & HOLD_BIT.ring) !== 0).toBe(cols.rater[i]! >= 6000);
  });

  it('an honest random population of 5,000 raters × 500 subjects yields no ring and no burst', () => {
    const r = detect(columnsOf(population), policy, { now: NOW });
    expect(r.findings.map((f) => f.reason)).toEqual([]);
    expect(r.held.every((h) => h === 0)).toBe(true);
  });

  it('a ring outside the window is not judged', () => {
    const old = ring.map((x) => ({ ...x, at: x.at - 200 * DAY }));
    const r = detect(columnsOf(byTime([...population, ...old])), policy, { now: NOW });
    expect(r.findings.filter((f) => f.reason === 'ring')).toEqual([]);
  });
});

describe('connected raters, duplicates, rate limit', () => {
  it('holds the connected raters of a subject rated mostly by its own people', () => {
    const rows: RatingRow[] = Array.from({ length: 8 }, (_, k) => ({
      subject: 0,
      rater: k,
      at: NOW - (10 - k) * DAY,
      professionalism: 5,
      honesty: 5,
      connected: k < 5,
    }));
    const r = detect(columnsOf(rows), policy, { now: NOW });
    expect(r.findings.map((f) => [f.reason, f.ratings.length])).toEqual([['connected', 5]]);
    expect(Array.from(r.held)).toEqual([4, 4, 4, 4, 4, 0, 0, 0]);
    // a few connected raters among many do not hold anything
    const few = detect(
      columnsOf([
        ...rows.map((x) => ({ ...x, connected: x.rater < 2 })),
        ...rows.map((x) => ({ ...x, rater: x.rater + 10 })),
      ]),
      policy,
      { now: NOW },
    );
    expect(few.findings).toEqual([]);
  });

  it('holds the same or near-same comment from three raters, not two, not stock phrases', () => {
    const text = 'This doctor refused to treat my mother and was rude to everyone in the ward!';
    const variants = [
      text,
      'this doctor refused to treat my mother, and was rude to everyone in the ward',
      'This doctor refused to treat my mother and was rude to everyone in the ward!!!',
    ];
    const rows: RatingRow[] = [
      ...variants.map((comment, k) => ({
        subject: k,
        rater: k,
        at: NOW - k * DAY,
        professionalism: 1,
        honesty: 1,
        comment,
      })),
      // two raters writing alike is not a campaign
      ...[
        '他态度很差，让我们在走廊里等了三个小时没有人理',
        '他态度很差，让我们在走廊里等了三个小时没有人理！',
      ].map((comment, k) => ({
        subject: 10,
        rater: 10 + k,
        at: NOW - DAY,
        professionalism: 2,
        honesty: 2,
        comment,
      })),
      // stock phrases are what honest raters write alike
      ...Array.from({ length: 6 }, (_, k) => ({
        subject: 20,
        rater: 20 + k,
        at: NOW - DAY,
        professionalism: 5,
        honesty: 5,
        comment: '很好！',
      })),
      // the same rater twice is one rater
      ...[0, 1, 2].map((k) => ({
        subject: 30 + k,
        rater: 40,
        at: NOW - k * DAY,
        professionalism: 3,
        honesty: 3,
        comment: 'a long and very particular sentence about nothing',
      })),
    ];
    const cols = columnsOf(rows);
    const r = detect(cols, policy, { now: NOW });
    expect(r.findings.map((f) => [f.reason, f.subject, Array.from(f.ratings).sort()])).toEqual([
      ['duplicate', -1, [0, 1, 2]],
    ]);
  });

  it('near-duplicate keys: Chinese and alphabetic variants share a band, different texts do not', () => {
    const shares = (a: string, b: string) => {
      const x = commentBands(a);
      const y = commentBands(b);
      return x.some((k, i) => k !== 0 && k === y[i]);
    };
    expect(commentBands('很好')).toEqual(new Uint32Array(COMMENT_BANDS));
    expect(
      shares('这位医生非常耐心，详细解释了病情和治疗方案。', '这位医生非常耐心, 详细解释了病情和治疗方案!'),
    ).toBe(true);
    expect(
      shares(
        '这位医生非常耐心，详细解释了病情和治疗方案。',
        '窗口工作人员态度冷淡，办事效率很低，排队两小时。',
      ),
    ).toBe(false);
    expect(
      shares(
        'Ｔｈｅ ｓｅｒｖｉｃｅ ｗａｓ ｓｌｏｗ ａｎｄ ｃａｒｅｌｅｓｓ',
        'the service was slow and careless',
      ),
    ).toBe(true);
  });

  describe('a campaign that disguises its text is held all the same', () => {
    /** Whether two comments share a band key. */
    const shares = (a: string, b: string) => {
      const x = commentBands(a);
      const y = commentBands(b);
      return x.some((k, i) => k !== 0 && k === y[i]);
    };
    /** Three raters, three subjects, three versions of one text: held as one duplicate window? */
    const held = (texts: readonly string[]) => {
      const rows: RatingRow[] = texts.map((comment, k) => ({
        subject: k,
        rater: k,
        at: NOW - k * DAY,
        professionalism: 1,
        honesty: 1,
        comment,
      }));
      const r = detect(columnsOf(rows), policy, { now: NOW });
      return r.findings.filter((f) => f.reason === 'duplicate').map((f) => Array.from(f.ratings).sort());
    };

    it('Cyrillic and Greek look-alike letters', () => {
      const plain = 'The clerk lost our papers twice and shouted at my old father';
      // Cyrillic а е о р с х and Greek ο α in place of Latin letters.
      const lookAlike = 'Thе сlеrk lоst оur pаpеrs twiсе аnd shоutеd аt my оld fаthеr';
      const greek = 'The clerk lοst οur papers twice αnd shοuted αt my οld fαther';
      expect(lookAlike).not.toBe(plain);
      expect(shares(plain, lookAlike)).toBe(true);
      expect(held([plain, lookAlike, greek])).toEqual([[0, 1, 2]]);
    });

    it('digits for letters: 0 for o, 3 for e, 1 for l or i', () => {
      const plain = 'worst hotel ever, the rooms were filthy and the staff never helped';
      const leet = 'w0rst h0t31 3v3r, th3 r00ms w3r3 fi1thy and th3 staff n3v3r h31p3d';
      const more = 'w0rst hot3l ever, the r0oms were f1lthy and the staff never he1ped';
      expect(shares(plain, leet)).toBe(true);
      expect(held([plain, leet, more])).toEqual([[0, 1, 2]]);
      // Numbers that are numbers stay: a wait of 2 hours is not one of 3.
      expect(shares('we waited 2 hours at the counter', 'we waited 3 hours at the counter')).toBe(true);
    });

    it('reordered clauses in English', () => {
      expect(
        held([
          'rude, late, dirty, slow, expensive, careless',
          'careless, expensive, slow, dirty, late, rude',
          'slow, rude, careless, late, expensive, dirty',
        ]),
      ).toEqual([[0, 1, 2]]);
    });

    it('reordered clauses in Chinese', () => {
      expect(
        held([
          '态度差，收费高，等太久，不专业，没礼貌，环境乱',
          '环境乱，没礼貌，不专业，等太久，收费高，态度差',
          '不专业，态度差，环境乱，收费高，没礼貌，等太久',
        ]),
      ).toEqual([[0, 1, 2]]);
    });

    it('Traditional and Simplified Chinese', () => {
      const simplified = '医生态度很差，让我们在走廊里等了三个小时没有人理';
      const traditional = '醫生態度很差，讓我們在走廊裡等了三個小時沒有人理';
      expect(shares(simplified, traditional)).toBe(true);
      expect(held([simplified, traditional, traditional])).toEqual([[0, 1, 2]]);
    });

    it('different texts with common words do not collide, reordered or not', () => {
      expect(
        shares(
          'the doctor was kind and the nurse explained everything twice',
          'the nurse was rude and the doctor explained nothing at all',
        ),
      ).toBe(false);
      expect(shares('医生很耐心，护士解释得很清楚，环境也干净', '护士态度冷淡，医生没有解释，环境很脏')).toBe(
        false,
      );
    });
  });

  it('counts a rater’s day in the platform’s zone (Asia/Shanghai by default), in time order or not', () => {
    const at = (iso: string, k: number) => Date.parse(iso) + k * 60_000;
    const rowsAt = (times: number[]) =>
      times.map((t, k) => ({ subject: k, rater: 1, at: t, professionalism: 4, honesty: 4 }));
    // Five at 20:00 on 1 June in Beijing, three at 07:00 on 2 June (one UTC day): within the limit.
    const evening = rowsAt([
      ...Array.from({ length: 5 }, (_, k) => at('2026-06-01T12:00:00Z', k)),
      ...Array.from({ length: 3 }, (_, k) => at('2026-06-01T23:00:00Z', k)),
    ]);
    // Five at 07:00 and three at 09:00 on 2 June in Beijing (two UTC days): three held, on 2 June.
    const morning = rowsAt([
      ...Array.from({ length: 5 }, (_, k) => at('2026-06-01T23:00:00Z', k)),
      ...Array.from({ length: 3 }, (_, k) => at('2026-06-02T01:00:00Z', k)),
    ]);
    for (const order of ['time', 'reversed'] as const) {
      const arrange = (rows: RatingRow[]) => (order === 'time' ? rows : [...rows].reverse());
      expect(detect(columnsOf(arrange(evening)), policy, { now: NOW }).findings).toEqual([]);
      const held = detect(columnsOf(arrange(morning)), policy, { now: NOW }).findings;
      expect(held.map((f) => [f.reason, f.detail.day, f.ratings.length])).toEqual([
        ['rate_limit', '2026-06-02', 3],
      ]);
      // In UTC days it is the other way round.
      const utc = { now: NOW, timeZone: 'UTC' };
      expect(detect(columnsOf(arrange(morning)), policy, utc).findings).toEqual([]);
      expect(
        detect(columnsOf(arrange(evening)), policy, utc).findings.map((f) => [
          f.detail.day,
          f.ratings.length,
        ]),
      ).toEqual([['2026-06-01', 3]]);
    }
  });

  it('holds a rater’s ratings beyond five in one day, the last ones by time', () => {
    const day = Date.UTC(2026, 5, 1);
    const rows: RatingRow[] = Array.from({ length: 8 }, (_, k) => ({
      subject: k,
      rater: 1,
      at: day + (7 - k) * 3_600_000, // rows in reverse time order
      professionalism: 4,
      honesty: 4,
    }));
    const r = detect(columnsOf(rows), policy, { now: NOW });
    expect(r.findings.map((f) => [f.reason, f.detail.day, Array.from(f.ratings)])).toEqual([
      ['rate_limit', '2026-06-01', [2, 1, 0]],
    ]);
    // four one day and four the next: within the limit
    const spread = rows.map((x, k) => ({ ...x, at: day + (k < 4 ? 0 : DAY) + k * 60_000 }));
    expect(detect(columnsOf(spread), policy, { now: NOW }).findings).toEqual([]);
  });
});

describe('aggregation', () => {
  it('publishes the Bayesian average from min_count, with the count, distribution and a band', () => {
    const rows: RatingRow[] = [
      ...Array.from({ length: 10 }, (_, k) => ({
        subject: 0,
        rater: k,
        at: NOW - k * DAY,
        professionalism: 5,
        honesty: 4,
      })),
      ...Array.from({ length: 9 }, (_, k) => ({
        subject: 1,
        rater: k,
        at: NOW - k * DAY,
        professionalism: 1,
        honesty: 2,
      })),
    ];
    const { aggregates: a } = aggregate(columnsOf(rows), null, policy);
    expect(Array.from(a.count)).toEqual([10, 9]);
    const C: [number, number] = [(50 + 9) / 19, (40 + 18) / 19];
    expect(a.globalMean[0]).toBeCloseTo(C[0], 12);
    // all of subject 0's ratings agree: the same weight each, so R is the plain mean
    expect(a.bayesian[0]).toBeCloseTo(0.5 * 5 + 0.5 * C[0], 12);
    expect(a.bayesian[1]).toBeCloseTo(0.5 * 4 + 0.5 * C[1], 12);
    expect(Number.isNaN(a.bayesian[2])).toBe(true);
    expect(a.mean[2]).toBeCloseTo(1, 12);
    expect(Array.from(a.dist.subarray(0, 10))).toEqual([0, 0, 0, 0, 10, 0, 0, 0, 10, 0]);
    expect([a.low[0], a.high[0]]).toEqual([5, 5]);
  });

  it('a rater who agrees with published aggregates weighs more than a new or contrarian one', () => {
    const rows = honest({ raters: 50, subjects: 20, ratings: 2000, seed: 9 });
    const mean = (s: number) =>
      rows.filter((r) => r.subject === s).reduce((t, r) => t + r.professionalism, 0) / 100;
    // rater 50 rates every subject far from its mean; rater 51 only once, removed since
    const contrarian: RatingRow[] = Array.from({ length: 20 }, (_, s) => {
      const x = mean(s) > 3 ? 1 : 5;
      return { subject: s, rater: 50, at: NOW - s * DAY, professionalism: x, honesty: x };
    });
    const gone: RatingRow = { subject: 0, rater: 51, at: NOW, professionalism: 3, honesty: 3, state: 2 };
    const r = detect(columnsOf([...rows, ...contrarian, gone]), policy, { now: NOW });
    expect(r.weight[51]).toBeCloseTo(policy.weights.base, 6);
    expect(r.weight[50]).toBeLessThan(0.7);
    expect(Math.min(...Array.from(r.weight.subarray(0, 50)))).toBeGreaterThan(0.9);
  });

  const rowArb = fc.record({
    subject: fc.integer({ min: 0, max: 5 }),
    rater: fc.integer({ min: 0, max: 12 }),
    at: fc.integer({ min: NOW - 30 * DAY, max: NOW }),
    professionalism: fc.integer({ min: 1, max: 5 }),
    honesty: fc.integer({ min: 1, max: 5 }),
    connected: fc.boolean(),
    state: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const),
  });
  const sizes = { nSubjects: 6, nRaters: 13 };
  const same = (a: Float64Array, b: Float64Array) => {
    expect(a.length).toBe(b.length);
    a.forEach((x, i) => {
      if (Number.isNaN(x)) expect(b[i]).toBeNaN();
      else expect(b[i]).toBeCloseTo(x, 9);
    });
  };

  it('adding a removed rating never changes the aggregates', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 80 }), rowArb, (rows, extra) => {
        const a = detect(columnsOf(rows, sizes), policy, { now: NOW }).aggregates;
        const b = detect(columnsOf([...rows, { ...extra, state: 2 }], sizes), policy, {
          now: NOW,
        }).aggregates;
        expect(b.count).toEqual(a.count);
        expect(b.held).toEqual(a.held);
        expect(b.dist).toEqual(a.dist);
        same(a.bayesian, b.bayesian);
        same(a.mean, b.mean);
      }),
    );
  });

  it('aggregates and holds do not depend on row order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rowArb, { maxLength: 80, selector: (r) => r.at }),
        fc.infiniteStream(fc.nat()),
        (rows, seeds) => {
          const shuffled = [...rows];
          for (let k = shuffled.length - 1; k > 0; k--) {
            const j = seeds.next().value % (k + 1);
            [shuffled[k], shuffled[j]] = [shuffled[j]!, shuffled[k]!];
          }
          const a = detect(columnsOf(rows, sizes), policy, { now: NOW });
          const b = detect(columnsOf(shuffled, sizes), policy, { now: NOW });
          expect(b.aggregates.count).toEqual(a.aggregates.count);
          expect(b.aggregates.held).toEqual(a.aggregates.held);
          same(a.aggregates.bayesian, b.aggregates.bayesian);
          same(a.aggregates.low, b.aggregates.low);
          const heldAt = (r: typeof a, rs: RatingRow[]) =>
            rs.map((x, i) => [x.at, r.held[i]]).sort((p, q) => p[0]! - q[0]!);
          expect(heldAt(b, shuffled)).toEqual(heldAt(a, rows));
        },
      ),
    );
  });
});

describe('two threads', () => {
  it('detection on a helper thread while this one aggregates gives the same holds, findings, weights and aggregates', () => {
    const random = rng(21);
    const rows: RatingRow[] = honest({ raters: 3000, subjects: 300, ratings: 30_000, seed: 13 }).map(
      (r, k) => ({
        ...r,
        // some released, some removed, a few connected raters
        state: k % 97 === 0 ? 2 : k % 89 === 0 ? 1 : 0,
        connected: k % 211 === 0,
        comment: k % 10 === 0 ? `an ordinary comment number ${k} about the visit` : null,
      }),
    );
    // a burst on subject 0, a ring over subjects 500…519, a comment campaign, a busy rater, a
    // subject rated mostly by its own people
    for (let k = 0; k < 200; k++)
      rows.push({
        subject: 0,
        rater: 10_000 + k,
        at: NOW - 5 * DAY + k * 17_000,
        professionalism: 1,
        honesty: 1,
      });
    for (let m = 0; m < 20; m++)
      for (let b = 0; b < 20; b++)
        if (b !== m && random() < 0.85)
          rows.push({
            subject: 500 + b,
            rater: 6000 + m,
            at: NOW - Math.floor(random() * 60 * DAY),
            professionalism: 5,
            honesty: 5,
          });
    for (let k = 0; k < 6; k++)
      rows.push({
        subject: 10 + k,
        rater: 7000 + k,
        at: NOW - k * DAY,
        professionalism: 1,
        honesty: 1,
        comment: 'This doctor refused to treat my mother and was rude to everyone in the ward!',
      });
    for (let k = 0; k < 9; k++)
      rows.push({
        subject: 20 + k,
        rater: 8000,
        at: NOW - 3 * DAY + k * 60_000,
        professionalism: 4,
        honesty: 4,
      });
    for (let k = 0; k < 8; k++)
      rows.push({
        subject: 600,
        rater: 9000 + k,
        at: NOW - k * DAY,
        professionalism: 5,
        honesty: 5,
        connected: k < 5,
      });
    for (const order of [byTime(rows), byTime(rows).reverse()]) {
      const cols = columnsOf(order);
      const one = detect(cols, policy, { now: NOW, threads: 1 });
      const two = detect(cols, policy, { now: NOW, threads: 2 });
      expect(new Set(two.findings.map((f) => f.reason))).toEqual(
        new Set(['burst', 'ring', 'duplicate', 'rate_limit', 'connected']),
      );
      expect(two.findings).toEqual(one.findings);
      expect(two.held).toEqual(one.held);
      expect(two.weight).toEqual(one.weight);
      expect(two.aggregates).toEqual(one.aggregates);
    }
  });
});

describe('a release clears the reason it judged, not the others', () => {
  /** 20 raters each rating 15–19 of 20 businesses (subjects 500…519) within the last two months. */
  const lockstep = (seed: number) => {
    const random = rng(seed);
    const rows: RatingRow[] = [];
    for (let m = 0; m < 20; m++)
      for (let b = 0; b < 20; b++)
        if (b !== m && random() < 0.85)
          rows.push({
            subject: 500 + b,
            rater: 6000 + m,
            at: NOW - Math.floor(random() * 60 * DAY),
            professionalism: 5,
            honesty: 5,
          });
    return rows;
  };
  const population = honest({ raters: 5000, subjects: 500, ratings: 40_000, seed: 5 });
  const ring = lockstep(3);
  /** The ring's ratings released by an operator from holds of these reasons. */
  const ringReleasedFrom = (reasons: readonly HoldReason[]) =>
    columnsOf(byTime([...population, ...ring.map((r) => ({ ...r, state: 1 as const, released: reasons }))]));
  const ringRows = (cols: ReturnType<typeof columnsOf>) =>
    Array.from({ length: cols.n }, (_, i) => i).filter((i) => cols.rater[i]! >= 6000);

  it('ratings released as a burst are held as a ring, and stop counting while held', () => {
    const cols = ringReleasedFrom(['burst']);
    for (const threads of [1, 2] as const) {
      const r = detect(cols, policy, { now: NOW, threads });
      const rings = r.findings.filter((f) => f.reason === 'ring');
      expect(rings).toHaveLength(1);
      expect(rings[0]!.ratings).toHaveLength(ring.length);
      for (const i of ringRows(cols)) expect(holdReasons(r.held[i]!)).toEqual(['ring']);
      // Hidden from the aggregates like any held rating: the businesses keep only the others' ratings.
      const open = detect(columnsOf(byTime([...population, ...ring])), policy, { now: NOW, threads });
      expect(Array.from(r.aggregates.count)).toEqual(Array.from(open.aggregates.count));
      expect(Array.from(r.aggregates.held)).toEqual(Array.from(open.aggregates.held));
      expect(r.aggregates.bayesian).toEqual(open.aggregates.bayesian);
      expect(r.weight).toEqual(open.weight);
    }
  });

  it('ratings released as a ring are not held as a ring again, on either thread, and count', () => {
    const cols = ringReleasedFrom(['ring']);
    const one = detect(cols, policy, { now: NOW, threads: 1 });
    const two = detect(cols, policy, { now: NOW, threads: 2 });
    for (const r of [one, two]) {
      expect(r.findings.filter((f) => f.reason === 'ring')).toEqual([]);
      for (const i of ringRows(cols)) expect(r.held[i]).toBe(0);
      const counted = ring.filter((x) => x.subject === 503).length;
      const others = population.filter((x) => x.subject === 503).length;
      expect(r.aggregates.count[503]).toBe(counted + others);
    }
    expect(two.held).toEqual(one.held);
    expect(two.aggregates).toEqual(one.aggregates);
    // Released from both: neither.
    expect(detect(ringReleasedFrom(['burst', 'ring']), policy, { now: NOW }).findings).toEqual([]);
  });

  it('ratings released as a burst are held as connected raters; released as connected, not again', () => {
    const rows = (released: readonly HoldReason[]): RatingRow[] =>
      Array.from({ length: 8 }, (_, k) => ({
        subject: 0,
        rater: k,
        at: NOW - (10 - k) * DAY,
        professionalism: 5,
        honesty: 5,
        connected: k < 5,
        ...(k < 5 ? { state: 1 as const, released } : {}),
      }));
    const asBurst = detect(columnsOf(rows(['burst'])), policy, { now: NOW });
    expect(asBurst.findings.map((f) => [f.reason, f.ratings.length])).toEqual([['connected', 5]]);
    expect(Array.from(asBurst.held)).toEqual([4, 4, 4, 4, 4, 0, 0, 0]);
    expect(asBurst.aggregates.count[0]).toBe(3);
    const asConnected = detect(columnsOf(rows(['connected'])), policy, { now: NOW });
    expect(asConnected.findings).toEqual([]);
    expect(asConnected.aggregates.count[0]).toBe(8);
  });

  it('ratings released as a burst are held as duplicate text; released as duplicates, not again', () => {
    const text = 'This doctor refused to treat my mother and was rude to everyone in the ward!';
    const rows = (released: readonly HoldReason[]): RatingRow[] =>
      [0, 1, 2, 3].map((k) => ({
        subject: k < 3 ? 0 : 1,
        rater: k,
        at: NOW - (4 - k) * DAY,
        professionalism: 1,
        honesty: 1,
        comment: text,
        // the first three released from a burst on subject 0; the fourth, on subject 1, comes after
        ...(k < 3 ? { state: 1 as const, released } : {}),
      }));
    const asBurst = detect(columnsOf(rows(['burst'])), policy, { now: NOW });
    expect(asBurst.findings.map((f) => [f.reason, Array.from(f.ratings)])).toEqual([
      ['duplicate', [0, 1, 2, 3]],
    ]);
    expect(asBurst.aggregates.count[0]).toBe(0);
    expect(asBurst.aggregates.held[0]).toBe(3);
    const asDuplicate = detect(columnsOf(rows(['duplicate'])), policy, { now: NOW });
    // Only the new one is held: the campaign's texts released as such are not held again.
    expect(asDuplicate.findings.map((f) => [f.reason, Array.from(f.ratings)])).toEqual([['duplicate', [3]]]);
    expect(asDuplicate.aggregates.count[0]).toBe(3);
  });
});
