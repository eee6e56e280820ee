/**
 * Check answers from memory. A process keeps the subjects it has been asked about in the lists
 * engine's CheckIndex (typed arrays: one check is a hash lookup and a few array reads) and keeps
 * them current from the store's change feed: before answering, it applies every change committed
 * since the last one it saw — by this process or any other — so a corrected or performed record
 * lifts a measure for the very next check. All the checks that arrive in one turn of the event
 * loop share one load of the subjects not yet held and one transaction that reads the feed and
 * commits their log: when the feed shows a change since the last catch-up, the turn catches up and
 * tries again. On SQLite that transaction holds every other writer off, so an answer reflects
 * every change committed before it was logged. Turns run one after another; the checks that arrive
 * while one turn's commit is in flight gather into the next, so under load a commit carries many
 * checks (group commit) and each caller still waits for the commit of its own. On PostgreSQL a
 * turn is one statement (store/postgres/check-turn.ts): an answer reflects every change committed
 * before that statement began, and one committed while it runs is seen by the next turn.
 *
 * The subjects a turn loads and the feed it catches up from are read from `store.replica`: a hot
 * standby where one is configured, within its lag bound, while the turn's statement (the feed's
 * latest changes, the check log) runs on the primary. A change the primary shows and the standby
 * does not yet is caught up by a later turn: the answer meanwhile reflects every change committed
 * on the primary up to the standby's lag ago (never more than the bound), and the feed, numbered
 * in commit order and replayed in that order, is caught up without a gap.
 */
import { confirmHolders, staleHolders } from '../access/index.ts';
import type { CredentialSeen } from '../context.ts';
import {
  type Binds,
  CheckIndex,
  entryOf,
  type ListEntry,
  type ListPolicy,
  type MeasurePolicy,
} from '../lists/index.ts';
import type { Grade } from '../scoring/index.ts';
import {
  type AuditActor,
  type CheckLogBatch,
  type CheckLogDraft,
  type CheckPolicies,
  type CheckSubjectRow,
  checkLogGroupOf,
  checkSuffixes,
  groupCheckIds,
  newCheckKey,
  type PolicyPeriod,
  type Store,
} from '../store/index.ts';

/** More changes than this since the last look: start afresh rather than replay them one by one. */
const REPLAY_LIMIT = 20_000;
/** Subjects loaded per page by `preload`. */
const PAGE = 5_000;
/**
 * Times a turn's transaction may find changes committed since the catch-up just before it and
 * catch up again; the last time it answers as of that catch-up (a steady stream of changes from
 * other writers cannot hold checks back), and the next turn applies the rest.
 */
const TURN_TRIES = 3;

/**
 * One caller's checks in a turn: `answer` gives the answers and their log rows from the index,
 * each check's ID from `checkId` (one key per group of the log, so the ID finds its group).
 */
interface Job {
  identifiers: readonly string[];
  actor: AuditActor;
  at: string;
  answer: (
    index: CheckIndex,
    checkId: () => string,
    policies: CheckPolicies,
  ) => { value: unknown; rows: CheckLogDraft[] };
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
  /** The caller's credential, confirmed in the turn's transaction (`#stale`). */
  credential: CredentialSeen | undefined;
  /** Looked up again during this turn (the last try accepts it: see `#turn`). */
  confirmed?: boolean;
}

export class CheckService {
  readonly store: Store;
  readonly measures: MeasurePolicy;
  /** The versions of the measures and lists policies this process holds (see `#policiesAt`). */
  readonly policies: CheckPolicies;
  /**
   * The store's lists policy periods (`policy_periods`), read at every fresh start of the index: a
   * new lists policy coming into force notes "everything changed" on the change feed, so every
   * process reads them again at its next turn. The entries it answers from were kept under the
   * version in force, whatever version this process holds: that is the version logged.
   */
  #listsPeriods: readonly PolicyPeriod[] = [];
  /** The policies logged, by lists version (one frozen object each). */
  readonly #logged = new Map<string, CheckPolicies>();
  #index: CheckIndex | undefined;
  /** identifier → subject id, for every subject held. */
  readonly #ids = new Map<string, number>();
  /** Subjects held, with everything a check of them reads (their entries, grade, represented organizations). */
  readonly #held = new Set<number>();
  #cursor: number | undefined;
  /** The run of turns and loads; every step waits for the one before. */
  #chain: Promise<void> = Promise.resolve();
  /** The checks of the turn not started yet, and the day they are answered as of. */
  #jobs: Job[] | undefined;
  #jobsToday = '';

