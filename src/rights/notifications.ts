/**
 * A subject's notifications (warnings before a listing takes effect, listings, their end, repair
 * and objection outcomes): its own only, newest first; marking one read. Both are audited on the
 * subject's own trail, as every read and write of its file is (product rule 9).
 */
import { requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import type { NotificationRow, SubjectRow } from '../store/index.ts';
import { getReadableSubject } from '../subjects/index.ts';

/** A notification as the subject sees it (snake_case). */
export const notificationJson = (n: NotificationRow) => ({
  id: n.id,
  kind: n.kind,
  list: n.listCode,
  effective: n.effective,
  message: n.message,
  created_at: n.createdAt,
  read_at: n.readAt,
  // Withdrawn before delivery: what it said no longer stood when it was to go out (it stays here).
  superseded_at: n.supersededAt ?? null,
});
export type NotificationJson = ReturnType<typeof notificationJson>;

const ownSubject = async (ctx: Ctx): Promise<SubjectRow> => {
  const p = ctx.principal;
  if (!p.ref)
    throw invalidInput('this credential names no subject', [
      { field: 'authorization', message: 'no subject' },
    ]);
  return (await getReadableSubject(ctx, p.ref)).subject;
};

const entry = (ctx: Ctx, subjectId: number, action: string, detail: unknown) => ({
  actor: ctx.principal.id,
  role: ctx.principal.role,
  purpose: ctx.purpose,
  subjectId,
  action,
  detail: JSON.stringify(detail),
  requestId: ctx.requestId,
});

/** The subject's own notifications, newest first. */
export const listOwnNotifications = async ({ ctx }: { ctx: Ctx }): Promise<NotificationJson[]> => {
  requirePermission(ctx.principal, 'subjects.read_own');
  const subject = await ownSubject(ctx);
  const rows = await ctx.store.listNotifications(subject.id);
  await ctx.store.appendAudit(
    [entry(ctx, subject.id, 'subject.notifications.read', { notifications: rows.length })],
    ctx.clock.now().toISOString(),
  );
  return rows
    .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1))
    .map(notificationJson);
};

/** Marks one of the subject's own notifications read (the first time is kept); 404 for any other. */
export const markOwnNotificationRead = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number };
}): Promise<NotificationJson> => {
  requirePermission(ctx.principal, 'notifications.mark_read');
  const subject = await ownSubject(ctx);
  const row = Number.isSafeInteger(input.id)
    ? await ctx.store.markNotificationRead(
        input.id,
        subject.id,
        ctx.clock.now().toISOString(),
        entry(ctx, subject.id, 'notification.mark_read', { notification_id: input.id }),
      )
    : undefined;
  // The same answer for another's notification as for none, so nothing is learnt by probing.
  if (!row) throw notFound(`you have no notification #${input.id}`);
  return notificationJson(row);
};
