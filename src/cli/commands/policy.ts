import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type Catalogue, DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../../catalogue/index.ts';
import { checkPolicyFile, POLICY_FILES_IN_FORCE, policyKindOf } from '../../console/index.ts';
import {
  checkPolicies,
  DEFAULT_LISTS_PATH,
  DEFAULT_MEASURES_PATH,
  loadListPolicy,
  loadMeasurePolicy,
} from '../../lists/index.ts';
import { EXIT, reportError } from '../errors.ts';
import { statInputFile } from '../input-file.ts';

/** Checks one file as src/console/policy-check.ts does, printing its warnings; its summary line. */
const checkFile = async (file: string, catalogue: Catalogue, listsFile: string) => {
  // The CLI is the edge that may read the clock; the check itself takes today as a day number.
  const r = await checkPolicyFile(file, catalogue, listsFile, Math.floor(Date.now() / 86_400_000));
  for (const w of r.warnings) process.stderr.write(`warning: ${file}: ${w}\n`);
  return r.summary;
};

export const register = (program: Command) => {
  const policy = program.command('policy').description('check policy files');
  policy
    .command('check')
    .description(
      'validate a policy file (catalogue, scoring, lists, measures, working calendar, due process, ratings or supervision) and report every problem with its path; without a file, ' +
        'check the policies in force and the proportionality of every measure (product rule 4) under a jurisdiction profile; no database needed',
    )
    .argument('[file]', 'the file to check (default: the policies in force)')
    .option(
      '--catalogue <file>',
      'the catalogue the other policies are checked against',
      DEFAULT_CATALOGUE_PATH,
    )
    .option('--lists <file>', 'the list policy measures are checked against', DEFAULT_LISTS_PATH)
    .option('--measures <file>', 'the measure policy to check for proportionality', DEFAULT_MEASURES_PATH)
    .option(
      '--profile <name>',
      'jurisdiction profile: cn (default) or eu (no detrimental measure outside the context the data came from)',
    )
    .action(
      async (
        file: string | undefined,
        opts: { catalogue: string; lists: string; measures: string; profile?: string },
      ) => {
        try {
          // A folder (or a device) named for a policy is refused by name before anything is read.
          for (const f of [file, opts.catalogue, opts.lists, opts.measures]) if (f) await statInputFile(f);
          const catalogue = await loadCatalogueFile(opts.catalogue);
          // The policies in force, with the catalogue, lists and measures given in their place.
          const given = new Map([
            [DEFAULT_CATALOGUE_PATH, opts.catalogue],
            [DEFAULT_LISTS_PATH, opts.lists],
            [DEFAULT_MEASURES_PATH, opts.measures],
          ]);
          const files = file ? [file] : POLICY_FILES_IN_FORCE.map((f) => given.get(f) ?? f);
          for (const f of files) process.stdout.write(`${f}: ${await checkFile(f, catalogue, opts.lists)}\n`);
          if (file && !['lists', 'measures'].includes(policyKindOf(await readFile(file, 'utf8')))) {
            process.exitCode = EXIT.ok;
            return;
          }
          const lists = await loadListPolicy(
            file && policyKindOf(await readFile(file, 'utf8')) === 'lists' ? file : opts.lists,
          );
          const measures = await loadMeasurePolicy(
            file && policyKindOf(await readFile(file, 'utf8')) === 'measures' ? file : opts.measures,
          );
          const profile = opts.profile ?? measures.defaultProfile;
          const problems = checkPolicies(lists, measures, catalogue, profile);
          for (const pr of problems) {
            process.stderr.write(
              `${pr.level}: ${pr.file} ${pr.path}${pr.line ? ` (line ${pr.line})` : ''}: ${pr.message}\n`,
            );
          }
          const errors = problems.filter((pr) => pr.level === 'error').length;
          process.stdout.write(
            `proportionality under profile ${profile}: ${errors === 0 ? 'passed' : `${errors} error(s)`}` +
              `${problems.length > errors ? `, ${problems.length - errors} warning(s)` : ''}\n`,
          );
          process.exitCode = errors === 0 ? EXIT.ok : EXIT.refused;
        } catch (e) {
          process.exitCode = reportError(e);
        }
      },
    );
  return policy;
};
