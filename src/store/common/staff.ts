/**
 * Sources' rosters for both backends (see ../staff.ts): who serves under each source, with days.
 * Written by operators only, a few rows at a time; read by (source, person) when a source vouches
 * for a professional and by source for its roster.
 */
import { type Kysely, PostgresAdapter, type Selectable, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type { Database } from '../schema.ts';
import type { NewStaffEntry, StaffRow, StaffStore } from '../staff.ts';
import { auditQueries } from './audit.ts';

type Db = Kysely<Database> | Transaction<Database>;
const CHUNK = 500;

const joined = (db: Db) =>
  db
    .selectFrom('source_staff as t')
    .innerJoin('subjects as s', 's.id', 't.subject_id')
    .selectAll('t')
    .select(['s.identifier', 's.name']);

const rowOf = (r: Selectable<Database['source_staff']> & { identifier: string; name: string }): StaffRow => ({
  id: Number(r.id),
  sourceId: Number(r.source_id),
  subjectId: Number(r.subject_id),
  identifier: r.identifier,
  name: r.name,
  licenceKind: r.licence_kind,
  licenceNumber: r.licence_number,
  position: r.position,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  recordedAt: r.recorded_at,
  endedAt: r.ended_at,
});

/** Whether two periods [from, until) share a day (null until: open-ended). */
const overlaps = (a: { validFrom: string; validUntil: string | null }, b: typeof a) =>
  (a.validUntil === null || b.validFrom < a.validUntil) &&
  (b.validUntil === null || a.validFrom < b.validUntil);

/**
 * On PostgreSQL, the source's row locked for the rest of the transaction, so that two writes to
 * one roster check for overlaps and write one after the other: under READ COMMITTED each would
 * read the roster without the other's entry and both would insert. (SQLite's write transaction
 * already serialises them.)
 */
const lockSource = async (tx: Transaction<Database>, sourceId: number) => {
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await tx.selectFrom('sources').select('id').where('id', '=', sourceId).forUpdate().execute();
};

export const staffStore = (db: Kysely<Database>): StaffStore => ({
  async addStaff(sourceId, entries: NewStaffEntry[], at, audit) {
    if (entries.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      await lockSource(tx, sourceId);
      const people = [...new Set(entries.map((e) => e.subjectId))];
      const onFile: StaffRow[] = [];
      for (let i = 0; i < people.length; i += CHUNK)
        onFile.push(
          ...(
            await joined(tx)
              .where('t.source_id', '=', sourceId)
              .where('t.subject_id', 'in', people.slice(i, i + CHUNK))
              .execute()
          ).map(rowOf),
        );
      const seen: NewStaffEntry[] = [];
      const named = new Map(onFile.map((o) => [o.subjectId, `${o.identifier} (${o.name})`]));
      for (const e of entries) {
        const clash = [...onFile, ...seen].find(
          (o) => o.subjectId === e.subjectId && overlaps(o, e) && o.validFrom !== o.validUntil,
        );
        if (clash) {
          const who = named.get(e.subjectId) ?? `the same person (${e.licenceNumber ?? 'named twice'})`;
          throw new CredenceError(
            'conflict',
            `${who} is already on this roster from ${clash.validFrom}${clash.validUntil ? ` until ${clash.validUntil}` : ''}: end that entry first, or add from a day after it`,
          );
        }
        seen.push(e);
      }
      const ids: number[] = [];
      for (let i = 0; i < entries.length; i += CHUNK) {
        const out = await tx
          .insertInto('source_staff')
          .values(
            entries.slice(i, i + CHUNK).map((e) => ({
              source_id: sourceId,
              subject_id: e.subjectId,
              licence_kind: e.licenceKind,
              licence_number: e.licenceNumber,
              position: e.position,
              valid_from: e.validFrom,
              valid_until: e.validUntil,
              recorded_at: at,
              ended_at: null,
            })),
          )
          .returning('id')
          .execute();
        for (const r of out) ids.push(Number(r.id));
      }
      await auditQueries.appendAudit(tx, audit, at);
      const rows: StaffRow[] = [];
      for (let i = 0; i < ids.length; i += CHUNK)
        rows.push(
          ...(
            await joined(tx)
              .where('t.id', 'in', ids.slice(i, i + CHUNK))
              .orderBy('t.id')
              .execute()
          ).map(rowOf),
        );
      return rows;
    });
  },

  async endStaff(sourceId, subjectId, until, at, audit) {
    return db.transaction().execute(async (tx) => {
      await lockSource(tx, sourceId);
      const live = (
        await joined(tx)
          .where('t.source_id', '=', sourceId)
          .where('t.subject_id', '=', subjectId)
          .where((eb) => eb.or([eb('t.valid_until', 'is', null), eb('t.valid_until', '>', until)]))
          .orderBy('t.id')
          .execute()
      ).map(rowOf);
      if (live.length === 0) return [];
      for (const e of live) {
        // Days are YYYY-MM-DD text: the later of the two (an entry starting later never holds).
        const last = [e.validFrom, until].sort()[1]!;
        await tx
          .updateTable('source_staff')
          .set({ valid_until: last, ended_at: at })
          .where('id', '=', e.id)
          .execute();
        e.validUntil = last;
        e.endedAt = at;
      }
      await auditQueries.appendAudit(tx, audit, at);
      return live;
    });
  },

  async listStaff(sourceId) {
    return (
      await joined(db)
        .where('t.source_id', '=', sourceId)
        .orderBy('s.identifier')
        .orderBy('t.valid_from')
        .orderBy('t.id')
        .execute()
    ).map(rowOf);
  },

  async isOnStaff(sourceId, subjectId, day) {
    const r = await db
      .selectFrom('source_staff')
      .select('id')
      .where('source_id', '=', sourceId)
      .where('subject_id', '=', subjectId)
      .where('valid_from', '<=', day)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', day)]))
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  },
});
