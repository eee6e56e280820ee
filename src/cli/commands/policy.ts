import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  type Catalogue,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogueFile,
  parseCatalogue,
} from '../../catalogue/index.ts';
import { DEFAULT_DUE_PROCESS_PATH, parseDueProcessPolicy } from '../../due-process/policy.ts';
import {
  checkPolicies,
  DEFAULT_LISTS_PATH,
  DEFAULT_MEASURES_PATH,
  loadListPolicy,
  loadMeasurePolicy,
  parseListPolicy,
  parseMeasurePolicy,
} from '../../lists/index.ts';
import { checkRatingsPolicy, DEFAULT_RATINGS_POLICY_PATH, parseRatingsPolicy } from '../../ratings/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy } from '../../scoring/index.ts';
import { CredenceError } from '../../shared/errors.ts';
import {
  calendarCoverageWarning,
  DEFAULT_CALENDAR_PATH,
  parseWorkingCalendar,
} from '../../shared/working-days.ts';
import {
  checkSupervisionPolicy,
  DEFAULT_SUPERVISION_POLICY_PATH,
  parseSupervisionPolicy,
} from '../../supervision/index.ts';
import { EXIT, reportError } from '../errors.ts';

/** Which policy a file holds, by its top-level keys. */
const kindOf = (text: string) =>
  /^items:/m.test(text)
    ? 'catalogue'
    : /^lists:/m.test(text)
      ? 'lists'
      : /^measures:/m.test(text)
        ? 'measures'
        : /^covers:/m.test(text)
          ? 'calendar'
          : /^objections:/m.test(text)
            ? 'due-process'
            : /^ratings_version:/m.test(text)
              ? 'ratings'
              : /^supervision_version:/m.test(text)
                ? 'supervision'
                : 'scoring';

const checkFile = async (file: string, catalogue: Catalogue, listsFile: string): Promise<string> => {
  const text = await readFile(file, 'utf8');
  switch (kindOf(text)) {
    case 'catalogue': {
      const c = parseCatalogue(text, file);
      return `catalogue ${c.label} is valid: ${c.items.length} record types`;
    }
    case 'lists': {
      const l = parseListPolicy(text, file);
      return `list policy ${l.label} is valid: ${l.lists.length} lists`;
    }
    case 'measures': {
      const m = parseMeasurePolicy(text, file);
      return `measure policy ${m.label} is valid: ${m.measures.length} measures`;
    }
    case 'calendar': {
      const c = parseWorkingCalendar(text, file);
      // The CLI is the edge that may read the clock; the check itself takes today as a day number.
      const warning = calendarCoverageWarning(c, Math.floor(Date.now() / 86_400_000));
      if (warning) process.stderr.write(`warning: ${file}: ${warning}\n`);
      return `working calendar is valid (version ${c.version.slice(0, 12)}): covers ${c.coveredFrom} to ${c.coveredUntil}`;
    }
    case 'due-process': {
      const lists = await loadListPolicy(listsFile);
      const d = parseDueProcessPolicy(text, catalogue, file, new Set(lists.lists.map((l) => l.code)));
      return `due-process policy ${d.label} is valid (version ${d.version.slice(0, 12)}): objections answered within ${d.objections.reviewWorkingDays} working days, repairs decided within ${d.repairs.feedbackWorkingDays} + ${d.repairs.decisionWorkingDays} working days`;
    }
    case 'ratings': {
      const r = parseRatingsPolicy(text, file);
      const problems = checkRatingsPolicy(r, catalogue);
      if (problems.length > 0)
        throw new CredenceError(
          'invalid_input',
          `${file}: ${problems.length} problem(s) against the catalogue`,
          problems.map((p) => ({
            field: p.path,
            message: `${p.line ? `line ${p.line}: ` : ''}${p.message}`,
          })),
        );
      return `ratings policy ${r.label} is valid (version ${r.version.slice(0, 12)}): published from ${r.aggregation.minCount} ratings; sustained records below ${r.records.low} or above ${r.records.high} over ${r.records.periodDays} days`;
    }
    case 'supervision': {
      const p = parseSupervisionPolicy(text, file);
      const problems = checkSupervisionPolicy(p, catalogue);
      if (problems.length > 0)
        throw new CredenceError(
          'invalid_input',
          `${file}: ${problems.length} problem(s)`,
          problems.map((pr) => ({
            field: pr.path,
            message: `${pr.line ? `line ${pr.line}: ` : ''}${pr.message}`,
          })),
        );
      return `supervision policy ${p.label} is valid (version ${p.version.slice(0, 12)}): classes A–D drawn at ${(['A', 'B', 'C', 'D'] as const).map((c) => `${c} ${p.ratios[c].ratio * 100} %`).join(', ')}; never persons`;
    }
    default: {
      // The scoring policy refers to the lists its direct grades follow, and checks the catalogue's
      // validity against its windows.
      const p = parseScoringPolicy(text, catalogue, file, await loadListPolicy(listsFile));
      return `scoring policy ${p.label} is valid (version ${p.version.slice(0, 12)})`;
    }
  }
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
          const catalogue = await loadCatalogueFile(opts.catalogue);
          const files = file
            ? [file]
            : [
                opts.catalogue,
                DEFAULT_SCORING_POLICY_PATH,
                opts.lists,
                opts.measures,
                DEFAULT_CALENDAR_PATH,
                DEFAULT_DUE_PROCESS_PATH,
                DEFAULT_RATINGS_POLICY_PATH,
                DEFAULT_SUPERVISION_POLICY_PATH,
              ];
          for (const f of files) process.stdout.write(`${f}: ${await checkFile(f, catalogue, opts.lists)}\n`);
          if (file && !['lists', 'measures'].includes(kindOf(await readFile(file, 'utf8')))) {
            process.exitCode = EXIT.ok;
            return;
          }
          const lists = await loadListPolicy(
            file && kindOf(await readFile(file, 'utf8')) === 'lists' ? file : opts.lists,
          );
          const measures = await loadMeasurePolicy(
            file && kindOf(await readFile(file, 'utf8')) === 'measures' ? file : opts.measures,
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
