import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE_PATH, parseCatalogue } from '../catalogue/index.ts';
import { type CredenceError, isCredenceError } from '../shared/errors.ts';
import {
  checkSupervisionPolicy,
  DEFAULT_SUPERVISION_POLICY_PATH,
  loadSupervisionPolicy,
  parseSupervisionPolicy,
} from './policy.ts';

const policyText = readFileSync(DEFAULT_SUPERVISION_POLICY_PATH, 'utf8');
const catalogueText = readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8');

const item = (code: string, polarity: 'positive' | 'negative', kinds = 'organization, public_body') => `
  - code: ${code}
    name: Inspection outcome ${code}
    description: The outcome of a random inspection (test item).
    domain: commercial
    subject_kinds: [${kinds}]
    polarity: ${polarity}
    severity: minor
    points: ${polarity === 'negative' ? -5 : 5}
    validity_years: 1
    amount: none
    data_category: market_regulation
    legal_basis: Issue 17 (test item).
    source_kinds: [market_regulator]
`;

/** The shipped catalogue without its inspection outcome types. */
const withoutOutcomes = (() => {
  const at = catalogueText.indexOf(
    '  # ------------------------------------------- risk-based random inspections',
  );
  return at < 0 ? catalogueText : catalogueText.slice(0, at);
})();
/** The shipped catalogue with these outcome record types in place of its own. */
const catalogueWith = (items: Record<string, string>) => {
  let text = withoutOutcomes.trimEnd();
  for (const yaml of Object.values(items)) text += `\n${yaml}`;
  return parseCatalogue(`${text}\n`);
};
const outcomeItems = {
  'supervision.inspection_passed': item('supervision.inspection_passed', 'positive'),
  'supervision.deficiency_corrected_on_spot': item('supervision.deficiency_corrected_on_spot', 'negative'),
  'supervision.deficiency_ordered_corrected': item('supervision.deficiency_ordered_corrected', 'negative'),
  'supervision.penalty_referred': item('supervision.penalty_referred', 'negative'),
};
const catalogue = catalogueWith(outcomeItems);

const errorOf = (fn: () => unknown): CredenceError => {
  try {
    fn();
  } catch (e) {
    if (isCredenceError(e)) return e;
    throw e;
  }
  throw new Error('expected a CredenceError');
};

