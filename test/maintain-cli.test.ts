import { describe, expect, it } from 'vitest';
import { openPlatform } from '../src/platform/index.ts';
import { cliFolder } from './cli-run.ts';
import { suiteTitle, testBackends } from './platforms.ts';
import { rawDb } from './raw-db.ts';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credence maintain (the binary)', backend), () => {
    const cli = cliFolder('maintain-cli', backend);
    const run = cli.run;

    describe('credence maintain', () => {
      it('says what it does', () => {
        const r = run(['maintain', '--help']);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/Usage: credence maintain/);
        expect(r.out).toMatch(/--date <date>/);
        expect(r.out).toMatch(/--json/);
        expect(run(['--help']).out).toMatch(/maintain/);
      });

      it('applies what is due up to today, prints snake_case JSON, and a second run finds nothing', async () => {
        expect(run(['init']).code).toBe(0);
        const today = new Date().toISOString().slice(0, 10);
        const first = run(['maintain', '--json', '--quiet']);
        expect(first.code, first.err).toBe(0);
        expect(JSON.parse(first.out)).toEqual({
          date: today,
          subjects: 0,
          transitions: 0,
          notifications: 0,
          archived: 0,
        });
        const second = run(['maintain', '--json', '--date', today]);
        expect(JSON.parse(second.out)).toEqual({
          date: today,
          subjects: 0,
          transitions: 0,
          notifications: 0,
          archived: 0,
        });
        const text = run(['maintain', '--quiet']);
        expect(text.out).toBe(
          `maintained through ${today}: 0 subjects due, 0 transitions, 0 notifications, 0 records archived\n`,
        );
        // One audit entry per run, and the day kept for `serve`.
        const p = await openPlatform(cli.config());
        try {
          const db = rawDb(p);
          const runs = await db
            .selectFrom('audit_log')
            .select('detail')
            .where('action', '=', 'maintain.run')
            .orderBy('seq')
            .execute();
          expect(runs).toHaveLength(3);
          expect(JSON.parse(runs[0]!.detail!)).toEqual({
            date: today,
            subjects: 0,
            transitions: 0,
            notifications: 0,
            archived: 0,
          });
          expect(
            await db
              .selectFrom('meta')
              .select('value')
              .where('key', '=', 'maintained_through')
              .executeTakeFirst(),
          ).toEqual({ value: today });
        } finally {
          await p.close();
        }
      });

      it('refuses a date after today or not a date, with exit code 2', () => {
        const future = run(['maintain', '--date', '2999-01-01']);
        expect(future.code).toBe(2);
        expect(future.err).toMatch(/in the future/);
        expect(run(['maintain', '--date', 'yesterday']).code).toBe(2);
      });
    });
  });
}
