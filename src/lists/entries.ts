/**
 * List entries: which lists a subject is on, since when, until when and why, recomputed from its
 * records as of any day (product rules 5, 7 and 8). Pure and deterministic: the as-of day and the
 * knowledge cut-off are parameters, never the clock; only active records count, so a corrected,
 * withdrawn or disputed record lifts the entry it caused at the next computation.
 */
import type { Catalogue } from '../catalogue/index.ts';
import {
  addMonths,
  countsWhileDisputed,
  curedInGrace,
  type EngineRecord,
  type EngineSubject,
  formatDay,
  GRADES,
  type ListingEpisode,
  listingOutcomes,
  type ScoreResult,
} from '../scoring/index.ts';
import { caseReferenceKey } from '../shared/case-reference.ts';
import type { DayOfInstant } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import { dayOrThrow, NO_END, timestampMs } from './days.ts';
import { gradeRank, type ListKind, type ListPolicy, type ListRule } from './list-policy.ts';

export type ListEntryStatus = 'pending' | 'active' | 'ended';

/** Reason codes of entries that are not (or no longer) in force. */
export const ENTRY_REASON_CODES = [
  'GRACE_PERIOD',
  'CURED_IN_GRACE',
  'PERFORMED',
  'EXPIRED',
  'DISQUALIFIED',
  'MINOR_EXCLUDED',
  'REPRESENTATIVE_NOT_DOUBLE_LISTED',
] as const;

export interface ListEntry {
  list: string;
  kind: ListKind;
  /**
   * `pending`: decided, in its grace period; `active`: in force on the as-of day; `ended`: over, or
   * never took effect (cured in grace, or excluded).
   */
  status: ListEntryStatus;
  /** YYYY-MM-DD: the day the entry takes (took) effect; for one that never did, its decision day. */
  from: string;
  /** YYYY-MM-DD: the first day it is no longer in force; null while open-ended. */
  until: string | null;
  /** The records that put the subject on the list, extended it, or ended it, in date order. */
  reasonRecordIds: number[];
  /** The list's own code while pending is over (e.g. LISTED_COURT_DEFAULTER), else one of ENTRY_REASON_CODES. */
  reason_code: string;
  /** One plain-English sentence. */
  note: string;
  /** YYYY-MM-DD: the day the subject was warned and the grace period began; null without one. */
  noticeFrom: string | null;
  /** The reason code a relying party sees while the entry is in force. */
  listReasonCode: string;
  /** Months added by extension for repeated conduct. */
  extendedMonths: number;
  /** YYYY-MM-DD: the last day a further case or an extension moved `until` later (absent when none did). */
  lengthenedOn?: string;
  /**
   * YYYY-MM-DD: deadline for deleting the published entry after performance, in working days of the
   * working calendar (public holidays skipped, make-up working days counted).
   */
  deleteBy: string | null;
  /** The case a check answer names for the subject to contest: its first reason record's evidence (set by recomputeLists). */
  caseReference?: string | null;
  /** Whether a reason record is under a pending objection (set by recomputeLists). */
  contested?: boolean;
}

export interface RepresentedOrganization {
  subject: EngineSubject;
  records: readonly EngineRecord[];
}

export interface ComputeEntriesInput {
  subject: EngineSubject;
  /** The subject's own records. */
  records: readonly EngineRecord[];
  /**
   * For a person: the organizations it represents as legal representative, with their records, so
   * an act for which the organization is listed does not list the person too.
   */
  organizationsRepresented?: readonly RepresentedOrganization[];
  lists: ListPolicy;
  catalogue: Catalogue;
  /** Working days and public holidays (policies/calendar.yaml), for the deletion deadline. */
  calendar: WorkingCalendar;
  /** YYYY-MM-DD: the day the entries are for. */
  asOf: string;
  /** ISO timestamp: only records the platform knew by then count (default: the end of asOf, UTC). */
  knownAsOf?: string;
  /** The platform's day of an instant (default UTC): a derived listing warns no earlier than it knew. */
  dayOfInstant?: DayOfInstant;
  /** The subject's score as of the same day, for red lists with a minimum grade. */
  score?: ScoreResult;
  /** Whether a disputed record counts when its type does not say (the scoring policy's default). */
  disputedCounts?: boolean;
}

