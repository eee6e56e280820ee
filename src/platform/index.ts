/**
 * The composition root: opens the store, loads the policies in force and records their versions.
 * The CLI and the HTTP API both start from here; capabilities never open anything themselves.
 */
import { readFile } from 'node:fs/promises';
import { type AuditDeps, fileSignerMemory, type LogKey, logKeyForStore } from '../audit/index.ts';
import { type Catalogue, DEFAULT_CATALOGUE_PATH, parseCatalogue } from '../catalogue/index.ts';
import type { Config } from '../config.ts';
import { type Clock, type Ctx, inZone, makeCtx, type Principal, systemClock } from '../context.ts';
import {
  DEFAULT_DUE_PROCESS_PATH,
  type DueProcessPolicy,
  parseDueProcessPolicy,
} from '../due-process/index.ts';
import {
  checkPoliciesOrThrow,
  DEFAULT_LISTS_PATH,
  DEFAULT_MEASURES_PATH,
  type ListDeps,
  type ListPolicy,
  listsPolicyInForce,
  type MeasurePolicy,
  parseListPolicy,
  parseMeasurePolicy,
  recomputeLists,
} from '../lists/index.ts';
import {
  checkRatingsPolicy,
  DEFAULT_RATINGS_POLICY_PATH,
  parseRatingsPolicy,
  type RatingsDeps,
  type RatingsPolicy,
  ratingsDeps,
} from '../ratings/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy, type ScoringPolicy } from '../scoring/index.ts';
import { invalidInput } from '../shared/errors.ts';
import { DEFAULT_CALENDAR_PATH, parseWorkingCalendar, type WorkingCalendar } from '../shared/working-days.ts';
import { openStore, type Store } from '../store/index.ts';
import {
  checkSupervisionPolicy,
  DEFAULT_SUPERVISION_POLICY_PATH,
  parseSupervisionPolicy,
  type SupervisionPolicy,
} from '../supervision/index.ts';
import { assertStoreExists } from './store-presence.ts';

export { assertStoreExists } from './store-presence.ts';

export interface Platform {
  config: Config;
  store: Store;
  catalogue: Catalogue;
  scoringPolicy: ScoringPolicy;
  lists: ListPolicy;
  measures: MeasurePolicy;
  /** Clocks of objections, appeals and repairs (policies/due-process.yaml). */
  dueProcess: DueProcessPolicy;
  /** Citizen ratings: thresholds, detection and records (policies/ratings.yaml). */
  ratingsPolicy: RatingsPolicy;
  /** What the ratings verbs need: the policy and the population means, cached briefly. */
  ratings: RatingsDeps;
  /** Risk classes, sampling ratios and inspection outcomes (policies/supervision.yaml). */
  supervisionPolicy: SupervisionPolicy;
  /** Working days and public holidays, for due-process clocks (policies/calendar.yaml). */
  calendar: WorkingCalendar;
  clock: Clock;
  /**
   * The audit log's Ed25519 key, which signs its tree heads: created at the first start (`init`) in
   * the data folder (audit-log-key.pem, mode 0600), never in the database, so whoever holds the
   * database cannot sign a head. Its public key is published (GET /v1/audit/head, `credence audit key`).
   */
  auditKey: LogKey;
  /** What signing and verifying heads need: the key and the last head it signed (data folder). */
  audit: AuditDeps;
  /**
   * What follows a committed batch of records: rescore the subjects it touched and recompute
   * their list entries, so the next check already sees the change.
   */
  refreshSubjects(ctx: Ctx, subjectIds: number[]): Promise<{ rescored: number; relisted: number }>;
  /** A context for a principal acting with a purpose. */
  ctx(principal: Principal, purpose: string, requestId?: string): Ctx;
  close(): Promise<void>;
}

export interface OpenOptions {
  clock?: Clock;
  /**
   * Create the store when it is not there (default true: `init`, `start`, `demo`, tests). False for
   * commands that work on an existing store: a mistyped DATA_DIR or DATABASE_URL is then refused
   * (`not_found`) and nothing is created.
   */
  create?: boolean;
  catalogueFile?: string;
  scoringPolicyFile?: string;
  /** The lists policy (default policies/lists.yaml). */
  listsFile?: string;
}

