/**
 * The fast path for relying-party checks: every subject's answer for every measure packed into
 * typed arrays, so one check is a hash lookup and a few array reads, and a batch check allocates
 * nothing. It answers exactly as `evaluateMeasure` does on the day it was built for; each slot
 * keeps its period, so entries that take effect or expire later are answered right on later days
 * until the subject's entries are recomputed (then call `setSubject`).
 */
import type { SubjectKind } from '../catalogue/index.ts';
import { type EngineSubject, formatDay, GRADES, type Grade } from '../scoring/index.ts';
import { dayOrThrow, NO_END } from './days.ts';
import type { ListEntry } from './entries.ts';
import { bindsReason, findEntryInForce, type MeasureAnswer } from './evaluate.ts';
import { gradeRank } from './list-policy.ts';
import type { Measure, MeasurePolicy } from './measure-policy.ts';

const KINDS: readonly SubjectKind[] = ['person', 'organization', 'public_body'];
const UNKNOWN = 255;

export interface CheckIndexOptions {
  /** YYYY-MM-DD: the day the entries were computed for, and the default day of a check. */
  asOf: string;
  /** Subjects' kinds and legal representatives (for measures that bind a representative). */
  subjects?: Iterable<Pick<EngineSubject, 'id' | 'kind' | 'legalRepId'>>;
  /** Subjects' grades, for grade-triggered measures. */
  grades?: ReadonlyMap<number, Grade>;
}

export interface SubjectInfo {
  kind?: SubjectKind;
  /** For an organization: its legal representative (null: none). */
  legalRepId?: number | null;
  grade?: Grade | null;
}

export class CheckIndex {
  /** The day the index was built for (day number, days since 1970-01-01). */
  readonly day: number;
  readonly asOf: string;
  readonly measureCodes: readonly string[];
  readonly #measures: readonly Measure[];
  readonly #byCode: Map<string, number>;
  readonly #m: number;
  // Per measure: subject-kind mask (bit per KINDS index), trigger lists, grade bounds, binds rep.
  readonly #kindMask: Uint8Array;
  readonly #gradeMin: Int8Array;
  readonly #gradeMax: Int8Array;
  readonly #isGrade: Uint8Array;
  readonly #bindsRep: Uint8Array;
  readonly #gradeReason: string[];
  readonly #lists: string[] = [];
  readonly #listIndex = new Map<string, number>();
  readonly #reasons: string[] = [];
  readonly #reasonIndex = new Map<string, number>();
  readonly #dayText = new Map<number, string>();
  readonly #rows = new Map<number, number>();
  #rowCount = 0;
  #rowKind = new Uint8Array(1024).fill(UNKNOWN);
  #rowGrade = new Uint8Array(1024).fill(UNKNOWN);
  #rowSlot = new Int32Array(1024).fill(-1);
  #freeSlots: number[] = [];
  #slotRows = 0;
  #slotCap = 256;
  #sFrom: Int32Array;
  #sUntil: Int32Array;
  #sList: Int16Array;
  #sReason: Uint16Array;
  readonly #repOrgs = new Map<number, number[]>();
  readonly #orgRep = new Map<number, number>();

