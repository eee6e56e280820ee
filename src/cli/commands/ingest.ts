import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_BATCH, ingestFile } from '../../ingest/index.ts';
import { cliOperator } from '../../platform/index.ts';
import { invalidInput } from '../../shared/errors.ts';
import { EXIT } from '../errors.ts';
import { statInputFile } from '../input-file.ts';
import { startProgress } from '../progress.ts';
import { intOption, withPlatform } from '../run.ts';

/**
 * The largest file `ingest` reads unless told otherwise: the file is streamed in constant memory,
 * so the cap is not for memory but against a wrong path (a disk image, a device) running for
 * hours; 8 GiB is some 20 million records, more than any source sends at once.
 */
export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 ** 3;

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `--max-file-size`: bytes, or a number with K, M, G or T (binary units: 1K = 1024 bytes). */
export const parseSize = (v: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(v.trim());
  const n = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`--max-file-size must be a size such as 500M or 8G, got "${v}"`);
  return n;
};

/** A size as a person reads it: 8 GiB, 500 MiB, 1,024 bytes. */
export const formatSize = (n: number): string => {
  for (const [unit, f] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const)
    if (n >= f) return `${Number((n / f).toFixed(1)).toLocaleString('en')} ${unit}`;
  return `${n.toLocaleString('en')} bytes`;
};

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
    .addOption(
      // The default as a person reads it, once: commander would print the bare byte count.
      new Option(
        '--max-file-size <size>',
        'refuse a larger file before reading it (bytes, or with K, M, G, T)',
      )
        .argParser(parseSize)
        .default(DEFAULT_MAX_FILE_SIZE, formatSize(DEFAULT_MAX_FILE_SIZE)),
    )
    .option('--quiet', 'no progress bar')
    .action(
      withPlatform(
        async (
          p,
          file: string,
          opts: {
            source: string;
            format?: string;
            batchSize: number;
            maxFileSize: number;
            quiet?: boolean;
            rescore: boolean;
          },
        ) => {
          const format = opts.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
          if (format !== 'csv' && format !== 'ndjson')
            throw invalidInput(`--format must be ndjson or csv, got "${format}"`);
          // A device or a pipe has no size to check and may never end; ENOENT → usage error.
          const info = await statInputFile(file);
          const size = info.size;
          if (size > opts.maxFileSize)
            throw invalidInput(
              `${file} is ${formatSize(size)}, over the limit of ${formatSize(opts.maxFileSize)} for one file: ` +
                'split it, or raise the limit with --max-file-size',
            );
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
          // Nothing to send is not an error (a source's daily export may be empty): exit 0, said aloud,
          // so an export cut short before its first line does not pass unseen.
          if (
            summary.accepted +
              summary.duplicates +
              summary.rejected +
              summary.corrected +
              summary.withdrawn ===
            0
          )
            process.stderr.write(
              `no records in ${file}${size === 0 ? ' (the file is empty)' : format === 'csv' ? ' (only a header)' : ' (only blank lines)'}\n`,
            );
          if (summary.accepted === 0 && summary.duplicates > 0 && summary.rejected === 0) {
            process.stderr.write(`nothing new: all ${summary.duplicates} records were already stored\n`);
          }
          return summary.rejected > 0 ? EXIT.partial : EXIT.ok;
        },
      ),
    );
