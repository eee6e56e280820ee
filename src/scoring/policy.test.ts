import { describe, expect, it } from 'vitest';
import { type CredenceError, isCredenceError } from '../shared/errors.ts';
import { DEFAULT_SCORING_POLICY_PATH, loadScoringPolicyFile, parseScoringPolicy } from './index.ts';
import { catalogue, policy, policyText } from './test-helpers.ts';

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
    const loaded = await loadScoringPolicyFile(DEFAULT_SCORING_POLICY_PATH, catalogue);
    expect(loaded.version).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.version).toBe(policy.version);
    expect(loaded).toMatchObject({
      label: '2026.1',
      base: 1000,
      grades: { AAA: 1050, AA: 1030, A: 960, B: 850, C: 600 },
      directGradeYears: { B: 2, C: 3, D: 5 },
      disputedCounts: false,
      combine: { method: 'sum' },
    });
    expect(loaded.linkage.exclude).toContain('court.judgment_defaulter');
    expect(loaded.cures).toEqual([
      {
        type: 'court.judgment_defaulter',
        curedBy: 'court.judgment_performed',
        becomes: { points: -50, years: 2 },
      },
    ]);
  });

  it('a bad file reports every problem with its path and line', () => {
    const bad = policyText
      .replace('base: 1000', 'base: "high"')
      .replace('AA: 1030', 'AA: 1060')
      .replace('multiplier: 2', 'multiplier: 2\n  typo: 1')
      .replace('    - court.judgment_defaulter\n\n# Per-type', '    - court.no_such_type\n\n# Per-type')
      .replace('cured_by: court.judgment_performed', 'cured_by: court.judgment_defaulter')
      .replace('method: sum', 'method: weighted')
      .replace('{ at_least: 30, points: 5 }', '{ at_least: 5, points: 5 }');
    const e = errorOf(() => parseScoringPolicy(bad, catalogue, 'bad.yaml'));
    expect(e.code).toBe('invalid_input');
    const fields = e.issues.map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['base', 'repeat.typo']));
    // Cross-field checks run once the shape is right; so check them on a file with only those.
    expect(e.message).toMatch(/^bad\.yaml: the scoring policy has \d+ problems/);
    for (const issue of e.issues) expect(issue.line).toBeGreaterThan(0);

    const crossBad = policyText
      .replace('AA: 1030', 'AA: 1060')
      .replace('    - court.judgment_defaulter\n\n# Per-type', '    - court.no_such_type\n\n# Per-type')
      .replace('cured_by: court.judgment_performed', 'cured_by: court.judgment_defaulter')
      .replace('method: sum', 'method: weighted')
      .replace('{ at_least: 30, points: 5 }', '{ at_least: 5, points: 5 }');
    const cross = errorOf(() => parseScoringPolicy(crossBad, catalogue, 'bad.yaml'));
    expect(cross.issues.map((i) => i.field).sort()).toEqual(
      [
        'grades.AA',
        'linkage.exclude[0]',
        'cures[0].cured_by',
        'combine.weights',
        'types.social.volunteer_hours.steps[1].at_least',
      ].sort(),
    );
    expect(cross.message).toContain('linkage.exclude[0]: unknown record type "court.no_such_type"');
  });

  it('names unknown record types under types, and steps on a type without amounts', () => {
    const text = policyText.replace(
      'types:\n',
      'types:\n  police.made_up: { points: -5 }\n  traffic.warning: { steps: [{ at_least: 1, points: -5 }] }\n',
    );
    const e = errorOf(() => parseScoringPolicy(text, catalogue));
    expect(e.issues.map((i) => i.field)).toEqual(['types.police.made_up', 'types.traffic.warning.steps']);
  });

  it('reports YAML syntax errors with their line, and an unreadable file plainly', async () => {
    const e = errorOf(() => parseScoringPolicy('base: [1000\n', catalogue));
    expect(e.message).toMatch(/not valid YAML/);
    await expect(loadScoringPolicyFile('/nonexistent/scoring.yaml', catalogue)).rejects.toThrow(
      /cannot read/,
    );
  });
});
