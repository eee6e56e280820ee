/**
 * Archival (product rule 7; NDRC Credit Repair Measures: display stops automatically at the
 * maximum period when the conduct is corrected; Credit Reporting Regulations Art. 16: negative data
 * kept 5 years), run by `credence maintain` for the subjects due on a day: each corrected record
 * past its maximum display, and each one-off negative act past its retention, becomes `expired` (an `archive` revision:
 * its old version kept, `record.archive` audited, the change feed noted) and its subject is told.
 * The rule itself is in src/due-process/archive.ts; the day a subject is due for it is kept with
 * its other transitions by the lists engine.
 */
import { requirePermission } from '../access/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import type { Ctx } from '../context.ts';
import {
  type Archivable,
  archivableRecords,
  archiveRule,
  type DueProcessPolicy,
} from '../due-process/index.ts';
import type { ListPolicy } from '../lists/index.ts';
import type { ScoringPolicy } from '../scoring/index.ts';
import type { NewNotification, RecordRevision, ScoringRecordRow } from '../store/index.ts';

export interface ArchiveDeps {
  catalogue: Catalogue;
  dueProcess: DueProcessPolicy;
  scoringPolicy: ScoringPolicy;
  lists: ListPolicy;
}

/** The notification kind of a record's archival (one per record). */
export const archivedKind = (recordId: number) => `record.archived#${recordId}`;

const because = (a: Exclude<Archivable['correction'], { by: 'retention' }>) =>
  a.by === 'repair' ? 'a granted repair' : `record ${a.recordId}`;

/** Why a record went to the archive: the revision's reason and the sentence the subject is told. */
const grounds = (a: Archivable, years: number) =>
  a.correction.by === 'retention'
    ? {
        reason: `kept ${years} years from its day (${a.record.decidedAt ?? a.record.occurredAt}), the retention of negative data (Credit Reporting Regulations Art. 16)`,
        told: `has been kept the ${years} years the law allows negative data (Credit Reporting Regulations Art. 16)`,
      }
    : {
        reason: `past its maximum display (${a.displayEnd}) and corrected by ${because(a.correction)}`,
        told: `reached its maximum display on ${a.displayEnd} and its conduct was corrected by ${because(a.correction)}`,
      };

/** Archives the corrected records of these subjects past their maximum display by `date`. */
export const archiveCorrectedRecords = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { subjectIds: number[]; date: string };
  deps: ArchiveDeps;
}): Promise<{ archived: number; subjects: number[] }> => {
  requirePermission(ctx.principal, 'maintain.run');
  if (input.subjectIds.length === 0) return { archived: 0, subjects: [] };
  const rule = archiveRule(deps.catalogue, deps.dueProcess, {
    scoring: deps.scoringPolicy,
    lists: deps.lists,
  });
  const bySubject = new Map<number, ScoringRecordRow[]>();
  for (const r of await ctx.store.listRecordsForScoring(input.subjectIds)) {
    const list = bySubject.get(r.subjectId);
    if (list) list.push(r);
    else bySubject.set(r.subjectId, [r]);
  }
  const revisions: RecordRevision[] = [];
  const notes: NewNotification[] = [];
  for (const [subjectId, records] of bySubject) {
    for (const a of archivableRecords(records, input.date, rule)) {
      const r = a.record;
      const why = grounds(a, deps.dueProcess.retention.negativeYears);
      revisions.push({ recordId: r.id, change: 'archive', status: 'expired', reason: why.reason });
      const name = deps.catalogue.get(r.type)?.name ?? r.type;
      notes.push({
        subjectId,
        kind: archivedKind(r.id),
        listCode: null,
        effective: a.day,
        message:
          `Your record "${name}" of ${r.decidedAt ?? r.occurredAt}${r.evidence ? ` (case ${r.evidence})` : ''} ` +
          `${why.told}: it has moved to the archive and no longer counts or shows.`,
      });
    }
  }
  if (revisions.length === 0) return { archived: 0, subjects: [] };
  const at = ctx.clock.now().toISOString();
  await ctx.store.reviseRecords(revisions, at, {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
  });
  await ctx.store.addNotifications(notes, at);
  return { archived: revisions.length, subjects: [...new Set(notes.map((n) => n.subjectId))] };
};
