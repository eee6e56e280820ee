/**
 * The scoring core: one subject at a time over the columns, with scratch typed arrays reused
 * across subjects so the whole-population loop allocates nothing per record. Both the full rescore
 * and the single-subject explanation run this same code, so they cannot disagree.
 *
 * Per subject, on the as-of day A with knowledge up to K (bitemporal):
 *  1. a record is eligible when recorded by K, dated on or before A, and its status counts;
 *  2. its effect is points (amount-scaled by steps) or, for serious conduct, a direct grade and no
 *     points of its own (one act counts once: the direct grade or the deduction), with a window
 *     from decided_at (else occurred_at) of the catalogue's validity_years — except a direct grade
 *     that follows a listing, which starts with the listing (the same `listingOutcomes` the lists
 *     engine runs: none during a grace period; none for a minor the list may not hold; none at all
 *     when cured in grace) and lasts as long as the listing and at least the validity, unless an
 *     exit record of its case ends it first;
 *  3. a cure (e.g. a performed judgment while the listing is in force) of the same case (equal
 *     case references, both present) replaces the effect;
 *  4. it counts when A lies in its window; a deduction repeating an earlier eligible record of the
 *     same type (a different act) whose window covers its start counts × the repeat multiplier;
 *  5. of the records of one act only the largest effect counts (a direct grade beats points);
 *  6. the total is base + the counted points (weighted per domain when the policy says so), the
 *     grade is the band of the total, capped by the worst direct grade in force.
 */

import { addMonths, type DayOfInstant, parseDay, utcDayOf } from '../shared/days.ts';
import type { RecordColumns } from './columns.ts';
import {
  curedInGrace,
  firstAdultDay,
  type ListingOutcome,
  listingOutcomes,
  NO_END,
  type TermRecord,
} from './listing-term.ts';
import type { PolicyTables } from './tables.ts';

export const ELIGIBLE = 1;
export const VALID = 2;
export const COUNTED = 4;
export const SAME_ACT = 8;
export const DISPUTED = 16;
export const REPEAT = 32;
export const LINKED = 64;
export const CURED = 128;

/** A binding's period when it has no first or last day. */
export const ALWAYS_FROM = -2_147_483_648;
export const ALWAYS_UNTIL = 2_147_483_647;

/** The column index of the scored subject: the subject of its first own row (−1 when none). */
const k0Subject = (s: Scorer): number => {
  for (let k = 0; k < s.n; k++) if ((s.flags[k]! & LINKED) === 0) return s.cols.subject[s.rec[k]!]!;
  return -1;
};

/** Whether a record of this status and type counts (a disputed one as its type says). */
const statusCounts = (t: PolicyTables, status: number, type: number): boolean =>
  status === t.disputedCode ? t.disputedCounts[type] === 1 : t.statusCounts[status] === 1;

/**
 * The day of the first exit record (of `exitOn` types) of case `evidence` (interned; −1: none)
 * dated on or after `from`, among `records` sorted by day; NO_END when none.
 */
const firstExit = (
  records: readonly TermRecord[],
  evidence: number,
  from: number,
  exitOn: ReadonlySet<string>,
): number => {
  if (evidence < 0) return NO_END;
  const key = String(evidence);
  for (const x of records) if (x.day >= from && x.evidence === key && exitOn.has(x.type)) return x.day;
  return NO_END;
};

/** Half away from zero, so +2.5 and −2.5 round to the same magnitude. */
export const roundPoints = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

export class Scorer {
  readonly cols: RecordColumns;
  readonly t: PolicyTables;
  readonly asOf: number;
  readonly knownMs: number;

  // Scratch, one slot per candidate record of the current subject.
  n = 0;
  rec = new Int32Array(64);
  flags = new Uint8Array(64);
  pts = new Int32Array(64);
  grade = new Uint8Array(64);
  start = new Int32Array(64);
  until = new Int32Array(64);
  raw = new Int32Array(64);
  contrib = new Int32Array(64);
  /**
   * For a cured record: the row of the record that cured it. Before the cure step, −1; −2 when no
   * cure may apply (an excluded listing, or one cured in grace); −3 when a cure may fall on the
   * last day of the window (the listing ended by that very exit).
   */
  cureRow = new Int32Array(64);
  /** The current subject's birth date (YYYY-MM-DD), for the lists a minor may not be on. */
  birthDate: string | null = null;
  /**
   * Rows of organizations the subject represented on their day whose type follows a listing (a
   * court listing of the organization): a person is not also listed, nor graded, for the act for
   * which the organization it represented is listed (SPC practice since 2019).
   */
  #orgListingRows: number[] = [];
  /** For a record of an act it did not win: the winner's slot. */
  winner = new Int32Array(64);

