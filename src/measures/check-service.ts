/**
 * Check answers from memory. A process keeps the subjects it has been asked about in the lists
 * engine's CheckIndex (typed arrays: one check is a hash lookup and a few array reads) and keeps
 * them current from the store's change feed: before answering, it applies every change committed
 * since the last one it saw — by this process or any other — so a corrected or performed record
 * lifts a measure for the very next check. All the checks that arrive in one turn of the event
 * loop share one read of the feed and one load of the subjects not yet held.
 */
import { CheckIndex, entryOf, type ListEntry, type MeasurePolicy } from '../lists/index.ts';
import type { Grade } from '../scoring/index.ts';
import type { CheckSubjectRow, Store } from '../store/index.ts';

/** More changes than this since the last look: start afresh rather than replay them one by one. */
const REPLAY_LIMIT = 20_000;
/** Subjects loaded per page by `preload`. */
const PAGE = 5_000;

export class CheckService {
  readonly store: Store;
  readonly measures: MeasurePolicy;
  #index: CheckIndex | undefined;
  /** identifier → subject id, for every subject held. */
  readonly #ids = new Map<string, number>();
  /** Subjects held, with everything a check of them reads (their entries, grade, represented organizations). */
  readonly #held = new Set<number>();
  #cursor: number | undefined;
  /** The run of the feed and loads; every step waits for the one before. */
  #chain: Promise<void> = Promise.resolve();
  /** The step not started yet, which later checks of this turn join. */
  #next: { identifiers: Set<string>; promise: Promise<void> } | undefined;

  constructor(store: Store, measures: MeasurePolicy) {
    this.store = store;
    this.measures = measures;
  }

  /** Subjects held in memory. */
  get size(): number {
    return this.#held.size;
  }

  /**
   * Makes sure every change committed so far is applied and these identifiers are held (when the
   * store knows them); returns the index to answer from, built for `today` (YYYY-MM-DD).
   */
  async prepare(identifiers: readonly string[], today: string): Promise<CheckIndex> {
    let step = this.#next;
    if (!step) {
      const ids = new Set<string>();
      const promise = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          this.#next = undefined;
          this.#chain = this.#chain.then(() => this.#step(ids, today)).then(resolve, reject);
        });
      });
      step = { identifiers: ids, promise };
      this.#next = step;
    }
    for (const id of identifiers) if (!this.#ids.has(id)) step.identifiers.add(id);
    await step.promise;
    return this.#index!;
  }

  /** The subject id of an identifier held, or undefined when the store does not know it. */
  subjectId(identifier: string): number | undefined {
    return this.#ids.get(identifier);
  }

  /** Loads every subject, page by page (a server does this once at start so the first checks are warm). */
  async preload(today: string, onProgress?: (loaded: number) => void): Promise<number> {
    let after = 0;
    for (;;) {
      const rows = await this.store.listCheckSubjects({ afterId: after, limit: PAGE });
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

  async #step(identifiers: Set<string>, today: string): Promise<void> {
    await this.#catchUp(today);
    const missing = [...identifiers].filter((id) => !this.#ids.has(id));
    if (missing.length > 0) await this.#load(await this.store.listCheckSubjects({ identifiers: missing }));
  }

  /** Applies the change feed since the last look; a new day or too many changes start afresh. */
  async #catchUp(today: string): Promise<void> {
    if (this.#cursor === undefined || this.#index === undefined || this.#index.asOf !== today) {
      // Read the feed's position before anything is loaded, so changes made meanwhile are replayed.
      this.#cursor = await this.store.lastCheckChange();
      this.#reset(today);
      return;
    }
    const changes = await this.store.readCheckChanges(this.#cursor, REPLAY_LIMIT + 1);
    if (changes.length === 0) return;
    this.#cursor = changes[changes.length - 1]!.seq;
    if (changes.length > REPLAY_LIMIT || changes.some((c) => c.subjectId === null)) {
      this.#reset(today);
      return;
    }
    const changed = [...new Set(changes.map((c) => c.subjectId!))];
    const rows = await this.store.listCheckSubjects({ ids: changed });
    // A changed subject matters when it is held, or binds a person held (as legal representative).
    await this.#load(
      rows.filter((r) => this.#held.has(r.id) || (r.legalRepId !== null && this.#held.has(r.legalRepId))),
    );
  }

  #reset(today: string): void {
    this.#index = new CheckIndex(this.measures.measures, today);
    this.#ids.clear();
    this.#held.clear();
  }

  /** Puts these subjects in the index with their entries and grade, with the organizations a person represents. */
  async #load(rows: CheckSubjectRow[]): Promise<void> {
    if (rows.length === 0) return;
    const persons = rows.filter((r) => r.kind === 'person').map((r) => r.id);
    const all = new Map(rows.map((r) => [r.id, r]));
    if (persons.length > 0)
      for (const org of await this.store.listCheckSubjects({ legalRepIds: persons }))
        if (!all.has(org.id)) all.set(org.id, org);
    const entries = new Map<number, ListEntry[]>();
    for (const row of await this.store.listListEntries([...all.keys()])) {
      const list = entries.get(row.subjectId);
      if (list) list.push(entryOf(row));
      else entries.set(row.subjectId, [entryOf(row)]);
    }
    const index = this.#index!;
    for (const s of all.values()) {
      index.setSubject(s.id, entries.get(s.id) ?? [], {
        kind: s.kind,
        legalRepId: s.legalRepId,
        grade: (s.grade as Grade | null) ?? null,
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
