import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { importSubjects, readCsv, readNdjson } from '../../ingest/index.ts';
import { cliOperator } from '../../platform/index.ts';
import {
  ACCESS_PAGE_MAX,
  chooseLanguage,
  DEFAULT_REPORT_LANGUAGE,
  getOwnFile,
  type OwnFileJson,
  ownFileDeps,
  REPORT_LANGUAGES,
  renderReport,
} from '../../rights/index.ts';
import { EXIT } from '../errors.ts';
import { statInputFile } from '../input-file.ts';
import { startProgress } from '../progress.ts';
import { intOption, withPlatform } from '../run.ts';

export const register = (program: Command) => {
  const subjects = program
    .command('subjects')
    .description("import subjects from a registry and show a subject's file");
  subjects
    .command('import')
    .description(
      'register subjects from a registry file: one subject object per NDJSON line (as in the record contract), or CSV',
    )
    .argument('<file>', 'NDJSON or CSV file')
    .option('--quiet', 'no progress bar')
    .action(
      withPlatform(async (p, file: string, opts: { quiet?: boolean }) => {
        const size = (await statInputFile(file)).size;
        let bytes = 0;
        const stream = createReadStream(file);
        const lines = file.toLowerCase().endsWith('.csv')
          ? readCsv(stream, (n) => (bytes += n))
          : readNdjson(stream, (n) => (bytes += n));
        const bar = startProgress('import', size, { quiet: opts.quiet, unit: 'bytes' });
        const r = await importSubjects({
          ctx: p.ctx(cliOperator(p.config), `import subjects from ${file}`),
          input: {
            lines,
            onRejection: (x) => process.stdout.write(`line ${x.line}: ${x.field}: ${x.reason}\n`),
            onBatch: (s) => bar.update(bytes, `${s.created} created, ${s.existing} existing`),
          },
        });
        bar.stop();
        process.stdout.write(`created ${r.created}, existing ${r.existing}, rejected ${r.rejected}\n`);
        return r.rejected > 0 ? EXIT.partial : EXIT.ok;
      }),
    );
  subjects
    .command('show')
    .description(
      "show a subject's file as the subject sees it: records with status and the day each stops counting, score and key factors with what to do, lists and measures in force, who looked at it (the read is audited)",
    )
    .argument('<identifier>', 'resident identity card number or Unified Social Credit Code')
    .option(
      '--purpose <text>',
      'why you are reading this file (recorded in the audit log and shown to the subject)',
      'operator review',
    )
    .option('--json', 'print JSON (the same as GET /v1/me)')
    .option('--access-page <cursor>', 'the access log page after this cursor (next_page)')
    .option(
      '--access-limit <n>',
      `access log entries per page (1–${ACCESS_PAGE_MAX})`,
      intOption('access-limit', 1, ACCESS_PAGE_MAX),
    )
    .option('--checks-page <cursor>', 'the checks page after this cursor (next_page)')
    .action(
      withPlatform(async (p, identifier: string, opts: ShowOptions) => {
        const f = await getOwnFile({
          ctx: p.ctx(cliOperator(p.config), opts.purpose),
          input: { identifier, ...pageOf(opts) },
          deps: ownFileDeps(p),
        });
        process.stdout.write(opts.json ? `${JSON.stringify(f, null, 2)}\n` : ownFileText(f));
        return EXIT.ok;
      }),
    );
  subjects
    .command('report')
    .description(
      "print a subject's own file as a printable HTML page (A4) in its language, as the subject sees it (the read is audited)",
    )
    .argument('<identifier>', 'resident identity card number or Unified Social Credit Code')
    .requiredOption(
      '--purpose <text>',
      'why you are printing this file (recorded in the audit log and shown to the subject)',
    )
    .option('--lang <lang>', `${REPORT_LANGUAGES.join(', ')}`, DEFAULT_REPORT_LANGUAGE)
    .option('--out <file>', 'write the page to this file (default: standard output)')
    .action(
      withPlatform(async (p, identifier: string, opts: { purpose: string; lang: string; out?: string }) => {
        const lang = chooseLanguage(opts.lang);
        const f = await getOwnFile({
          ctx: p.ctx(cliOperator(p.config), opts.purpose),
          input: { identifier, view: 'report', lang },
          deps: ownFileDeps(p),
        });
        const html = renderReport(f, { lang, amountKind: (type) => p.catalogue.get(type)?.amount });
        if (opts.out) {
          await writeFile(opts.out, html);
          process.stdout.write(`report of ${f.subject.identifier} (${lang}) written to ${opts.out}\n`);
        } else process.stdout.write(html);
        return EXIT.ok;
      }),
    );
  return subjects;
};

