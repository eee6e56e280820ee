/**
 * The demo's citizen ratings (issue 16), so detection shows on a fresh start: honest raters rating
 * a sample of the demo's doctors, teachers, public bodies and organizations over the last months,
 * one review-bombing attack on a doctor with an honest history, and one ring of legal
 * representatives boosting each other's businesses. Everything goes through the ratings verbs:
 * the demo's hospital and school issue the tokens of the doctors and teachers the load first puts
 * on their rosters, a service hall of each rated public body (registered as that body's own source)
 * its counters' tokens, and the e-commerce platform those of the businesses selling through it;
 * each rater redeems one with a rater credential, and one sweep at the end finds the ring. The plan is
 * pure and seeded (its own stream of the demo's generator); the verbs read the time from a clock
 * set to each step's moment, never later than the loading context's now.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { type Ctx, fixedClock, type Principal } from '../context.ts';
import { LICENCE_KINDS } from '../identity/index.ts';
import {
  issueInteractions,
  listHeld,
  MAX_INTERACTIONS,
  replyToRating,
  type SubmittedRating,
  type SweepDeps,
  submitRating,
  sweepRatings,
} from '../ratings/index.ts';
import { addStaff, registerSource } from '../sources/index.ts';
import { birthdayAt, parseIsoDay } from './calendar.ts';
import {
  generateOrganizations,
  generatePersons,
  OrgKind,
  personId,
  personLicence,
  personName,
} from './population.ts';
import { cumulative, pickWeighted, Random } from './random.ts';
import { demoSourceCode } from './sources.ts';
import type { DemoOptions } from './types.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Honest ratings per person of the population, and at most this many: the load stays quick. */
const HONEST_PER_PERSON = 0.05;
const MAX_HONEST = 2500;
/** The days before "today" the honest ratings spread over. */
const HONEST_DAYS = 120;
/** Honest ratings of the attacked doctor before the attack: enough to publish an aggregate. */
const TARGET_HISTORY = 30;
/** The attack: one-star ratings from fresh persons within an hour. */
const BURST_SIZE = 200;
const BURST_DAYS_AGO = 6;
/** The ring: legal representatives rating each other's businesses, five a day (the daily limit). */
const RING_SIZE = 20;
const RING_DAYS_AGO = 14;
const RING_PER_DAY = 5;
/** Share of honest ratings that carry a comment (each comment text is used once). */
const COMMENT_SHARE = 0.05;
/**
 * Public bodies rated, at most: each is served by a service hall of its own (a local government
 * source vouches only for the public body it is, src/catalogue/source-kinds.ts), so a few halls
 * keep the demo's sources readable.
 */
const MAX_HALLS = 6;
/** Days before the first rating the rated doctors and teachers are on their source's roster from. */
const ROSTER_LEAD_DAYS = 365;

export type RatedKind = 'doctor' | 'teacher' | 'public_body' | 'organization';
export const RATED_KINDS: readonly RatedKind[] = ['doctor', 'teacher', 'public_body', 'organization'];

/** Share of the honest ratings per kind of rated subject. */
const KIND_SHARE: Readonly<Record<RatedKind, number>> = {
  doctor: 0.3,
  teacher: 0.2,
  public_body: 0.2,
  organization: 0.3,
};
/**
 * Who vouches for each kind of service (LICENSING_SOURCE_KINDS and the own-name and marketplace
 * kinds of src/catalogue/source-kinds.ts): the hospital and the school for the professionals on
 * their rosters, the e-commerce platform for the businesses selling through it; a public body's
 * service hall (`hallCode`) for that body only.
 */
const SOURCE: Readonly<Record<Exclude<RatedKind, 'public_body'>, string>> = {
  doctor: demoSourceCode('hospital'),
  teacher: demoSourceCode('school'),
  organization: demoSourceCode('ecommerce'),
};
/** The code of the demo's k-th service hall (a local government source of one public body). */
export const hallCode = (k: number) => `demo-service-hall-${k + 1}`;
const SERVICES: Readonly<Record<RatedKind, readonly string[]>> = {
  doctor: ['outpatient consultation', 'follow-up visit', 'specialist consultation', 'health check'],
  teacher: ['parent-teacher meeting', 'class', 'exam preparation course', 'school enrolment interview'],
  public_body: [
    'business licence counter',
    'social insurance counter',
    'household registration counter',
    'tax service counter',
  ],
  organization: ['online purchase', 'home delivery', 'after-sales service', 'repair'],
};

