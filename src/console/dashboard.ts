/**
 * The operator console's dashboard: one answer with the population's grades, the records
 * ingested per day, list sizes at month ends, the objection and repair queues' clocks (overdue
 * first), the held rating windows and the inspection plans' progress.
 *
 * Counts are aggregated in SQL (store.console), so the answer costs a few GROUP BYs, not a read of
 * the population. The queues and the held windows come from their own capabilities' verbs, which
 * check their own permissions and audit their reads as they always do: the due items name
 * subjects, so each subject shown gets its `objection.read` / `repair.read` entry on its trail
 * (product rule 9). The counts name no subject, so their read is one audit entry without a
 * subject: who looked at the platform's figures, and why.
 */
import { requirePermission } from '../access/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import { type Ctx, dateIn } from '../context.ts';
import type { DueProcessPolicy } from '../due-process/index.ts';
import type { ListPolicy } from '../lists/index.ts';
import { listObjections } from '../objections/index.ts';
import { listHeld } from '../ratings/index.ts';
import { listRepairs } from '../repairs/index.ts';
import { formatDay, monthEndsBefore, parseDay } from '../shared/days.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import type { SubjectKind } from '../store/index.ts';
import { listPlans } from '../supervision/index.ts';

/** Due objections and repair applications shown, at most (the totals count them all). */
export const DUE_LIMIT = 50;
const INGEST_DAYS = 90;
const LIST_MONTHS = 12;
const OLDEST_HELD = 5;
const KINDS: readonly SubjectKind[] = ['person', 'organization', 'public_body'];

export interface ConsoleDeps {
  lists: ListPolicy;
  dueProcess: DueProcessPolicy;
  catalogue: Catalogue;
  calendar: WorkingCalendar;
}

interface DueItem {
  id: number;
  status: string;
  subject: { identifier: string; name: string };
  filed_at: string;
  due: string | null;
  overdue: boolean;
}

export interface Dashboard {
  as_of: string;
  grades: Record<SubjectKind, Record<string, number>>;
  unscored: Record<SubjectKind, number>;
  ingest: { day: string; source_kind: string; count: number }[];
  ingest_from: string;
  list_sizes: {
    months: { month: string; day: string; list: string; count: number }[];
    current: { list: string; name: string; kind: string; count: number }[];
  };
  objections_due: { total: number; overdue: number; items: DueItem[] };
  repairs_due: { total: number; overdue: number; items: DueItem[] };
  held_ratings: {
    pending: number;
    oldest: {
      id: number;
      reason: string;
      reason_text: string;
      subject: { identifier: string; name: string | null } | null;
      window: { from: string; to: string };
      ratings: number;
      created_at: string;
    }[];
  };
  inspections: {
    id: number;
    regulator: string;
    period: string;
    created_at: string;
    targets: number;
    done: number;
    overdue: number;
  }[];
}

