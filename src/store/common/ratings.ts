/**
 * Citizen ratings for both backends (see ../ratings.ts). A token is redeemed and its rating kept in
 * one transaction that only succeeds while the token is unredeemed, so two requests with one token
 * make one rating. Holds are decided only from `pending`; a decision marks ratings, never deletes them.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type {
  CommentStatus,
  DetectionRating,
  HoldNote,
  HoldQuery,
  HoldRow,
  HoldStatus,
  HoldToOpen,
  InteractionRow,
  InteractionServed,
  NewHold,
  NewInteraction,
  NewRating,
  PersonBinding,
  PersonRoster,
  RatingAuditEntry,
  RatingRow,
  RatingState,
  RatingStore,
  RatingWrite,
  RatingWriteOutcome,
} from '../ratings.ts';
import type { Database } from '../schema.ts';
import { auditQueries } from './audit.ts';
import { isUniqueViolation } from './queries.ts';
import { runShaped, type Shapes } from './shaped.ts';

type Db = Kysely<Database> | Transaction<Database>;
const CHUNK = 500;

const ratingsJoined = (db: Db) =>
  db
    .selectFrom('ratings as r')
    .innerJoin('interactions as i', 'i.id', 'r.interaction_id')
    .leftJoin('rater_weights as w', 'w.rater_id', 'r.rater_id')
    .selectAll('r')
    .select(['i.service', 'i.service_date', 'w.weight as rater_weight']);

type RatingJoined = Selectable<Database['ratings']> & {
  service: string;
  service_date: string;
  rater_weight: number | string | null;
};

const bandsOf = (s: string | null): number[] | null =>
  s === null || s === '' ? null : s.split(',').map((x) => Number(x));

const ratingOf = (r: RatingJoined): RatingRow => ({
  id: Number(r.id),
  interactionId: Number(r.interaction_id),
  ratedId: Number(r.rated_id),
  raterId: Number(r.rater_id),
  sourceId: Number(r.source_id),
  service: r.service,
  serviceDate: r.service_date,
  professionalism: Number(r.professionalism),
  honesty: Number(r.honesty),
  comment: r.comment,
  commentStatus: r.comment_status as CommentStatus,
  commentBands: bandsOf(r.comment_bands),
  connected: Number(r.connected) === 1,
  submittedAt: r.submitted_at,
  state: Number(r.state) as RatingState,
  // (0 where a store not yet at migration 0029 has no column: the migration suites read one)
  releasedReasons: Number(r.released_reasons ?? 0),
  held: Number(r.held) === 1,
  reply: r.reply,
  repliedAt: r.replied_at,
  raterWeight: r.rater_weight === null ? null : Number(r.rater_weight),
});

const holdsJoined = (db: Db) =>
  db
    .selectFrom('rating_holds as h')
    .leftJoin('subjects as s', 's.id', 'h.rated_id')
    .selectAll('h')
    .select([
      's.identifier as rated_identifier',
      's.name as rated_name',
      (eb) =>
        eb
          .selectFrom('rating_hold_items as it')
          .whereRef('it.hold_id', '=', 'h.id')
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .as('n_ratings'),
    ]);

type HoldJoined = Selectable<Database['rating_holds']> & {
  rated_identifier: string | null;
  rated_name: string | null;
  n_ratings: number | string | null;
};

const holdOf = (h: HoldJoined): HoldRow => ({
  id: Number(h.id),
  reason: h.reason,
  key: h.hold_key,
  ratedId: h.rated_id === null ? null : Number(h.rated_id),
  ratedIdentifier: h.rated_identifier,
  ratedName: h.rated_name,
  windowFrom: h.window_from,
  windowTo: h.window_to,
  detail: JSON.parse(h.detail) as Record<string, unknown>,
  hides: Number(h.hides) === 1,
  status: h.status as HoldStatus,
  createdAt: h.created_at,
  decidedAt: h.decided_at,
  decidedBy: h.decided_by,
  decisionReason: h.decision_reason,
  ratings: Number(h.n_ratings ?? 0),
});

/** A new rating's row. */
const ratingRow = (rating: NewRating) => ({
  interaction_id: rating.interactionId,
  rated_id: rating.ratedId,
  rater_id: rating.raterId,
  source_id: rating.sourceId,
  professionalism: rating.professionalism,
  honesty: rating.honesty,
  comment: rating.comment,
  comment_status: rating.commentStatus,
  comment_bands: rating.commentBands ? rating.commentBands.join(',') : null,
  connected: rating.connected ? 1 : 0,
  submitted_at: rating.submittedAt,
});

