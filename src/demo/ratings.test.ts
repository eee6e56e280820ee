/**
 * The demo's citizen ratings on a small population: honest ratings of every kind of rated subject
 * stay published, the bombing of one doctor is held as a burst as it comes and leaves the doctor's
 * published score to its honest ratings, the ring is held by the sweep that ends the load, and a
 * second load adds nothing. SQLite only: the ratings verbs run on both backends in their own suite
 * (src/api/ratings.test.ts); this one checks what the demo feeds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { getRatings, listHeld } from '../ratings/index.ts';
import type { RatingRow } from '../store/index.ts';
import {
  type DemoLoadResult,
  type DemoOptions,
  type DemoRatingsPlan,
  loadDemo,
  planDemoRatings,
} from './index.ts';

const TODAY = '2026-03-01';
const NOW = new Date(`${TODAY}T09:00:00Z`);
const OPTIONS: DemoOptions = { persons: 1_000, organizations: 120, seed: 11, end: TODAY };
const operator: Principal = { id: 'operator:test', role: 'operator' };
const sqlite = testBackends().find((b) => b.name === 'sqlite')!;

describe('the demo plans its ratings', () => {
  it('the same way from the same options, and never after now', () => {
    const a = planDemoRatings(OPTIONS, NOW);
    expect(planDemoRatings(OPTIONS, NOW)).toEqual(a);
    expect(planDemoRatings({ ...OPTIONS, seed: 12 }, NOW)).not.toEqual(a);
    expect(a.sweepAt).toBeLessThanOrEqual(NOW.getTime());
    for (const s of a.steps) {
      expect(s.issuedAt).toBeLessThan(s.ratedAt);
      expect(s.ratedAt).toBeLessThan(a.sweepAt);
      expect(s.replyAt ?? 0).toBeLessThan(a.sweepAt);
    }
    // A rater never goes beyond the daily limit of five.
    const perDay = new Map<string, number>();
    for (const s of a.steps) {
      const key = `${s.rater} ${new Date(s.ratedAt).toISOString().slice(0, 10)}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(5);
  });

  it('scales the honest ratings with the population and leaves out what a tiny one cannot carry', () => {
    const honest = (o: DemoOptions) =>
      planDemoRatings(o, NOW).steps.filter((s) => s.group === 'honest').length;
    expect(honest({ ...OPTIONS, persons: 4_000 })).toBeGreaterThan(2 * honest(OPTIONS));
    const tiny = planDemoRatings({ ...OPTIONS, persons: 100, organizations: 10 }, NOW);
    expect(tiny.burst).toBeUndefined();
    expect(tiny.ring).toBeUndefined();
  });
});

describe('the demo population with its ratings on sqlite', () => {
  let p: Platform;
  let cleanup: () => Promise<void>;
  let plan: DemoRatingsPlan;
  let loaded: DemoLoadResult;
  let rows: RatingRow[];
  const load = () => {
    const ctx = p.ctx(operator, 'load demo population');
    return loadDemo({
      ctx,
      input: {
        options: OPTIONS,
        catalogue: p.catalogue,
        ratings: { ...p.ratings, catalogue: p.catalogue, refresh: (ids) => p.refreshSubjects(ctx, ids) },
      },
    });
  };

  beforeAll(async () => {
    ({ platform: p, cleanup } = await sqlite.open({ clock: fixedClock(NOW) }));
    plan = planDemoRatings(OPTIONS, NOW);
    loaded = await load();
    rows = await p.store.ratings.listAllRatings(0, 100_000);
  }, 60_000);
  afterAll(async () => cleanup?.());

  it('has honest ratings of doctors, teachers, public bodies and organizations, all published', async () => {
    const r = loaded.ratingsLoad!;
    expect(r.skipped).toBe(false);
    expect(r.ratings).toBe(plan.steps.length);
    expect(rows).toHaveLength(plan.steps.length);
    for (const kind of ['doctor', 'teacher', 'public_body', 'organization'] as const)
      expect(r.rated[kind], kind).toBeGreaterThan(0);
    expect(r.honest).toBeGreaterThanOrEqual(50);
    expect(r.comments).toBeGreaterThan(0);
    // Whoever is held is an attacker or a ring member: no honest rating is held.
    const attackers = new Set(plan.steps.filter((s) => s.group !== 'honest').map((s) => s.rater));
    const held = rows.filter((x) => x.held);
    expect(held).toHaveLength(plan.steps.length - r.honest);
    for (const x of held) {
      const rater = await p.store.findSubjectById(x.raterId);
      expect(attackers.has(rater!.identifier)).toBe(true);
    }
  });

  it('holds the bombing as a burst and publishes the doctor’s honest score', async () => {
    const burst = plan.burst!;
    expect(burst.ratings).toBe(200);
    const ctx = p.ctx(operator, 'review');
    const { holds } = await listHeld({ ctx, input: { status: 'pending' } });
    const hold = holds.find((h) => h.reason === 'burst');
    expect(hold).toMatchObject({ ratings: 200, subject: { identifier: burst.doctor } });
    expect(holds.filter((h) => h.reason === 'burst')).toHaveLength(1);
    // Held as they came: by the end of the hour nearly every one-star rating was held at once.
    expect(loaded.ratingsLoad!.heldAtSubmission).toBeGreaterThan(150);

    const doctor = await p.store.findSubjectByIdentifier(burst.doctor);
    const honest = rows.filter((x) => x.ratedId === doctor!.id && !x.held);
    expect(honest.length).toBe(
      plan.steps.filter((s) => s.subject === burst.doctor && s.group === 'honest').length,
    );
    expect(honest.every((x) => x.professionalism >= 2)).toBe(true);
    // On the day of the load the bombing (six days old) shows nowhere yet, not even as held: a
    // rating shows only `reveal.after_days` after it is given.
    const revealedBy = NOW.getTime() - 14 * 86_400_000;
    const now = await getRatings({ ctx, input: { id: burst.licence }, deps: p.ratings });
    expect(now.professionalism).toMatchObject({
      held: 0,
      count: honest.filter((x) => Date.parse(x.submittedAt) <= revealedBy).length,
    });
    // Two weeks on, the public sees it held and the honest patients' score.
    const later = { ...ctx, clock: fixedClock(new Date(NOW.getTime() + 14 * 86_400_000)) };
    const shown = await getRatings({ ctx: later, input: { id: burst.licence }, deps: p.ratings });
    expect(shown.professionalism).toMatchObject({ held: 200, count: honest.length, published: true });
    // The published score is the honest patients' (pulled towards the population mean), not the mob's.
    const mean = honest.reduce((s, x) => s + x.professionalism, 0) / honest.length;
    expect(shown.professionalism.bayesian!).toBeGreaterThan(3.5);
    expect(Math.abs(shown.professionalism.bayesian! - mean)).toBeLessThan(0.5);
  });

  it('holds the ring after the load’s sweep', async () => {
    const ring = plan.ring!;
    expect(ring.members).toHaveLength(20);
    const { holds } = await listHeld({ ctx: p.ctx(operator, 'review'), input: { status: 'pending' } });
    const held = holds.filter((h) => h.reason === 'ring');
    expect(held.length).toBeGreaterThanOrEqual(1);
    const ringSteps = plan.steps.filter((s) => s.group === 'ring').length;
    expect(ringSteps).toBeGreaterThanOrEqual(20 * 15);
    expect(held.reduce((s, h) => s + h.ratings, 0)).toBe(ringSteps);
    expect(loaded.ratingsLoad!.held.ring).toEqual({ holds: held.length, ratings: ringSteps });
  });

  it('loads a second time without failing and adds no ratings', async () => {
    const again = await load();
    expect(again.ratingsLoad?.skipped).toBe(true);
    expect(await p.store.ratings.listAllRatings(0, 100_000)).toHaveLength(rows.length);
  });
});