/**
 * Comments the honest raters write, by kind and tone, each used at most once (the same text from
 * several raters is itself held as a template campaign). None names a third party or touches a
 * protected category, so all are published.
 */
const COMMENTS: Readonly<Record<RatedKind, Readonly<Record<'good' | 'poor', readonly string[]>>>> = {
  doctor: {
    good: [
      'Explained every step of the treatment and answered all our questions without rushing.',
      'Took time to listen, wrote the prescription clearly and called back the next day.',
      'Very thorough and kind with my elderly father.',
      'Straight answers about the costs before anything was done.',
    ],
    poor: [
      'Seen for three minutes after waiting two hours; no explanation of the results.',
      'Ordered expensive tests that another hospital later said were unnecessary.',
    ],
  },
  teacher: {
    good: [
      'Our daughter finally enjoys maths; the weekly feedback notes are very helpful.',
      'Patient with questions at the meeting and followed up by message as promised.',
      'Fair marking, and explains what to practise before the exam.',
    ],
    poor: [
      'Cancelled the course twice at short notice and never made up the lessons.',
      'Pushed parents to buy extra paid tutoring material.',
    ],
  },
  public_body: {
    good: [
      'The licence was ready the same afternoon, and the staff checked every form with me.',
      'Clear queue numbers and a helpful desk for the online appointment.',
      'Got the social insurance transfer done in one visit.',
    ],
    poor: [
      'Sent from one window to another four times for the same stamp.',
      'Office closed an hour early although the website said it was open.',
      'Asked for a document that the published list of requirements does not mention.',
    ],
  },
  organization: {
    good: [
      'Delivered a day early and the packaging was intact.',
      'Refund arrived within two days after I returned the item.',
      'The repair was done as quoted, no surprise charges.',
    ],
    poor: [
      'The product was not what the photos showed and the seller stopped answering.',
      'Charged a delivery fee that was not shown at checkout.',
    ],
  },
};
/** The rated subject's public answer to a poor rating's comment. */
const REPLIES: Readonly<Record<RatedKind, string>> = {
  doctor: 'Thank you for telling us. The department has added an afternoon clinic to shorten waiting times.',
  teacher: 'Sorry for the disruption; the missed lessons are being scheduled with the class this month.',
  public_body:
    'Thank you. The requirements list has been corrected and a single counter now handles these stamps.',
  organization: 'We are sorry. Please contact customer service again: the fee will be refunded.',
};
const MAX_REPLIES = 4;
/** How many ratings the demo load goes between readings of the population means. */
const MEANS_EVERY = 250;

export type DemoRatingGroup = 'honest' | 'burst' | 'ring';

/** One planned rating: the source's interaction, then the rater's rating of it. */
export interface DemoRatingStep {
  group: DemoRatingGroup;
  /** The demo source that issues the token. */
  source: string;
  rated: RatedKind;
  serving: { kind: 'licence' | 'organization' | 'public_body'; id: string };
  /** The rated subject's identifier (resident ID or USCC), to answer as it. */
  subject: string;
  service: string;
  /** Instants, ms: the token is issued at the service, the rating comes later. */
  issuedAt: number;
  ratedAt: number;
  /** The rater's resident ID. */
  rater: string;
  professionalism: number;
  honesty: number;
  comment?: string;
  /** When the rated subject answers the comment. */
  replyAt?: number;
}

export interface DemoRatingsPlan {
  /** In rating order. */
  steps: DemoRatingStep[];
  /** The service halls to register, each the source of one public body (by USCC). */
  halls: { code: string; uscc: string }[];
  /** Who to put on a source's roster before any token: licence numbers, from a day (YYYY-MM-DD). */
  rosters: { source: string; licence: string; from: string }[];
  /** The instant of the sweep that ends the load (≤ the context's now). */
  sweepAt: number;
  burst?: { doctor: string; licence: string; name: string; ratings: number };
  ring?: { members: string[]; organizations: string[] };
}

