/**
 * What a subject's applications to the platform share in both backends (objections in
 * objections.ts, repair applications in repairs.ts): files attached as evidence, kept in a table of
 * their own and read one at a time; the queue in clock order (open ones first, then by the day
 * their clock runs out, then by id) with a keyset cursor; the audit entry of a step, written in
 * the step's transaction.
 */
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type { Database } from '../schema.ts';
import type { AuditActor } from '../types.ts';
import { auditQueries } from './audit.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A kept file's description (its bytes are read only one at a time). */
export interface AttachmentMeta {
  name: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

/** An attachments table and the column naming the application a file belongs to. */
export type AttachmentsTable =
  | { table: 'objection_attachments'; key: 'objection_id' }
  | { table: 'repair_attachments'; key: 'repair_id' };

/** Keeps an application's files, in order, in the transaction that files the application. */
export const insertAttachments = async (
  tx: Transaction<Database>,
  files: AttachmentsTable,
  ownerId: number,
  attachments: (AttachmentMeta & { content: Uint8Array })[],
) => {
  for (const a of attachments)
    await tx
      .insertInto(files.table)
      .values({
        [files.key]: ownerId,
        name: a.name,
        media_type: a.mediaType,
        bytes: a.bytes,
        sha256: a.sha256,
        content: a.content,
      })
      .execute();
};

/** The descriptions of these applications' files, by application id, each in the order attached. */
export const attachmentsOf = async (
  db: Db,
  files: AttachmentsTable,
  ownerIds: number[],
): Promise<Map<number, AttachmentMeta[]>> => {
  const by = new Map<number, AttachmentMeta[]>();
  if (ownerIds.length === 0) return by;
  const rows = await db
    .selectFrom(files.table)
    .select(['name', 'media_type', 'bytes', 'sha256', sql.ref<number>(files.key).as('owner_id')])
    .where(sql.ref(files.key), 'in', ownerIds)
    .orderBy('id')
    .execute();
  for (const f of rows) {
    const id = Number(f.owner_id);
    const list = by.get(id) ?? [];
    list.push({ name: f.name, mediaType: f.media_type, bytes: Number(f.bytes), sha256: f.sha256 });
    by.set(id, list);
  }
  return by;
};

/** One file of an application with its bytes (0-based, in the order attached). */
export const findAttachment = async (
  db: Db,
  files: AttachmentsTable,
  ownerId: number,
  index: number,
): Promise<(AttachmentMeta & { content: Uint8Array }) | undefined> => {
  const r = await db
    .selectFrom(files.table)
    .select(['name', 'media_type', 'bytes', 'sha256', 'content'])
    .where(sql.ref(files.key), '=', ownerId)
    .orderBy('id')
    .offset(index)
    .limit(1)
    .executeTakeFirst();
  return (
    r && {
      name: r.name,
      mediaType: r.media_type,
      bytes: Number(r.bytes),
      sha256: r.sha256,
      content: new Uint8Array(r.content),
    }
  );
};

/**
 * A queue's order: `open` is 0 for an open application and 1 for a closed one, `clock` the day its
 * clock runs out (YYYY-MM-DD), `id` the reference to its id column (e.g. `o.id`).
 */
export interface QueueOrder {
  open: RawBuilder<number>;
  clock: RawBuilder<string>;
  id: string;
}

/** What a page's rows must select: their place in queue order (`open_rank`, `clock_day`). */
interface QueueRow {
  id: number | string;
  open_rank: number | string;
  clock_day: string;
}

/** The cursor of a row: its place in queue order. */
const cursorOf = (r: QueueRow) => `${Number(r.open_rank)}.${r.clock_day}.${Number(r.id)}`;
const CURSOR_RE = /^([01])\.(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/;

/**
 * One page of a queue: the rows after the cursor `after` (refused unless this list gave it), at
 * most `limit` of them, and the cursor of the next page (null on the last).
 */
export const queuePage = async <DB, TB extends keyof DB, O extends QueueRow>(
  query: SelectQueryBuilder<DB, TB, O>,
  order: QueueOrder,
  page: { after?: string | undefined; limit: number },
): Promise<{ rows: O[]; next: string | null }> => {
  const { open, clock } = order;
  const id = sql.ref(order.id);
  let q = query;
  if (page.after !== undefined) {
    const m = CURSOR_RE.exec(page.after);
    if (!m) throw new CredenceError('invalid_input', `"${page.after}" is not a cursor this list gave`);
    const [rank, day, after] = [Number(m[1]), m[2]!, Number(m[3])];
    q = q.where(
      sql<boolean>`(${open} > ${rank} or (${open} = ${rank} and (${clock} > ${day} or (${clock} = ${day} and ${id} > ${after}))))`,
    );
  }
  const rows = (await q
    .orderBy(open)
    .orderBy(clock)
    .orderBy(id)
    .limit(page.limit + 1)
    .execute()) as O[];
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return { rows: shown, next: more ? cursorOf(shown[shown.length - 1]!) : null };
};

/** The audit entry of one step on a subject's application, in the step's transaction. */
export const auditStep = (
  tx: Transaction<Database>,
  actor: AuditActor,
  subjectId: number,
  action: string,
  detail: Record<string, unknown>,
  at: string,
) => auditQueries.appendAudit(tx, [{ ...actor, subjectId, action, detail: JSON.stringify(detail) }], at);