describe('the supervision policy', () => {
  it('the shipped file loads, identified by sha256, with the issue defaults', async () => {
    const p = await loadSupervisionPolicy();
    expect(p.version).toMatch(/^[0-9a-f]{64}$/);
    expect(p.label).toBe('2026.1');
    expect(p.targetKinds).toEqual(['organization', 'public_body']);
    expect(p.ratios.A).toEqual({ ratio: 0.03, min: 0, max: 0.05 });
    expect(p.ratios.D).toEqual({ ratio: 0.7, min: 0.61, max: 1 });
    expect(p.redListed.drawn).toBe(false);
    expect(p.inspectorsPerTarget).toBe(2);
    expect([p.outcomeDays, p.publishDays]).toEqual([20, 20]);
    expect(p.outcomes.passed.recordType).toBe('supervision.inspection_passed');
    expect(p.classes.default).toBe('B');
    expect(p.classes.rules.every((r) => r.basis.length > 0)).toBe(true);
  });

  it('checks clean against a catalogue carrying its outcome types', () => {
    expect(checkSupervisionPolicy(parseSupervisionPolicy(policyText), catalogue)).toEqual([]);
  });

  it('refuses a ratio outside its band, naming the field and line', () => {
    const text = policyText.replace('B: { ratio: 0.1,', 'B: { ratio: 0.25,');
    const e = errorOf(() => parseSupervisionPolicy(text, 'supervision.yaml'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain("ratios.B.ratio: class B's ratio 0.25 lies outside its band 0.05..0.2");
    expect(e.issues[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('ratio: 0.25')) + 1);
    // and the check says the same of a policy changed after loading
    const p = parseSupervisionPolicy(policyText);
    p.ratios.C = { ratio: 0.65, min: 0.21, max: 0.6 };
    expect(checkSupervisionPolicy(p, catalogue)).toEqual([
      expect.objectContaining({ level: 'error', file: 'supervision', path: 'ratios.C.ratio' }),
    ]);
  });

  it('refuses a band or ratio outside the local sampling bands of REFERENCE, whatever the file says', () => {
    // REFERENCE "Supervision": A ≤ 5 %, B 5–20 %, C 21–60 %, D 61–100 %. A band the file widens
    // does not make its ratio lawful.
    const wide = policyText.replace(
      'A: { ratio: 0.03, min: 0, max: 0.05 }',
      'A: { ratio: 0.5, min: 0, max: 0.6 }',
    );
    expect(wide).not.toBe(policyText);
    const line = wide.split('\n').findIndex((l) => l.includes('A: { ratio: 0.5')) + 1;
    const e = errorOf(() => parseSupervisionPolicy(wide, 'supervision.yaml'));
    expect(e.code).toBe('invalid_input');
    expect(e.issues).toEqual([
      {
        field: 'ratios.A.max',
        line,
        message:
          'ratios.A.max: class A\'s band max 0.6 is above the local sampling band A ≤ 5 % (REFERENCE "Supervision"): a band may be narrowed, never widened',
      },
      {
        field: 'ratios.A.ratio',
        line,
        message:
          'ratios.A.ratio: class A\'s ratio 0.5 lies outside the local sampling band A ≤ 5 % (REFERENCE "Supervision")',
      },
    ]);
    // Narrowing is allowed; widening below is refused too, and the check says the same.
    expect(() =>
      parseSupervisionPolicy(
        policyText.replace(
          'B: { ratio: 0.1, min: 0.05, max: 0.2 }',
          'B: { ratio: 0.1, min: 0.08, max: 0.15 }',
        ),
      ),
    ).not.toThrow();
    const p = parseSupervisionPolicy(policyText);
    p.ratios.D = { ratio: 0.61, min: 0.5, max: 1 };
    expect(checkSupervisionPolicy(p, catalogue)).toEqual([
      expect.objectContaining({
        path: 'ratios.D.min',
        message: expect.stringContaining('band min 0.5 is below the local sampling band D 61–100 %'),
      }),
    ]);
  });

  it('refuses persons as targets and class rules for persons (product rule 11)', () => {
    const targets = policyText.replace(
      'target_kinds: [organization, public_body]',
      'target_kinds: [organization, public_body, person]',
    );
    const e = errorOf(() => parseSupervisionPolicy(targets));
    expect(e.message).toMatch(/target_kinds\[2\]: "person" cannot be a target kind \(product rule 11/);
    const rule = policyText.replace(
      '        list_kinds: [black]\n',
      '        list_kinds: [black]\n        kinds: [person]\n',
    );
    expect(errorOf(() => parseSupervisionPolicy(rule)).message).toMatch(
      /classes\.rules\[0\]\.when\.kinds\[0\]: a class rule for persons is refused \(product rule 11/,
    );
    const p = parseSupervisionPolicy(policyText);
    p.targetKinds = ['person'];
    expect(checkSupervisionPolicy(p, catalogue).map((x) => x.path)).toContain('target_kinds[0]');
  });

  it('refuses an unknown field, an unknown grade and a single inspector', () => {
    const e = errorOf(() =>
      parseSupervisionPolicy(
        policyText
          .replace('inspectors_per_target: 2', 'inspectors_per_target: 1')
          .replace('grades: [DB, DC]', 'grades: [DB, DD]')
          .replace('workload_cap: 60', 'workload_cap: 60\nsurveil: true'),
      ),
    );
    expect(e.issues.map((i) => i.field)).toEqual(
      expect.arrayContaining(['inspectors_per_target', 'classes.rules[1].when.grades[1]', 'surveil']),
    );
  });

  it('reports an uncatalogued outcome type and a wrong polarity', () => {
    const { 'supervision.penalty_referred': _, ...three } = outcomeItems;
    const partial = catalogueWith({
      ...three,
      'supervision.inspection_passed': item('supervision.inspection_passed', 'negative', 'organization'),
    });
    const problems = checkSupervisionPolicy(parseSupervisionPolicy(policyText), partial);
    const messages = problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^outcomes\.penalty_referred\.record_type: "supervision\.penalty_referred" is not in the catalogue/,
        ),
        expect.stringMatching(
          /^outcomes\.passed\.record_type: .* is negative; the outcome "passed" makes a positive record/,
        ),
        expect.stringMatching(/^outcomes\.passed\.record_type: .* does not apply to a public_body/),
      ]),
    );
    expect(problems.every((p) => typeof p.line === 'number')).toBe(true);
  });
});
