/**
 * Forgetting (product rule 7; NDRC Credit Repair Measures): a negative record whose maximum display
 * has passed moves to the archive on its own once its conduct is corrected — by a granted repair
 * (status `repaired`), or by a later record that cures it: a type the scoring policy's `cures` or a
 * list's `exit_on` names for it, with the same case reference (`evidence`), as the scorer and the
 * lists engine match them. A record not corrected stays on display; the correction, when it comes,
 * reaches the subject's computation again, which finds the day. A cure that leaves a deduction for
 * a term (policies/scoring.yaml `cures`: a performed judgment leaves −50 for 2 years from the
 * performance) keeps the record until that term ends too, or the archive would end it early.
 *
 * Retention (Credit Reporting Regulations Art. 16: negative information is kept 5 years from the
 * day the conduct or event ended): a one-off act — a negative type that nothing cures — ended on
 * the day it was decided (else occurred), and moves to the archive the due-process policy's
 * `retention.negative_years` later. An obligation still unperformed (a type a record would cure)
 * has not ended, and stays.
 *
 * Pure: the lists engine calls `nextArchiveDay` when it keeps a subject's next transition day (so
 * `credence maintain` visits the subject then, without scanning records), and maintenance calls
 * `archivableRecords` for the subjects it visits.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { caseReferenceKey } from '../shared/case-reference.ts';
import { addMonths, formatDay, parseDay } from '../shared/days.ts';
import { type PeriodRecord, repairPeriods } from './periods.ts';
import type { DueProcessPolicy } from './policy.ts';

/** What archival needs of a record (a store `ScoringRecordRow` has it). */
export interface ArchiveRecord extends PeriodRecord {
  id: number;
  evidence: string | null;
  status: string;
}

/** The parts of the scoring and list policies that say which records cure which. */
export interface CureSources {
  scoring: {
    readonly cures: readonly {
      readonly type: string;
      readonly curedBy: readonly string[];
      /** What the cured record counts from the cure's day: points for years (0: nothing more). */
      readonly becomes: { readonly points: number; readonly years: number };
    }[];
  };
  lists: {
    readonly lists: readonly {
      readonly enteredBy: readonly string[];
      readonly openEndedBy: readonly string[];
      readonly exitOn: readonly string[];
    }[];
  };
}

export interface ArchiveRule {
  catalogue: Catalogue;
  policy: DueProcessPolicy;
  /** For a record type, the types whose record of the same case corrects its conduct. */
  curedBy: ReadonlyMap<string, ReadonlySet<string>>;
  /** The negative types nothing cures (one-off acts), which retention ends. */
  oneOff: ReadonlySet<string>;
  /**
   * For a record type whose scoring cure leaves points for a term: the curing types and the term
   * in months from the cure's day (as the scorer counts it: `until` = cure day + term).
   */
  leaves: ReadonlyMap<string, { by: ReadonlySet<string>; months: number }>;
}

const rules = new WeakMap<DueProcessPolicy, WeakMap<object, ArchiveRule & { lists: object }>>();

/** The rule over these policies (built once per set of policies). */
export const archiveRule = (
  catalogue: Catalogue,
  policy: DueProcessPolicy,
  sources: CureSources,
): ArchiveRule => {
  let byScoring = rules.get(policy);
  const hit = byScoring?.get(sources.scoring);
  if (hit && hit.catalogue === catalogue && hit.lists === sources.lists) return hit;
  const curedBy = new Map<string, Set<string>>();
  const add = (type: string, by: readonly string[]) => {
    const set = curedBy.get(type) ?? new Set<string>();
    for (const b of by) set.add(b);
    curedBy.set(type, set);
  };
  const leaves = new Map<string, { by: ReadonlySet<string>; months: number }>();
  for (const c of sources.scoring.cures) {
    add(c.type, c.curedBy);
    // Whole months, as the scoring tables count a cure's years.
    const months = Math.round(c.becomes.years * 12);
    if (c.becomes.points !== 0 && months > 0) leaves.set(c.type, { by: new Set(c.curedBy), months });
  }
  for (const l of sources.lists.lists)
    if (l.exitOn.length > 0) for (const t of [...l.enteredBy, ...l.openEndedBy]) add(t, l.exitOn);
  const oneOff = new Set<string>();
  for (const item of catalogue.items)
    if (item.polarity === 'negative' && !curedBy.has(item.code)) oneOff.add(item.code);
  const rule = { catalogue, policy, curedBy, oneOff, leaves, lists: sources.lists };
  if (!byScoring) {
    byScoring = new WeakMap();
    rules.set(policy, byScoring);
  }
  byScoring.set(sources.scoring, rule);
  return rule;
};

/** Statuses archival acts on: counting, or repaired (a disputed record waits for its objection). */
const ARCHIVABLE = new Set(['active', 'repaired']);

/**
 * Why a record goes to the archive: its conduct was corrected (by a granted repair — already, day
 * null — or by a curing record from its day), or, for a one-off act, its retention ended that day.
 * A curing record that leaves a deduction for a term (`leavesUntil`: the first day it no longer
 * counts; null when the cure leaves nothing) keeps the record until then.
 */
