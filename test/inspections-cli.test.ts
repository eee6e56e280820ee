/**
 * `credence inspections …` on the real binary: a roster, a plan drawn with its seed and classes,
 * the plan re-run identically, an outcome entered and published.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeUscc } from '../src/identity/index.ts';
import { cliFolder } from './cli-run.ts';
import { suiteTitle, testBackends } from './platforms.ts';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credence inspections (the binary)', backend), () => {
    const cli = cliFolder('inspections-cli', backend);
    const run = cli.run;

    describe('credence inspections', () => {
      it('draws a plan anyone can re-run, takes an outcome and publishes it', () => {
        expect(run(['init']).code).toBe(0);
        const registry = join(cli.dir, 'orgs.ndjson');
        writeFileSync(
          registry,
          Array.from({ length: 40 }, (_, k) =>
            JSON.stringify({
              kind: 'organization',
              uscc: makeUscc('9', '1', '110105', String(30_000_000 + k)),
              name: `企业${k}`,
            }),
          ).join('\n'),
        );
        expect(run(['subjects', 'import', registry]).code).toBe(0);
        expect(run(['sources', 'add', 'samr', '--kind', 'market_regulator']).code).toBe(0);
        for (const code of ['a', 'b', 'c'])
          expect(run(['inspections', 'roster', code, '--regulator', 'samr']).code).toBe(0);
        const plan = run(['inspections', 'plan', '--regulator', 'samr', '--period', '2026-Q4', '--json']);
        expect(plan.code, plan.err).toBe(0);
        const v = JSON.parse(plan.out);
        expect(v.per_class.find((c: { class: string }) => c.class === 'B')).toMatchObject({
          population: 40,
          drawn: 4,
        });
        expect(v.inspections).toHaveLength(4);
        const verify = run(['inspections', 'verify', String(v.id)]);
        expect(verify.code, verify.err).toBe(0);
        expect(verify.out).toMatch(/identical/);
        const outcome = run(['inspections', 'outcome', String(v.inspections[0].id), '--outcome', 'passed']);
        expect(outcome.code, outcome.err).toBe(0);
        expect(run(['inspections', 'outcome', String(v.inspections[0].id), '--outcome', 'passed']).code).toBe(
          4,
        );
        const published = run(['inspections', 'publish']);
        expect(published.out).toContain(v.inspections[0].target.uscc);
        expect(published.out).toMatch(/passed/);
      }, 300_000);
    });
  });
}
