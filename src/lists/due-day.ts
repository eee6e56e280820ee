/**
 * The first day on which a subject's list entries, score or grade change without a new record
 * (DESIGN product rules 7 and 8: grace periods end, listings expire, windows close). Kept per
 * subject whenever its entries are computed, so that `credence maintain` visits only the subjects
 * due on a day. A day too early costs one recomputation that changes nothing; a day too late would
 * miss a transition, so when in doubt a candidate day is kept.
 */
import { addMonths, type EngineRecord, formatDay, parseDay } from '../scoring/index.ts';
import { dayOrThrow } from './days.ts';
import type { ListEntry } from './entries.ts';
import type { ListPolicy } from './list-policy.ts';

export interface NextTransitionInput {
  /** YYYY-MM-DD: the day the entries and score are for. */
  asOf: string;
  entries: readonly ListEntry[];
  /** The subject's score as of the same day (its `nextChange`: a record's window opening or closing). */
  score?: { nextChange: string | null };
  /**
   * For red lists: the subject's records and the lists, because a red-list entry that resumes when a
   * disqualifying record's clean period ends is not among the entries until that day.
   */
  records?: readonly EngineRecord[];
  lists?: ListPolicy;
  subjectKind?: string;
}

/** YYYY-MM-DD of the first transition after `asOf`, or null when nothing changes without a new record. */
export function nextTransitionDay(input: NextTransitionInput): string | null {
  const { asOf } = input;
  dayOrThrow(asOf, 'asOf');
  let next: string | null = null;
  const offer = (d: string | null | undefined) => {
    if (d && d > asOf && (next === null || d < next)) next = d;
  };
  // Each day an entry names is a day it changes or a notification falls due: the warning, taking
  // effect (a pending entry), ending (an active one).
  for (const e of input.entries) {
    offer(e.noticeFrom);
    offer(e.from);
    offer(e.until);
  }
  offer(input.score?.nextChange);
  if (input.lists && input.records && input.subjectKind) {
    const day = parseDay(asOf);
    const dayOf = (r: EngineRecord) => parseDay(r.decidedAt ?? r.occurredAt);
    for (const list of input.lists.lists) {
      if (list.kind !== 'red' || list.durationMonths === null) continue;
      if (!list.subjectKinds.includes(input.subjectKind as never)) continue;
      const cleanMonths = Math.round(list.cleanYears * 12);
      if (cleanMonths === 0) continue;
      const positive = new Set(list.requiresPositive);
      const covered = input.records.some(
        (r) => positive.has(r.type) && addMonths(dayOf(r), list.durationMonths!) > day,
      );
      if (!covered) continue;
      // Any record may be a disqualifying one whose clean period ends on this day.
      for (const r of input.records) {
        const end = addMonths(dayOf(r), cleanMonths);
        if (end > day) offer(formatDay(end));
      }
    }
  }
  return next;
}
