import type { Command } from 'commander';
import { runMaintenance } from '../../maintain/index.ts';
import { cliOperator, listDeps } from '../../platform/index.ts';
import { EXIT } from '../errors.ts';
import { startProgress } from '../progress.ts';
import { withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('maintain')
    .description(
      'apply the transitions time brings without a new record, up to a date (default today): grace periods ' +
        'ending, listings taking effect and expiring, direct grades lapsing, records ceasing to count, and ' +
        'corrected records past their maximum display moving to the archive (the subject is told). ' +
        'Recomputes only the subjects due, writes each notification with the day it happened; running it ' +
        'again changes nothing, and a run cut short is finished by the next. `serve` runs it once a day.',
    )
    .option('--date <date>', 'apply transitions due up to this date (YYYY-MM-DD, not after today)')
    .option('--json', 'print JSON: date, subjects, transitions, notifications, archived')
    .option('--quiet', 'no progress bar')
    .action(
      withPlatform(async (p, opts: { date?: string; json?: boolean; quiet?: boolean }) => {
        let bar: ReturnType<typeof startProgress> | undefined;
        const r = await runMaintenance({
          ctx: p.ctx(cliOperator(p.config), 'apply the transitions due by date'),
          deps: listDeps(p),
          input: {
            ...(opts.date ? { date: opts.date } : {}),
            onProgress: ({ done, total }) => {
              bar ??= startProgress('maintain', total, { quiet: opts.quiet, unit: 'subjects' });
              bar.update(done);
            },
          },
        });
        bar?.stop();
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else
          process.stdout.write(
            `maintained through ${r.date}: ${r.subjects} subjects due, ${r.transitions} transitions, ` +
              `${r.notifications} notifications, ${r.archived} records archived\n`,
          );
        return EXIT.ok;
      }),
    );