const clampStars = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

const shuffle = <T>(rng: Random, xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    [xs[i], xs[k]] = [xs[k]!, xs[i]!];
  }
  return xs;
};

/**
 * The demo's ratings, reproducible from the demo options: the same population as generateDemo
 * (its streams 1 and 2) and a stream of its own (4) for the ratings. Everything happens on days
 * before the last whole day not after `now`, so no verb ever runs in the future of the caller.
 * A subject answers a comment the day after it is shown to it (the ratings policy's
 * `reveal.after_days`, `revealAfterDays` here).
 */
export const planDemoRatings = (options: DemoOptions, now: Date, revealAfterDays = 0): DemoRatingsPlan => {
  const end = parseIsoDay(options.end);
  const nowMs = now.getTime();
  const sweepAt = end === undefined ? nowMs : Math.min(nowMs, (end + 1) * DAY - 1000);
  const plan: DemoRatingsPlan = { steps: [], halls: [], rosters: [], sweepAt };
  if (end === undefined) return plan;
  // The last day anything happens on ends before the sweep.
  const lastDay = Math.floor(sweepAt / DAY) - 1;
  const firstDay = lastDay - HONEST_DAYS + 1;
  const persons = generatePersons(new Random(options.seed, 1), options.persons, end);
  const orgs = generateOrganizations(new Random(options.seed, 2), options.organizations, persons, end);
  const rng = new Random(options.seed, 4);
  const steps = plan.steps;

  const isRep = new Uint8Array(persons.count);
  for (let j = 0; j < orgs.count; j++) isRep[orgs.rep[j]!] = 1;
  const doctorKind = LICENCE_KINDS.indexOf('doctor') + 1;
  const teacherKind = LICENCE_KINDS.indexOf('teacher') + 1;
  const doctors: number[] = [];
  const teachers: number[] = [];
  const pool: number[] = [];
  for (let i = 0; i < persons.count; i++) {
    if (persons.licence[i] === doctorKind) doctors.push(i);
    if (persons.licence[i] === teacherKind) teachers.push(i);
    // Raters are adults who represent no organization (so none is connected to what it rates).
    if (!isRep[i] && birthdayAt(persons.birth[i]!, 18) <= end) pool.push(i);
  }
  shuffle(rng, doctors);
  shuffle(rng, teachers);
  shuffle(rng, pool);

  // The attacked doctor and the fresh persons who attack: none of them rates anything else.
  const target = pool.length > BURST_SIZE + TARGET_HISTORY ? doctors.shift() : undefined;
  const raters = target === undefined ? pool : pool.filter((i) => i !== target);
  const bombers = target === undefined ? [] : raters.splice(0, BURST_SIZE);
  const historyRaters = target === undefined ? [] : raters.splice(0, TARGET_HISTORY);

  const licenceOf = (i: number) => personLicence(persons, i)!.number;
  type Rated = {
    kind: RatedKind;
    serving: DemoRatingStep['serving'];
    subject: string;
    quality: number;
    source: string;
  };
  /** The persons on each source's roster (the rated doctors and teachers): colleagues rate none of theirs. */
  const rostered = new Map<string, Set<number>>();
  const personRated = (kind: 'doctor' | 'teacher', i: number, quality: number): Rated => {
    const source = SOURCE[kind];
    const on = rostered.get(source) ?? new Set<number>();
    rostered.set(source, on);
    if (!on.has(i)) {
      on.add(i);
      plan.rosters.push({ source, licence: licenceOf(i), from: '' });
    }
    return {
      kind,
      serving: { kind: 'licence', id: licenceOf(i) },
      subject: personId(persons, i),
      quality,
      source,
    };
  };
  const halls = new Map<number, string>();
  const orgRated = (j: number, quality: number): Rated => {
    const kind = j < orgs.firstPublicBody ? 'organization' : 'public_body';
    let source = SOURCE.organization;
    if (kind === 'public_body') {
      source = halls.get(j) ?? hallCode(halls.size);
      if (!halls.has(j)) {
        halls.set(j, source);
        plan.halls.push({ code: source, uscc: orgs.uscc[j]! });
      }
    }
    return { kind, serving: { kind, id: orgs.uscc[j]! }, subject: orgs.uscc[j]!, quality, source };
  };
  /** Whether the rater serves beside the rated professional (on the same source's roster). */
  const colleagues = (by: number, r: Rated) =>
    rostered.get(r.source)?.has(by) === true && r.kind !== 'organization';
  const moment = (day: number) => day * DAY + (1 + rng.int(12)) * HOUR + rng.int(3600) * 1000;
  const usedComments = new Set<string>();
  let replies = 0;
  const rate = (group: DemoRatingGroup, r: Rated, by: number, at: number, p: number, h: number) => {
    const step: DemoRatingStep = {
      group,
      source: r.source,
      rated: r.kind,
      serving: r.serving,
      subject: r.subject,
      service: rng.pick(SERVICES[r.kind]),
      // The service (its token issued then) comes hours before the rating, or up to three days.
      issuedAt: at - rng.pick([0, 0, 0, 1, 2, 3]) * DAY - (1 + rng.int(4)) * HOUR,
      ratedAt: at,
      rater: personId(persons, by),
      professionalism: p,
      honesty: h,
    };
    if (group === 'honest' && rng.chance(COMMENT_SHARE)) {
      const tone = p + h >= 7 ? 'good' : p + h <= 5 ? 'poor' : undefined;
      const text = tone && COMMENTS[r.kind][tone].find((c) => !usedComments.has(c));
      if (text) {
        usedComments.add(text);
        step.comment = text;
        const replyAt = at + (revealAfterDays + 1) * DAY;
        if (tone === 'poor' && replies < MAX_REPLIES && replyAt < sweepAt) {
          replies++;
          step.replyAt = replyAt;
        }
      }
    }
    steps.push(step);
  };
  const honestStars = (quality: number): [number, number] => {
    // A triangular spread of about ±1.2 stars around the subject's quality.
    const p = clampStars(quality + (rng.next() + rng.next() - 1) * 1.2);
    return [p, clampStars(p + (rng.next() + rng.next() - 1) * 0.8)];
  };

  // Honest ratings: a sample of each kind, a few subjects popular and most rated now and then.
  const honest = Math.min(MAX_HONEST, Math.round(options.persons * HONEST_PER_PERSON));
  const orgIdx = Array.from({ length: orgs.firstPublicBody }, (_, j) => j);
  const bodyIdx = Array.from(
    { length: orgs.count - orgs.firstPublicBody },
    (_, k) => orgs.firstPublicBody + k,
  );
  shuffle(rng, orgIdx);
  shuffle(rng, bodyIdx);
  const candidates: Record<RatedKind, number[]> = {
    doctor: doctors,
    teacher: teachers,
    public_body: bodyIdx,
    organization: orgIdx,
  };
  const sample = {} as Record<RatedKind, { rated: Rated[]; cum: Float64Array }>;
  for (const kind of RATED_KINDS) {
    const n = Math.min(
      candidates[kind].length,
      kind === 'public_body' ? MAX_HALLS : Number.POSITIVE_INFINITY,
      Math.max(3, Math.ceil((KIND_SHARE[kind] * honest) / 8)),
    );
    const rated = candidates[kind].slice(0, n).map((x) => {
      // Most serve well; public offices are rated a little lower, and some of each kind poorly.
      const quality = kind === 'public_body' ? 2.6 + rng.next() * 2.1 : 2.9 + rng.next() * 2;
      return kind === 'doctor' || kind === 'teacher' ? personRated(kind, x, quality) : orgRated(x, quality);
    });
    sample[kind] = { rated, cum: cumulative(rated.map((_, k) => 1 / (k + 1) ** 0.8)) };
  }
  const kinds = RATED_KINDS.filter((k) => sample[k].rated.length > 0);
  const kindCum = cumulative(kinds.map((k) => KIND_SHARE[k]));
  // Each rater is drawn once, so nobody comes near the daily limit.
  for (let made = 0, next = 0; kinds.length > 0 && next < raters.length && made < honest; ) {
    const by = raters[next++]!;
    const byId = personId(persons, by);
    // Most rate once in a while; a few rate up to four services (never five in a day).
    const u = rng.next();
    const n = Math.min(honest - made, u < 0.5 ? 1 : u < 0.75 ? 2 : u < 0.9 ? 3 : 4);
    const seen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const s = sample[kinds[pickWeighted(rng, kindCum)]!]!;
      const r = s.rated[pickWeighted(rng, s.cum)]!;
      if (seen.has(r.subject) || r.subject === byId || colleagues(by, r)) continue;
      seen.add(r.subject);
      const [p, h] = honestStars(r.quality);
      rate('honest', r, by, moment(firstDay + rng.int(HONEST_DAYS)), p, h);
      made++;
    }
  }

  // The bombing: a doctor with a normal history, then one-star ratings within one hour from fresh
  // persons. Its honest history keeps two days clear of the attack, which would otherwise share
  // its 24-hour window.
  if (target !== undefined) {
    const doctor = personRated('doctor', target, 4.4);
    const attackDay = lastDay - BURST_DAYS_AGO;
    for (const by of historyRaters) {
      const day = firstDay + rng.int(attackDay - 2 - firstDay);
      const [p, h] = honestStars(doctor.quality);
      rate('honest', doctor, by, moment(day), p, h);
    }
    const start = attackDay * DAY + 10 * HOUR;
    for (let k = 0; k < BURST_SIZE; k++)
      rate('burst', doctor, bombers[k]!, start + k * 17_000 + rng.int(10_000), 1, 1);
    plan.burst = {
      doctor: doctor.subject,
      licence: doctor.serving.id,
      name: personName(persons, target),
      ratings: BURST_SIZE,
    };
  }

  // The ring: legal representatives of businesses (each of a different one) rating 15–19 of the
  // others' businesses five stars, five a day, each in its own order so that no business gets
  // them all on one day. Taken from the end of the shuffled businesses, mostly outside the
  // honest sample.
  const ring: number[] = [];
  const members = new Set<number>();
  for (let x = orgIdx.length - 1; x >= 0; x--) {
    const j = orgIdx[x]!;
    if (ring.length === RING_SIZE) break;
    const kind = orgs.kind[j];
    if (kind !== OrgKind.enterprise && kind !== OrgKind.individualBusiness) continue;
    if (members.has(orgs.rep[j]!) || birthdayAt(persons.birth[orgs.rep[j]!]!, 18) > end) continue;
    members.add(orgs.rep[j]!);
    ring.push(j);
  }
  if (ring.length === RING_SIZE) {
    const ringDay = lastDay - RING_DAYS_AGO;
    for (let i = 0; i < RING_SIZE; i++) {
      const targets = Array.from({ length: RING_SIZE - 1 }, (_, d) => (i + 1 + d) % RING_SIZE)
        .filter((k) => (k + i) % 7 !== 0)
        .map((k) => ring[k]!);
      for (let j = 0; j < targets.length; j++) {
        const day = ringDay + Math.floor(j / RING_PER_DAY);
        const at = day * DAY + 2 * HOUR + i * 60_000 + (j % RING_PER_DAY) * 40 * 60_000;
        rate('ring', orgRated(targets[j]!, 5), orgs.rep[ring[i]!]!, at, 5, 5);
      }
    }
    plan.ring = {
      members: ring.map((j) => personId(persons, orgs.rep[j]!)),
      organizations: ring.map((j) => orgs.uscc[j]!),
    };
  }

  steps.sort((a, b) => a.ratedAt - b.ratedAt);
  // On the roster from well before the first service, open-ended.
  const from = new Date((firstDay - ROSTER_LEAD_DAYS) * DAY).toISOString().slice(0, 10);
  for (const r of plan.rosters) r.from = from;
  return plan;
};

