/**
 * Group commit for rating submissions, as the check service does it for checks
 * (measures/check-service.ts): the submissions that arrive in one turn of the event loop are
 * decided together and kept in one transaction; turns run one after another, and the submissions
 * that arrive while one turn's commit is in flight gather into the next, so under load a commit
 * carries many submissions. Every caller still waits for its own: it is answered (with its rating
 * or its own error) only once its rating and audit entries are committed.
 */
import type { Store } from '../store/index.ts';

/** One caller waiting in a turn; the turn settles it exactly once. */
export interface Waiting<T> {
  resolve(value: T): void;
  reject(e: unknown): void;
}

/** What an operator sees of the batching (`credence_rating_*` in /metrics). */
export interface TurnCounts {
  /** Turns run: each wrote its kept ratings in one transaction (none when all were refused). */
  turns: number;
  /** Submissions decided in them. */
  submissions: number;
  /** The most submissions one turn carried. */
  largest: number;
}

export class Turns<J extends Waiting<never>> {
  /** The run of turns; each waits for the one before. */
  #chain: Promise<void> = Promise.resolve();
  /** The jobs of the turn not started yet, per store (a turn writes to one store). */
  readonly #gathering = new Map<Store, J[]>();
  readonly counts: TurnCounts = { turns: 0, submissions: 0, largest: 0 };

  /** `run` decides and writes one turn's jobs and settles each of them; it should not reject. */
  constructor(private readonly run: (store: Store, jobs: J[]) => Promise<void>) {}

  add(store: Store, job: J) {
    const open = this.#gathering.get(store);
    if (open) {
      open.push(job);
      return;
    }
    const jobs = [job];
    this.#gathering.set(store, jobs);
    // Queued behind the turn in flight at the end of this turn of the event loop; the jobs that
    // arrive until it starts join it, so while one commit is in flight the next turn gathers.
    setImmediate(() => {
      this.#chain = this.#chain.then(async () => {
        if (this.#gathering.get(store) === jobs) this.#gathering.delete(store);
        this.counts.turns++;
        this.counts.submissions += jobs.length;
        this.counts.largest = Math.max(this.counts.largest, jobs.length);
        try {
          await this.run(store, jobs);
        } catch (e) {
          // A job settled already ignores this.
          for (const j of jobs) j.reject(e);
        }
      });
    });
  }
}
