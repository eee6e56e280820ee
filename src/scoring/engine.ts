/**
 * The scoring verbs: one subject with its explanation (scoreSubject), the whole population from
 * columns (rescoreAll), and one subject's explanation from the same columns (explainSubject).
 * Pure and deterministic: the as-of day and the knowledge cut-off are parameters, never the clock.
 */
import type { Catalogue, Domain } from '../catalogue/index.ts';
import { DOMAINS } from '../catalogue/index.ts';
import { type DayOfInstant, endOfDayMs, formatDay, parseDay, parseTimestampMs } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';
import { buildColumns, findSubjectIndex, type RecordColumns } from './columns.ts';
import type { Link } from './linkage.ts';
import { NO_END } from './listing-term.ts';
import type { ScoringPolicy } from './policy.ts';
import {
  ALWAYS_FROM,
  ALWAYS_UNTIL,
  COUNTED,
  CURED,
  DISPUTED,
  ELIGIBLE,
  LINKED,
  REPEAT,
  SAME_ACT,
  Scorer,
} from './scorer.ts';
import { compileTables, GRADE_LETTER, type PolicyTables } from './tables.ts';
import {
  type Contribution,
  type EngineRecord,
  type EngineSubject,
  GRADES,
  type KeyFactor,
  type LinkedOrganization,
  type ScoreResult,
} from './types.ts';

export interface ScoreSubjectInput {
  subject: EngineSubject;
  /** The subject's own records. */
  records: readonly EngineRecord[];
  /** Records of organizations the subject represents as legal representative. */
  linkedRecords?: readonly EngineRecord[];
  policy: ScoringPolicy;
  catalogue: Catalogue;
  /** YYYY-MM-DD: the day the score is for. */
  asOf: string;
  /** ISO timestamp: only records the platform knew by then count (default: the end of asOf, UTC). */
  knownAsOf?: string;
  /** The platform's day of an instant (default UTC): a derived listing warns no earlier than it knew. */
  dayOfInstant?: DayOfInstant;
  /**
   * How to name each organization whose `linkedRecords` count, by its subject id: without it a
   * factor says "an organization this subject represented on that day".
   */
  organizations?: ReadonlyMap<number, LinkedOrganization>;
}

export interface RescoreOptions {
  knownAsOf?: string;
  dayOfInstant?: DayOfInstant;
  /** Also return each subject's key factors (record ids and points, best first). */
  keyFactors?: boolean;
  /**
   * Legal-representative bindings with their periods: an organization's act counts for the person
   * bound on the act's day. Without them, each organization's `legalRepId` is bound since before.
   */
  links?: readonly Link[];
  /** Also return each subject's next change day (see `ScoreResult.nextChange`). */
  nextChanges?: boolean;
}

export interface RescoreResult {
  /** By position in the subjects array. */
  scores: Int32Array;
  /** Index into GRADES. */
  grades: Uint8Array;
  /** Four per subject, in DOMAINS order. */
  domains: Int32Array;
  /** Four slots per subject, best first; NaN record ids mark empty slots. */
  keyFactors?: { recordIds: Float64Array; points: Int32Array };
  /** Day numbers (days since 1970-01-01) of each subject's next change; −1: none. */
  nextChanges?: Int32Array;
}

function asOfDay(asOf: string): number {
  const day = parseDay(asOf);
  if (Number.isNaN(day))
    throw invalidInput(`as-of date "${asOf}" is not a date (YYYY-MM-DD)`, [
      { field: 'asOf', message: 'expected YYYY-MM-DD' },
    ]);
  return day;
}

function knownMs(day: number, knownAsOf: string | undefined): number {
  if (knownAsOf === undefined) return endOfDayMs(day);
  const ms = parseTimestampMs(knownAsOf);
  if (Number.isNaN(ms)) {
    throw invalidInput(`known-as-of "${knownAsOf}" is not an ISO timestamp`, [
      { field: 'knownAsOf', message: 'expected an ISO timestamp' },
    ]);
  }
  return ms;
}

function checkCatalogue(cols: RecordColumns, catalogue: Catalogue): void {
  if (cols.catalogueVersion !== catalogue.version) {
    throw invalidInput('the record columns were built with another catalogue; build them again');
  }
}

