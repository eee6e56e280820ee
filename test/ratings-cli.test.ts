import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../src/context.ts';
import { makeResidentId, makeUscc } from '../src/identity/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import { issueInteractions, submitRating } from '../src/ratings/index.ts';
import { cliFolder } from './cli-run.ts';
import { suiteTitle, testBackends } from './platforms.ts';

const OFFICE = makeUscc('1', '1', '110105', '00000027');
const persons = Array.from({ length: 60 }, (_, k) =>
  makeResidentId('110105', '1980-03-0' + (1 + (k % 9)), 200 + k),
);
for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credence ratings (the binary)', backend), () => {
    const cli = cliFolder('ratings-cli', backend);
    const run = cli.run;

    describe('credence ratings', () => {
      it('issues tokens, shows what is held, decides it, and shows the published aggregate', async () => {
        expect(run(['init']).code).toBe(0);
        const registry = join(cli.dir, 'registry.ndjson');
        writeFileSync(
          registry,
          [
            { kind: 'public_body', uscc: OFFICE, name: '示范区政务服务中心' },
            ...persons.map((id, k) => ({ kind: 'person', id_number: id, name: `居民${k}` })),
          ]
            .map((l) => JSON.stringify(l))
            .join('\n'),
        );
        expect(run(['subjects', 'import', registry]).code).toBe(0);
        // The hall is the office's own service hall: it vouches for the office only (issue 16).
        expect(
          run(['sources', 'add', 'hall', '--kind', 'local_government', '--organization', OFFICE]).code,
        ).toBe(0);

        // Thirty tokens from a file, each printed once with its expiry.
        const wanted = join(cli.dir, 'interactions.ndjson');
        const today = new Date().toISOString().slice(0, 10);
        writeFileSync(
          wanted,
          Array.from({ length: 30 }, () =>
            JSON.stringify({
              serving: { kind: 'public_body', id: OFFICE },
              service_date: today,
              service: 'permit counter',
            }),
          ).join('\n'),
        );
        const issued = run(['interactions', 'issue', '--source', 'hall', '--file', wanted, '--json']);
        expect(issued.code, issued.err).toBe(0);
        const tokens = (JSON.parse(issued.out).tokens as { token: string }[]).map((t) => t.token);
        expect(tokens).toHaveLength(30);
        expect(new Set(tokens).size).toBe(30);
        const bad = run([
          'interactions',
          'issue',
          '--source',
          'hall',
          '--serving-kind',
          'organization',
          '--serving-id',
          'nope',
        ]);
        expect(bad.code).toBe(2);
        expect(bad.err).toMatch(/serving\.id/);
        // A source left empty is asked for in the command line's own words.
        const unnamed = run(['interactions', 'issue', '--source', '', '--file', wanted]);
        expect(unnamed.code).toBe(2);
        expect(unnamed.err).toContain('error (invalid_input): name the source that served: --source CODE\n');

        // Ten citizens were served well over the past weeks (all of them long enough ago to be
        // revealed: 22 to 40 days); then thirty rate the office within minutes, all one star: a
        // burst against its own history.
        const rater = (k: number) => ({
          id: `rater:${persons[k]}`,
          role: 'rater' as const,
          ref: persons[k]!,
        });
        const now = Date.now();
        for (let k = 0; k < 10; k++) {
          const at = fixedClock(new Date(now - (40 - 2 * k) * 86_400_000));
          const past = await openPlatform(cli.config(), {
            clock: at,
          });
          try {
            const [t] = await issueInteractions({
              ctx: past.ctx({ id: 'source:hall', role: 'source', ref: 'hall' }, 'served'),
              input: {
                interactions: [
                  {
                    serving: { kind: 'public_body', id: OFFICE },
                    serviceDate: at.now().toISOString().slice(0, 10),
                    service: 'permit counter',
                  },
                ],
              },
              deps: past.ratings,
            });
            await submitRating({
              ctx: past.ctx(rater(30 + k), 'rate'),
              input: { token: t!.token, professionalism: 5, honesty: 4 },
              deps: past.ratings,
            });
          } finally {
            await past.close();
          }
        }
        const p = await openPlatform(cli.config(), {
          clock: fixedClock(new Date(now)),
        });
        try {
          for (let k = 0; k < 30; k++)
            await submitRating({
              ctx: p.ctx(rater(k), 'rate'),
              input: { token: tokens[k]!, professionalism: 1, honesty: 1 },
              deps: p.ratings,
            });
        } finally {
          await p.close();
        }
        const held = run(['ratings', 'held']);
        expect(held.code, held.err).toBe(0);
        const m = /^#(\d+) \[pending\] burst\s+\S+ 示范区政务服务中心\s+30 ratings/m.exec(held.out);
        expect(m, held.out).not.toBeNull();
        const one = run(['ratings', 'held', m![1]!]);
        expect(one.out).toMatch(/rater-[0-9a-f]{8}/);
        for (const id of persons) expect(one.out).not.toContain(id);
        expect(run(['ratings', 'decide', m![1]!, '--decision', 'maybe', '--reason', 'x']).code).toBe(2);
        const decided = run([
          'ratings',
          'decide',
          m![1]!,
          '--decision',
          'confirm',
          '--reason',
          'thirty ratings in minutes',
        ]);
        expect(decided.code, decided.err).toBe(0);
        expect(decided.out).toMatch(/confirmed: 30 ratings no longer count/);
        expect(
          run(['ratings', 'decide', m![1]!, '--decision', 'release', '--reason', 'again please']).code,
        ).toBe(4);

        const show = run(['ratings', 'show', OFFICE, '--json']);
        expect(show.code, show.err).toBe(0);
        expect(JSON.parse(show.out).professionalism).toMatchObject({
          count: 10,
          held: 0,
          published: true,
          mean: 5,
        });
        const sweep = run(['ratings', 'sweep']);
        expect(sweep.code, sweep.err).toBe(0);
        expect(sweep.out).toMatch(/40 ratings of 1 subjects/);
      }, 300_000);

      it('policy check checks the ratings policy against the catalogue', () => {
        const r = run(['policy', 'check']);
        expect(r.code, r.err).toBe(0);
        expect(r.out).toMatch(/ratings\.yaml: ratings policy .* is valid/);
      }, 120_000);
    });
  });
}
