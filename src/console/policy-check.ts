/**
 * The policy check: each policy file validated by its own schema and against the catalogue, then
 * the proportionality of every measure under a jurisdiction profile (product rule 4). One
 * implementation for `credence policy check` (which prints it) and GET /v1/console/policy-check
 * (which returns every finding as JSON).
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { requirePermission } from '../access/index.ts';
import {
  type Catalogue,
  DEFAULT_CATALOGUE_PATH,
  loadCatalogueFile,
  parseCatalogue,
} from '../catalogue/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import { DEFAULT_DUE_PROCESS_PATH, parseDueProcessPolicy } from '../due-process/index.ts';
import {
  checkPolicies,
  DEFAULT_LISTS_PATH,
  DEFAULT_MEASURES_PATH,
  loadListPolicy,
  loadMeasurePolicy,
  type PolicyProblem,
  parseListPolicy,
  parseMeasurePolicy,
} from '../lists/index.ts';
import { checkRatingsPolicy, DEFAULT_RATINGS_POLICY_PATH, parseRatingsPolicy } from '../ratings/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, loadScoringPolicyFile, parseScoringPolicy } from '../scoring/index.ts';
import { parseDay } from '../shared/days.ts';
import { CredenceError, isCredenceError } from '../shared/errors.ts';
import {
  calendarCoverageWarning,
  DEFAULT_CALENDAR_PATH,
  parseWorkingCalendar,
} from '../shared/working-days.ts';
import {
  checkSupervisionPolicy,
  DEFAULT_SUPERVISION_POLICY_PATH,
  parseSupervisionPolicy,
} from '../supervision/index.ts';

export const POLICY_KINDS = [
  'catalogue',
  'scoring',
  'lists',
  'measures',
  'calendar',
  'due-process',
  'ratings',
  'supervision',
] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** The policies in force, in the order they are checked. */
export const POLICY_FILES_IN_FORCE: readonly string[] = [
  DEFAULT_CATALOGUE_PATH,
  DEFAULT_SCORING_POLICY_PATH,
  DEFAULT_LISTS_PATH,
  DEFAULT_MEASURES_PATH,
  DEFAULT_CALENDAR_PATH,
  DEFAULT_DUE_PROCESS_PATH,
  DEFAULT_RATINGS_POLICY_PATH,
  DEFAULT_SUPERVISION_POLICY_PATH,
];

/** Which policy a file holds, by its top-level keys. */
export const policyKindOf = (text: string): PolicyKind =>
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

/** One file found valid: what it holds, and what is worth a look. */
export interface PolicyFileChecked {
  kind: PolicyKind;
  summary: string;
  warnings: string[];
}

/**
 * Validates one policy file against its schema and the catalogue (and, for the due-process and
 * scoring policies, the list policy in `listsFile`); `today` (a day number) dates the calendar's
 * coverage. A catalogue is checked with the scoring policy `scoringFile` (default: the one in
 * force), as that policy is checked against a catalogue given with `--catalogue`; `null` leaves it
 * to the scoring file's own check. Throws `invalid_input` with every problem and its path when the
 * file is not valid.
 */
export const checkPolicyFile = async (
  file: string,
  catalogue: Catalogue,
  listsFile: string,
  today: number,
  scoringFile: string | null = DEFAULT_SCORING_POLICY_PATH,
): Promise<PolicyFileChecked> => {
  const text = await readFile(file, 'utf8');
  const kind = policyKindOf(text);
  const ok = (summary: string, warnings: string[] = []) => ({ kind, summary, warnings });
  switch (kind) {
    case 'catalogue': {
      const c = parseCatalogue(text, file);
      // The catalogue states how long a record counts, the scoring policy the city points windows
      // it must agree with (and the types it names): a catalogue is valid only with the policy
      // that scores it, whose problems are reported as that policy's.
      if (scoringFile !== null) await loadScoringPolicyFile(scoringFile, c, await loadListPolicy(listsFile));
      return ok(`catalogue ${c.label} is valid: ${c.items.length} record types`);
    }
    case 'lists': {
      const l = parseListPolicy(text, file);
      return ok(`list policy ${l.label} is valid: ${l.lists.length} lists`);
    }
    case 'measures': {
      const m = parseMeasurePolicy(text, file);
      return ok(`measure policy ${m.label} is valid: ${m.measures.length} measures`);
    }
    case 'calendar': {
      const c = parseWorkingCalendar(text, file);
      const warning = calendarCoverageWarning(c, today);
      return ok(
        `working calendar is valid (version ${c.version.slice(0, 12)}): covers ${c.coveredFrom} to ${c.coveredUntil}`,
        warning ? [warning] : [],
      );
    }
    case 'due-process': {
      const lists = await loadListPolicy(listsFile);
      const d = parseDueProcessPolicy(text, catalogue, file, new Set(lists.lists.map((l) => l.code)));
      return ok(
        `due-process policy ${d.label} is valid (version ${d.version.slice(0, 12)}): objections decided within ${d.objections.reviewDays} days, repairs decided within ${d.repairs.feedbackWorkingDays} + ${d.repairs.decisionWorkingDays} working days`,
      );
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
      return ok(
        `ratings policy ${r.label} is valid (version ${r.version.slice(0, 12)}): published from ${r.aggregation.minCount} ratings; sustained records below ${r.records.low} or above ${r.records.high} over ${r.records.periodDays} days`,
      );
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
      return ok(
        `supervision policy ${p.label} is valid (version ${p.version.slice(0, 12)}): classes A–D drawn at ${(['A', 'B', 'C', 'D'] as const).map((c) => `${c} ${p.ratios[c].ratio * 100} %`).join(', ')}; never persons`,
      );
    }
    default: {
      // The scoring policy refers to the lists its direct grades follow, and checks the catalogue's
      // validity against its windows.
      const p = parseScoringPolicy(text, catalogue, file, await loadListPolicy(listsFile));
      return ok(`scoring policy ${p.label} is valid (version ${p.version.slice(0, 12)})`);
    }
  }
};

