/**
 * Whether a measure applies to a subject: yes or no, a reason code, the list and the period —
 * never the file (product rules 5 and 10).
 */
import type { SubjectKind } from '../catalogue/index.ts';
import { GRADES, type Grade, type ScoreResult } from '../scoring/index.ts';
import { dayOrThrow } from './days.ts';
import type { ListEntry } from './entries.ts';
import { gradeRank } from './list-policy.ts';
import type { Binds, Measure } from './measure-policy.ts';

/** The answer a relying party gets (the API adds a check ID). */
export interface MeasureAnswer {
  applies: boolean;
  measure: string;
  /**
   * When it applies: the list's reason code (e.g. LISTED_COURT_DEFAULTER), BINDS_<ROLE> for a
   * representative bound by an organization's entry, or GRADE_AT_MOST_<G> / GRADE_AT_LEAST_<G>.
   * Otherwise NOT_LISTED, GRADE_NOT_MET, NO_GRADE or SUBJECT_KIND_NOT_COVERED — never why not.
   */
  reason_code: string;
  list: string | null;
  from: string | null;
  until: string | null;
}

/** Entries of an organization the subject is bound by, and the subject's role there. */
export interface RepresentedEntries {
  role: Binds;
  entries: readonly ListEntry[];
}

export interface EvaluateMeasureInput {
  measure: Measure;
  /** The subject's own entries (from computeEntries). */
  entries: readonly ListEntry[];
  score?: ScoreResult | { grade: Grade };
  subjectKind: SubjectKind;
  /** YYYY-MM-DD */
  asOf: string;
  /** For a person: entries of organizations it represents, for measures that bind it. */
  represented?: readonly RepresentedEntries[];
}

/**
 * The entry of one of `lists` in force on `asOf`: not ended, from ≤ asOf < until. Among several,
 * the one lasting longest; ties go to the earlier list in `lists`, then the earlier entry.
 */
export function findEntryInForce(
  entries: readonly ListEntry[],
  lists: readonly string[],
  asOf: string,
): ListEntry | undefined {
  let best: ListEntry | undefined;
  for (const list of lists) {
    for (const e of entries) {
      if (e.list !== list || e.status === 'ended' || e.from > asOf) continue;
      if (e.until !== null && e.until <= asOf) continue;
      if (best === undefined || (best.until !== null && (e.until === null || e.until > best.until))) best = e;
    }
  }
  return best;
}

export const bindsReason = (role: Binds): string => `BINDS_${role.toUpperCase()}`;

const answer = (
  measure: Measure,
  applies: boolean,
  reason_code: string,
  e?: { list: string; from: string; until: string | null },
): MeasureAnswer => ({
  applies,
  measure: measure.code,
  reason_code,
  list: e?.list ?? null,
  from: e?.from ?? null,
  until: e?.until ?? null,
});

/** Whether `measure` applies to the subject on `asOf`, with the reason, list and period. */
export function evaluateMeasure(input: EvaluateMeasureInput): MeasureAnswer {
  const { measure, entries, subjectKind, asOf } = input;
  dayOrThrow(asOf, 'asOf');
  if (measure.subjectKinds !== null && !measure.subjectKinds.includes(subjectKind))
    return answer(measure, false, 'SUBJECT_KIND_NOT_COVERED');
  const t = measure.trigger;
  if (t.kind === 'lists') {
    const own = findEntryInForce(entries, t.lists, asOf);
    if (own !== undefined) return answer(measure, true, own.listReasonCode, own);
    if (subjectKind === 'person') {
      for (const role of measure.binds) {
        for (const r of input.represented ?? []) {
          if (r.role !== role) continue;
          const org = findEntryInForce(r.entries, t.lists, asOf);
          if (org !== undefined) return answer(measure, true, bindsReason(role), org);
        }
      }
    }
    return answer(measure, false, 'NOT_LISTED');
  }
  if (input.score === undefined) return answer(measure, false, 'NO_GRADE');
  const rank = GRADES.indexOf(input.score.grade);
  const limit = gradeRank(t.grade);
  if (t.kind === 'grade_at_most')
    return rank >= limit
      ? answer(measure, true, `GRADE_AT_MOST_${t.grade}`)
      : answer(measure, false, 'GRADE_NOT_MET');
  return rank <= limit
    ? answer(measure, true, `GRADE_AT_LEAST_${t.grade}`)
    : answer(measure, false, 'GRADE_NOT_MET');
}
