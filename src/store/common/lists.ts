/**
 * Lists: each subject's entries as last computed, and the notifications that tell it of them (each
 * stored once by its key, with its outbox row).
 */
import { type Kysely, PostgresAdapter, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  ListEntriesWrite,
  ListEntryRow,
  ListEntryState,
  NewNotification,
  NotificationRow,
  ShortenedEntry,
  SupersededNotice,
} from '../types.ts';
import { auditQueries } from './audit.ts';
import { noteCheckChanges } from './checks.ts';
import { maintainQueries } from './maintain.ts';
import { scoringQueries } from './scoring.ts';
import { subjectChunks } from './subject-chunks.ts';

/** Notifications (and their outbox rows) a statement inserts. */
const NOTIFICATIONS_PER_INSERT = 500;

type Db = Kysely<Database> | Transaction<Database>;

/**
 * On PostgreSQL, the subjects' rows locked in id order, so that two refreshes of one subject check
 * and write one after the other (SQLite's writer lock does the same). Taken before the checks'
 * generation row (`noteCheckChanges`), in the order the batch writer and a binding decision take
 * them (an organization's row, then that row): the opposite order deadlocks.
 */
const lockSubjects = async (tx: Transaction<Database>, subjectIds: readonly number[]) => {
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) return;
  const ids = [...subjectIds].sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += 5000)
    await sql`select id from subjects where id = any(${ids.slice(i, i + 5000)}::bigint[]) order by id for update`.execute(
      tx,
    );
};

/** The subjects whose recomputation is older than what is stored now (see `ListEntriesWrite.guard`). */
const staleSubjects = async (
  tx: Transaction<Database>,
  guard: ReadonlyMap<number, ReadonlyMap<number, string>>,
): Promise<Set<number>> => {
  const owners = new Set<number>();
  const persons = new Set<number>();
  for (const fps of guard.values())
    for (const owner of fps.keys()) (owner < 0 ? persons : owners).add(Math.abs(owner));
  const now = await scoringQueries.recordFingerprints(tx, [...owners]);
  // A person's bindings, under the negative of its id.
  for (const [id, fp] of await scoringQueries.bindingFingerprints(tx, [...persons])) now.set(-id, fp);
  const stale = new Set<number>();
  for (const [subject, fps] of guard)
    for (const [owner, fp] of fps)
      if (now.get(owner) !== fp) {
        stale.add(subject);
        break;
      }
  return stale;
};