interface Rec {
  id: number;
  type: string;
  /** Decision day: decided_at, else occurred_at. */
  day: number;
  evidence: string | null;
  amount: number | null;
  recordedMs: number;
}

const byDayThenId = (a: Rec, b: Rec) => a.day - b.day || a.id - b.id;

/** Records that count as of the day: active, known by the cut-off, decided on or before the day. */
function usable(
  records: readonly EngineRecord[],
  subjectId: number,
  day: number,
  knownMs: number,
  disputedCounts: (type: string) => boolean,
): Rec[] {
  const out: Rec[] = [];
  for (const r of records) {
    if (r.subjectId !== subjectId) {
      throw invalidInput(`record ${r.id} belongs to subject ${r.subjectId}, not ${subjectId}`, [
        { field: 'subjectId', message: 'not the subject whose entries are computed' },
      ]);
    }
    if (r.status !== 'active' && !(r.status === 'disputed' && disputedCounts(r.type))) continue;
    const recorded = timestampMs(r.recordedAt);
    if (!(recorded <= knownMs)) continue;
    const d = dayOrThrow(r.decidedAt ?? r.occurredAt, r.decidedAt === null ? 'occurredAt' : 'decidedAt');
    if (d > day) continue;
    // The case reference as the scorer reads it (`caseReferenceKey`), so both match alike.
    const evidence = caseReferenceKey(r.evidence);
    out.push({ id: r.id, type: r.type, day: d, evidence, amount: r.amount, recordedMs: recorded });
  }
  return out.sort(byDayThenId);
}

const fmt = (day: number): string | null => (day >= NO_END ? null : formatDay(day));
const ids = (xs: readonly number[]) => (xs.length === 1 ? `record ${xs[0]}` : `records ${xs.join(', ')}`);

/** Every entry of the subject on every list, in list order then date order. */
export function computeEntries(input: ComputeEntriesInput): ListEntry[] {
  const { subject, lists, asOf } = input;
  const day = dayOrThrow(asOf, 'asOf');
  let knownMs = (day + 1) * 86_400_000 - 1;
  if (input.knownAsOf !== undefined) {
    knownMs = timestampMs(input.knownAsOf);
    if (Number.isNaN(knownMs))
      throw invalidInput(`known-as-of "${input.knownAsOf}" is not an ISO timestamp`, [
        { field: 'knownAsOf', message: 'expected an ISO timestamp' },
      ]);
  }
  // A disputed record keeps its listing where its type binds until corrected (product rule 6).
  const disputedDefault = input.disputedCounts ?? false;
  const disputedCounts = (type: string) => {
    const item = input.catalogue?.get(type);
    return item ? countsWhileDisputed(item, disputedDefault) : disputedDefault;
  };
  const records = usable(input.records, subject.id, day, knownMs, disputedCounts);
  const birth =
    subject.kind === 'person' && subject.birthDate ? dayOrThrow(subject.birthDate, 'birthDate') : null;
  const orgRecords: Rec[] = [];
  for (const org of input.organizationsRepresented ?? []) {
    if (org.subject.kind === 'person') continue;
    orgRecords.push(...usable(org.records, org.subject.id, day, knownMs, disputedCounts));
  }
  const out: ListEntry[] = [];
  for (const list of lists.lists) {
    if (!list.subjectKinds.includes(subject.kind)) continue;
    if (list.kind === 'red') out.push(...redEntries(list, records, day, input.catalogue, input.score));
    else
      out.push(
        ...episodeEntries(
          list,
          records,
          day,
          birth,
          subject.kind === 'person' ? orgRecords : [],
          input.calendar,
          input.dayOfInstant,
        ),
      );
  }
  return out;
}

/**
 * Black and focus lists: the episodes of the shared listing term (src/scoring/listing-term.ts, the
 * same computation the scorer's direct grade follows), turned into entries with their notes.
 */
