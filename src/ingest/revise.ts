/**
 * A source's corrections and withdrawals of records it sent (by `source_record_id`), and the
 * check that a record sent again with other content is not taken for a duplicate. The earlier
 * version is kept (store.reviseRecords: bitemporal), the change reaches scores, list entries and
 * the next check through the same refresh as new records, and the subject is told.
 */
import { type Ctx, dateIn } from '../context.ts';
import type { NewNotification, RecordRevision, RecordRow, RecordWrite, SourceRow } from '../store/index.ts';
import type { LineProblem, Revision } from './record-line.ts';

export type RevisionOutcome =
  | { status: 'corrected' | 'withdrawn'; recordId: number; subjectId: number }
  /** `subjectId`: the record's, when it is owed a refresh (a re-sent line may follow a refresh a crash cut short). */
  | { status: 'duplicate'; subjectId?: number }
  | { status: 'rejected'; field: string; reason: string };

/** The fields of a stored record that differ from a line's content (empty: the same record). */
export const differingFields = (stored: RecordRow, w: RecordWrite, subjectIdentifier: string): string[] => {
  const out: string[] = [];
  if (subjectIdentifier !== w.subject.identifier) out.push('subject');
  if (stored.type !== w.type) out.push('type');
  if (stored.occurredAt !== w.occurredAt) out.push('occurred_at');
  if (stored.decidedAt !== w.decidedAt) out.push('decided_at');
  if (stored.disclosedAt !== w.disclosedAt) out.push('disclosed_at');
  if (stored.amount !== w.amount) out.push('amount');
  if (stored.evidence !== w.evidence) out.push('evidence');
  if (stored.note !== w.note) out.push('note');
  return out;
};

const FINAL: ReadonlySet<string> = new Set(['withdrawn', 'expired']);

const reject = (field: string, reason: string): RevisionOutcome => ({ status: 'rejected', field, reason });

/**
 * Applies one batch's revisions in line order, in one transaction: a record the source never
 * sent, one already withdrawn or archived, or a correction moving a record to another subject is
 * refused with the reason; a correction that changes nothing is a duplicate.
 */
export const applyRevisions = async (
  ctx: Ctx,
  source: SourceRow,
  revisions: readonly Revision[],
  typeName: (code: string) => string,
): Promise<RevisionOutcome[]> => {
  const at = ctx.clock.now().toISOString();
  const ids = [
    ...new Set(revisions.map((r) => (r.action === 'withdraw' ? r.sourceRecordId : r.write.sourceRecordId))),
  ];
  const found = new Map(
    (await ctx.store.findRecordsBySourceKeys(source.id, ids)).map((r) => [r.sourceRecordId, r]),
  );
  const identifiers = new Map<number, string>();
  for (const r of found.values())
    if (!identifiers.has(r.subjectId))
      identifiers.set(r.subjectId, (await ctx.store.findSubjectById(r.subjectId))?.identifier ?? '');
  const out: RevisionOutcome[] = [];
  /** Duplicates by position, with the instant their record last changed (see `owedRefresh`). */
  const resent = new Map<number, { subjectId: number; since: string }>();
  const todo: RecordRevision[] = [];
  const at_: number[] = [];
  for (const rev of revisions) {
    const key = rev.action === 'withdraw' ? rev.sourceRecordId : rev.write.sourceRecordId;
    const rec = found.get(key);
    if (!rec) {
      out.push(
        reject(
          'source_record_id',
          `no record "${key}" from source ${source.code} to ${rev.action}: send it first`,
        ),
      );
      continue;
    }
    // Withdrawn already (a re-sent withdrawal whose answer was lost): done, as a duplicate.
    if (rev.action === 'withdraw' && rec.status === 'withdrawn') {
      resent.set(out.length, { subjectId: rec.subjectId, since: rec.revisedAt ?? rec.recordedAt });
      out.push({ status: 'duplicate' });
      continue;
    }
    if (FINAL.has(rec.status)) {
      out.push(
        reject(
          'source_record_id',
          `record "${key}" is ${rec.status === 'expired' ? 'archived' : 'withdrawn'}: it cannot change any more`,
        ),
      );
      continue;
    }
    if (rev.action === 'withdraw') {
      todo.push({ recordId: rec.id, change: 'withdraw', status: 'withdrawn', reason: rev.reason });
      found.set(key, { ...rec, status: 'withdrawn' });
      at_.push(out.length);
      out.push({ status: 'withdrawn', recordId: rec.id, subjectId: rec.subjectId });
      continue;
    }
    const w = rev.write;
    const diff = differingFields(rec, w, identifiers.get(rec.subjectId)!);
    if (diff.includes('subject')) {
      out.push(
        reject(
          'subject',
          `a correction cannot move record "${key}" to another subject: withdraw it and send a new record`,
        ),
      );
      continue;
    }
    if (diff.length === 0) {
      resent.set(out.length, { subjectId: rec.subjectId, since: rec.revisedAt ?? rec.recordedAt });
      out.push({ status: 'duplicate' });
      continue;
    }
    // An inspection's outcome is published as entered (supervision/inspections.ts): its record
    // cannot turn into another outcome; withdrawn, the result is taken down.
    const inspection = /^inspection:(\d+)$/.exec(key);
    if (
      inspection &&
      diff.includes('type') &&
      (await ctx.store.inspections.getInspection(Number(inspection[1])))?.recordId === rec.id
    ) {
      out.push(
        reject(
          'type',
          `record "${key}" is inspection ${inspection[1]}'s outcome, published as entered: its type cannot change (withdraw it to take the result down)`,
        ),
      );
      continue;
    }
    const content = {
      type: w.type,
      occurredAt: w.occurredAt,
      decidedAt: w.decidedAt,
      disclosedAt: w.disclosedAt,
      amount: w.amount,
      evidence: w.evidence,
      note: w.note,
    };
    // A record under objection stays flagged: the operator still decides the objection.
    todo.push({ recordId: rec.id, change: 'correct', status: rec.status, content, reason: rev.reason });
    found.set(key, { ...rec, ...content });
    at_.push(out.length);
    out.push({ status: 'corrected', recordId: rec.id, subjectId: rec.subjectId });
  }
  for (const [i, subjectId] of await owedRefresh(ctx, resent)) out[i] = { status: 'duplicate', subjectId };
  if (todo.length === 0) return out;
  const audit = {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    requestId: ctx.requestId,
  };
  const revised = await ctx.store.reviseRecords(todo, at, audit);
  const day = dateIn(ctx.clock, new Date(at));
  const notes: NewNotification[] = revised.map((r, i) => {
    const rev = todo[i]!;
    const what = `${typeName(r.type)} (record ${r.id}, ${r.occurredAt})`;
    return {
      subjectId: r.subjectId,
      kind: `record.${rev.change}#${r.id}.${r.version}`,
      listCode: null,
      effective: day,
      message:
        rev.change === 'withdraw'
          ? `${source.name} withdrew ${what}: ${rev.reason}. It no longer counts.`
          : `${source.name} corrected ${what}${rev.reason ? `: ${rev.reason}` : ''}. The earlier version is kept in your file's history.`,
    };
  });
  await ctx.store.addNotifications(notes, at);
  return out;
};