export const listQueries = {
  /**
   * One transaction: the old entries out (returned by the delete itself, for `write.audit` to
   * compare), the new ones in, the notifications they bring, then the audit entries of the change.
   */
  async replaceListEntries(
    db: Kysely<Database>,
    allSubjectIds: number[],
    allEntries: ListEntryRow[],
    write?: ListEntriesWrite,
  ): Promise<NotificationRow[]> {
    return db.transaction().execute(async (tx) => {
      if (write?.guard) await lockSubjects(tx, allSubjectIds);
      // A write before the guard's read: on SQLite the transaction holds the writer lock from here.
      await noteCheckChanges(tx, allSubjectIds);
      const skipped = write?.guard ? await staleSubjects(tx, write.guard) : new Set<number>();
      const kept = <T extends { subjectId: number }>(rows: readonly T[]) =>
        skipped.size === 0 ? [...rows] : rows.filter((r) => !skipped.has(r.subjectId));
      const subjectIds = skipped.size === 0 ? allSubjectIds : allSubjectIds.filter((id) => !skipped.has(id));
      const entries = kept(allEntries);
      if (write?.scores) await scoringQueries.writeScores(tx, kept(write.scores));
      if (write?.due) await maintainQueries.setDueDays(tx, kept(write.due));
      write?.skip?.([...skipped]);
      const before: ListEntryState[] = [];
      for (const chunk of subjectChunks(tx, subjectIds)) {
        const q = tx.deleteFrom('list_entries').where('subject_id', 'in', chunk);
        if (!write) {
          await q.execute();
          continue;
        }
        const gone = await q
          .returning(['subject_id', 'list_code', 'status', 'from_date', 'until_date', 'reason_code'])
          .execute();
        for (const r of gone)
          before.push({
            subjectId: Number(r.subject_id),
            listCode: r.list_code,
            status: r.status as ListEntryState['status'],
            from: r.from_date,
            until: r.until_date,
            reasonCode: r.reason_code,
          });
      }
      for (let i = 0; i < entries.length; i += 500) {
        await tx
          .insertInto('list_entries')
          .values(
            entries.slice(i, i + 500).map((e) => ({
              subject_id: e.subjectId,
              list_code: e.listCode,
              status: e.status,
              from_date: e.from,
              until_date: e.until,
              reason_code: e.reasonCode,
              reason_records: JSON.stringify(e.reasonRecords),
              note: e.note,
              entry: e.entry,
              policy_version: e.policyVersion,
              computed_at: e.computedAt,
            })),
          )
          .execute();
      }
      if (!write) return [];
      const inForce = (e: { status: string }) => e.status === 'active' || e.status === 'pending';
      const still = new Set(entries.map((e) => `${e.subjectId}\u0000${e.listCode}\u0000${e.from}`));
      const listed = new Set(entries.filter(inForce).map((e) => `${e.subjectId}\u0000${e.listCode}`));
      const gone = before.filter(
        (e) =>
          inForce(e) &&
          !still.has(`${e.subjectId}\u0000${e.listCode}\u0000${e.from}`) &&
          !listed.has(`${e.subjectId}\u0000${e.listCode}`),
      );
      const told = gone.length > 0 && write.removed ? write.removed(gone) : [];
      const changed = changedEntries(before, entries);
      const shortened = write.shortened ? changed.shortened : [];
      const toldShorter = shortened.length > 0 ? write.shortened!(shortened) : [];
      const notes = kept(write.notifications);
      // An entry lengthened again (its end later than before): its lengthened notice is an event,
      // told again when stored already (a shortening undone: the person's last word was "shorter").
      const toldLonger = lengthenedNotices(changed.lengthened, notes);
      const retold: SupersededNotice[] = [];
      const added = await insertNotifications(
        tx,
        [...notes, ...told],
        write.at,
        [...toldShorter, ...toldLonger],
        retold,
      );
      const superseded = [
        ...retold,
        ...(told.length > 0 ? await supersedeRemoved(tx, gone, entries, added, write.at) : []),
        ...(shortened.length > 0 ? await supersedeUndone(tx, shortened, entries, added, write.at) : []),
        ...(changed.lengthened.length > 0
          ? await supersedeShortened(tx, changed.lengthened, added, write.at)
          : []),
      ].sort((a, b) => a.outboxId - b.outboxId);
      // Multi-row statements (audit.ts), whatever the number of subjects that changed.
      await auditQueries.appendAudit(
        tx,
        [
          ...write.audit(before),
          ...(superseded.length > 0 && write.superseded ? write.superseded(superseded) : []),
        ],
        write.at,
      );
      return added;
    });
  },

  async listListEntries(db: Db, subjectIds?: number[]): Promise<ListEntryRow[]> {
    const q = () => db.selectFrom('list_entries').selectAll();
    const rows = [];
    if (!subjectIds) rows.push(...(await q().orderBy('subject_id').orderBy('from_date').execute()));
    else {
      for (const chunk of subjectChunks(db, subjectIds)) {
        rows.push(
          ...(await q()
            .where('subject_id', 'in', chunk)
            .orderBy('subject_id')
            .orderBy('from_date')
            .execute()),
        );
      }
      // Chunks follow partitions on PostgreSQL, not the order of the keys.
      rows.sort((a, b) =>
        a.subject_id !== b.subject_id
          ? Number(a.subject_id) - Number(b.subject_id)
          : a.from_date < b.from_date
            ? -1
            : a.from_date > b.from_date
              ? 1
              : 0,
      );
    }
    return rows.map((r) => ({
      subjectId: Number(r.subject_id),
      listCode: r.list_code,
      status: r.status as ListEntryRow['status'],
      from: r.from_date,
      until: r.until_date,
      reasonCode: r.reason_code,
      reasonRecords: JSON.parse(r.reason_records) as number[],
      note: r.note,
      entry: r.entry,
      policyVersion: r.policy_version,
      computedAt: r.computed_at,
    }));
  },

  async addNotifications(
    db: Kysely<Database>,
    rows: NewNotification[],
    at: string,
  ): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return db.transaction().execute((tx) => insertNotifications(tx, rows, at));
  },

  async listNotifications(db: Db, subjectId: number): Promise<NotificationRow[]> {
    const rows = await withSuperseded(db)
      .where('subject_id', '=', subjectId)
      .orderBy('effective', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(notificationOf);
  },

  async markNotificationRead(
    db: Kysely<Database>,
    id: number,
    subjectId: number,
    at: string,
    audit: AuditDraft,
  ): Promise<NotificationRow | undefined> {
    return db.transaction().execute(async (tx) => {
      const own = () => withSuperseded(tx).where('id', '=', id).where('subject_id', '=', subjectId);
      const before = await own().executeTakeFirst();
      if (!before) return undefined;
      if (before.read_at === null)
        await tx
          .updateTable('notifications')
          .set({ read_at: at })
          .where('id', '=', id)
          .where('read_at', 'is', null)
          .execute();
      await auditQueries.appendAudit(tx, [audit], at);
      return notificationOf(await own().executeTakeFirstOrThrow());
    });
  },
};