/** What the demo's ratings became, for the summary. */
export interface DemoRatingsResult {
  /** Ratings were already on file: none were added (a second load). */
  skipped: boolean;
  ratings: number;
  /** Distinct rated subjects per kind. */
  rated: Record<RatedKind, number>;
  honest: number;
  comments: number;
  replies: number;
  /** Ratings held as they were submitted (the bombing's burst). */
  heldAtSubmission: number;
  /** Pending holds after the closing sweep, per reason: windows and ratings. */
  held: Record<string, { holds: number; ratings: number }>;
  /** Records the sweep made of sustained aggregates (through the catalogue), if any. */
  records: number;
  burst?: DemoRatingsPlan['burst'];
  ring?: { raters: number; organizations: number };
}

const emptyResult = (skipped: boolean): DemoRatingsResult => ({
  skipped,
  ratings: 0,
  rated: { doctor: 0, teacher: 0, public_body: 0, organization: 0 },
  honest: 0,
  comments: 0,
  replies: 0,
  heldAtSubmission: 0,
  held: {},
  records: 0,
});

const ctxAt = (ctx: Ctx, principal: Principal, purpose: string, ms: number): Ctx => ({
  ...ctx,
  principal,
  purpose,
  clock: fixedClock(new Date(ms)),
});

/**
 * What the sources need before they vouch (issue 16): each public body's service hall, registered
 * as that body's own source, and the rated doctors and teachers on the hospital's and the school's
 * rosters. What a load interrupted earlier registered already is kept.
 */
