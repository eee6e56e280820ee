/**
 * Rating a service with its token: one rating per token, by the person who holds a rater (or
 * subject) credential, within the token's window. The token's state is checked in a fixed order so
 * each refusal says what is wrong: not a token at all or not one issued here (400), already used
 * (409), expired (410). The rating is then checked at once against the rated subject's own
 * history (bursts), its raters' connections and repeated comments, and against the rater's daily
 * limit; what looks steered is held for review, never dropped.
 */
import { createHash } from 'node:crypto';
import {
  type CredentialHolder,
  can,
  confirmHolders,
  requirePermission,
  staleHolders,
} from '../access/index.ts';
import { type Ctx, dateIn, daySpanIn } from '../context.ts';
import { actorOf } from '../due-process/index.ts';
import { conflict, forbidden, gone, invalidInput } from '../shared/errors.ts';
import type {
  DetectionRating,
  HoldToOpen,
  InteractionServed,
  PersonBinding,
  PersonRoster,
  RatingAuditEntry,
  RatingRow,
  RatingWrite,
  RatingWriteOutcome,
  Store,
  SubjectRow,
} from '../store/index.ts';
import { buildColumns } from './columns.ts';
import { commentBands, detect, type HoldReason } from './engine.ts';
import { persistFindings } from './holds.ts';
import { hashToken, isTokenShaped } from './interactions.ts';
import type { RatingsPolicy } from './policy.ts';
import { checkCommentLength, screenComment } from './screen.ts';
import type { Turns, Waiting } from './turns.ts';

/** The ratings capability's own principal: it writes what a rating does to the rated subject's file. */
export const RATINGS_PRINCIPAL = { id: 'system:ratings', role: 'operator' } as const;

export interface RatingInput {
  token: string;
  professionalism: number;
  honesty: number;
  comment?: string | null | undefined;
}

export interface SubmittedRating {
  id: number;
  status: 'published' | 'held';
  comment_status: 'none' | 'published' | 'held';
  rated: { kind: string; name: string };
}

export interface RatingsDeps {
  policy: RatingsPolicy;
  /** The mean of each dimension over every counted rating (C of the IMDb form), cached briefly. */
  globalMean(ctx: Ctx): Promise<[number, number]>;
  /**
   * The same over the ratings revealed now (`reveal.after_days` old), for what is published: a C
   * that moved with a fresh rating would show its stars through every published Bayesian average.
   */
  publishedMean(ctx: Ctx): Promise<[number, number]>;
  /** Where submissions gather into turns (group commit); without it each is a turn of its own. */
  turns?: Turns<Submission>;
}

const ALREADY_USED = 'this interaction token has already been used to rate';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The person the principal acts as. */
export const raterOf = async (ctx: Ctx): Promise<SubjectRow> => {
  const ref = ctx.principal.ref;
  const s = ref ? await ctx.store.findSubjectByIdentifier(ref) : undefined;
  if (s?.kind !== 'person') throw forbidden('only a person with a rater or subject credential may rate');
  return s;
};

const stars = (v: number, field: string) => {
  if (!Number.isInteger(v) || v < 1 || v > 5)
    throw invalidInput(`${field} must be a whole number of stars from 1 to 5`, [
      { field, message: String(v) },
    ]);
};

/** Whether a binding or roster entry held on `day` (YYYY-MM-DD): from its first day, until its first day no longer. */
const inForce = (b: { validFrom: string | null; validUntil: string | null }, day: string) =>
  (b.validFrom === null || b.validFrom <= day) && (b.validUntil === null || b.validUntil > day);

/** What a turn knows of the persons it names: their bindings and their roster entries. */
interface Ties {
  bindingsOf(personId: number): PersonBinding[];
  rostersOf(personId: number): PersonRoster[];
}

/**
 * A person's ties on `day` (the service day, as bindings are judged): the organizations it is
 * bound to, the organization each source whose roster it is on declared it is, and those sources
 * themselves (`src:<id>`). Issue 16: one set, so a tie of any kind meets a tie of any other kind.
 */
