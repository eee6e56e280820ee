/**
 * A check's answer recomputed as of the instant it was given (product rule 5): the subject's records
 * and bindings as they were on file then (`loadScoringNeighbourhood` with that instant, the engines
 * skipping what was recorded after it), the policies in force then (the caller passes them), the
 * same per-subject computation `recomputeLists` keeps (`listSubject`) and the same evaluation a
 * check index answers as (`evaluateMeasureOn`), for the platform's day of that instant.
 */
import { type Ctx, dateIn, dayNumberIn } from '../context.ts';
import { type Grade, loadScoringNeighbourhood } from '../scoring/index.ts';
import type { ScoringRecordRow } from '../store/index.ts';
import { notApplicable } from './check-index.ts';
import type { ListEntry } from './entries.ts';
import { evaluateMeasureOn, type MeasureAnswer, type RepresentedEntries } from './evaluate.ts';
import type { Measure } from './measure-policy.ts';
import { type ListDeps, listSubject } from './service.ts';

export interface AnswerAsKnown {
  /** YYYY-MM-DD: the platform's day of the instant, the day the answer was for. */
  asOf: string;
  answer: MeasureAnswer;
  /** The list entry the answer rested on (the subject's own, or an organization's binding it). */
  entry?: ListEntry;
  /** Whose entry it is: the subject's id, or the binding organization's. */
  entrySubjectId?: number;
  /** That entry's reason records as they were on file at the instant, in the entry's order. */
  reasonRecords: ScoringRecordRow[];
  /** The subject's grade then (null for a subject the platform did not know). */
  grade: Grade | null;
}

export const recomputeAnswer = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  /** `subjectId` null: a subject the platform did not know when it was checked. */
  input: { subjectId: number | null; measure: Measure; at: string };
  /** The policies in force at `at` (lists with the terms in force then, and the scoring policy). */
  deps: Pick<ListDeps, 'lists' | 'catalogue' | 'scoringPolicy' | 'calendar'>;
}): Promise<AnswerAsKnown> => {
  const { measure, at, subjectId } = input;
  const asOf = dateIn(ctx.clock, new Date(at));
  const none: AnswerAsKnown = { asOf, answer: notApplicable(measure.code), reasonRecords: [], grade: null };
  if (subjectId === null) return none;
  // The organizations a person was bound to that day, as the bindings were on file then (a check
  // reads those in force on its day in every role a measure may bind).
  const bindings =
    measure.binds.length > 0
      ? await ctx.store.listBindings({ personIds: [subjectId], inForceOn: asOf, knownAt: at })
      : [];
  const orgIds = [...new Set(bindings.map((b) => b.organizationId))];
  const n = await loadScoringNeighbourhood(ctx.store, [subjectId, ...orgIds], at, ctx.clock.timeZone);
  const s = n.subjects.get(subjectId);
  if (!s) return none;
  // Known up to the instant itself, not to the end of its day: what the answer could have known.
  const time = { knownAsOf: at, dayOfInstant: dayNumberIn(ctx.clock) };
  const own = listSubject(s, n, deps, asOf, time);
  const orgs = new Map<number, ListEntry[]>();
  const represented: RepresentedEntries[] = bindings.map((b) => {
    let entries = orgs.get(b.organizationId);
    if (entries === undefined) {
      const org = n.subjects.get(b.organizationId);
      entries = org ? listSubject(org, n, deps, asOf, time).entries : [];
      orgs.set(b.organizationId, entries);
    }
    return { role: b.role, entries };
  });
  const g = evaluateMeasureOn({
    measure,
    entries: own.entries,
    score: own.score,
    subjectKind: s.kind,
    asOf,
    represented,
  });
  const owner = g.represented === undefined ? s.id : bindings[g.represented]!.organizationId;
  const records = new Map((n.records.get(owner) ?? []).map((r) => [r.id, r]));
  return {
    asOf,
    answer: g.answer,
    ...(g.entry ? { entry: g.entry, entrySubjectId: owner } : {}),
    reasonRecords: (g.entry?.reasonRecordIds ?? []).flatMap((id) => records.get(id) ?? []),
    grade: own.score.grade,
  };
};
