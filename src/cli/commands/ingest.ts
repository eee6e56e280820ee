import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_BATCH, ingestFile } from '../../ingest/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { EXIT } from '../errors.ts';
import { startProgress } from '../progress.ts';
import { intOption, withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('ingest')
    .description(
      'ingest a file of records from one source (NDJSON, or CSV with the same column names); prints one line per rejected line ' +
        'and a summary; exit 0 when nothing was rejected, 1 when some lines were, 2 on a usage error',
    )
    .argument('<file>', 'NDJSON (.ndjson/.jsonl) or CSV (.csv) file')
    .requiredOption('--source <code>', 'the registered source the records come from')
    .option('--format <format>', 'ndjson or csv (default: from the file extension)')
    .option('--batch-size <n>', 'records per transaction', intOption('batch-size', 1, 100_000), DEFAULT_BATCH)
    .option(
      '--no-rescore',
      'do not rescore the subjects each batch touched nor recompute their list entries (run `credence score` and `credence lists recompute` later)',
    )
    .option('--quiet', 'no progress bar')
    .action(
      withPlatform(
        async (
          p,
          file: string,
          opts: { source: string; format?: string; batchSize: number; quiet?: boolean; rescore: boolean },
        ) => {
          const format = opts.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
          if (format !== 'csv' && format !== 'ndjson')
            throw invalidInput(`--format must be ndjson or csv, got "${format}"`);
          const size = (await stat(file)).size; // ENOENT → usage error
          const ctx = p.ctx(cliOperator(p.config), `ingest ${file} for source ${opts.source}`);
          let bytes = 0;
          let rescored = 0;
          let progress: ReturnType<typeof startProgress> | undefined;
          const summary = await ingestFile({
            ctx,
            input: {
              source: opts.source,
              file,
              format,
              catalogue: p.catalogue,
              batchSize: opts.batchSize,
              onBytes: (n) => {
                bytes += n;
              },
              onLine: (o) => {
                if (o.status === 'rejected')
                  process.stdout.write(`line ${o.line}: ${o.field}: ${o.reason}\n`);
              },
              ...(opts.rescore
                ? {
                    afterBatch: async (subjectIds: number[]) => {
                      rescored += (await p.refreshSubjects(ctx, subjectIds)).rescored;
                    },
                  }
                : {}),
              onBatch: (s) => {
                progress ??= startProgress('ingest', size, { quiet: opts.quiet, unit: 'bytes' });
                progress.update(
                  bytes,
                  `${s.accepted} accepted, ${s.duplicates} duplicates, ${s.rejected} rejected`,
                );
              },
            },
          });
          progress?.update(size);
          progress?.stop();
          const revised =
            summary.corrected + summary.withdrawn > 0
              ? `, corrected ${summary.corrected}, withdrawn ${summary.withdrawn}`
              : '';
          process.stdout.write(
            `accepted ${summary.accepted}, duplicates ${summary.duplicates}${revised}, rejected ${summary.rejected}\n`,
          );
          if (rescored > 0) process.stderr.write(`rescored ${rescored} subjects\n`);
          if (summary.accepted === 0 && summary.duplicates > 0 && summary.rejected === 0) {
            process.stderr.write(`nothing new: all ${summary.duplicates} records were already stored\n`);
          }
          return summary.rejected > 0 ? EXIT.partial : EXIT.ok;
        },
      ),
    );
