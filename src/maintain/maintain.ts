/**
 * What time does without a new record (product rules 7 and 8): grace periods end, listings take
 * effect and expire, direct grades lapse, records' windows close. Each subject's next such day is
 * kept whenever its entries are computed (`nextTransitionDay`, src/lists); a run visits only the
 * subjects due by its day, a page at a time, recomputes their scores and entries as of that day,
 * writes each notification with the day its event happened, and moves their due days on. The
 * change feed the checks read is appended by the same writes, so a check sees the change at once.
 *
 * Idempotent: a subject leaves the calendar (its due day moves past the run's day) only after its
 * scores, entries and notifications are written, so a second run finds nothing due, and a run cut
 * short leaves the rest due for the next one.
 */
import { requirePermission } from '../access/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import type { DueProcessPolicy } from '../due-process/index.ts';
import { entryOf, type ListPolicy, recomputeLists } from '../lists/index.ts';
import { archiveCorrectedRecords } from '../repairs/index.ts';
import { parseDay, type ScoringPolicy } from '../scoring/index.ts';
import { invalidInput } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';

export interface MaintainDeps {
  lists: ListPolicy;
  catalogue: Catalogue;
  scoringPolicy: ScoringPolicy;
  /** Maximum display periods: corrected records past theirs go to the archive. */
  dueProcess: DueProcessPolicy;
  /** Working days and public holidays: list entries' deletion deadlines count them. */
  calendar: WorkingCalendar;
}

export interface MaintainProgress {
  done: number;
  total: number;
}

export interface MaintainSummary {
  /** YYYY-MM-DD: the day the run applied transitions up to. */
  date: string;
  /** Subjects that were due and were recomputed. */
  subjects: number;
  /** Of those, the ones whose list entries, score or grade changed. */
  transitions: number;
  /** Notifications written. */
  notifications: number;
  /** Records moved to the archive (past their maximum display, conduct corrected). */
  archived: number;
}

/** The meta key holding the last day maintained (`serve` runs again when today is past it). */
export const MAINTAINED_THROUGH = 'maintained_through';

const PAGE = 1000;

/** The day asked for, checked: a real date, not after today (default today by the clock). */
const dayOf = (ctx: Ctx, date?: string): string => {
  const today = todayOf(ctx.clock);
  if (date === undefined) return today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(parseDay(date)))
    throw invalidInput(`date "${date}" is not a date (YYYY-MM-DD)`, [
      { field: 'date', message: 'expected YYYY-MM-DD' },
    ]);
  if (date > today)
    throw invalidInput(`date ${date} is in the future: transitions are applied up to today (${today})`, [
      { field: 'date', message: 'in the future' },
    ]);
  return date;
};

/** What a subject's transitions change: its entries (list, status, days, reason) and its score. */
const stateOf = async (ctx: Ctx, ids: number[], policyVersion: string): Promise<Map<number, string>> => {
  const [entries, scores] = await Promise.all([
    ctx.store.listListEntries(ids),
    ctx.store.listLatestScores(ids, policyVersion),
  ]);
  const parts = new Map<number, string[]>();
  const add = (id: number, s: string) => {
    const list = parts.get(id);
    if (list) list.push(s);
    else parts.set(id, [s]);
  };
  for (const row of entries) {
    const e = entryOf(row);
    add(row.subjectId, `${e.list}|${e.status}|${e.from}|${e.until}|${e.reason_code}`);
  }
  for (const s of scores) add(s.subjectId, `score|${s.score}|${s.grade}`);
  return new Map([...parts].map(([id, p]) => [id, p.sort().join('\n')]));
};

/** Applies every transition due up to a day (default today): see the file's comment. */
export const runMaintenance = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { date?: string; onProgress?: (p: MaintainProgress) => void };
  deps: MaintainDeps;
}): Promise<MaintainSummary> => {
  requirePermission(ctx.principal, 'maintain.run');
  const date = dayOf(ctx, input.date);
  const total = await ctx.store.countDueSubjects(date);
  input.onProgress?.({ done: 0, total });
  const summary: MaintainSummary = { date, subjects: 0, transitions: 0, notifications: 0, archived: 0 };
  let afterId = 0;
  for (;;) {
    const ids = await ctx.store.listDueSubjects(date, afterId, PAGE);
    if (ids.length === 0) break;
    afterId = ids[ids.length - 1]!;
    const before = await stateOf(ctx, ids, deps.scoringPolicy.version);
    // Archival first, so the recomputation below no longer counts what went to the archive.
    const archived = await archiveCorrectedRecords({ ctx, input: { subjectIds: ids, date }, deps });
    summary.archived += archived.archived;
    summary.notifications += archived.archived;
    // Writes the scores and entries, then the notifications, then the due days: each page is kept
    // once done.
    const r = await recomputeLists({ ctx, input: { subjectIds: ids, asOf: date, saveScores: true }, deps });
    const after = await stateOf(ctx, ids, deps.scoringPolicy.version);
    for (const id of ids) if ((before.get(id) ?? '') !== (after.get(id) ?? '')) summary.transitions++;
    summary.subjects += ids.length;
    summary.notifications += r.notifications;
    input.onProgress?.({ done: summary.subjects, total: Math.max(total, summary.subjects) });
  }
  const through = await ctx.store.getMeta(MAINTAINED_THROUGH);
  if (through === undefined || through < date) await ctx.store.setMeta(MAINTAINED_THROUGH, date);
  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: null,
        action: 'maintain.run',
        detail: JSON.stringify({
          date,
          subjects: summary.subjects,
          transitions: summary.transitions,
          notifications: summary.notifications,
          archived: summary.archived,
        }),
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );
  return summary;
};

/**
 * Whether `serve` runs maintenance now: a day has passed since the last run, or a subject is due
 * by today meanwhile — a record revised whose refresh never ran (the process died after the
 * commit: `reviseRecords` leaves the subject due until its refresh is done).
 */
export const isMaintenanceDue = async (ctx: Ctx): Promise<boolean> => {
  const through = await ctx.store.getMeta(MAINTAINED_THROUGH);
  const today = todayOf(ctx.clock);
  if (through === undefined || through < today) return true;
  return (await ctx.store.countDueSubjects(today)) > 0;
};