function episodeEntries(
  list: ListRule,
  records: Rec[],
  asOf: number,
  birth: number | null,
  orgRecords: Rec[],
  calendar: WorkingCalendar,
  dayOf: DayOfInstant | undefined,
): ListEntry[] {
  const out: ListEntry[] = [];
  for (const o of listingOutcomes(list, records, asOf, birth, orgRecords, dayOf)) {
    if (o.kind === 'excluded') {
      const r = o.record;
      out.push(
        excluded(
          list,
          r.id,
          r.day,
          o.reason,
          o.reason === 'MINOR_EXCLUDED'
            ? `Not listed on the ${list.name}: the subject was under 18 on the decision day ${formatDay(r.day)} (record ${r.id}).`
            : `Not listed on the ${list.name} for record ${r.id}: the organization the subject represents is listed for the same act.`,
        ),
      );
      continue;
    }
    const ep = o;
    if (ep.end === 'expired') {
      out.push(
        entry(
          list,
          ep,
          'ended',
          'EXPIRED',
          ep.until,
          ep.reasons,
          `On the ${list.name} from ${formatDay(ep.effective)} until ${formatDay(ep.until)}, when the listing expired.`,
          null,
        ),
      );
    } else if (ep.end === 'exited') {
      const by = ep.exitRecord!;
      const inGrace = curedInGrace(ep);
      // "Deleted within 3 working days": public holidays do not count (policies/calendar.yaml).
      const deleteBy =
        list.deletionWorkingDays === null
          ? null
          : formatDay(calendar.addWorkingDays(ep.until, list.deletionWorkingDays));
      const deadline = deleteBy === null ? '' : `; its publication is deleted by ${deleteBy}`;
      out.push(
        entry(
          list,
          ep,
          'ended',
          inGrace ? 'CURED_IN_GRACE' : 'PERFORMED',
          ep.until,
          [...ep.reasons, by],
          inGrace
            ? ep.until < ep.start
              ? `Not listed on the ${list.name}: the obligation was met on ${formatDay(ep.until)} (record ${by}), before the listing of ${formatDay(ep.start)}.`
              : `Not listed on the ${list.name}: the obligation was met on ${formatDay(ep.until)} (record ${by}), within the grace period that began on ${formatDay(ep.start)}.`
            : `Removed from the ${list.name} on ${formatDay(ep.until)}, when the last listed case ended (record ${by})${deadline}.`,
          inGrace ? null : deleteBy,
        ),
      );
    } else if (asOf < ep.effective) {
      const cure = list.exitOn.length > 0 ? ' unless the obligation is met before then' : '';
      out.push(
        entry(
          list,
          ep,
          'pending',
          'GRACE_PERIOD',
          ep.until,
          ep.reasons,
          `Warned on ${formatDay(ep.start)}: the listing on the ${list.name} takes effect on ${formatDay(ep.effective)}${cure} (${ids(ep.reasons)}).`,
          null,
        ),
      );
    } else {
      const term = ep.until >= NO_END ? 'until the obligation is met' : `until ${formatDay(ep.until)}`;
      const ext = ep.extMonths > 0 ? `, extended by ${ep.extMonths} months for repeated conduct` : '';
      out.push(
        entry(
          list,
          ep,
          'active',
          list.reasonCode,
          ep.until,
          ep.reasons,
          `On the ${list.name} from ${formatDay(ep.effective)} ${term}${ext} (${ids(ep.reasons)}).`,
          null,
        ),
      );
    }
  }
  return out;
}

function entry(
  list: ListRule,
  ep: ListingEpisode,
  status: ListEntryStatus,
  reasonCode: string,
  until: number,
  reasons: readonly number[],
  note: string,
  deleteBy: string | null,
): ListEntry {
  const neverInForce = reasonCode === 'CURED_IN_GRACE';
  return {
    list: list.code,
    kind: list.kind,
    status,
    from: formatDay(neverInForce ? ep.start : ep.effective),
    until: fmt(until),
    reasonRecordIds: [...reasons],
    reason_code: reasonCode,
    note,
    noticeFrom: list.graceDays > 0 ? formatDay(ep.start) : null,
    listReasonCode: list.reasonCode,
    extendedMonths: ep.extMonths,
    ...(ep.lengthenedOn === null ? {} : { lengthenedOn: formatDay(ep.lengthenedOn) }),
    deleteBy,
  };
}

