/**
 * Citizen ratings for both backends (see ../ratings.ts). A token is redeemed and its rating kept in
 * one transaction that only succeeds while the token is unredeemed, so two requests with one token
 * make one rating. Holds are decided only from `pending`; a decision marks ratings, never deletes them.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type {
  CommentStatus,
  HoldQuery,
  HoldRow,
  HoldStatus,
  InteractionRow,
  NewHold,
  NewInteraction,
  NewRating,
  RatingAuditEntry,
  RatingRow,
  RatingState,
  RatingStore,
} from '../ratings.ts';
import type { Database } from '../schema.ts';
import { auditQueries } from './audit.ts';
import { isUniqueViolation } from './queries.ts';

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

const audited = (tx: Transaction<Database>, audit: RatingAuditEntry[], at: string) =>
  auditQueries.appendAudit(tx, audit, at);

/** Puts ratings in a hold; those of a hiding hold stop counting until it is decided. */
const joinHold = async (tx: Transaction<Database>, holdId: number, hides: boolean, ratingIds: number[]) => {
  for (let i = 0; i < ratingIds.length; i += CHUNK) {
    const ids = ratingIds.slice(i, i + CHUNK);
    await tx
      .insertInto('rating_hold_items')
      .values(ids.map((rating_id) => ({ hold_id: holdId, rating_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    // A released rating counts for good; a removed one never does: only open ones are held.
    if (hides)
      await tx
        .updateTable('ratings')
        .set({ held: 1 })
        .where('id', 'in', ids)
        .where('state', '=', 0)
        .execute();
  }
};

export const ratingStore = (db: Kysely<Database>): RatingStore => ({
  async findLicences(number, kind) {
    let q = db.selectFrom('licences').select(['subject_id', 'kind', 'number']).where('number', '=', number);
    if (kind) q = q.where('kind', '=', kind);
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
          .values({
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
          })
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

  async globalMeans() {
    const r = await db
      .selectFrom('ratings')
      .select([
        sql<number | string | null>`avg(professionalism)`.as('p'),
        sql<number | string | null>`avg(honesty)`.as('h'),
        sql<number | string>`count(*)`.as('n'),
      ])
      .where('state', '<>', 2)
      .where('held', '=', 0)
      .executeTakeFirstOrThrow();
    return { professionalism: Number(r.p ?? 0), honesty: Number(r.h ?? 0), count: Number(r.n) };
  },

  async insertHold(hold: NewHold, ratingIds, audit) {
    return db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('rating_holds')
        .values({
          reason: hold.reason,
          hold_key: hold.key,
          rated_id: hold.ratedId,
          window_from: hold.windowFrom,
          window_to: hold.windowTo,
          detail: JSON.stringify(hold.detail),
          hides: hold.hides ? 1 : 0,
          status: 'pending',
          created_at: hold.createdAt,
        })
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
            detail: JSON.stringify({ ...widen.detail, ratings: Number(n.n) }),
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
    return (await query.orderBy('h.id', 'desc').limit(q.limit).execute()).map(holdOf);
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

  async decideHold(id, decision, audit) {
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
      if (decision.status === 'confirmed')
        await tx.updateTable('ratings').set({ state: 2, held: 0 }).where('id', 'in', items).execute();
      else
        await tx
          .updateTable('ratings')
          .set({ state: 1 })
          .where('id', 'in', items)
          .where('state', '=', 0)
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
