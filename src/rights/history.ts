/**
 * A subject's score history: its score and grade at the end of each of the last 24 months and
 * today, recomputed by the scoring engine as of each day from the records as they stand now — so a
 * record removed after an objection leaves no trace in the chart, and a record learnt of late
 * counts from the day it applies (product rule 5: any past date can be recomputed).
 */
import { requirePermission } from '../access/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import { type Ctx, dateIn, dayNumberIn } from '../context.ts';
import { loadScoringNeighbourhood, type ScoringPolicy, scoreSubject } from '../scoring/index.ts';
import { formatDay, monthEndsBefore, parseDay } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';
import { getReadableSubject } from '../subjects/index.ts';

/** Month ends in a history, before today. */
export const HISTORY_MONTHS = 24;

export interface ScoreHistoryJson {
  policy_version: string;
  /** Oldest first; the last point is today. */
  history: { day: string; score: number; grade: string }[];
}

export const getOwnHistory = async ({
  ctx,
  deps,
}: {
  ctx: Ctx;
  deps: { policy: ScoringPolicy; catalogue: Catalogue };
}): Promise<ScoreHistoryJson> => {
  const p = ctx.principal;
  requirePermission(p, 'subjects.read_own');
  if (!p.ref)
    throw invalidInput('this credential names no subject', [
      { field: 'authorization', message: 'no subject' },
    ]);
  const { subject } = await getReadableSubject(ctx, p.ref);
  const now = ctx.clock.now();
  const today = dateIn(ctx.clock, now);
  await ctx.store.appendAudit(
    [
      {
        actor: p.id,
        role: p.role,
        purpose: ctx.purpose,
        subjectId: subject.id,
        action: 'subject.history.read',
        detail: JSON.stringify({ view: 'score_history', months: HISTORY_MONTHS }),
        requestId: ctx.requestId,
      },
    ],
    now.toISOString(),
  );
  // One read of the records (as they stand: no knowledge cut-off), then the engine once per day.
  const n = await loadScoringNeighbourhood(ctx.store, [subject.id], undefined, ctx.clock.timeZone);
  const scoring = n.subjects.get(subject.id) ?? {
    id: subject.id,
    kind: subject.kind,
    legalRepId: subject.legalRepId,
    birthDate: subject.birthDate,
  };
  const records = n.records.get(subject.id) ?? [];
  const linkedRecords = subject.kind === 'person' ? n.represented(subject.id).flatMap((o) => o.records) : [];
  const knownAsOf = now.toISOString();
  const days = [...monthEndsBefore(parseDay(today), HISTORY_MONTHS).map(formatDay), today];
  return {
    policy_version: deps.policy.version,
    history: days.map((day) => {
      const r = scoreSubject({
        subject: scoring,
        records,
        linkedRecords,
        policy: deps.policy,
        catalogue: deps.catalogue,
        asOf: day,
        knownAsOf,
        dayOfInstant: dayNumberIn(ctx.clock),
      });
      return { day, score: r.score, grade: r.grade };
    }),
  };
};