/** An entry's grace notice and lengthening days, from the whole entry it keeps (none when unreadable). */
const entryDays = (entry: string): { noticeFrom?: string | null; lengthenedOn?: string } => {
  try {
    return JSON.parse(entry) as { noticeFrom?: string | null; lengthenedOn?: string };
  } catch {
    return {};
  }
};

/** The notices that announce or lengthen a listing: untrue once it is removed. */
const LISTING_NOTICES = ['listing_warning', 'listing_effective', 'listing_extended'];

const listOf = (e: { subjectId: number; listCode: string }) => `${e.subjectId}\u0000${e.listCode}`;

/** The first day an entry was told of: its grace warning, else its start. */
const firstNoticeDay = (e: { entry: string; from: string }) => entryDays(e.entry).noticeFrom ?? e.from;

/** Appends `v` to the list kept under `k`. */
const addTo = <V>(m: Map<string, V[]>, k: string, v: V) => {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
};

/**
 * The entries in force before that the recomputation finds again (same list, same start) with an
 * earlier end — a date before theirs, or a date where theirs had none ("until the obligation is
 * met") — each as it now stands (in force or, its end past already, ended), with its end before;
 * and those still in force found with a later end — a date after theirs, or none where theirs had
 * one — as they now stand.
 */
const changedEntries = (
  before: readonly ListEntryState[],
  after: readonly ListEntryRow[],
): { shortened: ShortenedEntry[]; lengthened: ListEntryRow[] } => {
  const now = new Map(after.map((e) => [`${listOf(e)}\u0000${e.from}`, e]));
  const shortened: ShortenedEntry[] = [];
  const lengthened: ListEntryRow[] = [];
  for (const b of before) {
    if (b.status !== 'active' && b.status !== 'pending') continue;
    const a = now.get(`${listOf(b)}\u0000${b.from}`);
    if (a === undefined) continue;
    if (a.until !== null && (b.until === null || a.until < b.until))
      shortened.push({
        subjectId: a.subjectId,
        listCode: a.listCode,
        status: a.status,
        from: a.from,
        until: a.until,
        reasonCode: a.reasonCode,
        untilBefore: b.until,
      });
    else if (
      (a.status === 'active' || a.status === 'pending') &&
      b.until !== null &&
      (a.until === null || a.until > b.until)
    )
      lengthened.push(a);
  }
  return { shortened, lengthened };
};

