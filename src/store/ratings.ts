/**
 * The store's citizen ratings: verified interactions (their tokens kept only as SHA-256), the
 * ratings they allowed, the windows held for review and the rated subject's public replies
 * (implemented for both backends in common/ratings.ts). Reached as `store.ratings`.
 *
 * (The shapes are written out rather than imported from types.ts, which imports this file.)
 */

/** Who acts, in which role, why and in which request (the store's `AuditActor`). */
export interface RatingActor {
  actor: string;
  role: string;
  purpose: string;
  requestId: string | null;
}

/** One audit entry a ratings write appends in its transaction (a store `AuditDraft`). */
export interface RatingAuditEntry extends RatingActor {
  subjectId: number | null;
  action: string;
  detail: string | null;
}

export interface NewInteraction {
  tokenHash: Uint8Array;
  sourceId: number;
  servingId: number;
  service: string;
  serviceDate: string;
  issuedAt: string;
  expiresAt: string;
}

export interface InteractionRow {
  id: number;
  sourceId: number;
  sourceCode: string;
  servingId: number;
  service: string;
  serviceDate: string;
  issuedAt: string;
  expiresAt: string;
  redeemedAt: string | null;
}

/** What became of a comment: none given, published, or held (personal data of others, protected categories). */
export type CommentStatus = 'none' | 'published' | 'held';

/**
 * A rating's standing after review: 0 open to detection, 1 released by an operator from a hold
 * (counts; held again only for a reason it was not released from: `RatingRow.releasedReasons`),
 * 2 removed by an operator's decision (kept, never counts).
 */
export type RatingState = 0 | 1 | 2;

export interface NewRating {
  interactionId: number;
  ratedId: number;
  raterId: number;
  sourceId: number;
  professionalism: number;
  honesty: number;
  comment: string | null;
  commentStatus: CommentStatus;
  /** Near-duplicate keys of the comment (its MinHash bands), null without a comment. */
  commentBands: number[] | null;
  /**
   * Whether the rater is connected to the rated subject on the service day: bound to it or to an
   * organization it is bound to, on the roster of a source that is it, or on the same source's
   * roster as the rated person (ratings/submit.ts).
   */
  connected: boolean;
  submittedAt: string;
}

export interface RatingRow {
  id: number;
  interactionId: number;
  ratedId: number;
  raterId: number;
  sourceId: number;
  service: string;
  serviceDate: string;
  professionalism: number;
  honesty: number;
  comment: string | null;
  commentStatus: CommentStatus;
  commentBands: number[] | null;
  connected: boolean;
  submittedAt: string;
  state: RatingState;
  /**
   * The detection reasons an operator released it from, as the ratings engine's bits (HOLD_BIT of
   * ratings/findings.ts; 0 none): a release clears a rating of its hold's reason only.
   */
  releasedReasons: number;
  /**
   * In a hiding hold pending review (an open rating, or a released one held again for another
   * reason): hidden from the aggregate until an operator decides.
   */
  held: boolean;
  reply: string | null;
  repliedAt: string | null;
  /** The rater's weight as the last sweep computed it (null: never computed, a new rater). */
  raterWeight: number | null;
}

/**
 * A rating as detection at submission reads it (`RatingStore.listRatingsForDetection`): what the
 * engine's columns are built from, without the comment's text, the reply or the interaction.
 */
export type DetectionRating = Pick<
  RatingRow,
  | 'id'
  | 'ratedId'
  | 'raterId'
  | 'professionalism'
  | 'honesty'
  | 'commentBands'
  | 'connected'
  | 'submittedAt'
  | 'state'
  | 'releasedReasons'
  | 'raterWeight'
>;

/** A person bound to an organization (the store's `BindingRow`, as far as a rating needs it). */
export interface PersonBinding {
  personId: number;
  organizationId: number;
  /** From this day (YYYY-MM-DD), until this day no longer; null: open-ended. */
  validFrom: string | null;
  validUntil: string | null;
}

/**
 * A person on a source's roster (store/staff.ts), as far as a rating needs it: the source and
 * the organization it is (null: none declared), with the entry's days.
 */
export interface PersonRoster {
  personId: number;
  sourceId: number;
  organizationId: number | null;
  /** From this day (YYYY-MM-DD), until this day no longer; null: open-ended. */
  validFrom: string;
  validUntil: string | null;
}

/** An interaction found by its token's hash, with whom it served (for a turn of submissions). */
export interface InteractionServed extends InteractionRow {
  tokenHash: Uint8Array;
  serving: { id: number; kind: string; identifier: string; name: string };
}

