import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { cliOperator } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import {
  addStaff,
  listSources,
  listStaff,
  parseStaffCsv,
  registerSource,
  removeStaff,
  revokeSourceCredential,
  rotateSourceCredential,
  STAFF_CSV_COLUMNS,
  type StaffInput,
  sourceJson,
  staffJson,
  tokensBlockedBy,
  updateSource,
} from '../../sources/index.ts';
import type { SourceRow, StaffRow } from '../../store/index.ts';
import { statInputFile } from '../input-file.ts';
import { withPlatform } from '../run.ts';

/** What a source declares, as one line of text. */
const declared = (s: SourceRow) =>
  `${s.organization ? `organization ${s.organization.identifier} (${s.organization.name})` : 'no organization declared'}, ` +
  `${s.dailyServiceVolume !== null ? `${s.dailyServiceVolume} services a day` : 'the default daily service volume'}`;

const staffLine = (r: StaffRow) =>
  `${r.identifier}\t${r.name}\t${r.licenceKind ? `${r.licenceKind} ${r.licenceNumber}` : '-'}\t${r.validFrom}..${r.validUntil ?? ''}${r.position ? `\t${r.position}` : ''}`;

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
    .option(
      '--organization <uscc>',
      'the organization or public body it is: a hospital, school, employer, bank, telecom or service hall vouches only for it and its roster',
    )
    .option(
      '--daily-service-volume <n>',
      "services it gives a day: a day's interaction tokens beyond the ratings policy's volume_factor times this are held (default: the policy's)",
    )
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          code: string,
          opts: {
            kind: string;
            types?: string;
            name?: string;
            legalBasis?: string;
            organization?: string;
            dailyServiceVolume?: string;
            json?: boolean;
          },
        ) => {
          const { source, credential } = await registerSource({
            ctx: p.ctx(cliOperator(p.config), 'register a data source'),
            catalogue: p.catalogue,
            input: {
              code,
              kind: opts.kind,
              ...(opts.name ? { name: opts.name } : {}),
              ...(opts.legalBasis ? { legalBasis: opts.legalBasis } : {}),
              ...(opts.organization !== undefined ? { organization: opts.organization } : {}),
              ...(opts.dailyServiceVolume !== undefined
                ? { dailyServiceVolume: opts.dailyServiceVolume }
                : {}),
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
              `registered source ${source.code} (${source.kind}) allowed ${source.types.length} record types; ${declared(source)}\n` +
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
              `${s.code}\t${s.kind}\t${s.types.length} types\t${s.name}${s.organization ? `\t${s.organization.identifier}` : ''}${s.dailyServiceVolume !== null ? `\t${s.dailyServiceVolume}/day` : ''}${s.revokedAt ? `\trevoked ${s.revokedAt}` : ''}${tokensBlockedBy(s) ? `\t${tokensBlockedBy(s)}` : ''}\n`,
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
  sources
    .command('set')
    .description('change what a source declares: the organization it is, its daily service volume (audited)')
    .argument('<code>', 'the source code')
    .option('--organization <uscc>', 'the USCC of the organization or public body it is; `none` to clear')
    .option('--daily-service-volume <n>', "services it gives a day; `default` for the ratings policy's")
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          code: string,
          opts: { organization?: string; dailyServiceVolume?: string; json?: boolean },
        ) => {
          const source = await updateSource({
            ctx: p.ctx(cliOperator(p.config), 'change what a data source declares'),
            input: {
              code,
              ...(opts.organization !== undefined
                ? { organization: opts.organization === 'none' ? null : opts.organization }
                : {}),
              ...(opts.dailyServiceVolume !== undefined
                ? {
                    dailyServiceVolume:
                      opts.dailyServiceVolume === 'default' ? null : opts.dailyServiceVolume,
                  }
                : {}),
            },
          });
          if (opts.json) process.stdout.write(`${JSON.stringify({ source: sourceJson(source) }, null, 2)}\n`);
          else process.stdout.write(`source ${source.code}: ${declared(source)}\n`);
          return 0;
        },
      ),
    );

  const staff = sources
    .command('staff')
    .description(
      "a source's roster: who serves under it (an own-name source vouches only for the licensed professionals on it; its staff rating it are connected raters)",
    );
  staff
    .command('add')
    .description("put persons on a source's roster, all or nothing (audited on each person's trail)")
    .argument('<code>', 'the source code')
    .option('--licence <number>', 'a licensed professional, by licence number')
    .option('--licence-kind <kind>', 'only when the number is held under several kinds')
    .option('--person <id>', 'anyone else who serves under it, by resident ID number')
    .option('--position <text>', 'the post held, e.g. "attending physician"')
    .option('--from <day>', 'the first day on the roster, YYYY-MM-DD')
    .option('--until <day>', 'the first day no longer on it (default: open-ended)')
    .option('--file <csv>', `many at once: a CSV file with a header naming ${STAFF_CSV_COLUMNS.join(', ')}`)
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          code: string,
          opts: {
            licence?: string;
            licenceKind?: string;
            person?: string;
            position?: string;
            from?: string;
            until?: string;
            file?: string;
            json?: boolean;
          },
        ) => {
          let entries: StaffInput[];
          if (opts.file) {
            if (opts.licence || opts.person || opts.from)
              throw invalidInput('give either --file or --licence/--person with --from, not both');
            await statInputFile(opts.file);
            entries = parseStaffCsv(await readFile(opts.file, 'utf8'));
          } else
            entries = [
              {
                licence: opts.licence,
                licenceKind: opts.licenceKind,
                person: opts.person,
                position: opts.position,
                from: opts.from ?? '',
                until: opts.until ?? null,
              },
            ];
          const rows = await addStaff({
            ctx: p.ctx(cliOperator(p.config), "add to a data source's roster"),
            input: { code, staff: entries },
          });
          if (opts.json) process.stdout.write(`${JSON.stringify({ staff: rows.map(staffJson) }, null, 2)}\n`);
          else {
            process.stdout.write(`added ${rows.length} to the roster of ${code}\n`);
            for (const r of rows) process.stdout.write(`${staffLine(r)}\n`);
          }
          return 0;
        },
      ),
    );
  staff
    .command('remove')
    .description(
      "take a person off a source's roster from a day on (tomorrow by default: on it through today); the entry is kept, ended (audited)",
    )
    .argument('<code>', 'the source code')
    .option('--licence <number>', 'a licensed professional, by licence number')
    .option('--licence-kind <kind>', 'only when the number is held under several kinds')
    .option('--person <id>', 'anyone else, by resident ID number')
    .option(
      '--until <day>',
      'the first day no longer on the roster, YYYY-MM-DD (default: tomorrow, so today stays vouchable)',
    )
    .option('--json', 'print JSON')
    .action(
      withPlatform(
        async (
          p,
          code: string,
          opts: { licence?: string; licenceKind?: string; person?: string; until?: string; json?: boolean },
        ) => {
          const rows = await removeStaff({
            ctx: p.ctx(cliOperator(p.config), "take a person off a data source's roster"),
            input: {
              code,
              ...(opts.licence !== undefined ? { licence: opts.licence } : {}),
              ...(opts.licenceKind !== undefined ? { licenceKind: opts.licenceKind } : {}),
              ...(opts.person !== undefined ? { person: opts.person } : {}),
              ...(opts.until !== undefined ? { until: opts.until } : {}),
            },
          });
          if (opts.json) process.stdout.write(`${JSON.stringify({ staff: rows.map(staffJson) }, null, 2)}\n`);
          else for (const r of rows) process.stdout.write(`ended ${staffLine(r)}\n`);
          return 0;
        },
      ),
    );
  staff
    .command('list')
    .description("a source's roster, every entry with its days (each person's trail notes the read)")
    .argument('<code>', 'the source code')
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, code: string, opts: { json?: boolean }) => {
        const rows = await listStaff({
          ctx: p.ctx(cliOperator(p.config), "read a data source's roster"),
          input: { code },
        });
        if (opts.json) process.stdout.write(`${JSON.stringify({ staff: rows.map(staffJson) }, null, 2)}\n`);
        else if (rows.length === 0)
          process.stdout.write(
            `nobody is on the roster of ${code}: add them with \`credence sources staff add ${code} --licence N --from DAY\`\n`,
          );
        else for (const r of rows) process.stdout.write(`${staffLine(r)}\n`);
        return 0;
      }),
    );
  return sources;
};
