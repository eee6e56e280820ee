/**
 * One calendar for every sanction: the term of a listing, computed once for the lists engine
 * (which publishes the entry and drives the measures) and for the scorer (whose direct grade
 * follows the listing it comes with). Both call `listingOutcomes` on the same records with the
 * same rule, so a listing, the direct grade it brings and every measure it triggers take effect on
 * the same day, and the measures end with the listing; the grade lasts at least its own validity
 * (scorer.ts), so a listing running out never rewards not performing. It lives in scoring because lists imports scoring, never
 * the other way round; the list policy (src/lists) supplies the rule, which `ListRule` satisfies.
 *
 * The rule of the law (SPC 2017 provisions on the list of judgment defaulters):
 * - a listing decided by a court takes effect on the court's decision day; a grace period exists
 *   only for an entry the platform derives by its own rule (product rule 8), and nothing binds
 *   during it; a cure inside it leaves the record and nothing more;
 * - each listed case runs its own term (Art. 2: two years; "able but refuses" until a deletion
 *   condition); a further decision while listed adds its case to the listing;
 * - an exit record (performed, settled, withdrawn, enforcement ended: Art. 10) ends only the case
 *   whose case reference (`evidence`) it names; a record without one ends nothing, and the listing
 *   ends when no case is left, or when the last term runs out; a case whose exit record is dated
 *   before its listing decision is never listed (an episode that ended before it began, read as a
 *   cure before the listing took effect: the record counts nothing);
 * - violence, threats or further dishonest conduct while listed extend the term (Art. 2: by one
 *   to three years); minors are not listed; a court listing an organization does not also list its
 *   legal representative for the same act (2019).
 */
import { addMonths, civilFromDays, type DayOfInstant, utcDayOf } from '../shared/days.ts';

/** Far-future day used for "no end" in day arithmetic (never formatted). */
export const NO_END = 2_147_483_647;

/**
 * Whether a person born on `birth` is under 18 on `day`. The 18th year is completed on the
 * birthday; someone born on 29 February completes it on 1 March of a common year (as
 * identity/resident-id.ts `ageOn` counts), not on the 28 February a month sum would give.
 */
export const isMinorOn = (birth: number, day: number): boolean => firstAdultDay(birth) > day;

/** The day (a day number) a person born on `birth` turns 18: the first day `isMinorOn` is false. */
export const firstAdultDay = (birth: number): number => {
  const adult = addMonths(birth, 18 * 12);
  // addMonths clamps a 29 February to the 28th: the birthday has not come yet on that day.
  const clamped = civilFromDays(adult) % 100 < civilFromDays(birth) % 100;
  return clamped ? adult + 1 : adult;
};

/** The part of a list's rule that sets when its entries start and end. */
export interface ListingTerm {
  readonly code: string;
  /** One record of these types lists the subject (for its own case). */
  readonly enteredBy: readonly string[];
  /** Entry thresholds: a record of the type enters only with at least this amount. */
  readonly entryMinAmount: Readonly<Record<string, number>>;
  /** `count` records of these types within `withinMonths` list the subject (a platform rule). */
  readonly repeat: {
    readonly types: readonly string[];
    readonly count: number;
    readonly withinMonths: number;
  } | null;
  /** Entry types whose case is listed until an exit record, with no fixed term. */
  readonly openEndedBy: readonly string[];
  /** null = until an exit record. */
  readonly durationMonths: number | null;
  readonly extend: {
    readonly byMonthsMin: number;
    readonly byMonthsMax: number;
    readonly when: readonly string[];
  } | null;
  readonly exitOn: readonly string[];
  /** Days between the decision and the entry taking effect (platform-derived lists only). */
  readonly graceDays: number;
  readonly noMinors: boolean;
  readonly noDoubleListingOfLegalRepresentative: boolean;
  /**
   * The terms the list had before these, each for the decisions made before its `until` (the
   * first for every decision before it), oldest first. A decision is listed only if the terms in
   * force on its day listed it, and for no longer than either those terms or these allow: a
   * harsher rule is never applied to what was decided before it; a milder one is.
   */
  readonly earlier?: readonly EarlierTerms[];
}

