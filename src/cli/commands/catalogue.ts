import type { Command } from 'commander';
import { withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('catalogue')
    .description(
      'print the published record types: code, name, domain, subject kinds, severity, points, allowed source kinds, legal basis',
    )
    .option('--json', 'print JSON instead of a table')
    .action(
      withPlatform(async (p, opts: { json?: boolean }) => {
        const c = p.catalogue;
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ version: c.version, label: c.label, items: c.items }, null, 2)}\n`,
          );
          return 0;
        }
        process.stdout.write(
          `catalogue ${c.label} — ${c.items.length} record types (version ${c.version.slice(0, 12)})\n\n`,
        );
        for (const t of c.items) {
          const grade = t.direct_grade ? ` direct grade ${t.direct_grade}` : '';
          process.stdout.write(
            `${t.code}\n  ${t.name}\n  domain ${t.domain} | subjects ${t.subject_kinds.join(', ')} | ${t.polarity} ${t.severity} | ` +
              `points ${t.points}${grade} | valid ${t.validity_years} y\n  sources: ${t.source_kinds.join(', ')}\n  legal basis: ${t.legal_basis}\n\n`,
          );
        }
        return 0;
      }),
    );
