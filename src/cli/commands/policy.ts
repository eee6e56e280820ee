import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile, parseCatalogue } from '../../catalogue/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy } from '../../scoring/index.ts';
import { reportError } from '../errors.ts';

export const register = (program: Command) => {
  const policy = program.command('policy').description('check policy files');
  policy
    .command('check')
    .description(
      'validate a policy file (the catalogue or a scoring policy) and report every problem with its path; no database needed',
    )
    .argument('[file]', 'the file to check (default: the policies in force)')
    .option('--catalogue <file>', 'the catalogue a scoring policy is checked against', DEFAULT_CATALOGUE_PATH)
    .action(async (file: string | undefined, opts: { catalogue: string }) => {
      try {
        const files = file ? [file] : [DEFAULT_CATALOGUE_PATH, DEFAULT_SCORING_POLICY_PATH];
        for (const f of files) {
          const text = await readFile(f, 'utf8');
          // A catalogue lists record types under `items`; anything else is a scoring policy.
          if (/^items:/m.test(text)) {
            const c = parseCatalogue(text, f);
            process.stdout.write(`${f}: catalogue ${c.label} is valid: ${c.items.length} record types\n`);
          } else {
            const p = parseScoringPolicy(text, await loadCatalogueFile(opts.catalogue), f);
            process.stdout.write(
              `${f}: scoring policy ${p.label} is valid (version ${p.version.slice(0, 12)})\n`,
            );
          }
        }
        process.exitCode = 0;
      } catch (e) {
        process.exitCode = reportError(e);
      }
    });
  return policy;
};
