/**
 * The store's side of the operator console's dashboard (implemented for both backends in
 * common/console.ts): counts aggregated in SQL, so a dashboard over a whole population reads a few
 * rows of totals, never the rows it counts. Reached as `store.console`.
 */

/** A subject kind (as `SubjectKind` in types.ts, which imports this file). */
type Kind = 'person' | 'organization' | 'public_body';

export interface ConsoleStore {
  /** Subjects per kind and latest grade (the one checks act on: latest as-of, then latest computed); null: never scored. */
  gradeCounts(): Promise<{ kind: Kind; grade: string | null; count: number }[]>;
  /** Records written on or after `since` (an ISO instant), per UTC day of writing and source kind. */
  ingestCounts(since: string): Promise<{ day: string; sourceKind: string; count: number }[]>;
  /**
   * List entries in force on each of these days (YYYY-MM-DD), per list: from ≤ day < until, an
   * entry cured in its grace period never counting. Lists with none on a day are left out.
   */
  listSizes(days: readonly string[]): Promise<{ day: string; list: string; count: number }[]>;
  /** Open objections (pending or appealed) and how many of them are past their clock on `today`. */
  objectionCounts(today: string): Promise<{ open: number; overdue: number }>;
  /** Open repair applications (pending or accepted) and how many are past their clock on `today`. */
  repairCounts(today: string): Promise<{ open: number; overdue: number }>;
  /** Pending held rating windows: how many, and the ids of the oldest `limit`, oldest first. */
  pendingHolds(limit: number): Promise<{ count: number; oldestIds: number[] }>;
  /** Per inspection plan: its inspections, those with an outcome, and those without one past their due day on `today`. */
  inspectionProgress(
    today: string,
  ): Promise<{ planId: number; targets: number; done: number; overdue: number }[]>;
}