/** What a list's terms were, for the decisions made up to `until` (see `ListingTerm.earlier`). */
export interface EarlierTerms {
  /**
   * Day number: the day the next terms came in force, the last decision day these still cover (a
   * decision that day gets the milder of both: its hour is not known).
   */
  readonly until: number;
  /** The policy version they came from. */
  readonly version: string;
  readonly enteredBy: readonly string[];
  readonly entryMinAmount: Readonly<Record<string, number>>;
  readonly repeat: ListingTerm['repeat'];
  readonly openEndedBy: readonly string[];
  readonly durationMonths: number | null;
  /** The most months repeated conduct could add; 0 when the list had no extension. */
  readonly extendByMonthsMax: number;
  readonly graceDays: number;
}

/** A record as the term sees it: its decision day (decided_at, else occurred_at) as a day number. */
export interface TermRecord {
  readonly id: number;
  readonly type: string;
  readonly day: number;
  readonly evidence: string | null;
  readonly amount: number | null;
  /** When the platform recorded it (ms): a warning is given no earlier than the platform knew. */
  readonly recordedMs?: number;
}

export interface ListingEpisode {
  kind: 'episode';
  /** The decision day (the warning day when there is a grace period). */
  start: number;
  /** The day the entry takes (took) effect. */
  effective: number;
  /** The first day no longer in force: the exit day, the term's end, or NO_END while open-ended. */
  until: number;
  /** `open`: in force or pending as of the day; `expired`: its term ran out; `exited`: its last case ended. */
  end: 'open' | 'expired' | 'exited';
  /** The record that ended the last case, for `exited`. */
  exitRecord: number | null;
  /** Entry and extension records, in date order (an exit record is not among them). */
  reasons: number[];
  extMonths: number;
  /** The last day a further case or an extension moved `until` later, or null: the subject is told. */
  lengthenedOn: number | null;
}

export interface ListingExclusion {
  kind: 'excluded';
  reason: 'MINOR_EXCLUDED' | 'REPRESENTATIVE_NOT_DOUBLE_LISTED';
  record: TermRecord;
}

export type ListingOutcome = ListingEpisode | ListingExclusion;

/** Whether an episode ended inside its grace period: it never took effect. */
export const curedInGrace = (e: ListingEpisode): boolean => e.end === 'exited' && e.until < e.effective;

const sameAct = (a: TermRecord, b: TermRecord): boolean =>
  a.type === b.type &&
  (a.evidence !== null && b.evidence !== null ? a.evidence === b.evidence : a.day === b.day);

const caseKey = (r: TermRecord): string => (r.evidence === null ? `\u0000${r.id}` : r.evidence);

interface Open extends ListingEpisode {
  /** Open cases by case reference: the first day each no longer holds the listing. */
  cases: Map<string, number>;
}

/**
 * The records in the order a listing reads them: by day, and on one day the exit records (a
 * judgment performed, a tax paid) after the others. Records of one day come in the order they
 * arrived; a performance sent before the listing of the same day must still end it, as it cures
 * the record in the score. The input itself when nothing needs to move.
 */
const exitsLast = (records: readonly TermRecord[], exitOn: ReadonlySet<string>): readonly TermRecord[] => {
  let moves = false;
  for (let i = 1; i < records.length && !moves; i++)
    moves =
      records[i]!.day === records[i - 1]!.day &&
      exitOn.has(records[i - 1]!.type) &&
      !exitOn.has(records[i]!.type);
  if (!moves) return records;
  // Stable: otherwise the order given (by day, then id) is kept.
  return [...records].sort(
    (a, b) => a.day - b.day || Number(exitOn.has(a.type)) - Number(exitOn.has(b.type)),
  );
};

/**
 * The episodes and exclusions of one list for one subject, from its records dated on or before
 * `asOf` (sorted by day, then id). `birth` is a person's birth day (null otherwise); `orgRecords`
 * are the records of organizations a person represents (for the no-double-listing rule).
 */
