/**
 * Delivering the outbox: each notification the lists decided (product rule 8: warning before
 * punishment) is POSTed to the messaging gateway, retried with exponential backoff when the
 * gateway fails, and given up as dead after the last attempt — kept for an operator to see.
 */
import { requirePermission } from '../access/index.ts';
import type { Ctx, Principal } from '../context.ts';
import { invalidInput } from '../shared/errors.ts';
import type { AuditDraft, OutboxCounts, OutboxFailure, OutboxRow } from '../store/index.ts';
import { type FetchLike, postToGateway, webhookBody } from './webhook.ts';

export const OUTBOX_DEFAULTS = {
  /** Rows claimed per pass. */
  limit: 100,
  /** Attempts before a row is given up as dead. */
  maxAttempts: 12,
  /** Delay after the first failure; doubles after each further one. */
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60 * 1000,
  /** How long one POST may take. */
  timeoutMs: 10_000,
  /** POSTs in flight at once within a pass. */
  concurrency: 4,
} as const;

/** Who delivers in the background while the platform serves. */
export const OUTBOX_SENDER: Principal = { id: 'operator:outbox-sender', role: 'operator' };

export interface DeliverOutboxInput {
  /** At most this many rows in this pass (default 100, at most 10,000). */
  limit?: number;
  /** The instant of the pass (default: the context's clock). */
  now?: Date;
}

export interface DeliverOutboxDeps {
  webhookUrl: string;
  secret?: string | undefined;
  /** Node's global fetch unless given. */
  fetch?: FetchLike;
  timeoutMs?: number;
  maxAttempts?: number;
}

export interface DeliverOutboxResult {
  /** Delivered in this pass. */
  sent: number;
  /** Failed in this pass and scheduled for another attempt. */
  failed: number;
  /** Failed their last allowed attempt in this pass. */
  dead: number;
  /** Rows still to deliver after this pass (queued, or failed and waiting to retry). */
  remaining: number;
}

/**
 * Wait before the next attempt after `failures` failed attempts: 30 s, 60 s, 2 min, … doubling,
 * capped at 6 h.
 */
export const retryDelayMs = (
  failures: number,
  opts: { baseDelayMs?: number; maxDelayMs?: number } = {},
): number => {
  const base = opts.baseDelayMs ?? OUTBOX_DEFAULTS.baseDelayMs;
  const max = opts.maxDelayMs ?? OUTBOX_DEFAULTS.maxDelayMs;
  return Math.min(max, base * 2 ** Math.max(0, failures - 1));
};

/** One delivery pass: claims the due rows, POSTs each, records the outcome, audits the pass. */
export const deliverOutbox = async ({
  ctx,
  input = {},
  deps,
}: {
  ctx: Ctx;
  input?: DeliverOutboxInput;
  deps: DeliverOutboxDeps;
}): Promise<DeliverOutboxResult> => {
  // Least privilege (product rule 10): delivery and its state are the credit office's business.
  requirePermission(ctx.principal, 'outbox.deliver');
  const limit = input.limit ?? OUTBOX_DEFAULTS.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw invalidInput(`limit must be a whole number from 1 to 10000, got ${limit}`, [
      { field: 'limit', message: 'out of range' },
    ]);
  }
  const timeoutMs = deps.timeoutMs ?? OUTBOX_DEFAULTS.timeoutMs;
  const maxAttempts = deps.maxAttempts ?? OUTBOX_DEFAULTS.maxAttempts;
  const send = deps.fetch ?? ((url, init) => fetch(url, init));
  const now = input.now ?? ctx.clock.now();
  const at = now.toISOString();
  // The lease outlasts the slowest possible pass, so no other pass re-sends a row still in flight:
  // claimed for the worst case (every row one subject's, sent one after another, each taking its
  // whole time limit), then, once the rows are known, leased again for the slowest this pass can
  // take — four senders taking whole subjects: at most a quarter of the rows plus the longest
  // subject's, each its time limit — so that after a crash the rows wait no longer than that.
  const leaseFor = (n: number) => new Date(now.getTime() + n * timeoutMs + 60_000).toISOString();
  const rows = await ctx.store.claimDueOutbox(limit, at, leaseFor(limit));

  const sent: OutboxRow[] = [];
  const failures: OutboxFailure[] = [];
  const fail = (row: OutboxRow, error: string, permanent = false) => {
    const attempts = row.attempts + 1;
    const giveUp = permanent || attempts >= maxAttempts;
    failures.push({
      id: row.id,
      error,
      nextAttemptAt: giveUp ? null : new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
    });
  };
  // One subject's notices go out one after another, in the order they were queued (claimed rows
  // come in id order), so a person is never told "your entry ended" before "you are listed" by two
  // POSTs racing; different subjects' notices go out side by side. A row that fails does not hold
  // back the next of its subject: each is retried on its own, as before.
  const bySubject = new Map<number, OutboxRow[]>();
  for (const row of rows) {
    const own = bySubject.get(row.subjectId);
    if (own) own.push(row);
    else bySubject.set(row.subjectId, [row]);
  }
  const queues = [...bySubject.values()];
  const longest = Math.max(0, ...queues.map((q) => q.length));
  const slowest = Math.ceil(rows.length / OUTBOX_DEFAULTS.concurrency) + longest;
  if (slowest < limit)
    await ctx.store.leaseOutbox(
      rows.map((r) => r.id),
      leaseFor(slowest),
    );
  let next = 0;
  const worker = async () => {
    while (next < queues.length) for (const row of queues[next++]!) await deliverOne(row);
  };
  const deliverOne = async (row: OutboxRow) => {
    // A pass may take minutes: a notice superseded since it was claimed (its listing removed)
    // is not sent, so "you are listed" never follows "your entry was removed".
    if (!(await ctx.store.outboxStillToSend(row.id))) return;
    let body: string;
    try {
      body = JSON.stringify(webhookBody(row));
    } catch (e) {
      // No retry can mend a payload that cannot be read: give it up at once, for an operator.
      fail(row, `unreadable payload: ${(e as Error).message}`, true);
      return;
    }
    const error = await postToGateway(body, row.id, {
      url: deps.webhookUrl,
      secret: deps.secret,
      fetch: send,
      timeoutMs,
    });
    if (error === null) {
      // Kept at once, with its line on the subject's trail: a pass cut short (the process died)
      // does not send again what the gateway already took.
      sent.push(row);
      await ctx.store.markOutboxSent([row.id], at, [deliveredEntry(ctx, row)]);
    } else fail(row, error);
  };
  await Promise.all(Array.from({ length: Math.min(OUTBOX_DEFAULTS.concurrency, queues.length) }, worker));

  sent.sort((a, b) => a.id - b.id);
  failures.sort((a, b) => a.id - b.id);
  await ctx.store.markOutboxFailed(failures, at);
  const dead = failures.filter((f) => f.nextAttemptAt === null);
  if (rows.length > 0) await ctx.store.appendAudit([passEntry(ctx, sent, failures)], at);
  return {
    sent: sent.length,
    failed: failures.length - dead.length,
    dead: dead.length,
    remaining: await ctx.store.countOutboxPending(),
  };
};

