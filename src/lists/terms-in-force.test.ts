/** A listing keeps the terms in force when it was decided; later, harsher terms apply only after. */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scoreSubject } from '../scoring/engine.ts';
import { parseScoringPolicy } from '../scoring/index.ts';
import { DEFAULT_SCORING_POLICY_PATH } from '../scoring/policy.ts';
import { parseListPolicy } from './list-policy.ts';
import { withTermsInForce } from './terms-in-force.ts';
import {
  catalogue,
  entriesOf,
  listsText,
  on,
  organization,
  person,
  record,
  lists as shipped,
} from './test-helpers.ts';

const TAX = 'black.serious_tax_violations';
const CHANGE = '2026-03-01';
const withText = (from: string, to: string) => {
  expect(listsText).toContain(from);
  return parseListPolicy(listsText.replace(from, to), 'lists.yaml');
};
const taxCase = (day: string, id: number) =>
  record('tax.serious_evasion', day, { id, amount: 2_000_000, evidence: `case-${id}` });

describe('listing terms in force when decided', () => {
  // Until 1 March 2026 the shipped terms (36 months); from then, 60 months.
  const longer = withTermsInForce(
    withText(
      'duration_months: 36\n    exit_on: [tax.evasion_settled]',
      'duration_months: 60\n    exit_on: [tax.evasion_settled]',
    ),
    [{ from: '2020-01-01', policy: shipped }],
    CHANGE,
  );

  it('keeps the term of a listing decided before a longer one came in force, and gives the new term after', () => {
    const before = on(entriesOf(person(), [taxCase('2025-06-01', 1)], '2026-06-01', { lists: longer }), TAX);
    expect(before.map((e) => [e.status, e.from, e.until])).toEqual([['active', '2025-06-01', '2028-06-01']]);
    const after = on(entriesOf(person(), [taxCase('2026-04-01', 2)], '2026-06-01', { lists: longer }), TAX);
    expect(after.map((e) => [e.status, e.from, e.until])).toEqual([['active', '2026-04-01', '2031-04-01']]);
  });

  it('applies a shorter term to listings decided before it (the milder rule)', () => {
    const shorter = withTermsInForce(
      withText(
        'duration_months: 36\n    exit_on: [tax.evasion_settled]',
        'duration_months: 12\n    exit_on: [tax.evasion_settled]',
      ),
      [{ from: '2020-01-01', policy: shipped }],
      CHANGE,
    );
    const e = on(entriesOf(person(), [taxCase('2025-06-01', 3)], '2026-09-01', { lists: shorter }), TAX);
    expect(e.map((x) => [x.status, x.until])).toEqual([['ended', '2026-06-01']]);
  });

  it('does not list for a record that entered the list only under later terms, nor under a lower threshold', () => {
    const lower = withTermsInForce(
      withText('tax.serious_evasion: 1000000', 'tax.serious_evasion: 100000'),
      [{ from: '2020-01-01', policy: shipped }],
      CHANGE,
    );
    const small = (day: string, id: number) =>
      record('tax.serious_evasion', day, { id, amount: 500_000, evidence: `case-${id}` });
    expect(on(entriesOf(person(), [small('2025-06-01', 4)], '2026-06-01', { lists: lower }), TAX)).toEqual(
      [],
    );
    expect(
      on(entriesOf(person(), [small('2026-04-01', 5)], '2026-06-01', { lists: lower }), TAX).map(
        (e) => e.status,
      ),
    ).toEqual(['active']);
  });

  it('the direct grade that follows a listing keeps the listing term of its day too', () => {
    // The court list's 24 months made 84: a case decided before stays graded D (DA–DC) for the five years
    // a D counts at least, not seven.
    const court = withTermsInForce(
      withText('duration_months: 24', 'duration_months: 84'),
      [{ from: '2020-01-01', policy: shipped }],
      CHANGE,
    );
    const text = readFileSync(DEFAULT_SCORING_POLICY_PATH, 'utf8');
    const defaulter = record('court.judgment_defaulter', '2025-06-01', { id: 7, evidence: '(2025) case 7' });
    const grade = (l: typeof shipped, asOf: string) =>
      scoreSubject({
        subject: person(),
        records: [defaulter],
        policy: parseScoringPolicy(text, catalogue, DEFAULT_SCORING_POLICY_PATH, l),
        catalogue,
        asOf,
      }).grade;
    const unchanged = withText('duration_months: 24', 'duration_months: 84');
    expect(grade(unchanged, '2031-01-01')).toMatch(/^D/);
    expect(grade(court, '2031-01-01')).toBe(grade(shipped, '2031-01-01'));
    expect(grade(court, '2031-01-01')).not.toMatch(/^D/);
  });

  describe('every term that could lengthen or start a listing is the one of its day', () => {
    const court = 'black.court_defaulters';
    const since = (from: string, to: string) =>
      withTermsInForce(withText(from, to), [{ from: '2020-01-01', policy: shipped }], CHANGE);
    const defaulter = (day: string, id: number) =>
      record('court.judgment_defaulter', day, { id, amount: 80_000, evidence: `(2025) case ${id}` });

    it('a type made open-ended later does not make an earlier listing endless', () => {
      const l = since(
        'open_ended_for: [court.judgment_defaulter_refusing]',
        'open_ended_for: [court.judgment_defaulter_refusing, court.judgment_defaulter]',
      );
      const e = on(entriesOf(person(), [defaulter('2025-06-01', 11)], '2028-01-01', { lists: l }), court);
      expect(e.map((x) => [x.status, x.until])).toEqual([['ended', '2027-06-01']]);
    });

    it('a wider repeat rule lists nobody for conduct decided before it', () => {
      const l = since(
        '        count: 2\n        within_months: 12',
        '        count: 2\n        within_months: 24',
      );
      const org = organization(1);
      const violations = [
        record('market.administrative_penalty', '2024-06-01', { id: 12 }),
        record('market.administrative_penalty', '2025-09-01', { id: 13 }),
      ];
      expect(on(entriesOf(org, violations, '2026-06-01', { lists: l }), 'focus.abnormal_operation')).toEqual(
        [],
      );
      // The same two after the change list it.
      const after = [
        record('market.administrative_penalty', '2026-03-10', { id: 14 }),
        record('market.administrative_penalty', '2027-09-01', { id: 15 }),
      ];
      expect(
        on(entriesOf(org, after, '2027-10-01', { lists: l }), 'focus.abnormal_operation').map(
          (x) => x.status,
        ),
      ).toEqual(['active']);
    });

    it('a higher extension ceiling does not reach a listing decided before it', () => {
      const l = since('      by_months_max: 36', '      by_months_max: 72');
      const obstructions = [1, 2, 3, 4, 5].map((k) =>
        record('court.violent_obstruction', `2026-0${k + 3}-01`, { id: 20 + k, evidence: '(2025) case 16' }),
      );
      const records = [defaulter('2025-06-01', 16), ...obstructions];
      const under = (lists: typeof shipped) =>
        on(entriesOf(person(), records, '2026-12-01', { lists }), court).map((x) => x.until);
      expect(under(l)).toEqual(under(shipped));
    });

    it('a decision dated the day the longer term came in force gets the shorter one', () => {
      const e = on(entriesOf(person(), [taxCase(CHANGE, 17)], '2026-06-01', { lists: longer }), TAX);
      expect(e.map((x) => x.until)).toEqual(['2029-03-01']);
    });
  });
});