export const getDashboard = async ({ ctx, deps }: { ctx: Ctx; deps: ConsoleDeps }): Promise<Dashboard> => {
  requirePermission(ctx.principal, 'console.read');
  const now = ctx.clock.now();
  const today = dateIn(ctx.clock, now);
  const todayN = parseDay(today);
  const ingestFrom = formatDay(todayN - (INGEST_DAYS - 1));
  const monthEnds = monthEndsBefore(todayN, LIST_MONTHS).map(formatDay);
  const store = ctx.store.console;

  const [grades, ingest, sizes, objectionCounts, repairCounts, holds, progress, plans, objections, repairs] =
    await Promise.all([
      store.gradeCounts(),
      store.ingestCounts(`${ingestFrom}T00:00:00.000Z`),
      store.listSizes([...monthEnds, today]),
      store.objectionCounts(today),
      store.repairCounts(today),
      store.pendingHolds(OLDEST_HELD),
      store.inspectionProgress(today),
      listPlans({ ctx, input: {} }),
      listObjections({
        ctx,
        input: { status: 'open', limit: DUE_LIMIT },
        deps: { policy: deps.dueProcess.objections },
      }),
      listRepairs({ ctx, input: { status: 'open', limit: DUE_LIMIT }, deps }),
    ]);
  // The oldest pending windows are the last page of the held queue (newest first) below the
  // newest of them.
  const oldest =
    holds.oldestIds.length === 0
      ? []
      : (
          await listHeld({
            ctx,
            input: { status: 'pending', limit: holds.oldestIds.length, before: holds.oldestIds.at(-1)! + 1 },
          })
        ).holds.reverse();

  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: ctx.purpose,
        subjectId: null,
        action: 'console.dashboard.read',
        detail: JSON.stringify({ as_of: today }),
        requestId: ctx.requestId,
      },
    ],
    now.toISOString(),
  );

  const byKind = Object.fromEntries(
    KINDS.map((k) => [k, {} as Record<string, number>]),
  ) as Dashboard['grades'];
  const unscored = Object.fromEntries(KINDS.map((k) => [k, 0])) as Dashboard['unscored'];
  for (const g of grades) {
    if (g.grade === null) unscored[g.kind] += g.count;
    else byKind[g.kind][g.grade] = (byKind[g.kind][g.grade] ?? 0) + g.count;
  }

  // Every list of the policy at every month end (0 when empty), so a chart has no gaps; a list no
  // longer in the policy still shows while its entries do.
  const count = new Map(sizes.map((s) => [`${s.day}\n${s.list}`, s.count]));
  const codes = [...new Set([...deps.lists.lists.map((l) => l.code), ...sizes.map((s) => s.list)])];
  const sizeOn = (day: string, list: string) => count.get(`${day}\n${list}`) ?? 0;

  const progressOf = new Map(progress.map((p) => [p.planId, p]));
  return {
    as_of: today,
    grades: byKind,
    unscored,
    ingest: ingest.map((r) => ({ day: r.day, source_kind: r.sourceKind, count: r.count })),
    ingest_from: ingestFrom,
    list_sizes: {
      months: monthEnds.flatMap((day) =>
        codes.map((list) => ({ month: day.slice(0, 7), day, list, count: sizeOn(day, list) })),
      ),
      current: codes.map((list) => {
        const rule = deps.lists.byCode.get(list);
        return {
          list,
          name: rule?.name ?? list,
          kind: rule?.kind ?? list.split('.')[0]!,
          count: sizeOn(today, list),
        };
      }),
    },
    objections_due: {
      total: objectionCounts.open,
      overdue: objectionCounts.overdue,
      items: objections.objections.map((o) => ({
        id: o.id,
        status: o.status,
        subject: { identifier: o.subjectIdentifier, name: o.subjectName },
        filed_at: o.filedAt,
        // The clock running now: the appeal's once appealed.
        due: o.status === 'appealed' ? o.appealDue : o.dueDay,
        overdue: o.overdue,
      })),
    },
    repairs_due: {
      total: repairCounts.open,
      overdue: repairCounts.overdue,
      items: repairs.repairs.map((r) => ({
        id: r.id,
        status: r.status,
        subject: r.subject ?? { identifier: '', name: '' },
        filed_at: r.applied_at,
        due: r.due,
        overdue: r.overdue,
      })),
    },
    held_ratings: {
      pending: holds.count,
      oldest: oldest.map((h) => ({
        id: h.id,
        reason: h.reason,
        reason_text: h.reason_text,
        subject: h.subject,
        window: h.window,
        ratings: h.ratings,
        created_at: h.created_at,
      })),
    },
    inspections: plans.map((p) => ({
      id: p.id,
      regulator: p.regulator,
      period: p.period,
      created_at: p.created_at,
      targets: progressOf.get(p.id)?.targets ?? 0,
      done: progressOf.get(p.id)?.done ?? 0,
      overdue: progressOf.get(p.id)?.overdue ?? 0,
    })),
  };
};