const tiesOn = (ties: Ties, personId: number, day: string): Set<string> => {
  const out = new Set<string>();
  for (const b of ties.bindingsOf(personId)) if (inForce(b, day)) out.add(String(b.organizationId));
  for (const r of ties.rostersOf(personId))
    if (inForce(r, day)) {
      out.add(`src:${r.sourceId}`);
      if (r.organizationId !== null) out.add(String(r.organizationId));
    }
  return out;
};

/**
 * Whether the rater is connected to the rated subject on `day` (issue 16: "same organization, its
 * staff"): the rated subject is one of the rater's ties (its representative, or on the roster of
 * a source that is it), or the rater and the rated professional share a tie — bound to or serving
 * under the same organization, on the same roster — whichever way each is tied to it.
 */
const isConnected = (ties: Ties, rater: { id: number }, rated: { id: number; kind: string }, day: string) => {
  const mine = tiesOn(ties, rater.id, day);
  if (mine.size === 0) return false;
  if (mine.has(String(rated.id))) return true;
  if (rated.kind !== 'person') return false;
  for (const t of tiesOn(ties, rated.id, day)) if (mine.has(t)) return true;
  return false;
};

/** A submission waiting for its turn, its input checked as far as needs no store. */
interface Submission extends Waiting<SubmittedRating>, CredentialHolder {
  ctx: Ctx;
  input: RatingInput;
  deps: RatingsDeps;
  /** The token as given (trimmed), and its hash when it has a token's shape. */
  token: string;
  tokenHash: Uint8Array | undefined;
  now: Date;
  /** `now` as an ISO instant; its day (YYYY-MM-DD) in the platform's zone and that day's first instant (ISO). */
  at: string;
  day: string;
  dayFrom: string;
  /** The last millisecond of that day (ISO): a rate-limit hold's window ends there. */
  dayTo: string;
}

/** What names a rater's day in a rate-limit hold: never the rater's id in clear. */
const rateKey = (raterId: number, day: string) =>
  `rate_limit:${createHash('sha256').update(`${raterId}\n${day}`).digest('hex').slice(0, 16)}`;

/** A hash as a Map key. */
const keyOf = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b)).toString('latin1');

/**
 * Rates a service with its token. The submission joins the turn gathering now (turns.ts): the
 * turn's submissions are decided in arrival order, each against the store and the submissions
 * before it in the turn (a token redeemed twice in a turn is the second one's 409, a rater's daily
 * limit counts its earlier ones), and the ratings kept are written in one transaction; the answer
 * comes once this rating and its audit entries are committed.
 */
export const submitRating = ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: RatingInput;
  deps: RatingsDeps;
}): Promise<SubmittedRating> => {
  requirePermission(ctx.principal, 'ratings.submit');
  stars(input.professionalism, 'professionalism');
  stars(input.honesty, 'honesty');
  // Refused before the token is looked at, so a rater can shorten the comment and use it still.
  const tooLong =
    typeof input.comment === 'string'
      ? checkCommentLength(input.comment.trim(), deps.policy.comments.maxLength)
      : undefined;
  if (tooLong)
    throw invalidInput(tooLong, [
      { field: 'comment', message: `at most ${deps.policy.comments.maxLength} characters` },
    ]);
  const token = typeof input.token === 'string' ? input.token.trim() : '';
  const tokenHash = isTokenShaped(token) ? hashToken(token) : undefined;
  return new Promise<SubmittedRating>((resolve, reject) => {
    const now = ctx.clock.now();
    const at = now.toISOString();
    // A rater's day is the platform's day (TIME_ZONE), as every other day it counts.
    const span = daySpanIn(ctx.clock, now);
    const job: Submission = {
      ctx,
      input,
      deps,
      token,
      tokenHash,
      now,
      at,
      day: span.day,
      dayFrom: new Date(span.from).toISOString(),
      dayTo: new Date(span.until - 1).toISOString(),
      credential: ctx.credential,
      resolve,
      reject,
    };
    if (deps.turns) deps.turns.add(ctx.store, job);
    else void decideTurn(ctx.store, [job]).catch(reject);
  });
};