export function listingOutcomes(
  term: ListingTerm,
  records: readonly TermRecord[],
  asOf: number,
  birth: number | null = null,
  orgRecords: readonly TermRecord[] = [],
  /** The platform's day of an instant, for when it learned of a record (see `warningDay`). */
  dayOf: DayOfInstant = utcDayOf,
): ListingOutcome[] {
  const out: ListingOutcome[] = [];
  const entered = new Set(term.enteredBy);
  const openEnded = new Set(term.openEndedBy);
  const repeatTypes = new Set(term.repeat?.types ?? []);
  const extendWhen = new Set(term.extend?.when ?? []);
  const exitOn = new Set(term.exitOn);
  const earlier = term.earlier ?? [];
  /** The earlier terms in force on a decision day, or undefined when the present ones were. */
  const termsOn = (day: number): EarlierTerms | undefined => {
    for (const e of earlier) if (day <= e.until) return e;
    return undefined;
  };
  /** Whether the repeat rule of the earlier terms on `r`'s day listed it too. */
  const repeatedThen = (r: TermRecord) => {
    const e = termsOn(r.day);
    if (e === undefined) return true;
    const rule = e.repeat;
    if (rule === null || !rule.types.includes(r.type)) return false;
    let n = 0;
    for (const w of records)
      if (w.day <= r.day && rule.types.includes(w.type) && addMonths(w.day, rule.withinMonths) > r.day) n++;
    return n >= rule.count;
  };
  const enteredThen = (r: TermRecord) => {
    const e = termsOn(r.day);
    if (e === undefined) return true;
    const min = e.entryMinAmount[r.type];
    return e.enteredBy.includes(r.type) && (min === undefined || (r.amount !== null && r.amount >= min));
  };
  const termEnd = (r: TermRecord, from: number) => {
    const end =
      openEnded.has(r.type) || term.durationMonths === null ? NO_END : addMonths(from, term.durationMonths);
    const e = termsOn(r.day);
    if (e === undefined) return end;
    return Math.min(
      end,
      e.openEndedBy.includes(r.type) || e.durationMonths === null
        ? NO_END
        : addMonths(from, e.durationMonths),
    );
  };
  const extendMaxOn = (day: number) =>
    Math.min(term.extend?.byMonthsMax ?? 0, termsOn(day)?.extendByMonthsMax ?? Number.POSITIVE_INFINITY);
  const untilOf = (ep: Open) => {
    let base = 0;
    for (const u of ep.cases.values()) if (u > base) base = u;
    return base >= NO_END ? NO_END : addMonths(base, ep.extMonths);
  };
  const orgActs = term.noDoubleListingOfLegalRepresentative
    ? orgRecords.filter((r) => entered.has(r.type))
    : [];
  const window: TermRecord[] = [];
  let ep: Open | null = null;
  const byId = new Map<number, TermRecord>();
  for (const r of records) byId.set(r.id, r);
  /**
   * The day a derived listing's warning is given (product rule 8): its decision day, or the day
   * the platform learned of the last record that triggered it when that came later (a late report
   * does not shorten the time to cure). An authority's listing takes effect on its decision day.
   */
  const warningDay = (r: TermRecord, reasons: readonly number[]) => {
    if (term.graceDays === 0) return r.day;
    let day = r.day;
    for (const id of reasons) {
      const ms = byId.get(id)?.recordedMs;
      if (ms !== undefined && Number.isFinite(ms)) day = Math.max(day, dayOf(ms));
    }
    return day;
  };
  /**
   * Exit records that ended no listed case, by case reference: a case decided for listing after
   * it was performed (the court's decision came later than the payment) is over before it starts.
   */
  const exitedBefore = new Map<string, TermRecord>();
  const performedBefore = (r: TermRecord) => (r.evidence === null ? undefined : exitedBefore.get(r.evidence));
  const close = (e: Open, until: number, end: ListingEpisode['end'], exitRecord: number | null) => {
    out.push({
      kind: 'episode',
      start: e.start,
      effective: e.effective,
      until,
      end,
      exitRecord,
      reasons: e.reasons,
      extMonths: e.extMonths,
      lengthenedOn: e.lengthenedOn,
    });
  };

  for (const r of exitsLast(records, exitOn)) {
    if (r.day > asOf) break;
    if (ep !== null) {
      const until = untilOf(ep);
      if (until <= r.day) {
        close(ep, until, 'expired', null);
        ep = null;
      }
    }
    const min = term.entryMinAmount[r.type];
    let trigger =
      entered.has(r.type) && (min === undefined || (r.amount !== null && r.amount >= min)) && enteredThen(r);
    let triggerReasons = [r.id];
    if (term.repeat !== null && repeatTypes.has(r.type)) {
      window.push(r);
      const inWindow = window.filter((w) => addMonths(w.day, term.repeat!.withinMonths) > r.day);
      window.splice(0, window.length, ...inWindow);
      if (inWindow.length >= term.repeat.count && repeatedThen(r)) {
        trigger = true;
        triggerReasons = inWindow.map((w) => w.id);
      }
    }
    if (ep !== null) {
      if (exitOn.has(r.type)) {
        // Only the case the exit record names ends; a record without a case reference ends none.
        if (r.evidence === null) continue;
        if (!ep.cases.delete(r.evidence)) {
          exitedBefore.set(r.evidence, r);
          continue;
        }
        if (ep.cases.size === 0 || untilOf(ep) <= r.day) {
          close(ep, r.day, 'exited', r.id);
          ep = null;
        }
        continue;
      }
      if (trigger && orgActs.some((o) => sameAct(o, r))) {
        // The organization's own case, recorded on its representative too, does not lengthen his
        // listing (as it would not start one: below).
        out.push({ kind: 'excluded', reason: 'REPRESENTATIVE_NOT_DOUBLE_LISTED', record: r });
        trigger = false;
      }
      const untilBefore = untilOf(ep);
      // A further case performed before it was decided adds nothing.
      if (trigger && performedBefore(r)) trigger = false;
      if (trigger) {
        // A further decision while listed adds its case, for its own term.
        for (const id of triggerReasons) if (!ep.reasons.includes(id)) ep.reasons.push(id);
        const key = caseKey(r);
        const end = termEnd(r, Math.max(r.day, ep.effective));
        ep.cases.set(key, Math.max(ep.cases.get(key) ?? 0, end));
      }
      if (extendWhen.has(r.type) && r.day >= ep.effective && term.extend !== null && untilOf(ep) < NO_END) {
        // Violence, threats or further dishonest conduct while listed (SPC 2017 Art. 2).
        // (the ceiling of the listing's own day: a higher one since does not reach it)
        if (ep.extMonths + term.extend.byMonthsMin <= extendMaxOn(ep.start)) {
          ep.extMonths += term.extend.byMonthsMin;
          if (!ep.reasons.includes(r.id)) ep.reasons.push(r.id);
        }
      }
      if (untilOf(ep) > untilBefore) ep.lengthenedOn = r.day;
      continue;
    }
    if (exitOn.has(r.type) && r.evidence !== null) exitedBefore.set(r.evidence, r);
    if (!trigger) continue;
    if (term.noMinors && birth !== null && isMinorOn(birth, r.day)) {
      out.push({ kind: 'excluded', reason: 'MINOR_EXCLUDED', record: r });
      continue;
    }
    if (orgActs.some((o) => sameAct(o, r))) {
      out.push({ kind: 'excluded', reason: 'REPRESENTATIVE_NOT_DOUBLE_LISTED', record: r });
      continue;
    }
    const warned = warningDay(r, triggerReasons);
    // (a shorter grace period since does not shorten the time to cure a decision made before it)
    const effective = warned + Math.max(term.graceDays, termsOn(r.day)?.graceDays ?? 0);
    const performed = performedBefore(r);
    if (performed) {
      // Never in force, as a cure inside a grace period (`curedInGrace`: it ended before its effect).
      out.push({
        kind: 'episode',
        start: warned,
        effective,
        until: performed.day,
        end: 'exited',
        exitRecord: performed.id,
        reasons: [...triggerReasons],
        extMonths: 0,
        lengthenedOn: null,
      });
      continue;
    }
    ep = {
      kind: 'episode',
      start: warned,
      effective,
      until: NO_END,
      end: 'open',
      exitRecord: null,
      reasons: [...triggerReasons],
      extMonths: 0,
      lengthenedOn: null,
      cases: new Map([[caseKey(r), termEnd(r, effective)]]),
    };
  }
  if (ep !== null) {
    const until = untilOf(ep);
    close(ep, until, until <= asOf ? 'expired' : 'open', null);
  }
  return out;
}