/**
 * The lengthened notices (`notificationsFor`, among the write's notifications) of the entries
 * found lengthened: those of the day each was last lengthened on.
 */
const lengthenedNotices = (
  lengthened: readonly ListEntryRow[],
  notes: readonly NewNotification[],
): NewNotification[] => {
  if (lengthened.length === 0) return [];
  const days = new Set<string>();
  for (const e of lengthened) {
    const on = entryDays(e.entry).lengthenedOn;
    if (on) days.add(`${e.subjectId}\u0000${e.listCode}\u0000${on}`);
  }
  return notes.filter(
    (n) => n.kind === 'listing_extended' && days.has(`${n.subjectId}\u0000${n.listCode}\u0000${n.effective}`),
  );
};

/** The outbox's `last_error` of a row superseded, by why. */
const SUPERSEDED_BECAUSE: Record<SupersededNotice['because'], string> = {
  removed: 'superseded: the listing it announced was removed before it was delivered',
  shortened: 'superseded: the lengthening it announced was undone before it was delivered',
  lengthened: 'superseded: the entry was lengthened again before it was delivered',
  retold: 'superseded: told again with its present text before it was delivered',
};

/** Marks these outbox rows superseded (those not sent since), with why in `last_error`. */
async function markSuperseded(
  tx: Transaction<Database>,
  outboxIds: readonly number[],
  at: string,
  because: SupersededNotice['because'],
): Promise<void> {
  for (let i = 0; i < outboxIds.length; i += 500)
    await tx
      .updateTable('outbox')
      .set({ superseded_at: at, next_attempt_at: null, last_error: SUPERSEDED_BECAUSE[because] })
      .where('id', 'in', outboxIds.slice(i, i + 500))
      .where('sent_at', 'is', null)
      .execute();
}

/**
 * Marks superseded the undelivered notices of these kinds of these subjects' lists that `untrue`
 * finds no longer true, leaving the notifications this write added; returns what it marked.
 * Delivery looks again just before each POST (`deliverOutbox`).
 */
async function supersedeNotices(
  tx: Transaction<Database>,
  lists: readonly { subjectId: number; listCode: string }[],
  kinds: readonly string[],
  untrue: (n: { subjectId: number; listCode: string; kind: string; effective: string }) => boolean,
  added: readonly NotificationRow[],
  at: string,
  because: SupersededNotice['because'],
): Promise<SupersededNotice[]> {
  const fresh = new Set(added.map((n) => n.id));
  const byList = new Map<string, Set<number>>();
  for (const e of lists) {
    const ids = byList.get(e.listCode) ?? new Set<number>();
    ids.add(e.subjectId);
    byList.set(e.listCode, ids);
  }
  const out: SupersededNotice[] = [];
  for (const [listCode, subjects] of byList) {
    const ids = [...subjects];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await tx
        .selectFrom('outbox')
        .innerJoin('notifications', 'notifications.id', 'outbox.notification_id')
        .select([
          'outbox.id',
          'outbox.notification_id',
          'notifications.subject_id',
          'notifications.kind',
          'notifications.effective',
        ])
        .where('notifications.subject_id', 'in', ids.slice(i, i + 500))
        .where('notifications.list_code', '=', listCode)
        .where('notifications.kind', 'in', [...kinds])
        .where('outbox.sent_at', 'is', null)
        .where('outbox.superseded_at', 'is', null)
        .execute();
      for (const r of rows) {
        const n = { subjectId: Number(r.subject_id), listCode, kind: r.kind, effective: r.effective };
        if (!fresh.has(Number(r.notification_id)) && untrue(n))
          out.push({ outboxId: Number(r.id), notificationId: Number(r.notification_id), ...n, because });
      }
    }
  }
  out.sort((a, b) => a.outboxId - b.outboxId);
  await markSuperseded(
    tx,
    out.map((r) => r.outboxId),
    at,
    because,
  );
  return out;
}