/** A new hold's row, pending. */
const holdRow = (hold: NewHold) => ({
  reason: hold.reason,
  hold_key: hold.key,
  rated_id: hold.ratedId,
  window_from: hold.windowFrom,
  window_to: hold.windowTo,
  detail: JSON.stringify(hold.detail),
  hides: hold.hides ? 1 : 0,
  status: 'pending',
  created_at: hold.createdAt,
});

const audited = (tx: Transaction<Database>, audit: RatingAuditEntry[], at: string) =>
  auditQueries.appendAudit(tx, audit, at);

/** The keys of a stored detail (JSON text) that are kept over a new one. */
const kept = (stored: string, keys: readonly string[] | undefined) => {
  if (!keys?.length) return {};
  const d = JSON.parse(stored) as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
};

/** Keeps a note in a hold's detail, read and written inside the caller's transaction. */
const noteOnHold = async (tx: Transaction<Database>, n: HoldNote) => {
  const h = await tx
    .selectFrom('rating_holds')
    .select('detail')
    .where('id', '=', n.holdId)
    .executeTakeFirst();
  if (!h) throw new CredenceError('not_found', `no held window ${n.holdId}`);
  const detail = { ...(JSON.parse(h.detail) as Record<string, unknown>), ...n.set };
  if (n.push) {
    const { key, items, cap } = n.push;
    const all = [...(Array.isArray(detail[key]) ? (detail[key] as unknown[]) : []), ...items];
    detail[key] = all.slice(0, cap);
    const more = Number(detail[`${key}_more`] ?? 0) + Math.max(0, all.length - cap);
    if (more > 0) detail[`${key}_more`] = more;
  }
  await tx
    .updateTable('rating_holds')
    .set({ detail: JSON.stringify(detail) })
    .where('id', '=', n.holdId)
    .execute();
};