/** Scores one subject as of a day, with its breakdown and key factors. */
export function scoreSubject(input: ScoreSubjectInput): ScoreResult {
  const { subject, records, policy, catalogue, asOf } = input;
  const linked = input.linkedRecords ?? [];
  const day = asOfDay(asOf);
  const known = knownMs(day, input.knownAsOf);
  const tables = compileTables(policy, catalogue);
  for (const r of records) {
    if (r.subjectId !== subject.id) {
      throw invalidInput(`record ${r.id} belongs to subject ${r.subjectId}, not ${subject.id}`, [
        { field: 'subjectId', message: 'not the scored subject' },
      ]);
    }
  }
  for (const r of linked) {
    if (r.subjectId === subject.id) {
      throw invalidInput(`linked record ${r.id} belongs to the scored subject itself`, [
        { field: 'subjectId', message: 'a linked record must belong to a represented organization' },
      ]);
    }
  }
  const cols = buildColumns(
    records.length === 0 && linked.length === 0 ? [] : [...records, ...linked],
    catalogue,
  );
  const scorer = new Scorer(cols, tables, day, known, input.dayOfInstant);
  scorer.begin(findSubjectIndex(cols, subject.id), subject.birthDate);
  for (let s = 0; s < cols.subjectIds.length; s++) if (cols.subjectIds[s] !== subject.id) scorer.addLinked(s);
  scorer.run();
  return explain(scorer, subject.id, catalogue, policy, asOf, input.organizations);
}

/**
 * Rescores every subject from the columns. Results are by position in `subjects`; a subject with
 * no records gets the base score. An organization's linkable records also count for its legal
 * representative when the representative is among `subjects`.
 */
export function rescoreAll(
  cols: RecordColumns,
  subjects: readonly EngineSubject[],
  policy: ScoringPolicy,
  catalogue: Catalogue,
  asOf: string,
  opts: RescoreOptions = {},
): RescoreResult {
  checkCatalogue(cols, catalogue);
  const day = asOfDay(asOf);
  const tables = compileTables(policy, catalogue);
  const scorer = new Scorer(cols, tables, day, knownMs(day, opts.knownAsOf), opts.dayOfInstant);
  const count = subjects.length;

  const colOf = new Int32Array(count);
  const position = new Map<number, number>();
  for (let p = 0; p < count; p++) {
    colOf[p] = findSubjectIndex(cols, subjects[p]!.id);
    position.set(subjects[p]!.id, p);
  }
  // Bindings as (organization, person, first day, first day after): given, or each organization's
  // legal representative in force, bound since before.
  const pairs: [org: number, rep: number, from: number, until: number][] = [];
  if (opts.links) {
    for (const l of opts.links) {
      const o = position.get(l.organizationId);
      const rep = position.get(l.personId);
      if (o === undefined || rep === undefined || rep === o || colOf[o]! < 0) continue;
      if (subjects[o]!.kind === 'person') continue;
      pairs.push([
        o,
        rep,
        l.from === null ? ALWAYS_FROM : parseDay(l.from),
        l.until === null ? ALWAYS_UNTIL : parseDay(l.until),
      ]);
    }
  } else {
    for (let p = 0; p < count; p++) {
      const s = subjects[p]!;
      if (s.kind !== 'organization' || s.legalRepId === null || colOf[p]! < 0) continue;
      const rep = position.get(s.legalRepId);
      if (rep === undefined || rep === p) continue;
      pairs.push([p, rep, ALWAYS_FROM, ALWAYS_UNTIL]);
    }
  }
  // Organizations by representative, as compressed rows: links of p are linkFrom[p] … linkFrom[p+1]−1.
  const linkFrom = new Int32Array(count + 1);
  for (const [, rep] of pairs) linkFrom[rep + 1]!++;
  for (let p = 0; p < count; p++) linkFrom[p + 1]! += linkFrom[p]!;
  const linkCols = new Int32Array(pairs.length);
  const linkStart = new Int32Array(pairs.length);
  const linkEnd = new Int32Array(pairs.length);
  const fill = linkFrom.slice(0, count);
  for (const [o, rep, from, until] of pairs) {
    const at = fill[rep]!++;
    linkCols[at] = colOf[o]!;
    linkStart[at] = from;
    linkEnd[at] = until;
  }

  const scores = new Int32Array(count);
  const grades = new Uint8Array(count);
  const domains = new Int32Array(count * 4);
  const kfIds = opts.keyFactors ? new Float64Array(count * 4).fill(Number.NaN) : undefined;
  const kfPoints = opts.keyFactors ? new Int32Array(count * 4) : undefined;
  const next = opts.nextChanges ? new Int32Array(count) : undefined;
  for (let p = 0; p < count; p++) {
    scorer.begin(colOf[p]!, subjects[p]!.birthDate);
    for (let l = linkFrom[p]!; l < linkFrom[p + 1]!; l++)
      scorer.addLinked(linkCols[l]!, linkStart[l]!, linkEnd[l]!);
    scorer.run();
    scores[p] = scorer.score;
    grades[p] = scorer.gradeCode;
    for (let d = 0; d < 4; d++) domains[p * 4 + d] = scorer.domains[d]!;
    if (next) next[p] = nextChangeDay(scorer);
    if (kfIds && kfPoints) {
      for (let i = 0; i < scorer.keyCount; i++) {
        const k = scorer.keySlots[i]!;
        kfIds[p * 4 + i] = cols.id[scorer.rec[k]!]!;
        kfPoints[p * 4 + i] = scorer.contrib[k]!;
      }
    }
  }
  return {
    scores,
    grades,
    domains,
    ...(kfIds && kfPoints ? { keyFactors: { recordIds: kfIds, points: kfPoints } } : {}),
    ...(next ? { nextChanges: next } : {}),
  };
}