/** What a turn decided for one submission: the rating to write, or nothing (it was refused). */
interface Decided {
  job: Submission;
  write: RatingWrite;
  rated: { id: number; kind: string; name: string };
}

/**
 * One turn: reads what its submissions need in a few statements for all of them, decides each in
 * arrival order, writes the ratings kept in one transaction, runs detection once per rated
 * subject, and settles every submission with its own answer or error.
 */
export const decideTurn = async (store: Store, turn: Submission[]): Promise<void> => {
  // A credential resolved without reading the store (CONFIRMED_BY_VERB, as for checks) is
  // confirmed here, against the credentials epoch read once for the turn: one revoked or expired
  // since it was resolved (by any process) is refused (401) before anything is read or written.
  const stale = staleHolders(store, turn);
  const dead = stale.length > 0 ? await confirmHolders(store, stale, (j) => j.now.getTime()) : undefined;
  for (const [j, e] of dead ?? []) j.reject(e);
  const jobs = dead && dead.size > 0 ? turn.filter((j) => !dead.has(j)) : turn;
  if (jobs.length === 0) return;
  const refs = [...new Set(jobs.map((j) => j.ctx.principal.ref).filter((r): r is string => Boolean(r)))];
  const hashes = jobs.map((j) => j.tokenHash).filter((h): h is Uint8Array => h !== undefined);
  const [people, interactions] = await Promise.all([
    refs.length > 0 ? store.ratings.listPeopleByIdentifiers(refs) : [],
    hashes.length > 0 ? store.ratings.findInteractionsByTokenHashes(hashes) : [],
  ]);
  const raterBy = new Map(people.map((s) => [s.identifier, s]));
  const interactionBy = new Map(interactions.map((i) => [keyOf(i.tokenHash), i]));

  // First pass: what can be refused from the token and the rater alone.
  const alive: { job: Submission; rater: { id: number }; interaction: InteractionServed }[] = [];
  for (const job of jobs) {
    try {
      const { ctx, deps } = job;
      const ref = ctx.principal.ref;
      const rater = ref ? raterBy.get(ref) : undefined;
      if (!rater) throw forbidden('only a person with a rater or subject credential may rate');
      if (!job.tokenHash)
        throw invalidInput(
          'not an interaction token: expected cit_ followed by 43 characters, as the service gave it',
          [{ field: 'token', message: 'malformed' }],
        );
      const interaction = interactionBy.get(keyOf(job.tokenHash));
      if (!interaction)
        throw invalidInput('this token was not issued by any registered service: check it was copied whole', [
          { field: 'token', message: 'unknown token' },
        ]);
      if (interaction.redeemedAt !== null) throw conflict(ALREADY_USED);
      if (job.at > interaction.expiresAt)
        throw gone(
          `this interaction token expired on ${interaction.expiresAt.slice(0, 10)}: a service can be rated within ${deps.policy.tokens.redeemWindowDays} days`,
        );
      if (interaction.servingId === rater.id) throw forbidden('you cannot rate your own service');
      alive.push({ job, rater, interaction });
    } catch (e) {
      job.reject(e);
    }
  }
  if (alive.length === 0) return;

  // What the rules need of the store for every submission left, in a few statements.
  const days = new Map(alive.map((a) => [a.job.day, a.job.dayFrom] as const));
  const raterIds = [...new Set(alive.map((a) => a.rater.id))];
  // A source's volume is counted per day of issue in the platform's zone (interactions.ts, flagVolume).
  const clock = jobs[0]!.ctx.clock;
  const volumeKey = (i: InteractionServed) => `${i.sourceCode}:${dateIn(clock, new Date(i.issuedAt))}`;
  const people2 = [
    ...new Set([
      ...raterIds,
      ...alive.filter((a) => a.interaction.serving.kind === 'person').map((a) => a.interaction.servingId),
    ]),
  ];
  const [counts, pending, bindings, rosters] = await Promise.all([
    Promise.all(
      [...days].map(async ([d, from]) => [d, await store.ratings.countRatingsBy(raterIds, from)] as const),
    ),
    store.ratings.findPendingHoldsByKeys(
      [...new Set(alive.map((a) => volumeKey(a.interaction)))].map((key) => ({
        reason: 'source_volume',
        key,
      })),
    ),
    people2.length > 0 ? store.ratings.listBindingsOfPeople(people2) : [],
    people2.length > 0 ? store.ratings.listRostersOfPeople(people2) : [],
  ]);
  const countsOn = new Map(counts);
  const pendingBy = new Map(pending.map((h) => [`${h.reason}\n${h.key}`, h.id]));
  // A rater's pending rate-limit hold matters only once the rater reaches the daily limit: looked
  // for only for the raters whose count so far and submissions in this turn could reach it.
  const inTurn = new Map<string, number>();
  for (const a of alive) {
    const k = `${a.rater.id}\n${a.job.day}`;
    inTurn.set(k, (inTurn.get(k) ?? 0) + 1);
  }
  const nearLimit = new Set<string>();
  for (const a of alive) {
    const stored = countsOn.get(a.job.day)?.get(a.rater.id) ?? 0;
    if (stored + inTurn.get(`${a.rater.id}\n${a.job.day}`)! > a.job.deps.policy.rateLimits.perRaterPerDay)
      nearLimit.add(rateKey(a.rater.id, a.job.day));
  }
  if (nearLimit.size > 0)
    for (const h of await store.ratings.findPendingHoldsByKeys(
      [...nearLimit].map((key) => ({ reason: 'rate_limit', key })),
    ))
      pendingBy.set(`${h.reason}\n${h.key}`, h.id);
  const bindingsBy = new Map<number, PersonBinding[]>();
  for (const b of bindings) {
    const list = bindingsBy.get(b.personId);
    if (list) list.push(b);
    else bindingsBy.set(b.personId, [b]);
  }
  const bindingsOf = (id: number) => bindingsBy.get(id) ?? [];
  const rostersBy = new Map<number, PersonRoster[]>();
  for (const r of rosters) {
    const list = rostersBy.get(r.personId);
    if (list) list.push(r);
    else rostersBy.set(r.personId, [r]);
  }
  const ties: Ties = { bindingsOf, rostersOf: (id) => rostersBy.get(id) ?? [] };

  // Second pass, in arrival order: each submission sees the ones before it in this turn.
  const claimed = new Set<number>();
  const earlier = new Map<string, number>();
  const holds: HoldToOpen[] = [];
  const opening = new Map<string, number>();
  const decided: Decided[] = [];
  for (const { job, rater, interaction } of alive) {
    try {
      const { ctx, input, deps } = job;
      const { policy } = deps;
      if (claimed.has(interaction.id)) throw conflict(ALREADY_USED);
      const rated = interaction.serving;
      // Nobody rates their own service: a legal representative, principal responsible person or
      // actual controller of the organization (or public body) rated, on the day it served, is it.
      if (
        rated.kind !== 'person' &&
        bindingsOf(rater.id).some((b) => b.organizationId === rated.id && inForce(b, interaction.serviceDate))
      )
        throw forbidden('you cannot rate an organization you represent: it is your own service');
      let comment: string | null = null;
      let commentStatus: SubmittedRating['comment_status'] = 'none';
      const given = input.comment?.trim();
      if (given) {
        const screened = screenComment(given, policy.comments.maxLength);
        if (screened.ok) {
          comment = screened.text;
          commentStatus = 'published';
        } else {
          comment = given.normalize('NFC');
          commentStatus = 'held';
        }
      }
      const { at, day } = job;

      // Holds the rating joins as it is written: its source's flagged day, the rater's daily limit.
      const holdIds: number[] = [];
      const opens: number[] = [];
      const volume = pendingBy.get(`source_volume\n${volumeKey(interaction)}`);
      if (volume !== undefined) holdIds.push(volume);
      const mineKey = `${rater.id}\n${day}`;
      const today = (countsOn.get(day)?.get(rater.id) ?? 0) + (earlier.get(mineKey) ?? 0);
      if (today >= policy.rateLimits.perRaterPerDay) {
        const key = rateKey(rater.id, day);
        const open = pendingBy.get(`rate_limit\n${key}`);
        if (open !== undefined) holdIds.push(open);
        else {
          let k = opening.get(key);
          if (k === undefined) {
            k = holds.length;
            opening.set(key, k);
            holds.push({
              hold: {
                reason: 'rate_limit',
                key,
                ratedId: null,
                windowFrom: job.dayFrom,
                windowTo: job.dayTo,
                detail: { day, limit: policy.rateLimits.perRaterPerDay },
                hides: true,
                createdAt: at,
              },
              audit: [
                {
                  ...actorOf(ctx),
                  subjectId: null,
                  action: 'ratings.hold',
                  detail: JSON.stringify({ hold: '{hold}', reason: 'rate_limit' }),
                },
              ],
            });
          }
          opens.push(k);
        }
      }

      // The write is audited on the rater's own trail, naming the rated subject. Nothing goes on
      // the rated subject's trail as it comes: an entry there carries the instant it was written
      // (and its leaf the rating's id), so the one rated would learn the moment of each rating and
      // tie it to the person just served, whatever the reveal delay keeps back. The rated subject
      // sees its ratings once revealed (`GET /v1/me/ratings`).
      const audit: RatingAuditEntry[] = [
        {
          ...actorOf(ctx),
          subjectId: rater.id,
          action: 'rating.submit',
          detail: JSON.stringify({ rating: '{rating}', rated: rated.identifier }),
        },
      ];
      decided.push({
        job,
        rated,
        write: {
          rating: {
            interactionId: interaction.id,
            ratedId: rated.id,
            raterId: rater.id,
            sourceId: interaction.sourceId,
            professionalism: input.professionalism,
            honesty: input.honesty,
            comment,
            commentStatus,
            commentBands: comment ? Array.from(commentBands(comment)) : null,
            connected: isConnected(ties, rater, rated, interaction.serviceDate),
            submittedAt: at,
          },
          holdIds,
          opens,
          audit,
        },
      });
      claimed.add(interaction.id);
      earlier.set(mineKey, (earlier.get(mineKey) ?? 0) + 1);
    } catch (e) {
      job.reject(e);
    }
  }
  if (decided.length === 0) return;

  let outcomes: RatingWriteOutcome[];
  try {
    outcomes = await store.ratings.insertRatings(
      decided.map((d) => d.write),
      holds,
    );
  } catch (e) {
    for (const d of decided) d.job.reject(e);
    return;
  }

  // Detection once per rated subject, as of its latest rating in the turn, then the answers.
  const kept: { d: Decided; id: number; held: boolean }[] = [];
  outcomes.forEach((o, k) => {
    if ('id' in o) kept.push({ d: decided[k]!, id: o.id, held: o.held });
    else decided[k]!.job.reject(o.error);
  });
  const latest = new Map<number, Submission>();
  for (const { d } of kept) latest.set(d.rated.id, d.job);
  const failed = new Map<number, unknown>();
  /** The rated subjects whose holds detection opened or extended: their ratings are read again. */
  const touched = new Set<number>();
  // Every rated subject's recent ratings in one read, from the earliest any of them needs.
  const sinceOf = new Map<number, string>();
  for (const [ratedId, job] of latest) sinceOf.set(ratedId, detectionSince(job.now.getTime(), job.deps));
  let recent: DetectionRating[] = [];
  try {
    recent = await store.ratings.listRatingsForDetection(
      [...latest.keys()],
      [...sinceOf.values()].sort()[0]!,
    );
  } catch (e) {
    for (const id of latest.keys()) failed.set(id, e);
  }
  const recentOf = new Map<number, DetectionRating[]>();
  for (const r of recent) {
    const list = recentOf.get(r.ratedId);
    if (list) list.push(r);
    else recentOf.set(r.ratedId, [r]);
  }
  for (const [ratedId, job] of latest) {
    if (failed.has(ratedId)) continue;
    const since = sinceOf.get(ratedId)!;
    try {
      const rows = (recentOf.get(ratedId) ?? []).filter((r) => r.submittedAt >= since);
      if ((await detectIn(job.ctx, rows, job.now.getTime(), job.deps)).length > 0) touched.add(ratedId);
    } catch (e) {
      failed.set(ratedId, e);
    }
  }
  // Whether each rating is held: as its write left it, unless detection has just held its subject's.
  let hidden = new Map<number, boolean>();
  const again = kept.filter((k) => touched.has(k.d.rated.id) && !failed.has(k.d.rated.id));
  if (again.length > 0)
    try {
      hidden = await store.ratings.listRatingsHidden(again.map((k) => k.id));
    } catch (e) {
      for (const { d } of again) failed.set(d.rated.id, e);
    }
  for (const { d, id, held } of kept) {
    const e = failed.get(d.rated.id);
    if (e !== undefined) d.job.reject(e);
    else
      d.job.resolve({
        id,
        status: (hidden.get(id) ?? held) ? 'held' : 'published',
        comment_status: d.write.rating.commentStatus,
        rated: { kind: d.rated.kind, name: d.rated.name },
      });
  }
};