/**
 * A removal (nothing of these entries' lists in force for the subject any more: see `gone`): the
 * undelivered notices that the subject is, is to be, or stays longer or shorter on the list,
 * leaving those of the entries still on file (an ended one's notices stay true).
 */
function supersedeRemoved(
  tx: Transaction<Database>,
  gone: readonly ListEntryState[],
  standing: readonly ListEntryRow[],
  added: readonly NotificationRow[],
  at: string,
): Promise<SupersededNotice[]> {
  // The notices of the entries still on file, by subject, list, kind and day (notifications.ts).
  const goneLists = new Set(gone.map(listOf));
  const stillTrue = new Set<string>();
  // A shortened notice is stored on the day the shortening was found, while its entry was in force.
  const spans = new Map<string, { from: string; until: string }[]>();
  for (const e of standing) {
    if (!goneLists.has(listOf(e))) continue;
    const list = listOf(e);
    const days = entryDays(e.entry);
    if (days.noticeFrom) stillTrue.add(`${list}\u0000listing_warning\u0000${days.noticeFrom}`);
    stillTrue.add(`${list}\u0000listing_effective\u0000${e.from}`);
    if (days.lengthenedOn) stillTrue.add(`${list}\u0000listing_extended\u0000${days.lengthenedOn}`);
    if (e.until !== null) addTo(spans, list, { from: days.noticeFrom ?? e.from, until: e.until });
  }
  return supersedeNotices(
    tx,
    gone,
    [...LISTING_NOTICES, 'listing_shortened'],
    (n) =>
      n.kind === 'listing_shortened'
        ? !(spans.get(listOf(n)) ?? []).some((d) => n.effective >= d.from && n.effective <= d.until)
        : !stillTrue.has(`${listOf(n)}\u0000${n.kind}\u0000${n.effective}`),
    added,
    at,
    'removed',
  );
}

/**
 * A shortening: every undelivered lengthened notice of a shortened entry — a day on or after the
 * entry's start (its warning, when it had one) — whether the lengthening it told of was undone or
 * stands with an end that is no longer true: the shortened notice queued with this write states the
 * present end. Those of another entry of the list on file (its own lengthening days) are left.
 */
function supersedeUndone(
  tx: Transaction<Database>,
  shortened: readonly ShortenedEntry[],
  standing: readonly ListEntryRow[],
  added: readonly NotificationRow[],
  at: string,
): Promise<SupersededNotice[]> {
  const lists = new Set(shortened.map(listOf));
  const shorter = new Set(shortened.map((s) => `${listOf(s)}\u0000${s.from}`));
  const entry = new Map<string, ListEntryRow>();
  const otherLengthened = new Set<string>();
  for (const e of standing) {
    if (!lists.has(listOf(e))) continue;
    entry.set(`${listOf(e)}\u0000${e.from}`, e);
    const days = entryDays(e.entry);
    if (days.lengthenedOn && !shorter.has(`${listOf(e)}\u0000${e.from}`))
      otherLengthened.add(`${listOf(e)}\u0000${days.lengthenedOn}`);
  }
  // Per subject and list, the first day of each shortened entry (its warning or start).
  const starts = new Map<string, string[]>();
  for (const s of shortened) {
    const e = entry.get(`${listOf(s)}\u0000${s.from}`);
    addTo(starts, listOf(s), e ? firstNoticeDay(e) : s.from);
  }
  return supersedeNotices(
    tx,
    shortened,
    ['listing_extended'],
    (n) =>
      !otherLengthened.has(`${listOf(n)}\u0000${n.effective}`) &&
      (starts.get(listOf(n)) ?? []).some((from) => n.effective >= from),
    added,
    at,
    'shortened',
  );
}

/**
 * A lengthening (an entry in force found with a later end than before): the undelivered shortened
 * notices of its list from its warning or start on, which state an end no longer true (the
 * lengthened notice told with this write, or still to go out, states the present one).
 */
