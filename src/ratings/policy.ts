/**
 * The ratings policy (policies/ratings.yaml): tokens, comments, reveal delay, rate limits, aggregation, rater
 * weights, the detectors' thresholds and the thresholds that turn a sustained aggregate into a
 * record. Data only, checked on load; `checkRatingsPolicy` checks it against the catalogue.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  type Catalogue,
  type Domain,
  MAX_DAILY_SERVICE_VOLUME,
  type SubjectKind,
} from '../catalogue/index.ts';
import { formatPath, type Path, parsePolicyYaml, readPolicyText } from '../shared/policy-yaml.ts';

export const DEFAULT_RATINGS_POLICY_PATH = fileURLToPath(
  new URL('../../policies/ratings.yaml', import.meta.url),
);

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected ${what} (a whole number)` })
    .int({ error: `expected ${what} (a whole number)` })
    .min(min, { error: `${what} must be between ${min} and ${max}` })
    .max(max, { error: `${what} must be between ${min} and ${max}` });
const num = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected ${what} (a number)` })
    .min(min, { error: `${what} must be between ${min} and ${max}` })
    .max(max, { error: `${what} must be between ${min} and ${max}` });
// Thresholds are read as stars; whether they lie in 1..5 is one rule, `thresholdProblems`.
const stars = z.number({ error: 'expected a number of stars' });
const code = z.string({ error: 'expected a record type code (text)' }).min(1);
const typesSchema = z.strictObject({ low: code, high: code });

const schema = z.strictObject({
  ratings_version: z.string({ error: 'expected a version label (text), e.g. "2026.1"' }).trim().min(1),
  tokens: z.strictObject({
    redeem_window_days: int('a number of days', 1, 365),
    default_daily_service_volume: int('a daily volume', 1, MAX_DAILY_SERVICE_VOLUME),
    volume_factor: num('a factor', 1, 100),
  }),
  comments: z.strictObject({ max_length: int('a length', 1, 10_000) }),
  reveal: z.strictObject({ after_days: int('a number of days', 1, 365) }),
  rate_limits: z.strictObject({ per_rater_per_day: int('a count', 1, 1000) }),
  aggregation: z.strictObject({ min_count: int('a count', 1, 10_000), z: num('z', 0, 10) }),
  weights: z.strictObject({
    base: num('base', 0, 1),
    growth: num('growth', 0.001, 10_000),
    agree_within: num('a number of stars', 0, 4),
  }),
  bursts: z.strictObject({
    windows: z
      .array(
        z.strictObject({
          hours: int('a number of hours', 1, 24 * 90),
          min_ratings: int('a count', 2, 1_000_000),
        }),
        { error: 'expected a list of windows, each { hours, min_ratings }' },
      )
      .min(1, { error: 'at least one window' })
      .refine((w) => w.every((x, i) => i === 0 || x.hours > w[i - 1]!.hours), {
        error: 'windows must be listed from the shortest to the longest, each longer than the one before',
      }),
    history_days: int('a number of days', 1, 3650),
    volume_factor: num('a factor', 1, 1000),
    mean_shift: num('a number of stars', 0, 4),
    max_effect: num('a number of stars', 0, 4),
  }),
  rings: z
    .strictObject({
      min_raters: int('a count', 2, 10_000),
      min_shared_subjects: int('a count', 2, 1000),
      horizon_days: int('a number of days', 1, 3650),
      window_days: int('a number of days', 1, 3650),
      min_lift: num('a lift (times as often as chance)', 2, 1_000_000),
      min_effect: num('a number of stars', 0, 4),
    })
    .refine((r) => r.window_days <= r.horizon_days, {
      error: 'window_days (how recent a ring must be to be judged) cannot exceed horizon_days',
      path: ['window_days'],
    }),
  connected: z.strictObject({ share: num('a share', 0, 1), min_ratings: int('a count', 1, 1_000_000) }),
  duplicates: z.strictObject({ min_raters: int('a count', 2, 1_000_000) }),
  records: z.strictObject({
    period_days: int('a number of days', 1, 3650),
    windows: int('a number of windows', 1, 365),
    min_window_count: int('a count', 1, 1_000_000),
    low: stars,
    high: stars,
    types: z.strictObject({ person: typesSchema, organization: typesSchema, public_body: typesSchema }),
  }),
});

export interface RatingsPolicy {
  /** SHA-256 of the file text: the policy's identity. */
  version: string;
  /** The human label (`ratings_version`). */
  label: string;
  tokens: { redeemWindowDays: number; defaultDailyServiceVolume: number; volumeFactor: number };
  comments: { maxLength: number };
  /** Days after its submission before a rating is shown one by one (stars, comment, day). */
  reveal: { afterDays: number };
  rateLimits: { perRaterPerDay: number };
  aggregation: { minCount: number; z: number };
  weights: { base: number; growth: number; agreeWithin: number };
  bursts: {
    /** The window lengths judged, shortest first, each with the volume it needs. */
    windows: readonly { hours: number; minRatings: number }[];
    /** The shortest window's length and volume (windows[0]). */
    windowHours: number;
    minRatings: number;
    /** The longest window's length, hours. */
    longestHours: number;
    historyDays: number;
    volumeFactor: number;
    meanShift: number;
    /** Stars by which a window alone would move the subject's mean (with history to compare). */
    maxEffect: number;
  };
  rings: {
    minRaters: number;
    /** Subjects of the block each member rates. */
    minSharedSubjects: number;
    /** Days before the run whose ratings are the evidence (a slow ring is whole within them). */
    horizonDays: number;
    /** A ring is judged only when one of its ratings is this recent. */
    windowDays: number;
    /** Times as often as chance the members rate the block's subjects. */
    minLift: number;
    /** Stars by which the members' ratings alone move their subjects' mean. */
    minEffect: number;
  };
  connected: { share: number; minRatings: number };
  duplicates: { minRaters: number };
  records: {
    periodDays: number;
    windows: number;
    minWindowCount: number;
    low: number;
    high: number;
    types: Record<SubjectKind, { low: string; high: string }>;
  };
  /** The line of a path of the file (`['records', 'types', 'person', 'low']`), for messages. */
  lineOf: (path: Path) => number | undefined;
}