function excluded(list: ListRule, id: number, day: number, reasonCode: string, note: string): ListEntry {
  const d = formatDay(day);
  return {
    list: list.code,
    kind: list.kind,
    status: 'ended',
    from: d,
    until: d,
    reasonRecordIds: [id],
    reason_code: reasonCode,
    note,
    noticeFrom: null,
    listReasonCode: list.reasonCode,
    extendedMonths: 0,
    deleteBy: null,
  };
}

/**
 * Red lists: the subject is on the list while a qualifying positive record is within the list's
 * duration and no disqualifying negative record lies within the last `cleanYears` years.
 */
function redEntries(
  list: ListRule,
  records: Rec[],
  asOf: number,
  catalogue: Catalogue,
  score?: ScoreResult,
): ListEntry[] {
  const positive = new Set(list.requiresPositive);
  const cleanMonths = Math.round(list.cleanYears * 12);
  // Days covered by a positive record: [day, day + duration), merged.
  const covered: { from: number; until: number; ids: number[] }[] = [];
  // Days barred by a disqualifying record: [day, day + clean years), merged.
  const barred: { from: number; until: number; id: number }[] = [];
  for (const r of records) {
    if (positive.has(r.type)) {
      const until = addMonths(r.day, list.durationMonths!);
      const last = covered[covered.length - 1];
      if (last !== undefined && r.day <= last.until) {
        last.until = Math.max(last.until, until);
        last.ids.push(r.id);
      } else covered.push({ from: r.day, until, ids: [r.id] });
      continue;
    }
    const item = catalogue.get(r.type);
    if (item === undefined || item.polarity !== 'negative') continue;
    if (!list.cleanSeverities.includes(item.severity)) continue;
    if (list.cleanDomains !== null && !list.cleanDomains.includes(item.domain)) continue;
    if (cleanMonths === 0) continue;
    barred.push({ from: r.day, until: addMonths(r.day, cleanMonths), id: r.id });
  }
  const gradeOk =
    list.minGrade === null ||
    (score !== undefined && GRADES.indexOf(score.grade) <= gradeRank(list.minGrade));
  const out: ListEntry[] = [];
  for (const c of covered) {
    let from = c.from;
    // Walk the barred spans (in start order) that cut into [from, c.until).
    const spans = barred.filter((b) => b.until > c.from && b.from < c.until).sort((a, b) => a.from - b.from);
    const pieces: { from: number; until: number; endedBy: number | null }[] = [];
    for (const b of spans) {
      if (b.from > from) pieces.push({ from, until: Math.min(b.from, c.until), endedBy: b.id });
      from = Math.max(from, b.until);
      if (from >= c.until) break;
    }
    if (from < c.until) pieces.push({ from, until: c.until, endedBy: null });
    for (const p of pieces) {
      if (p.from > asOf) continue;
      const reasons = c.ids.filter((id) => records.some((r) => r.id === id && r.day <= p.from));
      const used = reasons.length > 0 ? reasons : c.ids.slice(0, 1);
      const base = {
        list: list.code,
        kind: list.kind,
        from: formatDay(p.from),
        until: formatDay(p.until),
        noticeFrom: null,
        listReasonCode: list.reasonCode,
        extendedMonths: 0,
        deleteBy: null,
      };
      if (p.until <= asOf) {
        const disq = p.endedBy !== null;
        out.push({
          ...base,
          status: 'ended',
          reasonRecordIds: disq ? [...used, p.endedBy!] : used,
          reason_code: disq ? 'DISQUALIFIED' : 'EXPIRED',
          note: disq
            ? `On the ${list.name} from ${formatDay(p.from)} until ${formatDay(p.until)}, when record ${p.endedBy} broke the clean record it requires.`
            : `On the ${list.name} from ${formatDay(p.from)} until ${formatDay(p.until)}, when the record that earned it lapsed.`,
        });
      } else if (gradeOk) {
        out.push({
          ...base,
          status: 'active',
          reasonRecordIds: used,
          reason_code: list.reasonCode,
          note: `On the ${list.name} from ${formatDay(p.from)} until ${formatDay(p.until)} (${ids(used)}, with no disqualifying record in the last ${list.cleanYears} years${list.minGrade === null ? '' : ` and a grade of ${list.minGrade} or better`}).`,
        });
      }
    }
  }
  return out;
}