function supersedeShortened(
  tx: Transaction<Database>,
  lengthened: readonly ListEntryRow[],
  added: readonly NotificationRow[],
  at: string,
): Promise<SupersededNotice[]> {
  const starts = new Map<string, string[]>();
  for (const e of lengthened) addTo(starts, listOf(e), firstNoticeDay(e));
  return supersedeNotices(
    tx,
    lengthened,
    ['listing_shortened'],
    (n) => (starts.get(listOf(n)) ?? []).some((from) => n.effective >= from),
    added,
    at,
    'lengthened',
  );
}

/**
 * The listing notices a recomputation finds again (already stored, so not inserted) for a list
 * whose latest word to the subject is that its entry was removed: a person listed again — the
 * same judgment sent again after a withdrawal, an objection that lifted a listing and was then
 * rejected — is told again, in a new outbox row after the removal's (so "removed" never arrives
 * last), the notification marked unread with its present text. Of a list's notices, the warning
 * is told again only when no other is. Reads nothing more unless one of these subjects has a
 * removal on file.
 */
async function announcedAgain(
  tx: Transaction<Database>,
  found: readonly NewNotification[],
  at: string,
): Promise<NotificationRow[]> {
  if (found.length === 0) return [];
  const subjects = [...new Set(found.map((n) => n.subjectId))];
  const removedLast = new Map<string, number>();
  const pair = (subjectId: number, list: string | null) => `${subjectId}\u0000${list}`;
  for (let i = 0; i < subjects.length; i += 500) {
    const rows = await tx
      .selectFrom('notifications as n')
      .innerJoin('outbox as o', 'o.notification_id', 'n.id')
      .select(['n.subject_id', 'n.list_code', (eb) => eb.fn.max('o.id').as('last')])
      .where('n.subject_id', 'in', subjects.slice(i, i + 500))
      .where('n.kind', '=', 'listing_removed')
      .groupBy(['n.subject_id', 'n.list_code'])
      .execute();
    for (const r of rows) removedLast.set(pair(Number(r.subject_id), r.list_code), Number(r.last));
  }
  if (removedLast.size === 0) return [];
  const candidates = found.filter((n) => removedLast.has(pair(n.subjectId, n.listCode)));
  if (candidates.length === 0) return [];
  const told = new Map<string, { id: number; last: number }>();
  const noticeKey = (n: { subjectId: number; kind: string; listCode: string | null; effective: string }) =>
    `${n.subjectId}\u0000${n.kind}\u0000${n.listCode}\u0000${n.effective}`;
  const bySubject = [...new Set(candidates.map((n) => n.subjectId))];
  for (let i = 0; i < bySubject.length; i += 500) {
    const rows = await tx
      .selectFrom('notifications as n')
      .leftJoin('outbox as o', 'o.notification_id', 'n.id')
      .select([
        'n.id',
        'n.subject_id',
        'n.kind',
        'n.list_code',
        'n.effective',
        (eb) => eb.fn.max('o.id').as('last'),
      ])
      .where('n.subject_id', 'in', bySubject.slice(i, i + 500))
      .where('n.kind', 'in', LISTING_NOTICES)
      .groupBy(['n.id', 'n.subject_id', 'n.kind', 'n.list_code', 'n.effective'])
      .execute();
    for (const r of rows)
      told.set(
        noticeKey({
          subjectId: Number(r.subject_id),
          kind: r.kind,
          listCode: r.list_code,
          effective: r.effective,
        }),
        { id: Number(r.id), last: r.last === null ? 0 : Number(r.last) },
      );
  }
  const again = candidates.filter((n) => {
    const t = told.get(noticeKey(n));
    return t !== undefined && t.last < removedLast.get(pair(n.subjectId, n.listCode))!;
  });
  const lists = new Set(
    again.filter((n) => n.kind !== 'listing_warning').map((n) => pair(n.subjectId, n.listCode)),
  );
  const out: NotificationRow[] = [];
  for (const n of again) {
    if (n.kind === 'listing_warning' && lists.has(pair(n.subjectId, n.listCode))) continue;
    const id = told.get(noticeKey(n))!.id;
    await tx
      .updateTable('notifications')
      .set({ message: n.message, read_at: null })
      .where('id', '=', id)
      .execute();
    out.push({ ...n, id, createdAt: at, readAt: null });
  }
  return out;
}

