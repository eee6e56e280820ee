import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { importSubjects, readCsv, readNdjson } from '../../ingest/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { getSubjectFile, subjectFileJson } from '../../subjects/index.ts';
import { EXIT } from '../errors.ts';
import { startProgress } from '../progress.ts';
import { withPlatform } from '../run.ts';

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
        const size = (await stat(file)).size;
        let bytes = 0;
        const stream = createReadStream(file);
        const lines = file.toLowerCase().endsWith('.csv')
          ? readCsv(stream, (n) => (bytes += n))
          : readNdjson(stream, (n) => (bytes += n));
        const bar = startProgress('import', size, { quiet: opts.quiet, unit: 'bytes' });
        const r = await importSubjects({
          ctx: p.ctx(cliOperator(), `import subjects from ${file}`),
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
      "show a subject's file: identity, licences, records and who looked at it (the read is audited)",
    )
    .argument('<identifier>', 'resident identity card number or Unified Social Credit Code')
    .option(
      '--purpose <text>',
      'why you are reading this file (recorded in the audit log)',
      'operator review',
    )
    .option('--json', 'print JSON')
    .action(
      withPlatform(async (p, identifier: string, opts: { purpose: string; json?: boolean }) => {
        const f = await getSubjectFile({
          ctx: p.ctx(cliOperator(), opts.purpose),
          input: { identifier, policyVersion: p.scoringPolicy.version },
        });
        if (opts.json) {
          const json = subjectFileJson(f, (code) => p.catalogue.get(code)?.name ?? code);
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return EXIT.ok;
        }
        const s = f.subject;
        const out: string[] = [`${s.name} — ${s.kind.replace('_', ' ')} ${s.identifier}`];
        if (s.birthDate) out.push(`born ${s.birthDate}, ${s.sex}`);
        for (const b of f.bindings)
          out.push(
            `${b.role.replaceAll('_', ' ')}${s.kind === 'person' ? ' of' : ':'} ${b.name} (${b.identifier}), ${b.from === null ? 'since before the platform knew' : `from ${b.from}`}${b.until === null ? '' : ` until ${b.until}`}`,
          );
        for (const l of f.licences) out.push(`licence: ${l.kind} ${l.number}`);
        if (f.score) {
          out.push(
            '',
            `score ${f.score.score}, grade ${f.score.grade} as of ${f.score.asOf} (see \`credence report ${s.identifier}\`)`,
          );
          for (const k of f.score.keyFactors) out.push(`  ${k.date}  ${k.type}  ${k.points}`);
        }
        out.push('', `records (${f.records.length}):`);
        for (const r of f.records) {
          const name = p.catalogue.get(r.type)?.name ?? r.type;
          out.push(
            `  ${r.occurredAt}  ${r.type}  ${name}${r.amount != null ? `  amount ${r.amount}` : ''}  [${r.status}] from ${r.sourceCode}`,
          );
        }
        if (f.accessLog) {
          out.push('', 'recent access:');
          for (const a of f.accessLog.slice(0, 10))
            out.push(`  ${a.at}  ${a.actor} (${a.role})  ${a.action}  purpose: ${a.purpose}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
        return EXIT.ok;
      }),
    );
  return subjects;
};
