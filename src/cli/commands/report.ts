import type { Command } from 'commander';
import { cliOperator } from '../../platform/index.ts';
import { getScoreReport, scoreReportJson } from '../../scoring/index.ts';
import { withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('report')
    .description(
      "a subject's score, domain sub-scores, grade and at most four key factors, traced to its records (the read is audited)",
    )
    .argument('<subject>', 'resident identity card number or Unified Social Credit Code')
    .option('--as-of <date>', 'as of this date (YYYY-MM-DD): reproduces the result the platform gave then')
    .option('--purpose <text>', 'why you are reading it (recorded in the audit log)', 'operator review')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, subject: string, opts: { asOf?: string; purpose: string; json?: boolean }) => {
        const r = await getScoreReport({
          ctx: p.ctx(cliOperator(p.config), opts.purpose),
          deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
          input: { identifier: subject, ...(opts.asOf ? { asOf: opts.asOf } : {}) },
        });
        if (opts.json) {
          const out = scoreReportJson(r, p.scoringPolicy.base);
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return 0;
        }
        const lines = [
          `${r.name} — ${r.kind.replace('_', ' ')} ${r.identifier}`,
          `score ${r.score}, grade ${r.grade} as of ${r.asOf} (scoring policy ${p.scoringPolicy.label}, version ${r.policyVersion.slice(0, 12)})`,
          `domains: ${Object.entries(r.domains)
            .map(([d, v]) => `${d} ${v}`)
            .join(', ')}`,
          '',
          ...r.bindings.map(
            (b) =>
              `${r.kind === 'person' ? `${b.role.replaceAll('_', ' ')} of` : `${b.role.replaceAll('_', ' ')}:`} ${b.name} (${b.identifier}) ${b.from === null ? 'since before the platform knew' : `since ${b.from}`}${b.until === null ? '' : ` until ${b.until}`}`,
          ),
          '',
          r.keyFactors.length ? 'key factors:' : 'no record affects this score.',
          ...r.keyFactors.map((k, i) => `  ${i + 1}. ${k.text}`),
        ];
        if (r.breakdown.length) {
          lines.push('', `breakdown (base ${p.scoringPolicy.base}):`);
          for (const c of r.breakdown) {
            const pts = c.points > 0 ? `+${c.points}` : String(c.points);
            lines.push(
              `  ${c.date}  ${c.type.padEnd(34)} ${pts.padStart(5)}${c.directGrade ? `  grade ${c.directGrade}` : ''}  until ${c.until}${c.note ? `  (${c.note})` : ''}`,
            );
          }
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      }),
    );