/** One problem of the ratings policy against itself or the catalogue. */
export interface RatingsPolicyProblem {
  level: 'error';
  file: 'ratings';
  /** e.g. `records.types.public_body.low` */
  path: string;
  line?: number;
  message: string;
}

/** The thresholds' rule, stated once: both within 1..5 stars, low below high. */
const thresholdProblems = (low: number, high: number, report: (path: Path, problem: string) => void) => {
  if (!(low >= 1 && low <= 5)) report(['records', 'low'], `low must be between 1 and 5 stars (got ${low})`);
  if (!(high >= 1 && high <= 5))
    report(['records', 'high'], `high must be between 1 and 5 stars (got ${high})`);
  if (low >= high) report(['records', 'low'], `low (${low}) must be below high (${high})`);
};

/** Parses the policy text; `invalid_input` listing every problem with its field and line. */
export const parseRatingsPolicy = (text: string, origin = DEFAULT_RATINGS_POLICY_PATH): RatingsPolicy => {
  const {
    data: d,
    version,
    lineOf,
  } = parsePolicyYaml(text, origin, 'ratings policy', schema, (d, report) =>
    thresholdProblems(d.records.low, d.records.high, report),
  );
  const t = d.records.types;
  return {
    version,
    label: d.ratings_version,
    tokens: {
      redeemWindowDays: d.tokens.redeem_window_days,
      defaultDailyServiceVolume: d.tokens.default_daily_service_volume,
      volumeFactor: d.tokens.volume_factor,
    },
    comments: { maxLength: d.comments.max_length },
    reveal: { afterDays: d.reveal.after_days },
    rateLimits: { perRaterPerDay: d.rate_limits.per_rater_per_day },
    aggregation: { minCount: d.aggregation.min_count, z: d.aggregation.z },
    weights: { base: d.weights.base, growth: d.weights.growth, agreeWithin: d.weights.agree_within },
    bursts: {
      windows: d.bursts.windows.map((w) => ({ hours: w.hours, minRatings: w.min_ratings })),
      windowHours: d.bursts.windows[0]!.hours,
      minRatings: d.bursts.windows[0]!.min_ratings,
      longestHours: d.bursts.windows[d.bursts.windows.length - 1]!.hours,
      historyDays: d.bursts.history_days,
      volumeFactor: d.bursts.volume_factor,
      meanShift: d.bursts.mean_shift,
      maxEffect: d.bursts.max_effect,
    },
    rings: {
      minRaters: d.rings.min_raters,
      minSharedSubjects: d.rings.min_shared_subjects,
      horizonDays: d.rings.horizon_days,
      windowDays: d.rings.window_days,
      minLift: d.rings.min_lift,
      minEffect: d.rings.min_effect,
    },
    connected: { share: d.connected.share, minRatings: d.connected.min_ratings },
    duplicates: { minRaters: d.duplicates.min_raters },
    records: {
      periodDays: d.records.period_days,
      windows: d.records.windows,
      minWindowCount: d.records.min_window_count,
      low: d.records.low,
      high: d.records.high,
      types: {
        person: { ...t.person },
        organization: { ...t.organization },
        public_body: { ...t.public_body },
      },
    },
    lineOf,
  };
};