export type Correction =
  | { by: 'repair'; day: null }
  | { by: 'record'; recordId: number; day: string; leavesUntil: string | null }
  | { by: 'retention'; day: string };

const dayOf = (r: PeriodRecord) => r.decidedAt ?? r.occurredAt;

/** The correction of a record among its subject's records, if any (the earliest curing record). */
export const correctionOf = (
  record: ArchiveRecord,
  records: readonly ArchiveRecord[],
  rule: ArchiveRule,
): Correction | undefined => {
  if (record.status === 'repaired') return { by: 'repair', day: null };
  const by = rule.curedBy.get(record.type);
  // A cure ends only the record of its own case: without a case reference it cures nothing.
  const key = caseReferenceKey(record.evidence);
  if (!by || key === null) return undefined;
  const from = dayOf(record);
  let best: ArchiveRecord | undefined;
  for (const c of records) {
    if (c.status !== 'active' || !by.has(c.type) || caseReferenceKey(c.evidence) !== key) continue;
    const d = dayOf(c);
    if (d < from) continue;
    if (!best || d < dayOf(best) || (d === dayOf(best) && c.id < best.id)) best = c;
  }
  if (!best) return undefined;
  const day = dayOf(best);
  return { by: 'record', recordId: best.id, day, leavesUntil: leavesUntil(record, key, day, records, rule) };
};

/**
 * The first day the deduction a cure of the case on `day` leaves stops counting, or null when none
 * is left. `day` is the case's first exit, which ends a listing's grade; the scorer still takes a
 * cure on that day (a performance the same day as a withdrawal leaves the −50), never a later one.
 * Conservative where the scorer needs the listing's term: a performance after the grade ran out
 * leaves nothing there, yet keeps the record here until the term's end (shown longer, never counted
 * longer: archiving early would change the score, as it did before this rule).
 */
const leavesUntil = (
  record: ArchiveRecord,
  key: string,
  day: string,
  records: readonly ArchiveRecord[],
  rule: ArchiveRule,
): string | null => {
  const leaves = rule.leaves.get(record.type);
  if (!leaves) return null;
  for (const c of records)
    if (
      c.status === 'active' &&
      leaves.by.has(c.type) &&
      dayOf(c) === day &&
      caseReferenceKey(c.evidence) === key
    )
      return formatDay(addMonths(parseDay(day), leaves.months));
  return null;
};

export interface Archivable {
  record: ArchiveRecord;
  /** YYYY-MM-DD: the first day past its maximum display. */
  displayEnd: string;
  correction: Correction;
  /**
   * YYYY-MM-DD: the day it goes to the archive: its display end, or its correction when later, or
   * the end of the term the cure left it when later still.
   */
  day: string;
}

const candidates = (records: readonly ArchiveRecord[], rule: ArchiveRule): Archivable[] => {
  const out: Archivable[] = [];
  for (const r of records) {
    if (!ARCHIVABLE.has(r.status)) continue;
    // Cheap first: a counting record of a type nothing cures has no correction, only retention.
    const oneOff = r.status === 'active' && rule.oneOff.has(r.type);
    if (r.status === 'active' && !oneOff && !rule.curedBy.has(r.type)) continue;
    const periods = repairPeriods(r, rule.catalogue, rule.policy);
    if (!periods) continue;
    if (oneOff) {
      const end = formatDay(addMonths(parseDay(periods.from), 12 * rule.policy.retention.negativeYears));
      const day = end > periods.displayEnd ? end : periods.displayEnd;
      out.push({ record: r, displayEnd: periods.displayEnd, correction: { by: 'retention', day: end }, day });
      continue;
    }
    const correction = correctionOf(r, records, rule);
    if (!correction) continue;
    let day = periods.displayEnd;
    if (correction.day !== null && correction.day > day) day = correction.day;
    if (correction.by === 'record' && correction.leavesUntil !== null && correction.leavesUntil > day)
      day = correction.leavesUntil;
    out.push({ record: r, displayEnd: periods.displayEnd, correction, day });
  }
  return out;
};

/** A subject's records that go to the archive by `asOf` (YYYY-MM-DD). */
export const archivableRecords = (
  records: readonly ArchiveRecord[],
  asOf: string,
  rule: ArchiveRule,
): Archivable[] => candidates(records, rule).filter((a) => a.day <= asOf);

/**
 * The first day after `asOf` on which one of a subject's records goes to the archive (a record due
 * by `asOf` already, corrected late, makes it the next day); null when none will without a new
 * record or decision.
 */
export const nextArchiveDay = (
  records: readonly ArchiveRecord[],
  asOf: string,
  rule: ArchiveRule,
): string | null => {
  let next: string | null = null;
  for (const a of candidates(records, rule)) {
    const d = a.day > asOf ? a.day : formatDay(parseDay(asOf) + 1);
    if (next === null || d < next) next = d;
  }
  return next;
};