interface ShowOptions {
  purpose: string;
  json?: boolean;
  accessPage?: string;
  accessLimit?: number;
  checksPage?: string;
}

const pageOf = (o: ShowOptions) => ({
  ...(o.accessPage !== undefined ? { accessPage: o.accessPage } : {}),
  ...(o.accessLimit !== undefined ? { accessLimit: o.accessLimit } : {}),
  ...(o.checksPage !== undefined ? { checksPage: o.checksPage } : {}),
});

/** The own file as text, section by section, as `GET /v1/me` gives it. */
const ownFileText = (f: OwnFileJson): string => {
  const s = f.subject;
  const out: string[] = [`${s.name} — ${s.kind.replace('_', ' ')} ${s.identifier}`];
  if (s.birth_date) out.push(`born ${s.birth_date}, ${s.sex}`);
  for (const b of f.bindings)
    out.push(
      `${b.role.replaceAll('_', ' ')}${s.kind === 'person' ? ' of' : ':'} ${b.name} (${b.identifier}), ${b.from === null ? 'since before the platform knew' : `from ${b.from}`}${b.until === null ? '' : ` until ${b.until}`}`,
    );
  for (const l of f.licences) out.push(`licence: ${l.kind} ${l.number}`);
  const sc = f.score;
  out.push(
    '',
    `score ${sc.score}, grade ${sc.grade} as of ${sc.as_of} (see \`credence report ${s.identifier}\`)`,
    `  domains: ${Object.entries(sc.domains)
      .map(([d, p]) => `${d} ${p}`)
      .join(', ')}`,
  );
  if (sc.key_factors.length > 0) out.push('key factors:');
  for (const k of sc.key_factors) {
    out.push(
      `  ${k.date}  ${k.type}  ${k.type_name}  ${k.points}${k.organization ? `  (${k.organization})` : ''}`,
    );
    for (const a of k.advice) out.push(`    - ${a.text}`);
  }
  out.push('', `records (${f.records.length}):`);
  for (const r of f.records) {
    out.push(
      `  ${r.occurred_at}  ${r.type}  ${r.type_name}${r.amount != null ? `  amount ${r.amount}` : ''}  [${r.status}] from ${r.source.name} (${r.source.code})${r.case_reference ? `  case ${r.case_reference}` : ''}`,
    );
    const repair = r.repair
      ? `; repair ${r.repair.eligible_from === null ? 'not possible' : r.repair.eligible_from <= f.as_of ? 'possible now' : `from ${r.repair.eligible_from}`}`
      : '';
    out.push(`      ${r.counts_until ? `counts until ${r.counts_until}` : 'does not count'}${repair}`);
    for (const v of r.history)
      out.push(
        `      v${v.version} [${v.status}] replaced ${v.replaced_at.slice(0, 10)} by ${v.change}${v.reason ? `: ${v.reason}` : ''}`,
      );
  }
  out.push('', `lists (${f.lists.length}):`);
  for (const l of f.lists)
    out.push(
      `  ${l.list}  ${l.in_force ? 'in force' : l.status}  ${l.from} – ${l.until ?? 'open-ended'}${l.case_reference ? `  case ${l.case_reference}` : ''}`,
      `      legal basis: ${l.legal_basis}`,
    );
  out.push('', `measures in force (${f.measures.length}):`);
  for (const m of f.measures)
    out.push(
      `  ${m.measure}  ${m.name}  ${m.reason_code}  ${m.grade ? `while grade ${m.grade}` : `${m.from ?? ''} – ${m.until ?? 'open-ended'}`}`,
      `      legal basis: ${m.legal_basis}`,
    );
  if (f.objections) out.push('', `objections (${f.objections.length})`);
  if (f.repairs) out.push('', `repair applications (${f.repairs.length})`);
  const a = f.access_log;
  out.push('', 'access (newest first):');
  for (const e of a.accesses.entries)
    out.push(
      `  ${e.at}  ${e.who} (${e.role})  ${e.what}  purpose: ${e.purpose}  [#${e.seq}, leaf ${e.leaf_index ?? 'pending'}]`,
    );
  if (a.accesses.next_page) out.push(`  more: --access-page ${a.accesses.next_page}`);
  out.push('', 'checks by relying parties (per party and day):');
  for (const g of a.checks.groups)
    out.push(
      `  ${g.day}  ${g.who}  ${g.count} check${g.count === 1 ? '' : 's'} (${g.applied} applied)  ${g.measures.join(', ')}  purposes: ${g.purposes.join(', ')}${g.continued ? '  (continues)' : ''}`,
    );
  if (a.checks.next_page) out.push(`  more: --checks-page ${a.checks.next_page}`);
  return `${out.join('\n')}\n`;
};