/**
 * Notifications with when their latest outbox row was superseded: withdrawn before delivery, what
 * they said no longer standing (a notice told again after that has a newer row, not superseded).
 */
const withSuperseded = (db: Db) =>
  db
    .selectFrom('notifications')
    .selectAll('notifications')
    .select((eb) =>
      eb
        .selectFrom('outbox')
        .select('outbox.superseded_at')
        .whereRef('outbox.notification_id', '=', 'notifications.id')
        .orderBy('outbox.id', 'desc')
        .limit(1)
        .as('superseded_at'),
    );

const notificationOf = (
  r: Selectable<Database['notifications']> & { superseded_at?: string | null },
): NotificationRow => ({
  id: Number(r.id),
  subjectId: Number(r.subject_id),
  kind: r.kind,
  listCode: r.list_code,
  effective: r.effective,
  message: r.message,
  createdAt: r.created_at,
  readAt: r.read_at,
  // Only when withdrawn, so a notification as stored and as read compare alike otherwise.
  ...(r.superseded_at ? { supersededAt: r.superseded_at } : {}),
});

/** A notification's identity: one per subject, kind, list and effective day. */
const notificationKey = (n: {
  subjectId: number;
  kind: string;
  listCode: string | null;
  effective: string;
}) => `${n.subjectId}\u0000${n.kind}\u0000${n.listCode}\u0000${n.effective}`;

/**
 * Events found again that are already stored under their key (an entry shortened again the same
 * day, a lengthening back after its undoing): each told again with its present text, marked
 * unread, in a new outbox row — unless a row of it still to go out says the same (that one tells
 * it). A row still to go out with other text is superseded (`retold`, into `retold`): a delivery
 * pass may hold its payload already.
 */
async function toldAgain(
  tx: Transaction<Database>,
  found: readonly NewNotification[],
  at: string,
  retold: SupersededNotice[],
): Promise<NotificationRow[]> {
  if (found.length === 0) return [];
  const wanted = new Map(found.map((n) => [notificationKey(n), n]));
  const subjects = [...new Set(found.map((n) => n.subjectId))];
  const kinds = [...new Set(found.map((n) => n.kind))];
  const stored: { id: number; message: string; n: NewNotification }[] = [];
  for (let i = 0; i < subjects.length; i += 500) {
    const rows = await tx
      .selectFrom('notifications')
      .select(['id', 'subject_id', 'kind', 'list_code', 'effective', 'message'])
      .where('subject_id', 'in', subjects.slice(i, i + 500))
      .where('kind', 'in', kinds)
      .execute();
    for (const r of rows) {
      const n = wanted.get(
        notificationKey({
          subjectId: Number(r.subject_id),
          kind: r.kind,
          listCode: r.list_code,
          effective: r.effective,
        }),
      );
      if (n !== undefined) stored.push({ id: Number(r.id), message: r.message, n });
    }
  }
  const pending = new Map<number, number[]>();
  for (let i = 0; i < stored.length; i += 500) {
    const rows = await tx
      .selectFrom('outbox')
      .select(['id', 'notification_id'])
      .where(
        'notification_id',
        'in',
        stored.slice(i, i + 500).map((s) => s.id),
      )
      .where('sent_at', 'is', null)
      .where('superseded_at', 'is', null)
      .execute();
    for (const r of rows)
      pending.set(Number(r.notification_id), [
        ...(pending.get(Number(r.notification_id)) ?? []),
        Number(r.id),
      ]);
  }
  const out: NotificationRow[] = [];
  const stale: number[] = [];
  for (const { id, message, n } of stored) {
    const rows = pending.get(id) ?? [];
    if (rows.length > 0 && message === n.message) continue;
    for (const outboxId of rows) {
      stale.push(outboxId);
      retold.push({
        outboxId,
        notificationId: id,
        subjectId: n.subjectId,
        listCode: n.listCode ?? '',
        kind: n.kind,
        effective: n.effective,
        because: 'retold',
      });
    }
    await tx
      .updateTable('notifications')
      .set({ message: n.message, read_at: null })
      .where('id', '=', id)
      .execute();
    out.push({ ...n, id, createdAt: at, readAt: null });
  }
  await markSuperseded(tx, stale, at, 'retold');
  return out;
}