/** Puts ratings in a hold; those of a hiding hold stop counting until it is decided. */
const joinHold = async (tx: Transaction<Database>, holdId: number, hides: boolean, ratingIds: number[]) => {
  for (let i = 0; i < ratingIds.length; i += CHUNK) {
    const ids = ratingIds.slice(i, i + CHUNK);
    await tx
      .insertInto('rating_hold_items')
      .values(ids.map((rating_id) => ({ hold_id: holdId, rating_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    // A removed rating never counts again; an open one, or a released one held again for another
    // reason than it was released from (the callers hold only those), is hidden until decided.
    if (hides)
      await tx
        .updateTable('ratings')
        .set({ held: 1 })
        .where('id', 'in', ids)
        .where('state', '<>', 2)
        .execute();
  }
};

const ALREADY_USED = 'this interaction token has already been used to rate';

/**
 * A turn's ratings in the caller's transaction (see `RatingStore.insertRatings`): the redemptions
 * in one statement (a token redeemed meanwhile is left out, and so is its rating), the holds the
 * kept ratings open, the ratings in one multi-row insert, their hold items, and every audit entry
 * in arrival order. `opened` maps a hold of the turn to its id once opened (shared by the ratings
 * after the first that needs it).
 */
const writeRatings = async (
  tx: Transaction<Database>,
  shapes: Shapes,
  writes: RatingWrite[],
  holds: HoldToOpen[],
  opened: Map<number, number>,
): Promise<RatingWriteOutcome[]> => {
  const redeemed = new Set<number>();
  for (let i = 0; i < writes.length; i += CHUNK) {
    const part = writes.slice(i, i + CHUNK);
    const ids = part.map((w) => w.rating.interactionId);
    // One statement for the lot: each interaction gets its own rating's instant.
    const rows = await runShaped(
      tx,
      shapes,
      `redeem ${part.length}`,
      [...part.flatMap((w) => [w.rating.interactionId, w.rating.submittedAt]), ...ids],
      () =>
        tx
          .updateTable('interactions')
          .set({
            redeemed_at: sql<string>`case ${sql.ref('id')} ${sql.join(
              part.map((w) => sql`when ${w.rating.interactionId} then ${w.rating.submittedAt}`),
              sql` `,
            )} end`,
          })
          .where('id', 'in', ids)
          .where('redeemed_at', 'is', null)
          .returning('id'),
    );
    for (const r of rows) redeemed.add(Number(r.id));
  }
  const kept = writes.filter((w) => redeemed.has(w.rating.interactionId));
  // Each rating's entries follow those of the holds it opened, in the order the ratings came.
  const holdAudit = new Map<RatingWrite, { entries: RatingAuditEntry[]; at: string }[]>();
  for (const w of kept)
    for (const h of w.opens) {
      if (opened.has(h)) continue;
      const { hold, audit: entries } = holds[h]!;
      const { id } = await tx
        .insertInto('rating_holds')
        .values(holdRow(hold))
        .returning('id')
        .executeTakeFirstOrThrow();
      opened.set(h, Number(id));
      const mine = holdAudit.get(w) ?? [];
      mine.push({
        entries: entries.map((a) => ({ ...a, detail: a.detail?.replace('{hold}', String(id)) ?? null })),
        at: hold.createdAt,
      });
      holdAudit.set(w, mine);
    }
  const ids: number[] = [];
  for (let i = 0; i < kept.length; i += CHUNK) {
    const values = kept.slice(i, i + CHUNK).map(({ rating }) => ratingRow(rating));
    const out = await runShaped(
      tx,
      shapes,
      `ratings ${values.length}`,
      values.flatMap((v) => Object.values(v)),
      () => tx.insertInto('ratings').values(values).returning('id'),
    );
    // Ids are handed out in the order the rows are written, whatever order RETURNING lists them.
    ids.push(...out.map((o) => Number(o.id)).sort((a, b) => a - b));
  }
  // Holds joined: those pending now (read in this transaction), each with its kept ratings; a
  // kept rating is held when one of them hides.
  const heldIds = new Set<number>();
  const joining = new Map<number, number[]>();
  kept.forEach((w, k) => {
    for (const h of [...w.holdIds, ...w.opens.map((o) => opened.get(o)!)]) {
      const list = joining.get(h);
      if (list) list.push(ids[k]!);
      else joining.set(h, [ids[k]!]);
    }
  });
  if (joining.size > 0) {
    const live = await tx
      .selectFrom('rating_holds')
      .select(['id', 'hides'])
      .where('id', 'in', [...joining.keys()])
      .where('status', '=', 'pending')
      .execute();
    for (const h of live) {
      const ids = joining.get(Number(h.id))!;
      const hides = Number(h.hides) === 1;
      await joinHold(tx, Number(h.id), hides, ids);
      if (hides) for (const id of ids) heldIds.add(id);
    }
  }
  const audit: { entries: RatingAuditEntry[]; at: string }[] = [];
  kept.forEach((w, k) => {
    audit.push(...(holdAudit.get(w) ?? []));
    const rating = String(ids[k]!);
    audit.push({
      entries: w.audit.map((a) => ({ ...a, detail: a.detail?.replace('{rating}', rating) ?? null })),
      at: w.rating.submittedAt,
    });
  });
  await auditQueries.appendAuditBatches(tx, audit);
  const idOf = new Map(kept.map((w, k) => [w, ids[k]!]));
  return writes.map((w) => {
    const id = idOf.get(w);
    return id === undefined
      ? { error: new CredenceError('conflict', ALREADY_USED) }
      : { id, held: heldIds.has(id) };
  });
};

/** `shapes`: the store's compiled turn statements (see `runShaped`). */
export const ratingStore = (db: Kysely<Database>, shapes: Shapes = new Map()): RatingStore => ({
  async insertRatings(writes, holds) {
    if (writes.length === 0) return [];
    try {
      const opened = new Map<number, number>();
      return await db.transaction().execute((tx) => writeRatings(tx, shapes, writes, holds, opened));
    } catch (e) {
      if (writes.length === 1)
        return [{ error: isUniqueViolation(e) ? new CredenceError('conflict', ALREADY_USED) : (e as Error) }];
    }
    // The turn failed as a whole: each rating again on its own, so a failure is only its own.
    const opened = new Map<number, number>();
    const out: RatingWriteOutcome[] = [];
    for (const w of writes) {
      const mine = new Map(opened);
      try {
        const [r] = await db.transaction().execute((tx) => writeRatings(tx, shapes, [w], holds, mine));
        for (const [k, v] of mine) opened.set(k, v);
        out.push(r!);
      } catch (e) {
        out.push({
          error: isUniqueViolation(e) ? new CredenceError('conflict', ALREADY_USED) : (e as Error),
        });
      }
    }
    return out;
  },

  async listPeopleByIdentifiers(identifiers) {
    const out: { id: number; identifier: string }[] = [];
    for (let i = 0; i < identifiers.length; i += CHUNK) {
      const part = identifiers.slice(i, i + CHUNK);
      const rows = await runShaped(db, shapes, `people ${part.length}`, [...part, 'person'], () =>
        db
          .selectFrom('subjects')
          .select(['id', 'identifier'])
          .where('identifier', 'in', part)
          .where('kind', '=', 'person'),
      );
      for (const r of rows) out.push({ id: Number(r.id), identifier: r.identifier });
    }
    return out;
  },

  async listBindingsOfPeople(personIds) {
    const out: PersonBinding[] = [];
    for (let i = 0; i < personIds.length; i += CHUNK) {
      const part = personIds.slice(i, i + CHUNK);
      const rows = await runShaped(db, shapes, `bindings ${part.length}`, part, () =>
        db
          .selectFrom('subject_bindings')
          .select(['person_id', 'organization_id', 'valid_from', 'valid_until'])
          .where('person_id', 'in', part)
          // A binding removed on the person's objection never held (migration 0024).
          .where('withdrawn_at', 'is', null),
      );
      for (const r of rows)
        out.push({
          personId: Number(r.person_id),
          organizationId: Number(r.organization_id),
          validFrom: r.valid_from,
          validUntil: r.valid_until,
        });
    }
    return out;
  },

  async listRostersOfPeople(personIds) {
    const out: PersonRoster[] = [];
    for (let i = 0; i < personIds.length; i += CHUNK) {
      const part = personIds.slice(i, i + CHUNK);
      const rows = await runShaped(db, shapes, `rosters ${part.length}`, part, () =>
        db
          .selectFrom('source_staff as t')
          .innerJoin('sources as s', 's.id', 't.source_id')
          .select(['t.subject_id', 't.source_id', 's.organization_id', 't.valid_from', 't.valid_until'])
          .where('t.subject_id', 'in', part),
      );
      for (const r of rows)
        out.push({
          personId: Number(r.subject_id),
          sourceId: Number(r.source_id),
          organizationId: r.organization_id === null ? null : Number(r.organization_id),
          validFrom: r.valid_from,
          validUntil: r.valid_until,
        });
    }
    return out;
  },

  async findInteractionsByTokenHashes(hashes) {
    const out: InteractionServed[] = [];
    for (let i = 0; i < hashes.length; i += CHUNK) {
      const part = hashes.slice(i, i + CHUNK);
      const rows = await runShaped(db, shapes, `interactions ${part.length}`, part, () =>
        db
          .selectFrom('interactions as i')
          .innerJoin('sources as s', 's.id', 'i.source_id')
          .innerJoin('subjects as v', 'v.id', 'i.serving_id')
          .selectAll('i')
          .select([
            's.code as source_code',
            'v.kind as v_kind',
            'v.identifier as v_identifier',
            'v.name as v_name',
          ])
          .where('i.token_hash', 'in', part),
      );
      for (const r of rows)
        out.push({
          id: Number(r.id),
          tokenHash: r.token_hash,
          sourceId: Number(r.source_id),
          sourceCode: r.source_code,
          servingId: Number(r.serving_id),
          service: r.service,
          serviceDate: r.service_date,
          issuedAt: r.issued_at,
          expiresAt: r.expires_at,
          redeemedAt: r.redeemed_at,
          serving: { id: Number(r.serving_id), kind: r.v_kind, identifier: r.v_identifier, name: r.v_name },
        });
    }
    return out;
  },

  async countRatingsBy(raterIds, since) {
    const out = new Map<number, number>();
    for (let i = 0; i < raterIds.length; i += CHUNK) {
      const part = raterIds.slice(i, i + CHUNK);
      const rows = await runShaped(db, shapes, `counts ${part.length}`, [...part, since], () =>
        db
          .selectFrom('ratings')
          .select(['rater_id', (eb) => eb.fn.countAll<number | string>().as('n')])
          .where('rater_id', 'in', part)
          .where('submitted_at', '>=', since)
          .groupBy('rater_id'),
      );
      for (const r of rows) out.set(Number(r.rater_id), Number(r.n));
    }
    return out;
  },

  async findPendingHoldsByKeys(keys) {
    const byReason = new Map<string, string[]>();
    for (const { reason, key } of keys) {
      const list = byReason.get(reason);
      if (list) list.push(key);
      else byReason.set(reason, [key]);
    }
    const out: { id: number; reason: string; key: string }[] = [];
    for (const [reason, list] of byReason)
      for (let i = 0; i < list.length; i += CHUNK) {
        const part = [...new Set(list.slice(i, i + CHUNK))];
        const rows = await runShaped(db, shapes, `holds ${part.length}`, [reason, ...part], () =>
          db
            .selectFrom('rating_holds')
            .select(['id', 'reason', 'hold_key'])
            .where('reason', '=', reason)
            .where('hold_key', 'in', part)
            // A literal, so SQLite can use the partial index of pending holds.
            .where('status', '=', sql.lit('pending')),
        );
        for (const r of rows) out.push({ id: Number(r.id), reason: r.reason, key: r.hold_key });
      }
    return out;
  },

  async listRatingsHidden(ids) {
    const out = new Map<number, boolean>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db
        .selectFrom('ratings')
        .select(['id', 'held', 'state'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) out.set(Number(r.id), Number(r.held) === 1 || Number(r.state) === 2);
    }
    return out;
  },

  async findLicences(number, kind, onStaff) {
    let q = db
      .selectFrom('licences as l')
      .select(['l.subject_id', 'l.kind', 'l.number'])
      .distinct()
      .where('l.number', '=', number);
    if (kind) q = q.where('l.kind', '=', kind);
    if (onStaff)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('source_staff as t')
            .select('t.id')
            .whereRef('t.subject_id', '=', 'l.subject_id')
            .where('t.source_id', '=', onStaff.sourceId)
            .where('t.valid_from', '<=', onStaff.day)
            .where((e) => e.or([e('t.valid_until', 'is', null), e('t.valid_until', '>', onStaff.day)])),
        ),
      );
    const rows = await q.execute();
    return rows.map((r) => ({ subjectId: Number(r.subject_id), kind: r.kind, number: r.number }));
  },

  async insertInteractions(rows: NewInteraction[], audit) {
    if (rows.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += CHUNK) {
        const out = await tx
          .insertInto('interactions')
          .values(
            rows.slice(i, i + CHUNK).map((r) => ({
              token_hash: r.tokenHash,
              source_id: r.sourceId,
              serving_id: r.servingId,
              service: r.service,
              service_date: r.serviceDate,
              issued_at: r.issuedAt,
              expires_at: r.expiresAt,
            })),
          )
          .returning('id')
          .execute();
        ids.push(...out.map((o) => Number(o.id)).sort((a, b) => a - b));
      }
      await audited(tx, audit, rows[0]!.issuedAt);
      return ids;
    });
  },

  async findInteractionByTokenHash(hash) {
    const r = await db
      .selectFrom('interactions as i')
      .innerJoin('sources as s', 's.id', 'i.source_id')
      .selectAll('i')
      .select('s.code as source_code')
      .where('i.token_hash', '=', hash)
      .executeTakeFirst();
    if (!r) return undefined;
    const row: InteractionRow = {
      id: Number(r.id),
      sourceId: Number(r.source_id),
      sourceCode: r.source_code,
      servingId: Number(r.serving_id),
      service: r.service,
      serviceDate: r.service_date,
      issuedAt: r.issued_at,
      expiresAt: r.expires_at,
      redeemedAt: r.redeemed_at,
    };
    return row;
  },

  async countIssuedSince(sourceId, since) {
    const r = await db
      .selectFrom('interactions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('source_id', '=', sourceId)
      .where('issued_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insertRating(rating: NewRating, holdIds, audit) {
    try {
      return await db.transaction().execute(async (tx) => {
        const used = await tx
          .updateTable('interactions')
          .set({ redeemed_at: rating.submittedAt })
          .where('id', '=', rating.interactionId)
          .where('redeemed_at', 'is', null)
          .executeTakeFirst();
        if (Number(used.numUpdatedRows) !== 1)
          throw new CredenceError('conflict', 'this interaction token has already been used to rate');
        const { id } = await tx
          .insertInto('ratings')
          .values(ratingRow(rating))
          .returning('id')
          .executeTakeFirstOrThrow();
        const ratingId = Number(id);
        for (const holdId of holdIds) {
          const h = await tx
            .selectFrom('rating_holds')
            .select(['hides', 'status'])
            .where('id', '=', holdId)
            .executeTakeFirst();
          if (h?.status === 'pending') await joinHold(tx, holdId, Number(h.hides) === 1, [ratingId]);
        }
        await audited(
          tx,
          audit.map((a) => ({ ...a, detail: a.detail?.replace('{rating}', String(ratingId)) ?? null })),
          rating.submittedAt,
        );
        return ratingId;
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', 'this interaction token has already been used to rate');
      throw e;
    }
  },

  async findRating(id) {
    const r = await ratingsJoined(db).where('r.id', '=', id).executeTakeFirst();
    return r ? ratingOf(r) : undefined;
  },

  async listRatingsOf(ratedId, since) {
    let q = ratingsJoined(db).where('r.rated_id', '=', ratedId);
    if (since) q = q.where('r.submitted_at', '>=', since);
    return (await q.orderBy('r.submitted_at').orderBy('r.id').execute()).map(ratingOf);
  },

  async listRatingsForDetection(ratedIds, since) {
    const out: DetectionRating[] = [];
    // Each subject's rows from its index; put in order here rather than by a sort in SQL. Only the
    // columns detection uses, and no join to the interactions: a subject's history is read at
    // every submission for it, and the wide rows cost three times as much to read.
    for (let i = 0; i < ratedIds.length; i += CHUNK) {
      const part = ratedIds.slice(i, i + CHUNK);
      const rows = await runShaped(db, shapes, `detection ${part.length}`, [...part, since], () =>
        db
          .selectFrom('ratings as r')
          .leftJoin('rater_weights as w', 'w.rater_id', 'r.rater_id')
          .select([
            'r.id',
            'r.rated_id',
            'r.rater_id',
            'r.professionalism',
            'r.honesty',
            'r.comment_bands',
            'r.connected',
            'r.submitted_at',
            'r.state',
            'r.released_reasons',
            'w.weight',
          ])
          .where('r.rated_id', 'in', part)
          .where('r.submitted_at', '>=', since),
      );
      for (const r of rows)
        out.push({
          id: Number(r.id),
          ratedId: Number(r.rated_id),
          raterId: Number(r.rater_id),
          professionalism: Number(r.professionalism),
          honesty: Number(r.honesty),
          commentBands: bandsOf(r.comment_bands),
          connected: Number(r.connected) === 1,
          submittedAt: r.submitted_at,
          state: Number(r.state) as RatingState,
          releasedReasons: Number(r.released_reasons),
          raterWeight: r.weight === null ? null : Number(r.weight),
        });
    }
    return out.sort((a, b) =>
      a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : a.id - b.id,
    );
  },

  async listRatingsBy(raterId, since) {
    const rows = await ratingsJoined(db)
      .where('r.rater_id', '=', raterId)
      .where('r.submitted_at', '>=', since)
      .orderBy('r.submitted_at')
      .orderBy('r.id')
      .execute();
    return rows.map(ratingOf);
  },

  async listAllRatings(afterId, limit) {
    const rows = await ratingsJoined(db).where('r.id', '>', afterId).orderBy('r.id').limit(limit).execute();
    return rows.map(ratingOf);
  },

  async setCommentBands(rows) {
    if (rows.length === 0) return;
    await db.transaction().execute(async (tx) => {
      // By id and rated subject: the key that names the rating's partition (ratings are partitioned by it).
      for (const r of rows)
        await tx
          .updateTable('ratings')
          .set({ comment_bands: r.commentBands.join(',') })
          .where('id', '=', r.id)
          .where('rated_id', '=', r.ratedId)
          .execute();
    });
  },

  async globalMeans(submittedBy) {
    let q = db.selectFrom('ratings').where('state', '<>', 2).where('held', '=', 0);
    if (submittedBy !== undefined) q = q.where('submitted_at', '<=', submittedBy);
    const r = await q
      .select([
        sql<number | string | null>`avg(professionalism)`.as('p'),
        sql<number | string | null>`avg(honesty)`.as('h'),
        sql<number | string>`count(*)`.as('n'),
      ])
      .executeTakeFirstOrThrow();
    return { professionalism: Number(r.p ?? 0), honesty: Number(r.h ?? 0), count: Number(r.n) };
  },

  async insertHold(hold: NewHold, ratingIds, audit) {
    return db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('rating_holds')
        .values(holdRow(hold))
        .returning('id')
        .executeTakeFirstOrThrow();
      const holdId = Number(id);
      await joinHold(tx, holdId, hold.hides, ratingIds);
      await audited(
        tx,
        audit.map((a) => ({ ...a, detail: a.detail?.replace('{hold}', String(holdId)) ?? null })),
        hold.createdAt,
      );
      return holdId;
    });
  },

  async addToHold(holdId, ratingIds, widen) {
    await db.transaction().execute(async (tx) => {
      const h = await tx
        .selectFrom('rating_holds')
        .select(['hides', 'status', 'window_from', 'window_to', 'detail'])
        .where('id', '=', holdId)
        .executeTakeFirst();
      if (h?.status !== 'pending') return;
      await joinHold(tx, holdId, Number(h.hides) === 1, ratingIds);
      if (widen) {
        const n = await tx
          .selectFrom('rating_hold_items')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('hold_id', '=', holdId)
          .executeTakeFirstOrThrow();
        await tx
          .updateTable('rating_holds')
          .set({
            // ISO instants compare as text.
            window_from: [widen.windowFrom, h.window_from].sort()[0]!,
            window_to: [widen.windowTo, h.window_to].sort()[1]!,
            detail: JSON.stringify({ ...widen.detail, ...kept(h.detail, widen.keep), ratings: Number(n.n) }),
          })
          .where('id', '=', holdId)
          .execute();
      }
    });
  },

  async findPendingHold(reason, key) {
    const h = await holdsJoined(db)
      .where('h.reason', '=', reason)
      .where('h.hold_key', '=', key)
      .where('h.status', '=', 'pending')
      .executeTakeFirst();
    return h ? holdOf(h) : undefined;
  },

  async holdsOfRatings(ratingIds) {
    const out: { ratingId: number; holdId: number; reason: string; status: HoldStatus }[] = [];
    for (let i = 0; i < ratingIds.length; i += CHUNK) {
      const rows = await db
        .selectFrom('rating_hold_items as it')
        .innerJoin('rating_holds as h', 'h.id', 'it.hold_id')
        .select(['it.rating_id', 'it.hold_id', 'h.reason', 'h.status'])
        .where('it.rating_id', 'in', ratingIds.slice(i, i + CHUNK))
        .execute();
      for (const r of rows)
        out.push({
          ratingId: Number(r.rating_id),
          holdId: Number(r.hold_id),
          reason: r.reason,
          status: r.status as HoldStatus,
        });
    }
    return out;
  },

  async getHold(id) {
    const h = await holdsJoined(db).where('h.id', '=', id).executeTakeFirst();
    return h ? holdOf(h) : undefined;
  },

  async listHolds(q: HoldQuery) {
    let query = holdsJoined(db);
    if (q.status !== 'all') query = query.where('h.status', '=', q.status);
    if (q.before !== undefined) query = query.where('h.id', '<', q.before);
    if (q.decidedSince !== undefined)
      query = query.where('h.status', '<>', 'pending').where('h.decided_at', '>=', q.decidedSince);
    return (await query.orderBy('h.id', 'desc').limit(q.limit).execute()).map(holdOf);
  },

  async noteOnHolds(notes, audit, at) {
    await db.transaction().execute(async (tx) => {
      for (const n of notes) await noteOnHold(tx, n);
      await audited(tx, audit, at);
    });
  },

  async listHoldRatings(holdId) {
    const rows = await ratingsJoined(db)
      .innerJoin('rating_hold_items as it', 'it.rating_id', 'r.id')
      .where('it.hold_id', '=', holdId)
      .orderBy('r.submitted_at')
      .orderBy('r.id')
      .execute();
    return rows.map(ratingOf);
  },

  async decideHold(id, decision, audit, note) {
    const clears = decision.clears ?? 0;
    if (!Number.isInteger(clears) || clears < 0 || clears > 255)
      throw new CredenceError('invalid_input', `a release clears reasons 0–255, not ${clears}`);
    return db.transaction().execute(async (tx) => {
      const done = await tx
        .updateTable('rating_holds')
        .set({
          status: decision.status,
          decided_at: decision.at,
          decided_by: decision.by,
          decision_reason: decision.reason,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        const exists = await tx
          .selectFrom('rating_holds')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw new CredenceError('not_found', `no held window ${id}`);
        throw new CredenceError('conflict', `held window ${id} was already ${exists.status}`);
      }
      const items = tx.selectFrom('rating_hold_items').select('rating_id').where('hold_id', '=', id);
      // Confirmed, removed; released (again, for one held anew), cleared of this hold's reason only.
      if (decision.status === 'confirmed')
        await tx.updateTable('ratings').set({ state: 2, held: 0 }).where('id', 'in', items).execute();
      else
        await tx
          .updateTable('ratings')
          .set({
            state: 1,
            ...(clears !== 0
              ? { released_reasons: sql<number>`${sql.ref('released_reasons')} | ${sql.lit(clears)}` }
              : {}),
          })
          .where('id', 'in', items)
          .where('state', '<>', 2)
          .execute();
      // Released ratings stay hidden while another hiding hold on them is still pending.
      if (decision.status === 'released')
        await tx
          .updateTable('ratings')
          .set({ held: 0 })
          .where('id', 'in', items)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('rating_hold_items as o')
                  .innerJoin('rating_holds as oh', 'oh.id', 'o.hold_id')
                  .select('o.hold_id')
                  .whereRef('o.rating_id', '=', 'ratings.id')
                  .where('oh.status', '=', 'pending')
                  .where('oh.hides', '=', 1),
              ),
            ),
          )
          .execute();
      if (note) await noteOnHold(tx, { ...note, holdId: id });
      await audited(tx, audit, decision.at);
      const h = await holdsJoined(tx).where('h.id', '=', id).executeTakeFirstOrThrow();
      return holdOf(h);
    });
  },

  async setRaterWeights(rows, at) {
    if (rows.length === 0) return;
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += CHUNK)
        await tx
          .insertInto('rater_weights')
          .values(
            rows
              .slice(i, i + CHUNK)
              .map((r) => ({ rater_id: r.raterId, weight: r.weight, agreed: r.agreed, computed_at: at })),
          )
          .onConflict((oc) =>
            oc.column('rater_id').doUpdateSet((eb) => ({
              weight: eb.ref('excluded.weight'),
              agreed: eb.ref('excluded.agreed'),
              computed_at: eb.ref('excluded.computed_at'),
            })),
          )
          .execute();
    });
  },

  async setReply(ratingId, text, at, audit) {
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('ratings')
        .set({ reply: text, replied_at: at })
        .where('id', '=', ratingId)
        .execute();
      await audited(tx, audit, at);
    });
  },
});