/**
 * One rating of a turn (`RatingStore.insertRatings`): the rating, the pending holds it joins,
 * the holds it opens (`opens`: indices into the turn's `holds`, opened before it unless an earlier
 * rating opened them) and its audit entries (`{rating}` and `{hold}` replaced by the ids given).
 */
export interface RatingWrite {
  rating: NewRating;
  holdIds: number[];
  opens: number[];
  audit: RatingAuditEntry[];
}

/** A hold a turn opens for the ratings that need it, with its own audit entries (`{hold}`). */
export interface HoldToOpen {
  hold: NewHold;
  audit: RatingAuditEntry[];
}

/**
 * What became of one rating of a turn: kept under `id` (`held` when it joined a pending hold that
 * hides), or refused (`conflict` when redeemed meanwhile).
 */
export type RatingWriteOutcome = { id: number; held: boolean } | { error: Error };

export type HoldStatus = 'pending' | 'confirmed' | 'released';

export interface NewHold {
  reason: string;
  /** What identifies the window (e.g. subject and hour, ring members), so a finding is held once. */
  key: string;
  /** The rated subject, null when the window spans subjects (a ring, duplicate text, a source's volume). */
  ratedId: number | null;
  windowFrom: string;
  windowTo: string;
  detail: Record<string, unknown>;
  /** Whether the ratings in it stop counting while it is pending (an objection does not). */
  hides: boolean;
  createdAt: string;
}

export interface HoldRow {
  id: number;
  reason: string;
  key: string;
  ratedId: number | null;
  ratedIdentifier: string | null;
  ratedName: string | null;
  windowFrom: string;
  windowTo: string;
  detail: Record<string, unknown>;
  hides: boolean;
  status: HoldStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  ratings: number;
}

export interface HoldQuery {
  status: HoldStatus | 'all';
  limit: number;
  /** Holds with an id below this one (newest first). */
  before?: number;
  /** Decided holds only, decided at this instant or later. */
  decidedSince?: string;
}

/** A note kept on a hold by `noteOnHolds`. */
export interface HoldNote {
  holdId: number;
  /** Keys that replace those of the hold's detail. */
  set?: Record<string, unknown>;
  /** Items appended to the array under `key` in the detail: at most `cap` kept, the rest counted under `<key>_more`. */
  push?: { key: string; items: unknown[]; cap: number };
}

export interface RatingStore {
  /**
   * The licences with this number (of this kind when given); with `onStaff`, only those held by
   * persons on that source's roster on that day (YYYY-MM-DD): a source looks up licences among its
   * own staff only.
   */
  findLicences(
    number: string,
    kind?: string,
    onStaff?: { sourceId: number; day: string },
  ): Promise<{ subjectId: number; kind: string; number: string }[]>;
  /** Keeps issued interactions (tokens hashed), audited in the same transaction; their ids in order. */
  insertInteractions(rows: NewInteraction[], audit: RatingAuditEntry[]): Promise<number[]>;
  findInteractionByTokenHash(hash: Uint8Array): Promise<InteractionRow | undefined>;
  /** Tokens a source issued from this instant on. */
  countIssuedSince(sourceId: number, since: string): Promise<number>;
  /**
   * Redeems the interaction and keeps its rating in one transaction; `conflict` when the token was
   * redeemed meanwhile. The rating joins `holdIds` (held when one of them hides).
   */
  insertRating(rating: NewRating, holdIds: number[], audit: RatingAuditEntry[]): Promise<number>;
  /**
   * Redeems the interactions and keeps their ratings, holds and audit entries in ONE transaction
   * (group commit), in the order given, each redemption guarded as in `insertRating`: a token
   * redeemed meanwhile is that rating's `conflict`, the others are kept. Should the transaction
   * fail as a whole, each rating is written again in a transaction of its own, so one rating's
   * failure is its own. One outcome per write, in order.
   */
  insertRatings(writes: RatingWrite[], holds: HoldToOpen[]): Promise<RatingWriteOutcome[]>;
  /** The persons (subjects of kind person) with these identifiers, those there are: a turn's raters. */
  listPeopleByIdentifiers(identifiers: string[]): Promise<{ id: number; identifier: string }[]>;
  /**
   * The bindings of these persons to organizations (every one, in force or not): whom a turn's
   * raters and rated persons are connected to.
   */
  listBindingsOfPeople(personIds: number[]): Promise<PersonBinding[]>;
  /**
   * The roster entries of these persons (every one, in force or not), each with its source's
   * organization: whom a turn's raters serve under, and under whom its rated persons serve.
   */
  listRostersOfPeople(personIds: number[]): Promise<PersonRoster[]>;
  /** Interactions by their tokens' hashes (those issued), with the subject each served. */
  findInteractionsByTokenHashes(hashes: Uint8Array[]): Promise<InteractionServed[]>;
  /** Per rater, how many ratings it submitted from `since` on. */
  countRatingsBy(raterIds: number[], since: string): Promise<Map<number, number>>;
  /** The pending holds for these reasons and keys, those there are. */
  findPendingHoldsByKeys(
    keys: { reason: string; key: string }[],
  ): Promise<{ id: number; reason: string; key: string }[]>;
  /** Whether each of these ratings is hidden (held or removed), by id. */
  listRatingsHidden(ids: number[]): Promise<Map<number, boolean>>;
  findRating(id: number): Promise<RatingRow | undefined>;
  /** A rated subject's ratings submitted from `since` on (all when omitted), oldest first. */
  listRatingsOf(ratedId: number, since?: string): Promise<RatingRow[]>;
  /**
   * The ratings of these rated subjects submitted from `since` on, as detection reads them, oldest
   * first (by submission, then id).
   */
  listRatingsForDetection(ratedIds: number[], since: string): Promise<DetectionRating[]>;
  /** A rater's ratings submitted from `since` on, oldest first. */
  listRatingsBy(raterId: number, since: string): Promise<RatingRow[]>;
  /** Every rating, oldest first, a page at a time (for the sweep). */
  listAllRatings(afterId: number, limit: number): Promise<RatingRow[]>;
  /** Replaces the stored comment keys of these ratings (keys an earlier engine computed, renewed by the sweep). */
  setCommentBands(rows: { id: number; ratedId: number; commentBands: number[] }[]): Promise<void>;
  /**
   * The mean of each dimension over every counted rating (state ≠ 2, not held), and how many;
   * with `submittedBy`, over those submitted by then only (the ratings revealed).
   */
  globalMeans(submittedBy?: string): Promise<{ professionalism: number; honesty: number; count: number }>;

