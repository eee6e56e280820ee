import { describe, expect, it } from 'vitest';
import { type CredenceError, isCredenceError } from '../shared/errors.ts';
import { DEFAULT_SCORING_POLICY_PATH, loadScoringPolicyFile, parseScoringPolicy } from './index.ts';
import { catalogue, lists, policy, policyText } from './test-helpers.ts';

const errorOf = (fn: () => unknown): CredenceError => {
  try {
    fn();
  } catch (e) {
    if (isCredenceError(e)) return e;
    throw e;
  }
  throw new Error('expected a CredenceError');
};

describe('the scoring policy file', () => {
  it('the default loads, identified by the sha256 of its text', async () => {
    const loaded = await loadScoringPolicyFile(DEFAULT_SCORING_POLICY_PATH, catalogue, lists);
    expect(loaded.version).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.version).toBe(policy.version);
    expect(loaded).toMatchObject({
      label: '2026.1',
      base: 1000,
      grades: { AAA: 1050, AA: 1030, A: 960, B: 850, C: 600 },
      disputedCounts: false,
      combine: { method: 'sum' },
    });
    expect(loaded.linkage.exclude).toContain('court.judgment_defaulter');
    expect(loaded.cures[0]).toEqual({
      type: 'court.judgment_defaulter',
      curedBy: ['court.judgment_performed', 'court.settlement_reached'],
      becomes: { points: -50, years: 2 },
    });
    // The defaulter's direct grade follows the court list's entry: one calendar.
    expect(loaded.types.get('court.judgment_defaulter')?.directGradeFollowsList).toBe(
      'black.court_defaulters',
    );
    expect(loaded.listTerms.get('black.court_defaulters')).toBe(lists.byCode.get('black.court_defaulters'));
  });

  it('a bad file reports every problem with its path and line', () => {
    const bad = policyText
      .replace('base: 1000', 'base: "high"')
      .replace('AA: 1030', 'AA: 1060')
      .replace('multiplier: 2', 'multiplier: 2\n  typo: 1')
      .replace(
        '    - court.judgment_defaulter_refusing\n\n# Per-type',
        '    - court.judgment_defaulter_refusing\n    - court.no_such_type\n\n# Per-type',
      )
      .replace(
        'cured_by: [court.judgment_performed, court.settlement_reached]',
        'cured_by: court.judgment_defaulter',
      )
      .replace('method: sum', 'method: weighted')
      .replace('{ at_least: 30, points: 5 }', '{ at_least: 5, points: 5 }');
    const e = errorOf(() => parseScoringPolicy(bad, catalogue, 'bad.yaml', lists));
    expect(e.code).toBe('invalid_input');
    const fields = e.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['base', 'repeat.typo']));
    // Cross-field checks run once the shape is right; so check them on a file with only those.
    expect(e.message).toMatch(/^bad\.yaml: the scoring policy has \d+ problems/);
    for (const issue of e.issues) expect(issue.line).toBeGreaterThan(0);

    const crossBad = policyText
      .replace('AA: 1030', 'AA: 1060')
      .replace(
        '    - court.judgment_defaulter_refusing\n\n# Per-type',
        '    - court.judgment_defaulter_refusing\n    - court.no_such_type\n\n# Per-type',
      )
      .replace(
        'cured_by: [court.judgment_performed, court.settlement_reached]',
        'cured_by: court.judgment_defaulter',
      )
      .replace('method: sum', 'method: weighted')
      .replace('{ at_least: 30, points: 5 }', '{ at_least: 5, points: 5 }');
    const cross = errorOf(() => parseScoringPolicy(crossBad, catalogue, 'bad.yaml', lists));
    expect(cross.issues.map((i) => i.field).sort()).toEqual(
      [
        'grades.AA',
        'linkage.exclude[2]',
        'cures[0].cured_by',
        'combine.weights',
        'types.social.volunteer_hours.steps[1].at_least',
      ].sort(),
    );
    expect(cross.message).toContain('linkage.exclude[2]: unknown record type "court.no_such_type"');
  });

  it('names unknown record types under types, and steps on a type without amounts', () => {
    const text = policyText.replace(
      'types:\n',
      'types:\n  police.made_up: { points: -5 }\n  traffic.warning: { steps: [{ at_least: 1, points: -5 }] }\n',
    );
    const e = errorOf(() => parseScoringPolicy(text, catalogue, 'scoring policy', lists));
    expect(e.issues.map((i) => i.field)).toEqual(['types.police.made_up', 'types.traffic.warning.steps']);
  });

  it("refuses linkage of a listing the list policy does not also put on an organization's representative", () => {
    // Both kinds of court defaulter listing are excluded: the court does not list the legal
    // representative of an organization it lists (2019), so linkage must not grade him for it.
    expect(policy.linkage.exclude).toEqual(
      expect.arrayContaining(['court.judgment_defaulter', 'court.judgment_defaulter_refusing']),
    );
    const e = errorOf(() =>
      parseScoringPolicy(
        policyText.replace('    - court.judgment_defaulter_refusing\n', ''),
        catalogue,
        'scoring policy',
        lists,
      ),
    );
    expect(e.issues.map((i) => i.field)).toEqual(['linkage.exclude']);
    expect(e.message).toMatch(
      /court.judgment_defaulter_refusing enters list black.court_defaulters, which does not also list an organization's legal representative/,
    );
  });

  it('a cure that leaves a deduction says for how long; one that leaves nothing needs no years', () => {
    expect(policy.cures.find((c) => c.type === 'court.consumption_restriction')?.becomes).toEqual({
      points: 0,
      years: 0,
    });
    const e = errorOf(() =>
      parseScoringPolicy(
        policyText.replace('becomes: { points: 0 }', 'becomes: { points: -10 }'),
        catalogue,
        'scoring policy',
        lists,
      ),
    );
    expect(e.issues.map((i) => i.field)).toEqual([expect.stringMatching(/^cures\[\d\]\.becomes\.years$/)]);
  });

  it('a grade that follows a list needs the list policy, and a list the type enters', () => {
    const e = errorOf(() => parseScoringPolicy(policyText, catalogue));
    expect(e.issues.map((i) => i.field)).toEqual([
      'types.court.judgment_defaulter.direct_grade_follows_list',
      'types.court.judgment_defaulter_refusing.direct_grade_follows_list',
    ]);
    expect(e.message).toMatch(/parse the scoring policy with the list policy/);
    const wrong = errorOf(() =>
      parseScoringPolicy(
        policyText.replace(
          'types:\n',
          'types:\n  police.drunk_driving: { direct_grade_follows_list: black.court_defaulters }\n',
        ),
        catalogue,
        'scoring policy',
        lists,
      ),
    );
    expect(wrong.message).toMatch(/list black.court_defaulters is not entered by police.drunk_driving/);
  });

  it('the catalogue says how long a record counts; a window that disagrees is reported', () => {
    // The shipped catalogue agrees with the city points windows.
    expect(() => parseScoringPolicy(policyText, catalogue, 'scoring policy', lists)).not.toThrow();
    const e = errorOf(() =>
      parseScoringPolicy(
        policyText.replace('small_deduction_years: 1', 'small_deduction_years: 2'),
        catalogue,
        'scoring policy',
        lists,
      ),
    );
    expect(e.issues.every((i) => i.field === 'catalogue_validity')).toBe(true);
    expect(e.message).toMatch(
      /validity_years of traffic.warning is 1; the scoring policy's windows say 2 \(a deduction up to 40 points\)/,
    );
    // A points override that moves a type across the threshold must move its validity too.
    const moved = errorOf(() =>
      parseScoringPolicy(
        policyText.replace('types:\n', 'types:\n  traffic.warning: { points: -50 }\n'),
        catalogue,
        'scoring policy',
        lists,
      ),
    );
    expect(moved.message).toMatch(/validity_years of traffic.warning is 1/);
    // A type rule can no longer state its own years.
    expect(() =>
      parseScoringPolicy(
        policyText.replace('types:\n', 'types:\n  traffic.warning: { years: 2 }\n'),
        catalogue,
        'scoring policy',
        lists,
      ),
    ).toThrow(/types.traffic.warning.years/);
  });

  it('a step deducting over the threshold needs the longer window, as points over it do', () => {
    // REFERENCE (city points): deductions up to 40 points 1 year, over 40 points 2 years. The
    // catalogue keeps tax.arrears 1 year, right for −20/−30, wrong once large arrears count −80.
    const large = policyText.replace(
      '{ at_least: 100000, points: -30 }',
      '{ at_least: 100000, points: -80 }',
    );
    expect(large).not.toBe(policyText);
    const e = errorOf(() => parseScoringPolicy(large, catalogue, 'scoring.yaml', lists));
    expect(e.code).toBe('invalid_input');
    expect(e.issues).toEqual([
      {
        field: 'catalogue_validity',
        line: expect.any(Number),
        message:
          "catalogue_validity: the catalogue's validity_years of tax.arrears is 1; the scoring policy's windows say 2 (a deduction over 40 points: types.tax.arrears.steps[1] deducts 80 from an amount of 100000)",
      },
    ]);
    // An addition among the steps of a deduction is held to the additions' window too.
    const added = errorOf(() =>
      parseScoringPolicy(
        policyText
          .replace('addition_years: { min: 1, max: 5 }', 'addition_years: { min: 2, max: 5 }')
          .replace(
            '{ at_least: 100000, points: -30 }',
            '{ at_least: 100000, points: -30 }\n      - { at_least: 200000, points: 5 }',
          ),
        catalogue,
        'scoring.yaml',
        lists,
      ),
    );
    expect(added.issues.map((i) => i.message)).toContain(
      "catalogue_validity: the catalogue's validity_years of tax.arrears is 1; the scoring policy's windows say 2 to 5 (an addition: types.tax.arrears.steps[2] adds 5 from an amount of 200000)",
    );
  });

  it('reports YAML syntax errors with their line, and an unreadable file plainly', async () => {
    const e = errorOf(() => parseScoringPolicy('base: [1000\n', catalogue));
    expect(e.message).toMatch(/not valid YAML/);
    await expect(loadScoringPolicyFile('/nonexistent/scoring.yaml', catalogue)).rejects.toThrow(
      /cannot read/,
    );
  });
});