/**
 * Stores the notifications not stored before (same subject, kind, list and effective day) in the
 * caller's transaction and queues each new one in the outbox; returns the new ones. `events`: the
 * notifications of changes this write found (`ListEntriesWrite.shortened`, an entry lengthened
 * again), told again when one of the same key is stored already (the change happened anew); the
 * stale rows that superseded go to `retold`.
 */
async function insertNotifications(
  tx: Transaction<Database>,
  rows: NewNotification[],
  at: string,
  events: readonly NewNotification[] = [],
  retold: SupersededNotice[] = [],
): Promise<NotificationRow[]> {
  if (rows.length === 0 && events.length === 0) return [];
  // One notification per subject, kind, list and effective day: the first of several asked for.
  const key = notificationKey;
  const firsts = new Map<string, NewNotification>();
  for (const n of [...rows, ...events]) if (!firsts.has(key(n))) firsts.set(key(n), n);
  const eventKeys = new Set(events.map(key));
  const wanted = [...firsts.values()];
  // Inserted a chunk at a time (7 values a row, within SQLite's 32,766 and PostgreSQL's
  // 65,535 parameters): those already there are left, and only the new ones go to the outbox.
  const ids = new Map<string, number>();
  for (let i = 0; i < wanted.length; i += NOTIFICATIONS_PER_INSERT) {
    const inserted = await tx
      .insertInto('notifications')
      .values(
        wanted.slice(i, i + NOTIFICATIONS_PER_INSERT).map((n) => ({
          subject_id: n.subjectId,
          kind: n.kind,
          list_code: n.listCode,
          effective: n.effective,
          message: n.message,
          created_at: at,
          read_at: null,
        })),
      )
      .onConflict((oc) => oc.columns(['subject_id', 'kind', 'list_code', 'effective']).doNothing())
      .returning(['id', 'subject_id', 'kind', 'list_code', 'effective'])
      .execute();
    for (const r of inserted)
      ids.set(
        key({
          subjectId: Number(r.subject_id),
          kind: r.kind,
          listCode: r.list_code,
          effective: r.effective,
        }),
        Number(r.id),
      );
  }
  const out: NotificationRow[] = [];
  for (const n of wanted) {
    const id = ids.get(key(n));
    if (id !== undefined) out.push({ ...n, id, createdAt: at, readAt: null });
  }
  const announced = await announcedAgain(
    tx,
    wanted.filter((n) => !ids.has(key(n)) && LISTING_NOTICES.includes(n.kind)),
    at,
  );
  const again = new Set(announced.map(key));
  out.push(
    ...announced,
    ...(await toldAgain(
      tx,
      wanted.filter((n) => !ids.has(key(n)) && eventKeys.has(key(n)) && !again.has(key(n))),
      at,
      retold,
    )),
  );
  for (let i = 0; i < out.length; i += NOTIFICATIONS_PER_INSERT)
    await tx
      .insertInto('outbox')
      .values(
        out.slice(i, i + NOTIFICATIONS_PER_INSERT).map(({ createdAt: _c, readAt: _r, ...n }) => ({
          notification_id: n.id,
          channel: 'subject',
          payload: JSON.stringify(n),
          created_at: at,
          sent_at: null,
        })),
      )
      .execute();
  return out;
}
