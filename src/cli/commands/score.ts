import type { Command } from 'commander';
import { cliOperator } from '../../platform/index.ts';
import { GRADES, rescoreAllSubjects } from '../../scoring/index.ts';
import { startProgress } from '../progress.ts';
import { withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('score')
    .description(
      'rescore every subject from its records under the scoring policy in force, as of a date (default today); ' +
        'results are kept per policy version and date',
    )
    .option('--as-of <date>', 'score as of this date (YYYY-MM-DD): only records known and valid then count')
    .option('--quiet', 'no progress bar')
    .action(
      withPlatform(async (p, opts: { asOf?: string; quiet?: boolean }) => {
        let bar: ReturnType<typeof startProgress> | undefined;
        let phase = '';
        const r = await rescoreAllSubjects({
          ctx: p.ctx(cliOperator(p.config), 'full rescoring'),
          deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
          input: {
            ...(opts.asOf ? { asOf: opts.asOf } : {}),
            onProgress: (s) => {
              if (s.phase !== phase) {
                bar?.stop();
                phase = s.phase;
                const unit = s.phase === 'load' ? 'records' : 'subjects';
                bar = startProgress(
                  s.phase === 'load' ? 'load' : s.phase === 'score' ? 'score' : 'save ',
                  s.total,
                  { quiet: opts.quiet, unit },
                );
              }
              bar?.update(s.done);
            },
          },
        });
        bar?.stop();
        const grades = GRADES.map((g) => `${g} ${r.grades[g]}`).join(', ');
        process.stdout.write(
          `scored ${r.subjects} subjects from ${r.records} records as of ${r.asOf} ` +
            `(scoring policy ${p.scoringPolicy.label}, version ${r.policyVersion.slice(0, 12)})\ngrades: ${grades}\n` +
            `skipped: ${r.skipped}` +
            (r.skipped > 0
              ? ' (changed while scoring: scored again from their records as they are now)'
              : '') +
            (r.unsettled > 0
              ? `; ${r.unsettled} changed at every try, left as the refresh after their last change writes them: run credence score again`
              : '') +
            '\n',
        );
        return 0;
      }),
    );