  constructor(store: Store, measures: MeasurePolicy, lists: Pick<ListPolicy, 'version'>) {
    this.store = store;
    this.measures = measures;
    this.policies = Object.freeze({ measures: measures.version, lists: lists.version });
  }

  /**
   * The policies a check answered at `at` is logged under: this process's measures policy (the
   * index evaluates it), and the lists policy in force at `at` by the periods last read (the
   * process's own when there are none yet). ISO instants compare as strings.
   */
  #policiesAt(at: string): CheckPolicies {
    const periods = this.#listsPeriods;
    let lists = this.policies.lists;
    for (let i = periods.length - 1; i >= 0; i--)
      if (periods[i]!.from <= at) {
        lists = periods[i]!.version;
        break;
      }
    if (lists === this.policies.lists) return this.policies;
    let p = this.#logged.get(lists);
    if (!p) {
      p = Object.freeze({ measures: this.policies.measures, lists });
      this.#logged.set(lists, p);
    }
    return p;
  }

  /** Subjects held in memory. */
  get size(): number {
    return this.#held.size;
  }

  /**
   * Answers checks of these identifiers as of `today` (YYYY-MM-DD) and logs them for `actor`:
   * `answer` runs once every change committed so far is applied and the identifiers are held (when
   * the store knows them), and returns the answers and the rows to log. Resolves with the answers
   * once their rows are committed: a check is never answered before it is logged.
   *
   * With `credential` (the caller's, as resolved without reading the store: `keptCredential`), the
   * turn's transaction also reads the store's credentials epoch; when it moved since the credential
   * was resolved, the credential is looked up again before anything is answered, and a check whose
   * credential was revoked or expired meanwhile is refused (401) unanswered and unlogged.
   */
  check<T>(
    identifiers: readonly string[],
    today: string,
    actor: AuditActor,
    at: string,
    answer: (
      index: CheckIndex,
      checkId: () => string,
      policies: CheckPolicies,
    ) => { value: T; rows: CheckLogDraft[] },
    credential?: CredentialSeen,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let jobs = this.#jobs;
      if (!jobs || this.#jobsToday !== today) {
        const turn: Job[] = [];
        jobs = turn;
        this.#jobs = turn;
        this.#jobsToday = today;
        // Queued behind the turn in flight at the end of this turn of the event loop; the checks
        // that arrive until it starts join it, so while one commit is in flight the next gathers.
        setImmediate(() => {
          this.#chain = this.#chain.then(() => {
            if (this.#jobs === turn) this.#jobs = undefined;
            return this.#turn(turn, today);
          });
        });
      }
      jobs.push({
        identifiers,
        actor,
        at,
        answer,
        resolve: resolve as (v: unknown) => void,
        reject,
        credential,
      });
    });
  }

  /** Settles every job of a turn; never rejects itself (the chain goes on). */
  async #turn(turnJobs: Job[], today: string): Promise<void> {
    let jobs = turnJobs;
    const missing = () => {
      const ids = new Set<string>();
      for (const j of jobs) for (const id of j.identifiers) if (!this.#ids.has(id)) ids.add(id);
      return ids;
    };
    try {
      // The turn's transaction reads the feed itself: here only a first start or a new day catches
      // up, and subjects not held are loaded (changes meanwhile are then found and replayed).
      if (this.#cursor === undefined || this.#index === undefined || this.#index.asOf !== today)
        await this.#step(missing, today);
      else await this.#loadIdentifiers(missing());
      let confirmations = 0;
      for (let attempt = 1; ; attempt++) {
        let answered: [Job, unknown][] = [];
        let stale: Job[] = [];
        const from = this.#cursor;
        // The store may call this twice (PostgreSQL answers first as of no change, then again
        // with the changes its statement found): only the last call's answers count.
        const logged = await this.store.checkTurn(this.#cursor!, 1, (changes) => {
          // Read inside the transaction (on SQLite it holds the write lock: no revocation commits
          // before these checks do); after TURN_TRIES look-ups a credential confirmed during this
          // turn is taken as it was then, so a stream of credential changes cannot hold checks back.
          stale = this.#stale(jobs, confirmations >= TURN_TRIES);
          if (stale.length > 0) return undefined;
          if (changes.length > 0 && attempt < TURN_TRIES) return undefined;
          answered = [];
          const batches: CheckLogBatch[] = [];
          // One key per group of the log this call writes (an actor's checks), drawn afresh on each
          // call: only the last call's answers and IDs are logged and given. Each check's suffix is
          // random (see `checkIdOf`), from one draw of random bytes for the call.
          let count = 0;
          for (const j of jobs) count += j.identifiers.length;
          const suffix = checkSuffixes(count);
          const keys = new Map<string, { key: string; next: () => string }>();
          for (const j of jobs) {
            const group = checkLogGroupOf(j.actor);
            let ids = keys.get(group);
            if (!ids) {
              const key = newCheckKey();
              ids = { key, next: groupCheckIds(key, suffix) };
              keys.set(group, ids);
            }
            try {
              const policies = this.#policiesAt(j.at);
              const { value, rows } = j.answer(this.#index!, ids.next, policies);
              answered.push([j, value]);
              if (rows.length > 0)
                batches.push({ actor: j.actor, at: j.at, rows, checkKey: ids.key, policies });
            } catch (e) {
              j.reject(e);
            }
          }
          return batches;
        });
        if (logged) {
          for (const [j, value] of answered) j.resolve(value);
          return;
        }
        if (stale.length > 0) {
          // A credential changed somewhere since these were resolved: look them up again, refuse
          // those now dead, and try again (this try does not count against the feed's tries).
          confirmations++;
          attempt--;
          jobs = await this.#confirm(jobs, stale);
          if (jobs.length === 0) return;
          continue;
        }
        // Something committed since the catch-up: apply it, and reload what a fresh start dropped.
        await this.#step(missing, today);
        // The feed the index reads (a replica's) does not show it yet: trying again cannot help, so
        // the next try answers as of the replica, which is within its lag bound.
        if (this.#cursor === from && attempt < TURN_TRIES - 1) attempt = TURN_TRIES - 1;
      }
    } catch (e) {
      for (const j of jobs) j.reject(e);
    }
  }

  /** The jobs whose credential was resolved at another credentials epoch than the store's now. */
  #stale(jobs: readonly Job[], lastTry: boolean): Job[] {
    return staleHolders(this.store, jobs, lastTry);
  }

  /** Looks the stale jobs' credentials up again; refuses the jobs whose credential is dead, returns the others. */
  async #confirm(jobs: Job[], stale: readonly Job[]): Promise<Job[]> {
    const dead = await confirmHolders(this.store, stale, (j) => Date.parse(j.at));
    for (const [j, e] of dead) j.reject(e);
    return dead.size === 0 ? jobs : jobs.filter((j) => !dead.has(j));
  }

  /** The subject id of an identifier held, or undefined when the store does not know it. */
  subjectId(identifier: string): number | undefined {
    return this.#ids.get(identifier);
  }

  /** Loads every subject, page by page (a server does this once at start so the first checks are warm). */
  async preload(today: string, onProgress?: (loaded: number) => void): Promise<number> {
    let after = 0;
    for (;;) {
      const rows = await this.store.replica.listCheckSubjects({ afterId: after, limit: PAGE });
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      await new Promise<void>((resolve, reject) => {
        this.#chain = this.#chain
          .then(async () => {
            await this.#catchUp(today);
            await this.#load(rows.filter((r) => !this.#held.has(r.id)));
          })
          .then(resolve, reject);
      });
      onProgress?.(this.#held.size);
    }
    return this.#held.size;
  }

  /**
   * Catches up, then loads the identifiers not held: asked for only after the catch-up, since a
   * fresh start (a new day) drops every subject held before.
   */
  async #step(missing: () => Set<string>, today: string): Promise<void> {
    await this.#catchUp(today);
    await this.#loadIdentifiers(missing());
  }

  /** Loads the subjects of these identifiers not held yet (those the store knows). */
  async #loadIdentifiers(identifiers: Set<string>): Promise<void> {
    const missing = [...identifiers].filter((id) => !this.#ids.has(id));
    if (missing.length > 0)
      await this.#load(await this.store.replica.listCheckSubjects({ identifiers: missing }));
  }

  /** Applies the change feed since the last look; a new day or too many changes start afresh. */
  async #catchUp(today: string): Promise<void> {
    if (this.#cursor === undefined || this.#index === undefined || this.#index.asOf !== today) {
      // Read the feed's position before anything is loaded, so changes made meanwhile are replayed.
      this.#cursor = await this.store.replica.lastCheckChange();
      await this.#readPeriods();
      this.#reset(today);
      return;
    }
    const changes = await this.store.replica.readCheckChanges(this.#cursor, REPLAY_LIMIT + 1);
    if (changes.length === 0) return;
    this.#cursor = changes[changes.length - 1]!.seq;
    if (changes.length > REPLAY_LIMIT || changes.some((c) => c.subjectId === null)) {
      await this.#readPeriods();
      this.#reset(today);
      return;
    }
    const changed = [...new Set(changes.map((c) => c.subjectId!))];
    const rows = await this.store.replica.listCheckSubjects({ ids: changed });
    // A changed subject matters when it is held, or binds a person held: then that person is
    // loaded again, with every organization it is bound to today.
    const orgs = rows.filter((r) => r.kind !== 'person' && !this.#held.has(r.id)).map((r) => r.id);
    const bound = orgs.length
      ? (await this.store.replica.listBindings({ organizationIds: orgs, inForceOn: today }))
          .map((b) => b.personId)
          .filter((id) => this.#held.has(id) && !changed.includes(id))
      : [];
    const reload = rows.filter((r) => this.#held.has(r.id));
    if (bound.length > 0)
      reload.push(...(await this.store.replica.listCheckSubjects({ ids: [...new Set(bound)] })));
    await this.#load(reload);
  }

  /** Reads the lists policy periods: at a fresh start only (rare), never per check or per turn. */
  async #readPeriods(): Promise<void> {
    // Written by `toISOString`; normalized all the same, so they compare with a check's instant as strings.
    this.#listsPeriods = (await this.store.listPolicyPeriods('lists')).map((p) => ({
      from: new Date(p.from).toISOString(),
      version: p.version,
    }));
  }

  #reset(today: string): void {
    this.#index = new CheckIndex(this.measures.measures, today);
    this.#ids.clear();
    this.#held.clear();
  }

  /**
   * Puts these subjects in the index with their entries and grade, and for a person every
   * organization it is bound to today (in any role a measure may bind), with theirs.
   */
  async #load(rows: CheckSubjectRow[]): Promise<void> {
    if (rows.length === 0) return;
    const index = this.#index!;
    const persons = rows.filter((r) => r.kind === 'person').map((r) => r.id);
    const all = new Map(rows.map((r) => [r.id, r]));
    const boundBy = new Map<number, { organizationId: number; role: Binds }[]>(persons.map((id) => [id, []]));
    if (persons.length > 0) {
      const bindings = await this.store.replica.listBindings({ personIds: persons, inForceOn: index.asOf });
      for (const b of bindings)
        boundBy.get(b.personId)?.push({ organizationId: b.organizationId, role: b.role });
      const orgs = [...new Set(bindings.map((b) => b.organizationId))].filter((id) => !all.has(id));
      if (orgs.length > 0)
        for (const org of await this.store.replica.listCheckSubjects({ ids: orgs })) all.set(org.id, org);
    }
    const entries = new Map<number, ListEntry[]>();
    for (const row of await this.store.replica.listListEntries([...all.keys()])) {
      const list = entries.get(row.subjectId);
      if (list) list.push(entryOf(row));
      else entries.set(row.subjectId, [entryOf(row)]);
    }
    for (const s of all.values()) {
      const by = boundBy.get(s.id);
      index.setSubject(s.id, entries.get(s.id) ?? [], {
        kind: s.kind,
        grade: (s.grade as Grade | null) ?? null,
        ...(by ? { boundBy: by } : {}),
      });
    }
    // Only the subjects asked about (and changed ones already held) count as held; an organization
    // loaded for its representative is kept current through the representative's changes.
    for (const s of rows) {
      this.#ids.set(s.identifier, s.id);
      this.#held.add(s.id);
    }
  }
}
