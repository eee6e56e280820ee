/**
 * List verbs over the store: recompute the entries of the subjects whose records changed (and
 * of the legal representatives of changed organizations), keep them, and notify each subject
 * once per event — warning before the entry takes effect, taking effect, ending. The entries, the
 * notifications and the audit entry of each subject whose entries changed are kept in one
 * transaction (product rule 9).
 */
import type { Catalogue } from '../catalogue/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import { actorOf, archiveRule, type DueProcessPolicy, nextArchiveDay } from '../due-process/index.ts';
import { maskPersonalData } from '../identity/index.ts';
import {
  engineTime,
  loadScoringNeighbourhood,
  pastKnowledge,
  type ScoreResult,
  type ScoringNeighbourhood,
  type ScoringPolicy,
  scoreRow,
  scoreSubject,
} from '../scoring/index.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import type {
  ListEntryRow,
  NewNotification,
  ScoreRow,
  ScoringRecordRow,
  ScoringSubjectRow,
  SubjectDue,
  SupersededNotice,
} from '../store/index.ts';
import { nextTransitionDay } from './due-day.ts';
import { computeEntries, type ListEntry } from './entries.ts';
import { entryChangeAudits } from './entry-changes.ts';
import type { ListPolicy } from './list-policy.ts';
import { listingRemoved, listingShortened, notificationsFor } from './notifications.ts';

export interface ListDeps {
  lists: ListPolicy;
  catalogue: Catalogue;
  scoringPolicy: ScoringPolicy;
  /** Working days and public holidays (policies/calendar.yaml): deletion deadlines count them. */
  calendar: WorkingCalendar;
  /**
   * When given, a subject's next transition day also counts the day a corrected record goes to
   * the archive (past its maximum display), so `credence maintain` visits it then. Every caller
   * that keeps due days for the platform passes it; without it those days are lost.
   */
  dueProcess?: DueProcessPolicy;
}

export interface ListsRecomputed {
  subjects: number;
  /** Subjects whose entries changed (each with its audit entry). */
  changed: number;
  entries: number;
  notifications: number;
}

/** The audit action of a recomputation of every subject's entries (one entry per run). */
export const RECOMPUTE_ACTION = 'lists.recompute';
/**
 * An undelivered notice withdrawn from the outbox because what it announced no longer stands: the
 * listing was removed, its end changed since (shortened or lengthened again), or the same notice
 * was queued anew with its present text.
 */
export const SUPERSEDED_ACTION = 'outbox.superseded';
/** Why a notice was withdrawn, as its trail line says (`SupersededNotice.because`). */
const BECAUSE: Record<SupersededNotice['because'], string> = {
  removed: 'listing removed',
  shortened: 'lengthening undone',
  lengthened: 'lengthened again',
  retold: 'told again with its present text',
};
/** The platform's own principal that withdraws those notices (shown as automatic processing). */
const OUTBOX_SYSTEM = 'system:outbox';

/** A stored entry as the engine gave it. */
export const entryOf = (row: ListEntryRow): ListEntry => JSON.parse(row.entry) as ListEntry;

/**
 * One subject's score and list entries as of `asOf`, from its loaded neighbourhood and the engines'
 * time (`engineTime`, or a check's instant), each entry with the case a check names and whether it
 * rests on a record under objection: what `recomputeLists` keeps, and what a check's explanation
 * recomputes as things were known when it was answered (`recomputeAnswer`).
 */
export const listSubject = (
  s: ScoringSubjectRow,
  n: ScoringNeighbourhood,
  deps: Pick<ListDeps, 'lists' | 'catalogue' | 'scoringPolicy' | 'calendar'>,
  asOf: string,
  time: ReturnType<typeof engineTime>,
): { records: ScoringRecordRow[]; score: ScoreResult; entries: ListEntry[] } => {
  const records = n.records.get(s.id) ?? [];
  const organizationsRepresented = s.kind === 'person' ? n.represented(s.id) : [];
  const score = scoreSubject({
    subject: s,
    records,
    linkedRecords: organizationsRepresented.flatMap((o) => o.records),
    policy: deps.scoringPolicy,
    catalogue: deps.catalogue,
    asOf,
    ...time,
  });
  const entries = computeEntries({
    subject: s,
    records,
    organizationsRepresented,
    lists: deps.lists,
    catalogue: deps.catalogue,
    calendar: deps.calendar,
    disputedCounts: deps.scoringPolicy.disputedCounts,
    asOf,
    ...time,
    score,
  });
  // The case a check answer names for the subject to contest: the listing record's evidence.
  const evidence = new Map(records.map((r) => [r.id, r.evidence]));
  const disputed = new Set(records.filter((r) => r.status === 'disputed').map((r) => r.id));
  for (const o of organizationsRepresented)
    for (const r of o.records) {
      evidence.set(r.id, r.evidence);
      if (r.status === 'disputed') disputed.add(r.id);
    }
  for (const e of entries) {
    // As check answers and public lists show it: a person's identifiers in it (refused at
    // ingestion since; records sent before may hold them) are masked.
    const ref = evidence.get(e.reasonRecordIds[0]!) ?? null;
    e.caseReference = ref === null ? null : maskPersonalData(ref, { cards: false });
    // A check naming this entry tells the relying party its record is under objection.
    if (e.reasonRecordIds.some((id) => disputed.has(id))) e.contested = true;
  }
  return { records, score, entries };
};

/**
 * Recomputes and keeps the list entries of these subjects as of today, with an audit entry for
 * each subject whose entries changed; returns how many subjects were recomputed, how many of them
 * changed, and the notifications newly due.
 */