/** One finding of the check: where (a path in the file, and its line when known) and what. */
export interface PolicyFinding {
  path: string | null;
  line: number | null;
  message: string;
}

export interface PolicyFileResult {
  /** The file, relative to the project folder (e.g. `policies/catalogue.yaml`). */
  file: string;
  kind: PolicyKind | null;
  ok: boolean;
  /** What the file holds, when it is valid. */
  summary: string | null;
  errors: PolicyFinding[];
  warnings: PolicyFinding[];
}

export interface PolicyCheckResult {
  ok: boolean;
  profile: string;
  files: PolicyFileResult[];
  /** The proportionality of every measure under `profile` (its findings are also on the files they are in). */
  proportionality: { checked: boolean; ok: boolean; errors: number; warnings: number };
}

const PROJECT = dirname(dirname(DEFAULT_CATALOGUE_PATH));
const shown = (file: string) => relative(PROJECT, file);

/** An error as findings: each issue with its path, or the message alone. */
const findingsOf = (e: unknown): PolicyFinding[] => {
  if (isCredenceError(e))
    return e.issues.length > 0
      ? e.issues.map((i) => ({ path: i.field ?? null, line: i.line ?? null, message: i.message }))
      : [{ path: null, line: null, message: e.message }];
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return [{ path: null, line: null, message: 'file not found' }];
  throw e;
};

/**
 * The policies in force checked as `credence policy check` checks them, every finding kept: each
 * file valid or not with its problems and warnings, then proportionality under `profile` (default:
 * the measure policy's own). Reads the files as they are now, which may differ from what the
 * running platform loaded at its start. Operators and auditors.
 */
export const runPolicyCheck = async ({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: { profile?: string };
}): Promise<PolicyCheckResult> => {
  requirePermission(ctx.principal, 'console.read');
  const today = parseDay(todayOf(ctx.clock));
  const files: PolicyFileResult[] = [];
  let catalogue: Catalogue | undefined;
  try {
    catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
  } catch (e) {
    files.push({
      file: shown(DEFAULT_CATALOGUE_PATH),
      kind: 'catalogue',
      ok: false,
      summary: null,
      errors: findingsOf(e),
      warnings: [],
    });
  }
  for (const file of POLICY_FILES_IN_FORCE) {
    if (!catalogue) {
      if (file !== DEFAULT_CATALOGUE_PATH)
        files.push({
          file: shown(file),
          kind: null,
          ok: false,
          summary: null,
          errors: [
            {
              path: null,
              line: null,
              message: 'not checked: the catalogue it is checked against is invalid',
            },
          ],
          warnings: [],
        });
      continue;
    }
    try {
      // The scoring policy in force is checked against this catalogue as a file of its own.
      const r = await checkPolicyFile(file, catalogue, DEFAULT_LISTS_PATH, today, null);
      files.push({
        file: shown(file),
        kind: r.kind,
        ok: true,
        summary: r.summary,
        errors: [],
        warnings: r.warnings.map((message) => ({ path: null, line: null, message })),
      });
    } catch (e) {
      files.push({
        file: shown(file),
        kind: null,
        ok: false,
        summary: null,
        errors: findingsOf(e),
        warnings: [],
      });
    }
  }
  const fileOf = (kind: PolicyProblem['file']) =>
    files[
      POLICY_FILES_IN_FORCE.indexOf(
        kind === 'lists'
          ? DEFAULT_LISTS_PATH
          : kind === 'measures'
            ? DEFAULT_MEASURES_PATH
            : DEFAULT_CATALOGUE_PATH,
      )
    ];
  const canCheck = catalogue !== undefined && fileOf('lists')?.ok === true && fileOf('measures')?.ok === true;
  let profile = input.profile ?? '';
  let problems: PolicyProblem[] = [];
  if (canCheck) {
    const measures = await loadMeasurePolicy(DEFAULT_MEASURES_PATH);
    profile = input.profile ?? measures.defaultProfile;
    // An unknown profile is the caller's mistake: `invalid_input`, as on the command line.
    problems = checkPolicies(await loadListPolicy(DEFAULT_LISTS_PATH), measures, catalogue!, profile);
    for (const pr of problems) {
      const f = fileOf(pr.file)!;
      const finding = { path: pr.path, line: pr.line ?? null, message: pr.message };
      if (pr.level === 'error') {
        f.errors.push(finding);
        f.ok = false;
      } else f.warnings.push(finding);
    }
  }
  const errors = problems.filter((p) => p.level === 'error').length;
  return {
    ok: canCheck && files.every((f) => f.ok),
    profile,
    files,
    proportionality: {
      checked: canCheck,
      ok: canCheck && errors === 0,
      errors,
      warnings: problems.length - errors,
    },
  };
};