/**
 * The duplicates among written lines whose content differs from what is stored, refused with the
 * fields (`changed`); and, of the others, those whose subject is owed a refresh (`same`, by
 * position: `owedRefresh`): a line re-sent because its answer was lost may follow a write whose
 * refresh a crash cut short.
 */
export const changedDuplicates = async (
  ctx: Ctx,
  source: SourceRow,
  writes: readonly RecordWrite[],
): Promise<{ changed: Map<number, LineProblem>; same: Map<number, number> }> => {
  const out = new Map<number, LineProblem>();
  const resent = new Map<number, { subjectId: number; since: string }>();
  if (writes.length === 0) return { changed: out, same: new Map() };
  const stored = new Map(
    (
      await ctx.store.findRecordsBySourceKeys(
        source.id,
        writes.map((w) => w.sourceRecordId),
      )
    ).map((r) => [r.sourceRecordId, r]),
  );
  const identifiers = new Map<number, string>();
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    const rec = stored.get(w.sourceRecordId);
    if (!rec) continue;
    if (!identifiers.has(rec.subjectId))
      identifiers.set(rec.subjectId, (await ctx.store.findSubjectById(rec.subjectId))?.identifier ?? '');
    const diff = differingFields(rec, w, identifiers.get(rec.subjectId)!);
    if (diff.length > 0)
      out.set(i, {
        field: 'source_record_id',
        reason: `"${w.sourceRecordId}" was stored before with other content (${diff.join(', ')} differ): send it with "action": "correct" to replace it`,
      });
    else resent.set(i, { subjectId: rec.subjectId, since: rec.revisedAt ?? rec.recordedAt });
  }
  return { changed: out, same: await owedRefresh(ctx, resent) };
};

/**
 * Of lines sent again unchanged (by position), those whose subject is owed a refresh: not scored
 * since their record last changed — the refresh after the write never ran (the process died, or
 * `--no-rescore`). Only those are refreshed again, so re-sending what is stored costs a look-up,
 * not a recomputation of every subject.
 */
const owedRefresh = async (
  ctx: Ctx,
  resent: ReadonlyMap<number, { subjectId: number; since: string }>,
): Promise<Map<number, number>> => {
  const owed = new Map<number, number>();
  if (resent.size === 0) return owed;
  const scored = await ctx.store.lastScoredAt([...new Set([...resent.values()].map((r) => r.subjectId))]);
  for (const [i, { subjectId, since }] of resent) {
    const at = scored.get(subjectId);
    if (at === undefined || at < since) owed.set(i, subjectId);
  }
  return owed;
};