const registerVouching = async (ctx: Ctx, plan: DemoRatingsPlan, catalogue: Catalogue) => {
  for (const h of plan.halls) {
    if (await ctx.store.findSourceByCode(h.code)) continue;
    const body = await ctx.store.findSubjectByIdentifier(h.uscc);
    await registerSource({
      ctx: { ...ctx, purpose: 'register the demo service halls' },
      catalogue,
      input: {
        code: h.code,
        kind: 'local_government',
        name: `Service counter of ${body?.name ?? h.uscc}`,
        legalBasis: 'Regulations on Optimizing the Business Environment (State Council Decree No. 722, 2019)',
        organization: h.uscc,
      },
    });
  }
  const bySource = new Map<string, DemoRatingsPlan['rosters']>();
  for (const r of plan.rosters) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
  for (const [code, entries] of bySource) {
    const source = await ctx.store.findSourceByCode(code);
    if (!source) continue;
    const on = new Set(
      (await ctx.store.staff.listStaff(source.id)).map((s) => s.licenceNumber).filter((n) => n !== null),
    );
    const missing = entries.filter((e) => !on.has(e.licence));
    if (missing.length > 0)
      await addStaff({
        ctx: { ...ctx, purpose: 'register the demo rosters' },
        input: { code, staff: missing.map((e) => ({ licence: e.licence, from: e.from })) },
      });
  }
};

