/**
 * Migration 0030: a notification the outbox has not delivered yet can be superseded.
 *
 * "You are on list X" queued while the gateway is down, and then the listing removed (its records
 * withdrawn, corrected or removed on an objection) before the message went out: delivering it
 * later would tell the person something that is no longer true. The lists' write that queues
 * "your entry was removed" marks the undelivered warnings, effective and lengthened notices of
 * that list as superseded in the same transaction (`superseded_at`, with the reason in
 * `last_error`): they are never sent, never requeued, and kept (never deleted) with a line on the
 * person's trail. The notification itself stays in the person's own file. A person listed again
 * after such a removal is told again in a new row, found through the index on `notification_id`.
 */
import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

export const outboxSuperseded = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema.alterTable('outbox').addColumn('superseded_at', 'text').execute();
    // A notification's rows, for telling a person listed again after a removal (`announcedAgain`).
    await db.schema.createIndex('outbox_notification').on('outbox').column('notification_id').execute();
  },
});
