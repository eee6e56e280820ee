import type { Command } from 'commander';
import { cliOperator } from '../../platform/index.ts';
import {
  listSources,
  registerSource,
  revokeSourceCredential,
  rotateSourceCredential,
  sourceJson,
} from '../../sources/index.ts';
import { withPlatform } from '../run.ts';

export const register = (program: Command) => {
  const sources = program
    .command('sources')
    .description('register and list data sources, rotate and revoke their credentials');
  sources
    .command('add')
    .description('register a source; prints its credential once (only a hash is kept)')
    .argument('<code>', 'short unique code, e.g. court-chengdu-jinjiang')
    .requiredOption(
      '--kind <kind>',
      'court, police, tax, bank, employer, market_regulator, ecommerce, telecom, social_platform, local_government, hospital or school',
    )
    .option(
      '--types <codes>',
      'comma-separated record types it may submit (default: every type its kind may submit)',
    )
    .option('--name <name>', 'display name')
    .option('--legal-basis <text>', 'the law that allows it to submit records')
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          code: string,
          opts: { kind: string; types?: string; name?: string; legalBasis?: string; json?: boolean },
        ) => {
          const { source, credential } = await registerSource({
            ctx: p.ctx(cliOperator(p.config), 'register a data source'),
            catalogue: p.catalogue,
            input: {
              code,
              kind: opts.kind,
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.legalBasis ? { legalBasis: opts.legalBasis } : {}),
              ...(opts.types
                ? {
                    types: opts.types
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  }
                : {}),
            },
          });
          if (opts.json)
            process.stdout.write(`${JSON.stringify({ source: sourceJson(source), credential }, null, 2)}\n`);
          else {
            process.stdout.write(
              `registered source ${source.code} (${source.kind}) allowed ${source.types.length} record types\n` +
                `credential (shown once, keep it safe): ${credential}\n`,
            );
          }
          return 0;
        },
      ),
    );
  sources
    .command('list')
    .description('list registered sources and what they may submit')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, opts: { json?: boolean }) => {
        const rows = await listSources({ ctx: p.ctx(cliOperator(p.config), 'list data sources') });
        if (opts.json) process.stdout.write(`${JSON.stringify(rows.map(sourceJson), null, 2)}\n`);
        else if (rows.length === 0)
          process.stdout.write(
            'no sources registered: add one with `credence sources add CODE --kind KIND`\n',
          );
        else
          for (const s of rows)
            process.stdout.write(
              `${s.code}\t${s.kind}\t${s.types.length} types\t${s.name}${s.revokedAt ? `\trevoked ${s.revokedAt}` : ''}\n`,
            );
        return 0;
      }),
    );
  sources
    .command('rotate')
    .description('give a source a new credential, printed once; the old one is refused at once (audited)')
    .argument('<code>', 'the source code')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, code: string, opts: { json?: boolean }) => {
        const { source, credential } = await rotateSourceCredential({
          ctx: p.ctx(cliOperator(p.config), "rotate a data source's credential"),
          input: { code },
        });
        if (opts.json)
          process.stdout.write(`${JSON.stringify({ source: sourceJson(source), credential }, null, 2)}\n`);
        else
          process.stdout.write(
            `source ${source.code} has a new credential; the old one no longer works\n` +
              `credential (shown once, keep it safe): ${credential}\n`,
          );
        return 0;
      }),
    );
  sources
    .command('revoke')
    .description(
      "revoke a source's credential: it can no longer authenticate, its records stay; `rotate` gives it a new one (audited)",
    )
    .argument('<code>', 'the source code')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, code: string, opts: { json?: boolean }) => {
        const source = await revokeSourceCredential({
          ctx: p.ctx(cliOperator(p.config), "revoke a data source's credential"),
          input: { code },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify({ source: sourceJson(source) }, null, 2)}\n`);
        else
          process.stdout.write(
            `source ${source.code}'s credential revoked at ${source.revokedAt}; its records stay\n`,
          );
        return 0;
      }),
    );
  return sources;
};