export const openPlatform = async (config: Config, opts: OpenOptions = {}): Promise<Platform> => {
  // The platform counts days in its zone whatever clock gives the instants (tests pass fixed ones).
  const clock = inZone(opts.clock ?? systemClock, config.timeZone);
  if (opts.create === false) await assertStoreExists(config);
  const file = opts.catalogueFile ?? DEFAULT_CATALOGUE_PATH;
  const text = await readFile(file, 'utf8');
  const catalogue = parseCatalogue(text, file);
  const policyFile = opts.scoringPolicyFile ?? DEFAULT_SCORING_POLICY_PATH;
  const policyText = await readFile(policyFile, 'utf8');
  const listsFile = opts.listsFile ?? DEFAULT_LISTS_PATH;
  const listsText = await readFile(listsFile, 'utf8');
  let lists = parseListPolicy(listsText, listsFile);
  // Direct grades that follow a listing take the list's terms: one calendar for both.
  let scoringPolicy = parseScoringPolicy(policyText, catalogue, policyFile, lists);
  const measuresText = await readFile(DEFAULT_MEASURES_PATH, 'utf8');
  const measures = parseMeasurePolicy(measuresText, DEFAULT_MEASURES_PATH);
  // Proportionality (product rule 4): the platform does not start on measures that fail the check.
  checkPoliciesOrThrow(lists, measures, catalogue);
  const dueProcessText = await readFile(DEFAULT_DUE_PROCESS_PATH, 'utf8');
  const dueProcess = parseDueProcessPolicy(
    dueProcessText,
    catalogue,
    DEFAULT_DUE_PROCESS_PATH,
    new Set(lists.lists.map((l) => l.code)),
  );
  const ratingsText = await readFile(DEFAULT_RATINGS_POLICY_PATH, 'utf8');
  const ratingsPolicy = parseRatingsPolicy(ratingsText, DEFAULT_RATINGS_POLICY_PATH);
  // Ratings become records only through the catalogue: the platform does not start on codes it lacks.
  const ratingsProblems = checkRatingsPolicy(ratingsPolicy, catalogue);
  if (ratingsProblems.length > 0)
    throw invalidInput(
      `${DEFAULT_RATINGS_POLICY_PATH}: ${ratingsProblems.length} problem(s) against the catalogue`,
      ratingsProblems.map((p) => ({ field: p.path, message: p.message })),
    );
  const supervisionText = await readFile(DEFAULT_SUPERVISION_POLICY_PATH, 'utf8');
  const supervisionPolicy = parseSupervisionPolicy(supervisionText, DEFAULT_SUPERVISION_POLICY_PATH);
  // Inspection outcomes become records only through the catalogue; never persons (rule 11).
  const supervisionProblems = checkSupervisionPolicy(supervisionPolicy, catalogue);
  if (supervisionProblems.length > 0)
    throw invalidInput(
      `${DEFAULT_SUPERVISION_POLICY_PATH}: ${supervisionProblems.length} problem(s)`,
      supervisionProblems.map((p) => ({ field: p.path, message: p.message })),
    );
  const calendarText = await readFile(DEFAULT_CALENDAR_PATH, 'utf8');
  const calendar = parseWorkingCalendar(calendarText, DEFAULT_CALENDAR_PATH);
  const store = await openStore(config.store);
  let auditKey: LogKey;
  try {
    auditKey = await logKeyForStore(
      config.dataDir,
      config.audit.name,
      async () => (await store.auditTree.latestHead())?.checkpoint,
    );
    await store.savePolicy(
      { version: catalogue.version, kind: 'catalogue', label: catalogue.label, content: text },
      clock.now().toISOString(),
    );
    await store.savePolicy(
      { version: scoringPolicy.version, kind: 'scoring', label: scoringPolicy.label, content: policyText },
      clock.now().toISOString(),
    );
    for (const [kind, p, content] of [
      ['lists', lists, listsText],
      ['measures', measures, measuresText],
      ['due-process', dueProcess, dueProcessText],
      ['ratings', ratingsPolicy, ratingsText],
      ['supervision', supervisionPolicy, supervisionText],
      [
        'calendar',
        { version: calendar.version, label: `${calendar.coveredFrom}..${calendar.coveredUntil}` },
        calendarText,
      ],
    ] as const) {
      await store.savePolicy(
        { version: p.version, kind, label: p.label, content },
        clock.now().toISOString(),
      );
    }
    await store.setMeta('catalogue_version', catalogue.version);
    await store.setMeta('scoring_policy_version', scoringPolicy.version);
    // Which version of each policy is in force from when; a listing keeps the terms of its day.
    const now = clock.now().toISOString();
    for (const [kind, version] of [
      ['catalogue', catalogue.version],
      ['scoring', scoringPolicy.version],
      ['lists', lists.version],
      ['measures', measures.version],
      ['due-process', dueProcess.version],
      ['ratings', ratingsPolicy.version],
      ['supervision', supervisionPolicy.version],
    ] as const)
      await store.notePolicyInForce(kind, version, now);
    const inForce = await listsPolicyInForce(store, clock, lists);
    if (inForce !== lists) {
      lists = inForce;
      scoringPolicy = parseScoringPolicy(policyText, catalogue, policyFile, lists);
    }
  } catch (e) {
    await store.close();
    throw e;
  }
  return {
    config,
    store,
    catalogue,
    scoringPolicy,
    lists,
    measures,
    dueProcess,
    ratingsPolicy,
    ratings: ratingsDeps(ratingsPolicy),
    supervisionPolicy,
    calendar,
    clock,
    auditKey,
    audit: { key: auditKey, memory: fileSignerMemory(config.dataDir) },
    // Scores, entries, notifications and due days from one read, written in one guarded
    // transaction (see `recomputeLists`).
    refreshSubjects: async (ctx, subjectIds) => {
      const relisted = await recomputeLists({
        ctx,
        input: { subjectIds, saveScores: true },
        deps: { lists, catalogue, scoringPolicy, calendar, dueProcess },
      });
      return { rescored: relisted.subjects, relisted: relisted.subjects };
    },
    ctx: (principal, purpose, requestId) =>
      makeCtx(store, principal, purpose, { clock, ...(requestId ? { requestId } : {}) }),
    close: () => store.close(),
  };
};

/** The operator acting from the command line: named by configuration (OPERATOR_NAME), never by the machine. */
/** What the lists engine and maintenance read of the platform's policies, as they are now. */
export const listDeps = (p: Platform) =>
  ({
    lists: p.lists,
    catalogue: p.catalogue,
    scoringPolicy: p.scoringPolicy,
    dueProcess: p.dueProcess,
    calendar: p.calendar,
  }) satisfies ListDeps;

export const cliOperator = (config: Pick<Config, 'operatorName'>): Principal => ({
  id: `operator:${config.operatorName}`,
  role: 'operator',
});