/**
 * The first day after the as-of day on which the subject just scored changes without a new
 * record: a record's window ends (counted, outdone by another record of its act, or disputed) or
 * begins, or a record on file but dated after the as-of day starts to count; −1 when none.
 */
function nextChangeDay(scorer: Scorer): number {
  const { n, flags, start, until, rec, asOf: A, knownMs: K } = scorer;
  const cStart = scorer.cols.start;
  const recordedAt = scorer.cols.recordedAt;
  let next = -1;
  const offer = (d: number) => {
    // NO_END: a grade that lasts until a deletion condition changes on no day of the calendar.
    if (d > A && d < NO_END && (next < 0 || d < next)) next = d;
  };
  for (let k = 0; k < n; k++) {
    const f = flags[k]!;
    if (f & (ELIGIBLE | DISPUTED)) {
      offer(start[k]! > A ? start[k]! : until[k]!);
    } else if ((f & ~LINKED) === 0) {
      // Not taken in: dated after the as-of day (or not known by the cut-off, which no day changes).
      const r = rec[k]!;
      if (recordedAt[r]! <= K) offer(cStart[r]!);
    }
  }
  return next;
}

/**
 * One subject's full result (breakdown and key factors) from the same columns `rescoreAll` used;
 * `position` indexes `subjects`. Finds the organizations it represents by scanning `subjects`.
 */
export function explainSubject(
  cols: RecordColumns,
  subjects: readonly EngineSubject[],
  position: number,
  policy: ScoringPolicy,
  catalogue: Catalogue,
  asOf: string,
  opts: { knownAsOf?: string; dayOfInstant?: DayOfInstant } = {},
): ScoreResult {
  checkCatalogue(cols, catalogue);
  const subject = subjects[position];
  if (subject === undefined) throw invalidInput(`no subject at position ${position}`);
  const day = asOfDay(asOf);
  const scorer = new Scorer(
    cols,
    compileTables(policy, catalogue),
    day,
    knownMs(day, opts.knownAsOf),
    opts.dayOfInstant,
  );
  scorer.begin(findSubjectIndex(cols, subject.id), subject.birthDate);
  const seen = new Set<number>();
  for (const s of subjects) {
    if (s.kind !== 'organization' || s.legalRepId !== subject.id || s.id === subject.id || seen.has(s.id))
      continue;
    seen.add(s.id);
    scorer.addLinked(findSubjectIndex(cols, s.id));
  }
  scorer.run();
  return explain(scorer, subject.id, catalogue, policy, asOf);
}

/** The `until` of a contribution with no fixed end (a grade that lasts until a deletion condition). */
const OPEN_END = '9999-12-31';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * An organization whose record counts for the person scored, in words: by its name and public
 * identifier when known, never by its database id.
 */
const organizationOf = (org: LinkedOrganization): string => `${org.name} (${org.identifier})`;

/**
 * The day a record's key factor is told from: the day of the act, or for a listing the day the
 * listing took effect (the day its list entry starts from, which a check names), not the day of
 * the conduct behind it.
 */
const factorDay = (scorer: Scorer, k: number, r: number): number => {
  const { cols, t } = scorer;
  if (t.followsList[cols.type[r]!]! < 0) return cols.occurred[r]!;
  // A cured listing's window starts at its cure: the listing took effect on its decision day.
  return scorer.flags[k]! & CURED ? cols.start[r]! : scorer.start[k]!;
};