  constructor(measures: readonly Measure[], asOf: string) {
    this.day = dayOrThrow(asOf, 'asOf');
    this.asOf = asOf;
    this.#measures = measures;
    this.measureCodes = Object.freeze(measures.map((m) => m.code));
    this.#byCode = new Map(measures.map((m, i) => [m.code, i]));
    const m = measures.length;
    this.#m = m;
    this.#kindMask = new Uint8Array(m);
    this.#gradeMin = new Int8Array(m);
    this.#gradeMax = new Int8Array(m);
    this.#isGrade = new Uint8Array(m);
    this.#bindsRep = new Uint8Array(m);
    this.#gradeReason = [];
    measures.forEach((ms, i) => {
      let mask = 0;
      KINDS.forEach((k, b) => {
        if (ms.subjectKinds === null || ms.subjectKinds.includes(k)) mask |= 1 << b;
      });
      this.#kindMask[i] = mask;
      this.#bindsRep[i] = ms.binds.includes('legal_representative') ? 1 : 0;
      const t = ms.trigger;
      this.#isGrade[i] = t.kind === 'lists' ? 0 : 1;
      this.#gradeMin[i] = t.kind === 'grade_at_most' ? gradeRank(t.grade) : 0;
      this.#gradeMax[i] = t.kind === 'grade_at_least' ? gradeRank(t.grade) : GRADES.length - 1;
      this.#gradeReason.push(
        t.kind === 'grade_at_most'
          ? `GRADE_AT_MOST_${t.grade}`
          : t.kind === 'grade_at_least'
            ? `GRADE_AT_LEAST_${t.grade}`
            : '',
      );
    });
    this.#sFrom = new Int32Array(this.#slotCap * m);
    this.#sUntil = new Int32Array(this.#slotCap * m);
    this.#sList = new Int16Array(this.#slotCap * m).fill(-1);
    this.#sReason = new Uint16Array(this.#slotCap * m);
  }

  /** Subjects with anything indexed. */
  get size(): number {
    return this.#rows.size;
  }

  /** Position of a measure code, or −1 when there is no such measure. */
  measureIndex(code: string): number {
    return this.#byCode.get(code) ?? -1;
  }

  /**
   * Replaces what the index holds for one subject after its entries or grade were recomputed;
   * `entries` undefined leaves its entries as they are and only updates `info`.
   */
  setSubject(subjectId: number, entries: readonly ListEntry[] | undefined, info: SubjectInfo = {}): void {
    const row = this.#row(subjectId);
    if (info.kind !== undefined) this.#rowKind[row] = KINDS.indexOf(info.kind);
    if (info.grade !== undefined)
      this.#rowGrade[row] = info.grade === null ? UNKNOWN : GRADES.indexOf(info.grade);
    if (info.legalRepId !== undefined) this.#setRep(subjectId, info.legalRepId);
    if (entries === undefined) return;
    const live = entries.filter((e) => e.status !== 'ended' && (e.until === null || e.until > this.asOf));
    let slot = this.#rowSlot[row]!;
    if (live.length === 0) {
      if (slot >= 0) {
        this.#sList.fill(-1, slot * this.#m, (slot + 1) * this.#m);
        this.#freeSlots.push(slot);
        this.#rowSlot[row] = -1;
      }
      return;
    }
    if (slot < 0) {
      slot = this.#newSlot();
      this.#rowSlot[row] = slot;
    }
    for (let i = 0; i < this.#m; i++) {
      const s = slot * this.#m + i;
      const t = this.#measures[i]!.trigger;
      const e = t.kind === 'lists' ? pick(live, t.lists, this.asOf) : undefined;
      if (e === undefined) {
        this.#sList[s] = -1;
        continue;
      }
      const from = dayOrThrow(e.from, 'from');
      const until = e.until === null ? NO_END : dayOrThrow(e.until, 'until');
      this.#sFrom[s] = from;
      this.#sUntil[s] = until;
      this.#sList[s] = this.#intern(this.#lists, this.#listIndex, e.list);
      this.#sReason[s] = this.#intern(this.#reasons, this.#reasonIndex, e.listReasonCode);
      if (!this.#dayText.has(from)) this.#dayText.set(from, e.from);
      if (e.until !== null && !this.#dayText.has(until)) this.#dayText.set(until, e.until);
    }
  }

  /** Whether measure `m` (an index from measureIndex) applies to the subject on `day` (default: asOf). */
  applies(subjectId: number, m: number, day: number = this.day): boolean {
    return this.#find(subjectId, m, day) > 0;
  }

  /**
   * Fills `out[i]` with 1 when measure `m` applies to `subjectIds[i]`, else 0; returns how many
   * apply. Allocates nothing.
   */
  checkMany(subjectIds: ArrayLike<number>, m: number, out: Uint8Array, day: number = this.day): number {
    let n = 0;
    for (let i = 0; i < subjectIds.length; i++) {
      const a = this.#find(subjectIds[i]!, m, day) > 0 ? 1 : 0;
      out[i] = a;
      n += a;
    }
    return n;
  }

  /** The full answer for one subject and measure (by code or index) on `day` (default: asOf). */
  check(subjectId: number, measure: string | number, day: number = this.day): MeasureAnswer | undefined {
    const m = typeof measure === 'number' ? measure : this.measureIndex(measure);
    if (m < 0 || m >= this.#m) return undefined;
    const code = this.measureCodes[m]!;
    const found = this.#find(subjectId, m, day);
    if (found <= 0) {
      const reason =
        found === -1
          ? 'SUBJECT_KIND_NOT_COVERED'
          : found === -2
            ? 'NO_GRADE'
            : found === -3
              ? 'GRADE_NOT_MET'
              : 'NOT_LISTED';
      return { applies: false, measure: code, reason_code: reason, list: null, from: null, until: null };
    }
    if (found === 1)
      return {
        applies: true,
        measure: code,
        reason_code: this.#gradeReason[m]!,
        list: null,
        from: null,
        until: null,
      };
    // found = 2 + slot position (own entry) or 2 + slot position + 2^30 (bound by an organization)
    const bound = found >= 2 ** 30;
    const s = (bound ? found - 2 ** 30 : found) - 2;
    const until = this.#sUntil[s]!;
    return {
      applies: true,
      measure: code,
      reason_code: bound ? bindsReason('legal_representative') : this.#reasons[this.#sReason[s]!]!,
      list: this.#lists[this.#sList[s]!]!,
      from: this.#dayText.get(this.#sFrom[s]!) ?? formatDay(this.#sFrom[s]!),
      until: until >= NO_END ? null : (this.#dayText.get(until) ?? formatDay(until)),
    };
  }

  /**
   * > 0 applies (1: by grade; 2 + slot: own entry; 2 + slot + 2^30: bound by an organization);
   * 0 not listed; −1 subject kind not covered; −2 no grade; −3 grade not met.
   */
  #find(subjectId: number, m: number, day: number): number {
    const row = this.#rows.get(subjectId);
    const kind = row === undefined ? UNKNOWN : this.#rowKind[row]!;
    if (kind !== UNKNOWN && (this.#kindMask[m]! & (1 << kind)) === 0) return -1;
    if (this.#isGrade[m] === 1) {
      const g = row === undefined ? UNKNOWN : this.#rowGrade[row]!;
      if (g === UNKNOWN) return -2;
      return g >= this.#gradeMin[m]! && g <= this.#gradeMax[m]! ? 1 : -3;
    }
    if (row !== undefined) {
      const slot = this.#rowSlot[row]!;
      if (slot >= 0) {
        const s = slot * this.#m + m;
        if (this.#sList[s]! >= 0 && this.#sFrom[s]! <= day && day < this.#sUntil[s]!) return 2 + s;
      }
    }
    if (this.#bindsRep[m] === 1 && (kind === UNKNOWN || kind === 0)) {
      const orgs = this.#repOrgs.get(subjectId);
      if (orgs !== undefined) {
        for (let i = 0; i < orgs.length; i++) {
          const orow = this.#rows.get(orgs[i]!);
          if (orow === undefined) continue;
          const slot = this.#rowSlot[orow]!;
          if (slot < 0) continue;
          const s = slot * this.#m + m;
          if (this.#sList[s]! >= 0 && this.#sFrom[s]! <= day && day < this.#sUntil[s]!)
            return 2 + s + 2 ** 30;
        }
      }
    }
    return 0;
  }

  #row(subjectId: number): number {
    let row = this.#rows.get(subjectId);
    if (row !== undefined) return row;
    row = this.#rowCount++;
    if (row >= this.#rowKind.length) {
      const cap = this.#rowKind.length * 2;
      this.#rowKind = grow(this.#rowKind, cap, UNKNOWN);
      this.#rowGrade = grow(this.#rowGrade, cap, UNKNOWN);
      this.#rowSlot = grow(this.#rowSlot, cap, -1);
    }
    this.#rows.set(subjectId, row);
    return row;
  }

  #newSlot(): number {
    const free = this.#freeSlots.pop();
    if (free !== undefined) return free;
    if (this.#slotRows >= this.#slotCap) {
      this.#slotCap *= 2;
      const n = this.#slotCap * this.#m;
      this.#sFrom = grow(this.#sFrom, n, 0);
      this.#sUntil = grow(this.#sUntil, n, 0);
      this.#sList = grow(this.#sList, n, -1);
      this.#sReason = grow(this.#sReason, n, 0);
    }
    return this.#slotRows++;
  }

  #setRep(orgId: number, repId: number | null): void {
    const old = this.#orgRep.get(orgId);
    if (old === repId) return;
    if (old !== undefined) {
      const orgs = this.#repOrgs.get(old)?.filter((o) => o !== orgId) ?? [];
      if (orgs.length === 0) this.#repOrgs.delete(old);
      else this.#repOrgs.set(old, orgs);
      this.#orgRep.delete(orgId);
    }
    if (repId === null) return;
    this.#orgRep.set(orgId, repId);
    const orgs = this.#repOrgs.get(repId);
    if (orgs === undefined) this.#repOrgs.set(repId, [orgId]);
    else if (!orgs.includes(orgId)) orgs.push(orgId);
  }

  #intern(table: string[], index: Map<string, number>, value: string): number {
    let i = index.get(value);
    if (i === undefined) {
      i = table.length;
      table.push(value);
      index.set(value, i);
    }
    return i;
  }
}

function grow<T extends Uint8Array | Int32Array | Int16Array | Uint16Array>(
  a: T,
  size: number,
  fill: number,
): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  b.fill(fill, a.length);
  return b;
}

/** The entry in force on asOf (as evaluateMeasure picks it), else the next one to take effect. */
function pick(entries: readonly ListEntry[], lists: readonly string[], asOf: string): ListEntry | undefined {
  const now = findEntryInForce(entries, lists, asOf);
  if (now !== undefined) return now;
  let next: ListEntry | undefined;
  for (const list of lists)
    for (const e of entries)
      if (e.list === list && e.from > asOf && (next === undefined || e.from < next.from)) next = e;
  return next;
}

/**
 * Builds the check index from each subject's entries (as computed for `options.asOf`), with
 * subjects' kinds and legal representatives and their grades where given.
 */
export function buildCheckIndex(
  entriesBySubject: ReadonlyMap<number, readonly ListEntry[]>,
  measures: MeasurePolicy | readonly Measure[],
  options: CheckIndexOptions,
): CheckIndex {
  const list: readonly Measure[] = Array.isArray(measures) ? measures : (measures as MeasurePolicy).measures;
  const index = new CheckIndex(list, options.asOf);
  for (const s of options.subjects ?? [])
    index.setSubject(s.id, undefined, {
      kind: s.kind,
      legalRepId: s.kind === 'person' ? null : s.legalRepId,
    });
  for (const [id, grade] of options.grades ?? []) index.setSubject(id, undefined, { grade });
  for (const [id, entries] of entriesBySubject) index.setSubject(id, entries);
  return index;
}
