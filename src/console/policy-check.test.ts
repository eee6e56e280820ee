/**
 * `credence policy check` on one file: a catalogue is checked with the scoring policy in force
 * (whose city points windows its validity_years must agree with), a scoring policy's steps are
 * held to those windows, and the supervision bands to REFERENCE's, each refused with exit 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFolder } from '../../test/cli-run.ts';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import { DEFAULT_LISTS_PATH } from '../lists/index.ts';
import { DEFAULT_SCORING_POLICY_PATH } from '../scoring/index.ts';
import { parseDay } from '../shared/days.ts';
import { DEFAULT_SUPERVISION_POLICY_PATH } from '../supervision/index.ts';
import { checkPolicyFile } from './policy-check.ts';

const catalogueText = readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8');

/** The shipped catalogue with drunk driving (direct grade B, REFERENCE: 2 years) counting 3 years. */
const drunkDriving3Years = catalogueText.replace(
  /(- code: police\.drunk_driving\n(?: {4}.*\n)*? {4}validity_years: )2\n/,
  '$13\n',
);

const DRUNK_DRIVING_WINDOW =
  "catalogue_validity: the catalogue's validity_years of police.drunk_driving is 3; the scoring policy's windows say 2 (direct grade B)";

describe('credence policy check, one file', () => {
  const f = cliFolder('policy-check');
  const write = (name: string, text: string) => {
    const file = join(f.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('checks a catalogue with the scoring policy in force, refusing a validity its windows disagree with', async () => {
    const inForce = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
    const today = parseDay('2026-03-20');
    await expect(
      checkPolicyFile(DEFAULT_CATALOGUE_PATH, inForce, DEFAULT_LISTS_PATH, today),
    ).resolves.toMatchObject({
      kind: 'catalogue',
      summary: expect.stringMatching(/^catalogue 2026\.1 is valid: \d+ record types$/),
    });
    expect(drunkDriving3Years).not.toBe(catalogueText);
    const bad = write('catalogue-drunk-3.yaml', drunkDriving3Years);
    await expect(checkPolicyFile(bad, inForce, DEFAULT_LISTS_PATH, today)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining(`${DEFAULT_SCORING_POLICY_PATH}: the scoring policy has 1 problem`),
      issues: [{ field: 'catalogue_validity', line: expect.any(Number), message: DRUNK_DRIVING_WINDOW }],
    });
    // The console checks the scoring policy in force as a file of its own: not twice.
    await expect(checkPolicyFile(bad, inForce, DEFAULT_LISTS_PATH, today, null)).resolves.toMatchObject({
      kind: 'catalogue',
    });
  });

  it('refuses each with exit 2, naming the field and the rule', () => {
    // No bundle: the check needs none, and other suites may be building theirs.
    const run = (file: string) => f.run(['policy', 'check', file], { CREDENCE_BUNDLE: '0' });

    const catalogue = run(write('catalogue.yaml', drunkDriving3Years));
    expect(catalogue.code).toBe(2);
    expect(catalogue.out).not.toContain('is valid');
    expect(catalogue.err).toContain(DRUNK_DRIVING_WINDOW);
    expect(run(DEFAULT_CATALOGUE_PATH).code).toBe(0);

    // REFERENCE (city points): deductions over 40 points count 2 years, a step's as much as points'.
    const scoring = run(
      write(
        'scoring.yaml',
        readFileSync(DEFAULT_SCORING_POLICY_PATH, 'utf8').replace(
          '{ at_least: 100000, points: -30 }',
          '{ at_least: 100000, points: -80 }',
        ),
      ),
    );
    expect(scoring.code).toBe(2);
    expect(scoring.err).toContain(
      "catalogue_validity: the catalogue's validity_years of tax.arrears is 1; the scoring policy's windows say 2 (a deduction over 40 points: types.tax.arrears.steps[1] deducts 80 from an amount of 100000)",
    );

    // REFERENCE "Supervision": A ≤ 5 %, whatever band the file writes.
    const supervision = run(
      write(
        'supervision.yaml',
        readFileSync(DEFAULT_SUPERVISION_POLICY_PATH, 'utf8').replace(
          'A: { ratio: 0.03, min: 0, max: 0.05 }',
          'A: { ratio: 0.5, min: 0, max: 0.6 }',
        ),
      ),
    );
    expect(supervision.code).toBe(2);
    expect(supervision.err).toContain(
      'ratios.A.max: class A\'s band max 0.6 is above the local sampling band A ≤ 5 % (REFERENCE "Supervision")',
    );
    expect(supervision.err).toContain(
      'ratios.A.ratio: class A\'s ratio 0.5 lies outside the local sampling band A ≤ 5 % (REFERENCE "Supervision")',
    );
    // Each problem is said once, its field once.
    for (const r of [scoring, supervision]) {
      const lines = r.err.split('\n').filter((l) => l.includes('REFERENCE') || l.includes('tax.arrears'));
      expect(new Set(lines).size, r.err).toBe(lines.length);
      expect(lines.length, r.err).toBe(r === scoring ? 1 : 2);
      expect(r.err).not.toMatch(/(catalogue_validity|ratios\.A\.\w+): \1:/);
    }
  }, 120_000);
});