/** Reads and parses the ratings policy file (default: policies/ratings.yaml). */
export const loadRatingsPolicy = async (path: string = DEFAULT_RATINGS_POLICY_PATH): Promise<RatingsPolicy> =>
  parseRatingsPolicy(await readPolicyText(path, 'ratings policy'), path);

/** The domain a rated subject's rating records belong to (issue 16). */
const RECORD_DOMAIN: Record<SubjectKind, Domain> = {
  person: 'social',
  organization: 'social',
  public_body: 'government',
};

/**
 * Every problem of the policy against the catalogue: each record code catalogued, negative for
 * `low` and positive for `high`, in the social domain for persons and organizations and the
 * government-affairs domain for public bodies, open to that kind of subject; thresholds within
 * 1..5 with low below high. Empty when the policy is fit to run.
 */
export const checkRatingsPolicy = (policy: RatingsPolicy, catalogue: Catalogue): RatingsPolicyProblem[] => {
  const problems: RatingsPolicyProblem[] = [];
  const report = (path: Path, message: string) => {
    const line = policy.lineOf(path);
    problems.push({
      level: 'error',
      file: 'ratings',
      path: formatPath(path),
      ...(line === undefined ? {} : { line }),
      message,
    });
  };
  thresholdProblems(policy.records.low, policy.records.high, report);
  for (const kind of Object.keys(RECORD_DOMAIN) as SubjectKind[]) {
    for (const side of ['low', 'high'] as const) {
      const path = ['records', 'types', kind, side];
      const c = policy.records.types[kind][side];
      const item = catalogue.get(c);
      if (!item) {
        report(path, `"${c}" is not in the catalogue`);
        continue;
      }
      const polarity = side === 'low' ? 'negative' : 'positive';
      if (item.polarity !== polarity)
        report(path, `"${c}" is ${item.polarity}; a ${side} aggregate makes a ${polarity} record`);
      if (item.domain !== RECORD_DOMAIN[kind])
        report(
          path,
          `"${c}" is in the ${item.domain} domain; a ${kind}'s rating records are ${RECORD_DOMAIN[kind]}`,
        );
      if (!item.subject_kinds.includes(kind)) report(path, `"${c}" does not apply to a ${kind}`);
    }
  }
  return problems;
};