/** Turns the scorer's state for the subject just scored into the public result. */
function explain(
  scorer: Scorer,
  subjectId: number,
  catalogue: Catalogue,
  policy: ScoringPolicy,
  asOf: string,
  organizations?: ReadonlyMap<number, LinkedOrganization>,
): ScoreResult {
  const { cols, t } = scorer;
  const items = catalogue.items;
  const shown = COUNTED | SAME_ACT | DISPUTED;
  const breakdown: (Contribution & { slot: number })[] = [];
  for (let k = 0; k < scorer.n; k++) {
    const f = scorer.flags[k]!;
    if ((f & shown) === 0) continue;
    const r = scorer.rec[k]!;
    const item = items[cols.type[r]!]!;
    const notes: string[] = [];
    if (f & SAME_ACT)
      notes.push(`same act as record ${cols.id[scorer.rec[scorer.winner[k]!]!]} — not counted`);
    if (f & DISPUTED) notes.push('disputed — not counted while the objection is pending');
    else if (cols.status[r] === t.disputedCode)
      notes.push('disputed — still counted while the objection is pending (its type binds until corrected)');
    if (f & COUNTED && f & REPEAT) notes.push(`repeat ×${t.multiplier}`);
    if (f & CURED) notes.push(`cured by performance on ${formatDay(cols.start[scorer.cureRow[k]!]!)}`);
    if (f & LINKED) {
      const org = organizations?.get(cols.subjectIds[cols.subject[r]!]!);
      notes.push(
        org
          ? `linked from ${organizationOf(org)}`
          : 'linked from an organization this subject represented on that day',
      );
    }
    const g = scorer.grade[k]!;
    const c: Contribution & { slot: number } = {
      slot: k,
      recordId: cols.id[r]!,
      type: item.code,
      domain: item.domain,
      date: formatDay(cols.occurred[r]!),
      points: f & COUNTED ? scorer.contrib[k]! : 0,
      // A listing "able but refuses" has no fixed end: its grade lasts until a deletion condition.
      until: scorer.until[k]! >= NO_END ? OPEN_END : formatDay(scorer.until[k]!),
    };
    if (g !== 0 && f & (COUNTED | SAME_ACT)) c.directGrade = GRADE_LETTER[g] as 'B' | 'C' | 'D';
    if (notes.length > 0) c.note = notes.join('; ');
    breakdown.push(c);
  }
  breakdown.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.recordId - b.recordId));

  const keyFactors: KeyFactor[] = [];
  for (let i = 0; i < scorer.keyCount; i++) {
    const k = scorer.keySlots[i]!;
    const r = scorer.rec[k]!;
    const c = breakdown.find((b) => b.slot === k)!;
    const date = formatDay(factorDay(scorer, k, r));
    const org =
      scorer.flags[k]! & LINKED ? organizations?.get(cols.subjectIds[cols.subject[r]!]!) : undefined;
    keyFactors.push({
      recordId: c.recordId,
      type: c.type,
      date,
      points: c.points,
      ...(c.directGrade && scorer.flags[k]! & COUNTED
        ? { grade: { letter: c.directGrade, binds: scorer.bindsGrade(k) !== 0 } }
        : {}),
      text: sentence(scorer, k, c, date, t, items[cols.type[r]!]!.name, org),
    });
  }
  const next = nextChangeDay(scorer);
  const domains = {} as Record<Domain, number>;
  DOMAINS.forEach((d, i) => {
    domains[d] = scorer.domains[i]!;
  });
  return {
    subjectId,
    score: scorer.score,
    grade: GRADES[scorer.gradeCode]!,
    domains,
    keyFactors,
    breakdown: breakdown.map(({ slot: _, ...c }) => c),
    policyVersion: policy.version,
    asOf,
    nextChange: next < 0 ? null : formatDay(next),
  };
}

/**
 * One plain sentence for a key factor, e.g. "Drove while drunk on 2025-03-02, which sets the grade
 * to B until 2027-03-02." A direct grade "sets" the grade only when it decides it; when the points
 * give that grade or worse, it "caps" it and the sentence says what the points give.
 */
function sentence(
  scorer: Scorer,
  k: number,
  c: Contribution,
  date: string,
  t: PolicyTables,
  name: string,
  org: LinkedOrganization | undefined,
): string {
  const f = scorer.flags[k]!;
  const cols = scorer.cols;
  const binds = scorer.bindsGrade(k) !== 0;
  let effect: string;
  const pts = `${c.points < 0 ? 'deducts' : 'adds'} ${plural(Math.abs(c.points), 'point')}`;
  if (c.directGrade) {
    const grade = binds ? `sets the grade to ${c.directGrade}` : `caps the grade at ${c.directGrade}`;
    effect = c.points === 0 ? grade : `${grade} and ${pts}`;
  } else effect = pts;
  const end = c.until === OPEN_END ? 'until the obligation is met' : `until ${c.until}`;
  let s = `${name} on ${date}, which ${effect} ${end}`;
  if (f & CURED) s += ` since the obligation was performed on ${formatDay(cols.start[scorer.cureRow[k]!]!)}`;
  if (c.directGrade && !binds) s += `; the points give ${GRADES[scorer.pointsGradeCode]}`;
  const extras: string[] = [];
  if (f & REPEAT)
    extras.push(t.multiplier === 2 ? 'counted double as a repeat' : `counted ×${t.multiplier} as a repeat`);
  if (f & LINKED)
    extras.push(
      org
        ? `a record of ${organizationOf(org)}, which this subject ${org.represents ? 'represents' : 'represented'}`
        : 'a record of an organization this subject represented on that day',
    );
  if (extras.length > 0) s += ` (${extras.join('; ')})`;
  return `${s}.`;
}