const deliverBase = (ctx: Ctx) => ({
  actor: ctx.principal.id,
  role: ctx.principal.role,
  purpose: ctx.purpose,
  action: 'outbox.deliver',
  requestId: ctx.requestId,
});

/** One entry per delivered row on its subject, so its trail shows the message went out (product rule 9). */
const deliveredEntry = (ctx: Ctx, r: OutboxRow): AuditDraft => ({
  ...deliverBase(ctx),
  subjectId: r.subjectId,
  detail: JSON.stringify({
    outbox_id: r.id,
    notification_id: r.notificationId,
    channel: r.channel,
    attempt: r.attempts + 1,
  }),
});

/** One entry for the pass naming every row and its outcome. */
const passEntry = (ctx: Ctx, sent: OutboxRow[], failures: OutboxFailure[]): AuditDraft => ({
  ...deliverBase(ctx),
  subjectId: null,
  detail: JSON.stringify({
    sent: sent.map((r) => r.id),
    failed: failures.filter((f) => f.nextAttemptAt !== null).map((f) => f.id),
    dead: failures.filter((f) => f.nextAttemptAt === null).map((f) => f.id),
  }),
});

/** A row that did not go out, as an operator sees it: no subject data, so reading it is not a file read. */
export interface OutboxProblem {
  id: number;
  notificationId: number;
  attempts: number;
  lastError: string | null;
  /** When it is tried again (failed), or null (dead). */
  nextAttemptAt: string | null;
  deadAt: string | null;
}

export interface OutboxStatus extends OutboxCounts {
  /** The most recent dead rows, then the most recent failed ones waiting to retry. */
  problems: OutboxProblem[];
}

/** The outbox by delivery state — queued, sent, failed and waiting to retry, dead — and what went wrong. */
export const getOutboxStatus = async ({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: { problems?: number };
}): Promise<OutboxStatus> => {
  requirePermission(ctx.principal, 'outbox.read');
  const n = input.problems ?? 10;
  const counts = await ctx.store.countOutboxByState();
  const rows =
    n > 0 ? [...(await ctx.store.listOutbox('dead', n)), ...(await ctx.store.listOutbox('failed', n))] : [];
  return {
    ...counts,
    problems: rows.map((r) => ({
      id: r.id,
      notificationId: r.notificationId,
      attempts: r.attempts,
      lastError: r.lastError,
      nextAttemptAt: r.deadAt ? null : r.nextAttemptAt,
      deadAt: r.deadAt,
    })),
  };
};

/**
 * Puts notifications given up as dead back in the queue — once the operator has mended what made
 * them fail (a gateway down for days, a wrong URL) — with a fresh round of attempts. `ids` are
 * outbox row ids (see the status's problems), or 'all' for every dead row.
 */
export const requeueOutbox = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { ids: number[] | 'all' };
}): Promise<{ requeued: number[] }> => {
  requirePermission(ctx.principal, 'outbox.deliver');
  if (input.ids !== 'all') {
    const bad = input.ids.find((id) => !Number.isInteger(id) || id < 1);
    if (bad !== undefined || input.ids.length === 0)
      throw invalidInput('name the dead outbox rows to requeue by id, or all of them', [
        { field: 'ids', message: bad !== undefined ? `not an id: ${bad}` : 'none given' },
      ]);
  }
  const requeued = await ctx.store.requeueDeadOutbox(input.ids, ctx.clock.now().toISOString(), {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    subjectId: null,
    action: 'outbox.requeue',
    detail: null,
    requestId: ctx.requestId,
  });
  return { requeued };
};