  // Results for the current subject.
  score = 0;
  gradeCode = 0;
  readonly domains = new Int32Array(4);
  /** Slots of the key factors, best first. */
  readonly keySlots = new Int32Array(4);
  keyCount = 0;
  /**
   * The direct grade (1 B, 2 C, 3 D) that decides the grade, 0 when none does: the worst direct
   * grade counted, when the points alone give a better grade than it allows. A direct grade that
   * binds ranks first among the key factors; one that does not (the points give its grade or
   * worse) ranks by its points, as any other record.
   */
  bindingGrade = 0;
  /** The grade code (an index into GRADES) the points alone give. */
  pointsGradeCode = 0;

  /** The platform's day of an instant: a derived listing warns no earlier than the platform knew. */
  readonly dayOf: DayOfInstant;

  constructor(
    cols: RecordColumns,
    tables: PolicyTables,
    asOf: number,
    knownMs: number,
    dayOf: DayOfInstant = utcDayOf,
  ) {
    this.cols = cols;
    this.t = tables;
    this.asOf = asOf;
    this.knownMs = knownMs;
    this.dayOf = dayOf;
  }

  #reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.rec.length) return;
    let cap = this.rec.length;
    while (cap < need) cap *= 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.rec = grow(this.rec);
    this.flags = grow(this.flags);
    this.pts = grow(this.pts);
    this.grade = grow(this.grade);
    this.start = grow(this.start);
    this.until = grow(this.until);
    this.raw = grow(this.raw);
    this.contrib = grow(this.contrib);
    this.cureRow = grow(this.cureRow);
    this.winner = grow(this.winner);
  }

  /** Starts a subject with its own rows (`colSubject` −1 when it has none). */
  begin(colSubject: number, birthDate: string | null = null): void {
    this.n = 0;
    this.birthDate = birthDate;
    this.#orgListingRows.length = 0;
    if (colSubject < 0) return;
    const from = this.cols.subjectStart[colSubject]!;
    const to = this.cols.subjectStart[colSubject + 1]!;
    this.#reserve(to - from);
    for (let r = from; r < to; r++) {
      this.rec[this.n] = r;
      this.flags[this.n++] = 0;
    }
  }

  /**
   * Adds the linkable rows of an organization the subject represents, those whose act occurred
   * on a day it was bound: `boundFrom` ≤ day < `boundUntil` (day numbers), and never before the
   * subject's 18th birthday (a minor represents no organization).
   */
  addLinked(colOrganization: number, boundFrom = ALWAYS_FROM, boundUntil = ALWAYS_UNTIL): void {
    if (colOrganization < 0) return;
    if (this.birthDate !== null) {
      const birth = parseDay(this.birthDate);
      if (!Number.isNaN(birth)) boundFrom = Math.max(boundFrom, firstAdultDay(birth));
    }
    const from = this.cols.subjectStart[colOrganization]!;
    const to = this.cols.subjectStart[colOrganization + 1]!;
    this.#reserve(to - from);
    const type = this.cols.type;
    const occurred = this.cols.occurred;
    const linkable = this.t.linkable;
    const follows = this.t.followsList;
    for (let r = from; r < to; r++) {
      const day = occurred[r]!;
      if (day < boundFrom || day >= boundUntil) continue;
      if (follows[type[r]!]! >= 0) this.#orgListingRows.push(r);
      if (linkable[type[r]!] === 0) continue;
      this.rec[this.n] = r;
      this.flags[this.n++] = LINKED;
    }
  }

  /**
   * Direct grades that follow a listing: each starts with the listing it belongs to, by the same
   * computation as the lists engine (listing-term.ts), over the same records (eligible, of the
   * same subject), and ends with the listing or, when later, with its own validity unless an exit
   * record of its case comes first. Runs only for a subject with such a record.
   */
  #followListings(): void {
    const { cols, t, n, rec, flags, start, until, grade, pts, cureRow } = this;
    const cType = cols.type;
    const groups = new Map<string, { term: number; subject: number }>();
    for (let k = 0; k < n; k++) {
      const term = t.followsList[cType[rec[k]!]!]!;
      if (term < 0 || (flags[k]! & ELIGIBLE) === 0) continue;
      const subject = cols.subject[rec[k]!]!;
      groups.set(`${term}:${subject}`, { term, subject });
    }
    for (const { term: ti, subject } of groups.values()) {
      const term = t.terms[ti]!;
      const exitOn = new Set(term.exitOn);
      const records: TermRecord[] = [];
      for (let k = 0; k < n; k++) {
        const r = rec[k]!;
        if ((flags[k]! & ELIGIBLE) === 0 || cols.subject[r] !== subject) continue;
        const e = cols.evidence[r]!;
        const amount = cols.amount[r]!;
        records.push({
          id: cols.id[r]!,
          type: t.codes[cType[r]!]!,
          day: cols.start[r]!,
          evidence: e < 0 ? null : String(e),
          amount: Number.isNaN(amount) ? null : amount,
          recordedMs: cols.recordedAt[r]!,
        });
      }
      records.sort((a, b) => a.day - b.day || a.id - b.id);
      const own = k0Subject(this) === subject;
      const birth = own && this.birthDate !== null ? parseDay(this.birthDate) : null;
      // The acts for which an organization the subject represented is listed, as the lists engine
      // gets them (eligible by the same rules).
      const orgRecords: TermRecord[] = [];
      if (own)
        for (const r of this.#orgListingRows) {
          if (t.followsList[cType[r]!] !== ti) continue;
          if (cols.recordedAt[r]! > this.knownMs || cols.start[r]! > this.asOf) continue;
          if (!statusCounts(t, cols.status[r]!, cType[r]!)) continue;
          const e = cols.evidence[r]!;
          const amount = cols.amount[r]!;
          orgRecords.push({
            id: cols.id[r]!,
            type: t.codes[cType[r]!]!,
            day: cols.start[r]!,
            evidence: e < 0 ? null : String(e),
            amount: Number.isNaN(amount) ? null : amount,
          });
        }
      orgRecords.sort((a, b) => a.day - b.day || a.id - b.id);
      const byId = new Map<number, ListingOutcome>();
      const outcomes = listingOutcomes(
        term,
        records,
        this.asOf,
        Number.isNaN(birth) ? null : birth,
        orgRecords,
        this.dayOf,
      );
      for (const o of outcomes) {
        if (o.kind === 'excluded') byId.set(o.record.id, o);
        else for (const id of o.reasons) byId.set(id, o);
      }
      for (let k = 0; k < n; k++) {
        const r = rec[k]!;
        if (t.followsList[cType[r]!] !== ti || cols.subject[r] !== subject || (flags[k]! & ELIGIBLE) === 0)
          continue;
        const o = byId.get(cols.id[r]!);
        if (o === undefined || o.kind === 'excluded' || curedInGrace(o)) {
          // Not on the list (below a threshold, a minor, ...), or cured before it took effect: the
          // record stays on file and counts nothing.
          grade[k] = 0;
          pts[k] = 0;
          until[k] = start[k]!;
          cureRow[k] = -2;
          continue;
        }
        // The grade lasts as long as the listing, and at least the record's own validity (the
        // catalogue's, from the decision: D 5 years) unless its case ends first: an exit record of
        // the case (performed or settled: the repair rule takes over; withdrawn or enforcement
        // ended: nothing is left). A listing's end never rewards not performing.
        const validUntil = until[k]!;
        let end = o.until;
        let exitDay = o.end === 'exited';
        if (validUntil > end) {
          const own = firstExit(records, cols.evidence[r]!, cols.start[r]!, exitOn);
          if (own > end) {
            end = Math.min(own, validUntil);
            exitDay = own < validUntil;
          }
        }
        start[k] = Math.max(start[k]!, o.effective);
        until[k] = end;
        if (exitDay) cureRow[k] = -3;
      }
    }
  }

  /** Base points of a row: the type's points, or its step for the row's amount. */
  #basePoints(r: number, type: number): number {
    const t = this.t;
    const from = t.stepFrom[type]!;
    const to = t.stepTo[type]!;
    const amount = this.cols.amount[r]!;
    if (from === to || Number.isNaN(amount)) return t.points[type]!;
    let p = 0;
    for (let s = from; s < to && amount >= t.stepAt[s]!; s++) p = t.stepPoints[s]!;
    return p;
  }

  /** Scores the current subject; results land in score, gradeCode, domains and keySlots. */
  run(): void {
    const { cols, t, asOf: A, knownMs: K, n } = this;
    const { rec, flags, pts, grade, start, until, raw, contrib, cureRow, winner } = this;
    const cType = cols.type;
    const cStart = cols.start;
    const cAct = cols.act;
    const cId = cols.id;
    const cSubject = cols.subject;
    const cEvidence = cols.evidence;

    // 1–2: eligibility and the record's own effect.
    let followers = 0;
    for (let k = 0; k < n; k++) {
      const r = rec[k]!;
      const type = cType[r]!;
      const s0 = cStart[r]!;
      cureRow[k] = -1;
      winner[k] = -1;
      raw[k] = 0;
      contrib[k] = 0;
      if (cols.recordedAt[r]! > K || s0 > A) continue;
      const p = this.#basePoints(r, type);
      const g = t.grade[type]!;
      // One act counts once: a direct grade, or the record's points.
      pts[k] = g !== 0 ? 0 : p;
      grade[k] = g;
      start[k] = s0;
      until[k] = addMonths(s0, t.catalogueMonths[type]!);
      const status = cols.status[r]!;
      if (statusCounts(t, status, type)) flags[k]! |= ELIGIBLE;
      else if (status === t.disputedCode && A < until[k]!) flags[k]! |= DISPUTED;
      if (t.followsList[type]! >= 0) followers++;
    }
    if (followers > 0) this.#followListings();

    // 3: cures — the earliest eligible curing record of the same owner, on or after the start and
    // while the record is still in force; evidence, when both carry it, must match.
    const nTypes = t.codes.length;
    for (let k = 0; k < n; k++) {
      if ((flags[k]! & ELIGIBLE) === 0) continue;
      const r = rec[k]!;
      const ci = t.cure[cType[r]!]!;
      if (ci < 0 || cureRow[k] === -2) continue;
      const lastDay = cureRow[k] === -3 ? 1 : 0;
      cureRow[k] = -1;
      const er = cEvidence[r]!;
      // A cure ends only the record of its own case: without a case reference it cures nothing.
      if (er < 0) continue;
      let best = -1;
      for (let q = 0; q < n; q++) {
        if ((flags[q]! & ELIGIBLE) === 0) continue;
        const c = rec[q]!;
        if (t.cureBy[ci * nTypes + cType[c]!] === 0 || cSubject[c] !== cSubject[r]) continue;
        const sc = cStart[c]!;
        if (sc < start[k]! || sc >= until[k]! + lastDay) continue;
        if (cEvidence[c] !== er) continue;
        if (best < 0 || sc < cStart[best]! || (sc === cStart[best] && cId[c]! < cId[best]!)) best = c;
      }
      if (best >= 0) {
        const sc = cStart[best]!;
        pts[k] = t.curePoints[ci]!;
        grade[k] = 0;
        start[k] = sc;
        until[k] = addMonths(sc, t.cureMonths[ci]!);
        cureRow[k] = best;
        flags[k]! |= CURED;
      }
    }

    for (let k = 0; k < n; k++) if (cureRow[k]! < -1) cureRow[k] = -1;

    // 4: in force on A; repeats.
    for (let k = 0; k < n; k++) {
      if ((flags[k]! & ELIGIBLE) !== 0 && start[k]! <= A && A < until[k]!) flags[k]! |= VALID;
    }
    for (let k = 0; k < n; k++) {
      if ((flags[k]! & VALID) === 0) continue;
      const p = pts[k]!;
      raw[k] = p;
      // A direct grade is its own sanction for repeated serious conduct: no doubling on top.
      if (grade[k] !== 0 || p >= 0) continue;
      const r = rec[k]!;
      const type = cType[r]!;
      if (t.repeatable[type] === 0) continue;
      for (let q = 0; q < n; q++) {
        if (q === k || (flags[q]! & ELIGIBLE) === 0) continue;
        const c = rec[q]!;
        if (cType[c] !== type || cAct[c] === cAct[r]) continue;
        const earlier = start[q]! < start[k]! || (start[q] === start[k] && cId[c]! < cId[r]!);
        if (earlier && start[k]! < until[q]!) {
          flags[k]! |= REPEAT;
          raw[k] = roundPoints(p * t.multiplier);
          break;
        }
      }
    }

    // 5: one act counts once — the worst direct grade, else the largest points, else the lowest id.
    for (let k = 0; k < n; k++) {
      if ((flags[k]! & VALID) === 0) continue;
      const act = cAct[rec[k]!]!;
      let best = k;
      for (let q = 0; q < n; q++) {
        if (q === k || (flags[q]! & VALID) === 0 || cAct[rec[q]!] !== act) continue;
        const gq = grade[q]!;
        const gb = grade[best]!;
        const aq = Math.abs(raw[q]!);
        const ab = Math.abs(raw[best]!);
        if (gq > gb || (gq === gb && (aq > ab || (aq === ab && cId[rec[q]!]! < cId[rec[best]!]!)))) {
          best = q;
        }
      }
      if (best === k) flags[k]! |= COUNTED;
      else {
        flags[k]! |= SAME_ACT;
        winner[k] = best;
      }
    }

    // 6: totals, grade and key factors.
    const domains = this.domains;
    domains.fill(0);
    let total = 0;
    let worst = 0;
    this.keyCount = 0;
    for (let k = 0; k < n; k++) {
      if ((flags[k]! & COUNTED) === 0) continue;
      // A direct grade caps the grade and the record still deducts its own points, so that a cure
      // (D → −50) or an expiry never lowers the score.
      const g = grade[k]!;
      if (g > worst) worst = g;
      const d = t.domain[cType[rec[k]!]!]!;
      domains[d]! += raw[k]!;
      const c = t.weighted ? roundPoints(raw[k]! * t.weights[d]!) : raw[k]!;
      contrib[k] = c;
      total += c;
    }
    for (let d = 0; d < 4; d++) domains[d]! += t.base;
    const score = t.base + total;
    const b = t.bands;
    const byPoints =
      score >= b[0]!
        ? 0
        : score >= b[1]!
          ? 1
          : score >= b[2]!
            ? 2
            : score >= b[3]!
              ? 3
              : score >= b[4]!
                ? 4
                : 7;
    // Grade codes index GRADES: AAA AA A B C DA DB DC. A direct D keeps the grade it fell from.
    this.gradeCode =
      worst === 0
        ? byPoints
        : worst === 1
          ? Math.max(byPoints, 3)
          : worst === 2
            ? Math.max(byPoints, 4)
            : byPoints <= 2
              ? 5
              : byPoints === 3
                ? 6
                : 7;
    this.score = score;
    this.pointsGradeCode = byPoints;
    // B caps at code 3, C at 4, D at 5 (DA) and worse: it binds when the points give better.
    this.bindingGrade = worst !== 0 && byPoints < worst + 2 ? worst : 0;
    // Key factors once the grade is known: which direct grade binds decides their order.
    for (let k = 0; k < n; k++) {
      if ((flags[k]! & COUNTED) === 0 || (contrib[k] === 0 && grade[k] === 0)) continue;
      this.#offerKeyFactor(k);
    }
  }

  /** The direct grade of slot k when it is the one that decides the grade, else 0. */
  bindsGrade(k: number): number {
    const g = this.grade[k]!;
    return g !== 0 && g === this.bindingGrade ? g : 0;
  }

  /**
   * Whether slot a ranks above slot b as a key factor: the direct grade that decides the grade,
   * |points|, later date, higher id.
   */
  #ranksAbove(a: number, b: number): boolean {
    const ga = this.bindsGrade(a);
    const gb = this.bindsGrade(b);
    if (ga !== gb) return ga > gb;
    const pa = Math.abs(this.contrib[a]!);
    const pb = Math.abs(this.contrib[b]!);
    if (pa !== pb) return pa > pb;
    const ra = this.rec[a]!;
    const rb = this.rec[b]!;
    const da = this.cols.occurred[ra]!;
    const db = this.cols.occurred[rb]!;
    if (da !== db) return da > db;
    return this.cols.id[ra]! > this.cols.id[rb]!;
  }

  #offerKeyFactor(k: number): void {
    const slots = this.keySlots;
    let i = this.keyCount;
    if (i === 4) {
      if (!this.#ranksAbove(k, slots[3]!)) return;
      i = 3;
    } else {
      this.keyCount++;
    }
    while (i > 0 && this.#ranksAbove(k, slots[i - 1]!)) {
      slots[i] = slots[i - 1]!;
      i--;
    }
    slots[i] = k;
  }
}
