import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_PATH, parseCatalogue } from '../catalogue/index.ts';
import { type CredenceError, isCredenceError } from '../shared/errors.ts';
import {
  checkRatingsPolicy,
  DEFAULT_RATINGS_POLICY_PATH,
  loadRatingsPolicy,
  parseRatingsPolicy,
} from './policy.ts';

const policyText = readFileSync(DEFAULT_RATINGS_POLICY_PATH, 'utf8');
const catalogueText = readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8');

const item = (code: string, domain: string, kinds: string, polarity: string) => `
  - code: ${code}
    name: Sustained ${polarity} service rating
    description: Citizens' ratings of the subject's service stayed beyond the policy threshold over the period.
    domain: ${domain}
    subject_kinds: [${kinds}]
    polarity: ${polarity}
    severity: minor
    points: ${polarity === 'negative' ? -5 : 5}
    validity_years: 1
    amount: none
    data_category: ${domain === 'government' ? 'public_service' : 'professional_conduct'}
    legal_basis: Issue 16 (test item).
    source_kinds: [citizen_ratings]
`;

/** The shipped catalogue, with the four rating record types added when it does not carry them yet. */
const catalogueWith = (items: Record<string, string>) => {
  let text = catalogueText.trimEnd();
  for (const [code, yaml] of Object.entries(items))
    if (!new RegExp(`code: ${code.replace('.', '\\.')}\\n`).test(catalogueText)) text += `\n${yaml}`;
  return parseCatalogue(`${text}\n`);
};
const catalogue = catalogueWith({
  'social.service_rating_low': item(
    'social.service_rating_low',
    'social',
    'person, organization',
    'negative',
  ),
  'social.service_rating_high': item(
    'social.service_rating_high',
    'social',
    'person, organization',
    'positive',
  ),
  'gov.service_rating_low': item('gov.service_rating_low', 'government', 'public_body', 'negative'),
  'gov.service_rating_high': item('gov.service_rating_high', 'government', 'public_body', 'positive'),
});

const errorOf = (fn: () => unknown): CredenceError => {
  try {
    fn();
  } catch (e) {
    if (isCredenceError(e)) return e;
    throw e;
  }
  throw new Error('expected a CredenceError');
};

describe('the ratings policy', () => {
  it('the shipped file loads, identified by sha256, with the issue defaults', async () => {
    const p = await loadRatingsPolicy();
    expect(p.version).toMatch(/^[0-9a-f]{64}$/);
    expect(p.tokens.redeemWindowDays).toBe(30);
    expect(p.aggregation).toEqual({ minCount: 10, z: 1.96 });
    expect(p.records.types.public_body).toEqual({
      low: 'gov.service_rating_low',
      high: 'gov.service_rating_high',
    });
    expect(p.rings.minRaters).toBe(5);
    expect(p.reveal).toEqual({ afterDays: 14 });
  });

  it('refuses a reveal delay that is missing or not a whole number of days from 1 to 365', () => {
    for (const [from, to] of [
      ['after_days: 14', 'after_days: 0'],
      ['after_days: 14', 'after_days: 2.5'],
      ['after_days: 14', 'after_weeks: 2'],
    ] as const) {
      const e = errorOf(() => parseRatingsPolicy(policyText.replace(from, to), 'ratings.yaml'));
      expect(e.code).toBe('invalid_input');
      expect(e.issues.map((i) => i.field)).toContain('reveal.after_days');
    }
  });

  it('judges bursts at a day, a week and a month, and refuses windows out of order or none', async () => {
    const p = await loadRatingsPolicy();
    expect(p.bursts.windows).toEqual([
      { hours: 24, minRatings: 20 },
      { hours: 168, minRatings: 30 },
      { hours: 720, minRatings: 40 },
    ]);
    expect([p.bursts.windowHours, p.bursts.minRatings, p.bursts.longestHours]).toEqual([24, 20, 720]);
    for (const [from, to] of [
      ['- { hours: 168, min_ratings: 30 }', '- { hours: 12, min_ratings: 30 }'],
      [
        '    - { hours: 24, min_ratings: 20 }\n    - { hours: 168, min_ratings: 30 }\n    - { hours: 720, min_ratings: 40 }\n',
        '    []\n',
      ],
    ] as const) {
      expect(policyText).toContain(from);
      const e = errorOf(() => parseRatingsPolicy(policyText.replace(from, to), 'ratings.yaml'));
      expect(e.issues.map((i) => i.field)).toContain('bursts.windows');
    }
  });

  it('checks clean against a catalogue carrying its record types', () => {
    expect(checkRatingsPolicy(parseRatingsPolicy(policyText), catalogue)).toEqual([]);
  });

  it('names unknown codes, wrong polarity, wrong domain and kind, with their lines', () => {
    const text = policyText
      .replace(
        'public_body: { low: gov.service_rating_low, high: gov.service_rating_high }',
        'public_body: { low: social.service_rating_low, high: gov.no_such_type }',
      )
      .replace(
        'person: { low: social.service_rating_low, high: social.service_rating_high }',
        'person: { low: social.service_rating_high, high: social.service_rating_high }',
      );
    const problems = checkRatingsPolicy(parseRatingsPolicy(text), catalogue);
    const by = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);
    expect(by('records.types.public_body.high')).toEqual(['"gov.no_such_type" is not in the catalogue']);
    expect(by('records.types.public_body.low').join('\n')).toMatch(/social domain.*government/);
    expect(by('records.types.public_body.low').join('\n')).toMatch(/does not apply to a public_body/);
    expect(by('records.types.person.low')).toEqual([
      '"social.service_rating_high" is positive; a low aggregate makes a negative record',
    ]);
    expect(problems.every((p) => p.line !== undefined && p.file === 'ratings')).toBe(true);
  });

  it('refuses thresholds out of 1..5, low not below high, unknown and missing fields', () => {
    const e = errorOf(() =>
      parseRatingsPolicy(
        policyText
          .replace('low: 2.5', 'low: 4.8')
          .replace('high: 4.5', 'high: 6')
          .replace('min_raters: 5', 'min_raters: 5\n  max_raters: 9')
          .replace('  min_lift: 2\n', ''),
        'ratings.yaml',
      ),
    );
    expect(e.code).toBe('invalid_input');
    const fields = e.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['rings.max_raters', 'rings.min_lift']));
    // Cross-field rules run once the shape is right.
    const t = errorOf(() =>
      parseRatingsPolicy(policyText.replace('low: 2.5', 'low: 4.8').replace('high: 4.5', 'high: 6')),
    );
    expect(t.issues.map((i) => i.message)).toEqual([
      'records.high: high must be between 1 and 5 stars (got 6)',
    ]);
    const u = errorOf(() => parseRatingsPolicy(policyText.replace('low: 2.5', 'low: 4.5')));
    expect(u.issues.map((i) => i.message)).toEqual(['records.low: low (4.5) must be below high (4.5)']);
    // A ring must be recent within the evidence it is judged on.
    const w = errorOf(() =>
      parseRatingsPolicy(policyText.replace('  window_days: 90\n', '  window_days: 400\n')),
    );
    expect(w.issues.map((i) => i.field)).toEqual(['rings.window_days']);
    expect(t.issues.every((i) => typeof i.line === 'number')).toBe(true);
  });
});