export const recomputeLists = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  /**
   * `asOf`: the day to compute for (default today by the clock), e.g. a maintenance day;
   * `saveScores`: also keep the scores computed on the way (as `rescoreSubjects` would).
   */
  input: { subjectIds: number[]; asOf?: string; saveScores?: boolean };
  deps: ListDeps;
}): Promise<ListsRecomputed> => {
  if (input.subjectIds.length === 0) return { subjects: 0, changed: 0, entries: 0, notifications: 0 };
  const asOf = input.asOf ?? todayOf(ctx.clock);
  // An organization's records decide whether its representatives are listed too (no double
  // listing), and count for the persons bound on the act's day.
  const n = await loadScoringNeighbourhood(
    ctx.store,
    input.subjectIds,
    pastKnowledge(ctx, asOf),
    ctx.clock.timeZone,
  );
  const all = n.subjects;

  const exits = new Map(deps.lists.lists.map((l) => [l.code, l.exitOn.length > 0]));
  const curable = (list: string) => exits.get(list) ?? true;
  const computedAt = ctx.clock.now().toISOString();
  const archive =
    deps.dueProcess &&
    archiveRule(deps.catalogue, deps.dueProcess, { scoring: deps.scoringPolicy, lists: deps.lists });
  const rows: ListEntryRow[] = [];
  const notes: NewNotification[] = [];
  const due: SubjectDue[] = [];
  const scores: ScoreRow[] = [];
  for (const s of all.values()) {
    const { records, score, entries } = listSubject(s, n, deps, asOf, engineTime(ctx, asOf));
    if (input.saveScores) scores.push(scoreRow(score, computedAt));
    for (const e of entries) {
      rows.push({
        subjectId: s.id,
        listCode: e.list,
        status: e.status,
        from: e.from,
        until: e.until,
        reasonCode: e.reason_code,
        reasonRecords: e.reasonRecordIds,
        note: e.note,
        entry: JSON.stringify(e),
        policyVersion: deps.lists.version,
        computedAt,
      });
    }
    const transition = nextTransitionDay({
      asOf,
      entries,
      score,
      records,
      lists: deps.lists,
      subjectKind: s.kind,
    });
    const archived = archive ? nextArchiveDay(records, asOf, archive) : null;
    due.push({
      subjectId: s.id,
      dueDay: archived !== null && (transition === null || archived < transition) ? archived : transition,
    });
    for (const n of notificationsFor(entries, asOf, curable)) {
      notes.push({ subjectId: s.id, kind: n.kind, listCode: n.list, effective: n.day, message: n.text });
    }
  }
  let changed = 0;
  const actor = actorOf(ctx);
  // Entries, notifications, scores and due days in one transaction, each subject's only where no
  // write since made this computation old: two refreshes of a subject that overlap (a CLI import
  // beside the API) never leave the older one last.
  const guard = new Map([...all.keys()].map((id) => [id, n.readFrom(id)]));
  let skipped = new Set<number>();
  const added = await ctx.store.replaceListEntries([...all.keys()], rows, {
    at: computedAt,
    notifications: notes,
    audit: (before) => {
      const audits = entryChangeAudits(
        before,
        rows.filter((r) => !skipped.has(r.subjectId)),
        actor,
      );
      changed = audits.length;
      return audits;
    },
    // An entry in force whose records no longer stand is gone from the entries: the subject told
    // it is listed is told it no longer is.
    removed: (gone) => gone.map((e) => listingRemoved(e, asOf)),
    // An entry still in force that now ends earlier (what lengthened it was undone): the subject
    // told it lasts longer is told, on the day found, when it now ends. One whose end is past
    // already is told that it ended (`notificationsFor`).
    shortened: (entries) => entries.filter((e) => e.status !== 'ended').map((e) => listingShortened(e, asOf)),
    // Its undelivered notices that it is, or is to be, listed (or listed longer) are withdrawn,
    // each on its trail, by the platform itself (not the source or operator whose act removed the
    // listing or undid its lengthening).
    superseded: (notices) =>
      notices.map((n) => ({
        ...actor,
        actor: OUTBOX_SYSTEM,
        role: 'operator',
        subjectId: n.subjectId,
        action: SUPERSEDED_ACTION,
        detail: JSON.stringify({
          outbox_id: n.outboxId,
          notification_id: n.notificationId,
          kind: n.kind,
          list: n.listCode,
          effective: n.effective,
          because: BECAUSE[n.because],
        }),
      })),
    guard,
    scores,
    due,
    skip: (ids) => {
      skipped = new Set(ids);
    },
  });
  return {
    subjects: all.size - skipped.size,
    changed,
    entries: rows.filter((r) => !skipped.has(r.subjectId)).length,
    notifications: added.length,
  };
};

/**
 * Recomputes the list entries of every subject, a chunk at a time (each subject whose entries
 * changed audited with them), then audits the run itself.
 */
export const recomputeAllLists = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { onProgress?: (done: number, total: number) => void };
  deps: ListDeps;
}): Promise<ListsRecomputed> => {
  const ids = (await ctx.store.listSubjectsForScoring()).map((s) => s.id);
  const total: ListsRecomputed = { subjects: ids.length, changed: 0, entries: 0, notifications: 0 };
  for (let i = 0; i < ids.length; i += 2000) {
    const r = await recomputeLists({ ctx, input: { subjectIds: ids.slice(i, i + 2000) }, deps });
    total.changed += r.changed;
    total.entries += r.entries;
    total.notifications += r.notifications;
    input.onProgress?.(Math.min(i + 2000, ids.length), ids.length);
  }
  await ctx.store.setMeta('lists_policy_version', deps.lists.version);
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: null,
        action: RECOMPUTE_ACTION,
        detail: JSON.stringify({ policy: deps.lists.version, ...total }),
      },
    ],
    ctx.clock.now().toISOString(),
  );
  return total;
};