  /**
   * Opens a hold over these ratings (held at once when it hides: open ones, and released ones
   * held again for another reason), audited.
   */
  insertHold(hold: NewHold, ratingIds: number[], audit: RatingAuditEntry[]): Promise<number>;
  /**
   * Adds ratings to a pending hold (held at once when it hides); `widen` stretches its window to
   * cover theirs and replaces its detail with the latest finding's.
   */
  addToHold(
    holdId: number,
    ratingIds: number[],
    widen?: {
      windowFrom: string;
      windowTo: string;
      detail: Record<string, unknown>;
      /** Keys of the stored detail kept over the new one (read in the same transaction). */
      keep?: readonly string[];
    },
  ): Promise<void>;
  /** The pending hold for this reason and key (`detail.key`), if any. */
  findPendingHold(reason: string, key: string): Promise<HoldRow | undefined>;
  /** The holds each of these ratings is or was in, with their status. */
  holdsOfRatings(
    ratingIds: number[],
  ): Promise<{ ratingId: number; holdId: number; reason: string; status: HoldStatus }[]>;
  getHold(id: number): Promise<HoldRow | undefined>;
  listHolds(q: HoldQuery): Promise<HoldRow[]>;
  /** The ratings in a hold, oldest first. */
  listHoldRatings(holdId: number): Promise<RatingRow[]>;
  /**
   * Keeps notes in holds' details (whatever their status) with these audit entries, in ONE
   * transaction: each detail is read and written inside it, so notes kept at once never lose one
   * another, and an audit line is never written without its note nor a note without its line.
   */
  noteOnHolds(notes: HoldNote[], audit: RatingAuditEntry[], at: string): Promise<void>;
  /**
   * Decides a pending hold: confirmed removes its ratings (state 2); released clears them (state 1,
   * released ones too) of the reasons in `clears` (added to their `releasedReasons`) — a rating
   * stays held while another hiding hold is pending. `conflict` when not pending.
   */
  decideHold(
    id: number,
    decision: {
      status: 'confirmed' | 'released';
      by: string;
      reason: string;
      at: string;
      /** On a release, the detection reasons (HOLD_BIT) it clears its ratings of: its own reason's (0 for none). */
      clears?: number;
    },
    audit: RatingAuditEntry[],
    note?: Omit<HoldNote, 'holdId'>,
  ): Promise<HoldRow>;
  /** Keeps the raters' weights computed by a sweep (replacing earlier ones). */
  setRaterWeights(rows: { raterId: number; weight: number; agreed: number }[], at: string): Promise<void>;
  /** Keeps the rated subject's public reply to a rating's comment (replacing an earlier one), audited. */
  setReply(ratingId: number, text: string, at: string, audit: RatingAuditEntry[]): Promise<void>;
}