/** From when a rated subject's ratings are read for detection as of `now` (its history and the window). */
const detectionSince = (now: number, deps: RatingsDeps) =>
  new Date(now - deps.policy.bursts.historyDays * DAY - deps.policy.bursts.longestHours * HOUR).toISOString();

const AT_SUBMISSION_SKIPS: readonly HoldReason[] = ['ring', 'rate_limit'];

/**
 * The checks that need only the rated subject's recent ratings: bursts against its own history,
 * connected raters and repeated comments. Rings and cross-subject duplicates need every rating:
 * the sweep finds them (`credence ratings sweep`, daily while serving).
 */
export const detectAround = async (ctx: Ctx, ratedId: number, now: number, deps: RatingsDeps) =>
  detectIn(ctx, await ctx.store.ratings.listRatingsOf(ratedId, detectionSince(now, deps)), now, deps);

/**
 * `detectAround` on the rated subject's ratings read already (`rows`, from `detectionSince` on);
 * the ids of the holds it opened or extended.
 */
const detectIn = async (ctx: Ctx, rows: readonly DetectionRating[], now: number, deps: RatingsDeps) => {
  if (rows.length === 0) return [];
  // buildColumns reads only what a DetectionRating holds (columns.ts).
  const built = buildColumns(rows as readonly RatingRow[]);
  // Rings and rate limits are not looked for here (the sweep and the turn's own count find them):
  // each detector only marks what it finds, so leaving two out changes nothing of the others.
  const result = detect(built.cols, deps.policy, {
    now,
    globalMean: await deps.globalMean(ctx),
    skip: AT_SUBMISSION_SKIPS,
  });
  const local = result.findings.filter(
    (f) => f.reason === 'burst' || f.reason === 'connected' || f.reason === 'duplicate',
  );
  // Held under the platform's name: an entry on the rated subject's trail never names a rater.
  return persistFindings(
    // Who may run detection acts under its own name; a rater's submission under the platform's.
    can(ctx.principal, 'ratings.sweep') ? ctx : { ...ctx, principal: RATINGS_PRINCIPAL },
    built,
    local,
  );
};
