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

/**
 * The one answer when a measure does not apply, whatever the reason (not listed, no grade, grade
 * not met, subject kind not covered) and whether or not the subject is on file: a reason that
 * varied would tell a relying party who is on file and roughly their grade (product rule 10).
 */
export const NOT_APPLICABLE = 'NOT_APPLICABLE';

/** The answer a relying party gets (the API adds a check ID). */
export interface MeasureAnswer {
  applies: boolean;
  measure: string;
  /**
   * When it applies: the list's reason code (e.g. LISTED_COURT_DEFAULTER), BINDS_<ROLE> for a
   * representative bound by an organization's entry, or GRADE_AT_MOST_<G> / GRADE_AT_LEAST_<G>.
   * Otherwise NOT_APPLICABLE — never why not.
   */
  reason_code: string;
  list: string | null;
  from: string | null;
  until: string | null;
  /** When a list entry applies: the case the subject can contest (the listing record's evidence). */
  case_reference: string | null;
  /**
   * Present (true) when the entry that applies rests on a record the subject has objected to and
   * the objection is pending: the record binds until corrected, and the relying party is told so.
   */
  contested?: true;
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
  e?: Pick<ListEntry, 'list' | 'from' | 'until' | 'caseReference' | 'contested'>,
): MeasureAnswer => ({
  applies,
  measure: measure.code,
  reason_code,
  list: e?.list ?? null,
  from: e?.from ?? null,
  until: e?.until ?? null,
  case_reference: e?.caseReference ?? null,
  ...(e?.contested && { contested: true as const }),
});

/** Whether `measure` applies to the subject on `asOf`, with the reason, list and period. */
export function evaluateMeasure(input: EvaluateMeasureInput): MeasureAnswer {
  return evaluateMeasureOn(input).answer;
}

/** What an answer rested on: the entry that applies, and when it is an organization's, which of `represented`. */
export interface MeasureGround {
  answer: MeasureAnswer;
  entry?: ListEntry;
  /** Index in `input.represented` of the organization whose entry binds the subject. */
  represented?: number;
}

/** `evaluateMeasure`, with the entry the answer rests on (a check's explanation names it). */
export function evaluateMeasureOn(input: EvaluateMeasureInput): MeasureGround {
  const { measure, entries, subjectKind, asOf } = input;
  dayOrThrow(asOf, 'asOf');
  if (measure.subjectKinds !== null && !measure.subjectKinds.includes(subjectKind))
    return { answer: answer(measure, false, NOT_APPLICABLE) };
  const t = measure.trigger;
  if (t.kind === 'lists') {
    const own = findEntryInForce(entries, t.lists, asOf);
    if (own !== undefined) return { answer: answer(measure, true, own.listReasonCode, own), entry: own };
    if (subjectKind === 'person') {
      for (const role of measure.binds) {
        for (const [i, r] of (input.represented ?? []).entries()) {
          if (r.role !== role) continue;
          const org = findEntryInForce(r.entries, t.lists, asOf);
          if (org !== undefined)
            return { answer: answer(measure, true, bindsReason(role), org), entry: org, represented: i };
        }
      }
    }
    return { answer: answer(measure, false, NOT_APPLICABLE) };
  }
  if (input.score === undefined) return { answer: answer(measure, false, NOT_APPLICABLE) };
  const rank = GRADES.indexOf(input.score.grade);
  const limit = gradeRank(t.grade);
  if (t.kind === 'grade_at_most')
    return {
      answer:
        rank >= limit
          ? answer(measure, true, `GRADE_AT_MOST_${t.grade}`)
          : answer(measure, false, NOT_APPLICABLE),
    };
  return {
    answer:
      rank <= limit
        ? answer(measure, true, `GRADE_AT_LEAST_${t.grade}`)
        : answer(measure, false, NOT_APPLICABLE),
  };
}