/**
 * Loads the demo's ratings through the verbs, then sweeps once so the ring is held. Skipped when
 * any rating is already on file, so loading the demo twice adds none.
 */
export const loadDemoRatings = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { options: DemoOptions; onProgress?: (ratings: number) => void };
  deps: SweepDeps;
}): Promise<DemoRatingsResult> => {
  if ((await ctx.store.ratings.listAllRatings(0, 1)).length > 0) return emptyResult(true);
  const plan = planDemoRatings(input.options, ctx.clock.now(), deps.policy.reveal.afterDays);
  await registerVouching(ctx, plan, deps.catalogue);
  const result = emptyResult(false);
  const rated: Record<RatedKind, Set<string>> = {
    doctor: new Set(),
    teacher: new Set(),
    public_body: new Set(),
    organization: new Set(),
  };
  // A source issues the tokens of a day's services in one call, at the first of them; tokens and
  // ratings then go in time order, so every token exists before its rating comes.
  const groups = new Map<string, number[]>();
  plan.steps.forEach((s, k) => {
    const key = `${s.source} ${Math.floor(s.issuedAt / DAY)}`;
    const g = groups.get(key);
    if (g) g.push(k);
    else groups.set(key, [k]);
  });
  const batches = [...groups.values()].flatMap((g) => {
    const out: number[][] = [];
    for (let i = 0; i < g.length; i += MAX_INTERACTIONS) out.push(g.slice(i, i + MAX_INTERACTIONS));
    return out;
  });
  const events: { t: number; what: 0 | 1 | 2; step: number }[] = [];
  batches.forEach((b, k) => {
    events.push({ t: Math.min(...b.map((i) => plan.steps[i]!.issuedAt)), what: 0, step: k });
  });
  plan.steps.forEach((s, k) => {
    events.push({ t: s.ratedAt, what: 1, step: k });
    if (s.replyAt !== undefined) events.push({ t: s.replyAt, what: 2, step: k });
  });
  events.sort((a, b) => a.t - b.t || a.what - b.what || a.step - b.step);
  // The population means (C of the IMDb form) are read at most once a minute while serving; a
  // whole demo load takes seconds, so they are read again every few hundred ratings here rather
  // than at every step of the demo's clock.
  let means: { at: number; value: Promise<[number, number]> } | undefined;
  const rdeps: SweepDeps = {
    ...deps,
    globalMean: (c) => {
      if (!means || result.ratings - means.at >= MEANS_EVERY)
        means = { at: result.ratings, value: deps.globalMean(c) };
      return means.value;
    },
  };
  const tokens: string[] = [];
  const submitted: SubmittedRating[] = [];
  for (const e of events) {
    if (e.what === 0) {
      const batch = batches[e.step]!;
      const source = plan.steps[batch[0]!]!.source;
      const day = new Date(e.t).toISOString().slice(0, 10);
      const issued = await issueInteractions({
        ctx: ctxAt(ctx, { id: `source:${source}`, role: 'source', ref: source }, 'services took place', e.t),
        input: {
          interactions: batch.map((k) => {
            const s = plan.steps[k]!;
            return { serving: s.serving, serviceDate: day, service: s.service };
          }),
        },
        deps: rdeps,
      });
      batch.forEach((k, i) => {
        tokens[k] = issued[i]!.token;
      });
      continue;
    }
    const s = plan.steps[e.step]!;
    if (e.what === 1) {
      const r = await submitRating({
        ctx: ctxAt(ctx, { id: `rater:${s.rater}`, role: 'rater', ref: s.rater }, 'rate a service', e.t),
        input: {
          token: tokens[e.step]!,
          professionalism: s.professionalism,
          honesty: s.honesty,
          ...(s.comment ? { comment: s.comment } : {}),
        },
        deps: rdeps,
      });
      submitted[e.step] = r;
      result.ratings++;
      rated[s.rated].add(s.subject);
      if (s.group === 'honest') result.honest++;
      if (r.comment_status !== 'none') result.comments++;
      if (r.status === 'held') result.heldAtSubmission++;
      if (result.ratings % 100 === 0) input.onProgress?.(result.ratings);
    } else {
      const r = submitted[e.step]!;
      if (r.status !== 'published' || r.comment_status !== 'published') continue;
      await replyToRating({
        ctx: ctxAt(
          ctx,
          { id: `subject:${s.subject}`, role: 'subject', ref: s.subject },
          'answer a rating of our service',
          e.t,
        ),
        input: { id: r.id, text: REPLIES[s.rated] },
        deps: rdeps,
      });
      result.replies++;
    }
  }
  input.onProgress?.(result.ratings);
  for (const kind of RATED_KINDS) result.rated[kind] = rated[kind].size;
  if (plan.steps.length > 0) {
    const sweepCtx = { ...ctx, clock: fixedClock(new Date(plan.sweepAt)) };
    result.records = (await sweepRatings({ ctx: sweepCtx, deps })).records.stored;
    for (let before: number | undefined; ; ) {
      const page = await listHeld({
        ctx: sweepCtx,
        input: { status: 'pending', limit: 200, ...(before !== undefined ? { before } : {}) },
      });
      for (const h of page.holds) {
        const x = result.held[h.reason] ?? { holds: 0, ratings: 0 };
        x.holds++;
        x.ratings += h.ratings;
        result.held[h.reason] = x;
      }
      if (page.next_before === null) break;
      before = page.next_before;
    }
  }
  if (plan.burst) result.burst = plan.burst;
  if (plan.ring)
    result.ring = { raters: plan.ring.members.length, organizations: plan.ring.organizations.length };
  return result;
};
