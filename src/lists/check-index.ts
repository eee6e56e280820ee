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
import { bindsReason, findEntryInForce, type MeasureAnswer, NOT_APPLICABLE } from './evaluate.ts';
import { gradeRank } from './list-policy.ts';
import { BINDS, type Binds, type Measure, type MeasurePolicy } from './measure-policy.ts';

const KINDS: readonly SubjectKind[] = ['person', 'organization', 'public_body'];
const UNKNOWN = 255;

export interface CheckIndexOptions {
  /** YYYY-MM-DD: the day the entries were computed for, and the default day of a check. */
  asOf: string;
  /**
   * Subjects' kinds and legal representatives (for measures that bind a representative). An
   * organization's `legalRepId` binds that person as legal representative unless `bindings` is given.
   */
  subjects?: Iterable<Pick<EngineSubject, 'id' | 'kind' | 'legalRepId'>>;
  /** The bindings in force (every role): they replace the `legalRepId`s of `subjects`. */
  bindings?: Iterable<Binding>;
  /** Subjects' grades, for grade-triggered measures. */
  grades?: ReadonlyMap<number, Grade>;
}

/** A person bound to an organization in one of the roles measures name (BINDS). */
export interface Binding {
  organizationId: number;
  personId: number;
  role: Binds;
}

export interface SubjectInfo {
  kind?: SubjectKind;
  /** For a person: every organization it is bound to today, with the role (replaces what was held). */
  boundBy?: readonly { organizationId: number; role: Binds }[];
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
  /** Per measure: the roles it binds, a bit per BINDS index. */
  readonly #bindsMask: Uint8Array;
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
  /** Per slot and measure: the entry's case reference (a plain array: nearly every one differs). */
  readonly #sCase: (string | null)[] = [];
  /** Slots whose entry rests on a record under a pending objection (sparse). */
  readonly #sContested = new Set<number>();
  /** Person → the organizations it is bound to, each with its roles as a BINDS bit mask. */
  readonly #boundBy = new Map<number, { org: number; roles: number }[]>();

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
    this.#bindsMask = new Uint8Array(m);
    this.#gradeReason = [];
    measures.forEach((ms, i) => {
      let mask = 0;
      KINDS.forEach((k, b) => {
        if (ms.subjectKinds === null || ms.subjectKinds.includes(k)) mask |= 1 << b;
      });
      this.#kindMask[i] = mask;
      this.#bindsMask[i] = ms.binds.reduce((mask, role) => mask | (1 << BINDS.indexOf(role)), 0);
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
    if (info.boundBy !== undefined) this.#setBoundBy(subjectId, info.boundBy);
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
      this.#sCase[s] = e.caseReference ?? null;
      if (e.contested) this.#sContested.add(s);
      else this.#sContested.delete(s);
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
    // Whatever the reason it does not apply, the answer is the same (see NOT_APPLICABLE).
    if (found <= 0) return notApplicable(code);
    if (found === 1)
      return {
        applies: true,
        measure: code,
        reason_code: this.#gradeReason[m]!,
        list: null,
        from: null,
        until: null,
        case_reference: null,
      };
    // found = 2 + slot position (own entry), + 2^30 × (1 + role) when bound by an organization's entry
    const role = Math.floor(found / 2 ** 30);
    const bound = role > 0;
    const s = found - role * 2 ** 30 - 2;
    const until = this.#sUntil[s]!;
    return {
      applies: true,
      measure: code,
      reason_code: bound ? bindsReason(BINDS[role - 1]!) : this.#reasons[this.#sReason[s]!]!,
      list: this.#lists[this.#sList[s]!]!,
      from: this.#dayText.get(this.#sFrom[s]!) ?? formatDay(this.#sFrom[s]!),
      until: until >= NO_END ? null : (this.#dayText.get(until) ?? formatDay(until)),
      case_reference: this.#sCase[s] ?? null,
      ...(this.#sContested.has(s) && { contested: true as const }),
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
    const binds = this.#bindsMask[m]!;
    if (binds !== 0 && (kind === UNKNOWN || kind === 0)) {
      const orgs = this.#boundBy.get(subjectId);
      // Role by role in BINDS order, as evaluateMeasure looks.
      if (orgs !== undefined) {
        for (let r = 0; r < BINDS.length; r++) {
          const bit = 1 << r;
          if ((binds & bit) === 0) continue;
          for (let i = 0; i < orgs.length; i++) {
            if ((orgs[i]!.roles & bit) === 0) continue;
            const orow = this.#rows.get(orgs[i]!.org);
            if (orow === undefined) continue;
            const slot = this.#rowSlot[orow]!;
            if (slot < 0) continue;
            const s = slot * this.#m + m;
            if (this.#sList[s]! >= 0 && this.#sFrom[s]! <= day && day < this.#sUntil[s]!)
              return 2 + s + 2 ** 30 * (1 + r);
          }
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

  #setBoundBy(personId: number, boundBy: readonly { organizationId: number; role: Binds }[]): void {
    if (boundBy.length === 0) {
      this.#boundBy.delete(personId);
      return;
    }
    const orgs: { org: number; roles: number }[] = [];
    for (const b of boundBy) {
      const bit = 1 << BINDS.indexOf(b.role);
      const o = orgs.find((x) => x.org === b.organizationId);
      if (o) o.roles |= bit;
      else orgs.push({ org: b.organizationId, roles: bit });
    }
    this.#boundBy.set(personId, orgs);
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

/** The one answer when a measure does not apply (as `evaluateMeasure` gives it). */
export const notApplicable = (measure: string): MeasureAnswer => ({
  applies: false,
  measure,
  reason_code: NOT_APPLICABLE,
  list: null,
  from: null,
  until: null,
  case_reference: null,
});

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
  const bindings: Binding[] = options.bindings ? [...options.bindings] : [];
  for (const s of options.subjects ?? []) {
    index.setSubject(s.id, undefined, { kind: s.kind });
    if (!options.bindings && s.kind !== 'person' && s.legalRepId !== null)
      bindings.push({ organizationId: s.id, personId: s.legalRepId, role: 'legal_representative' });
  }
  const byPerson = new Map<number, { organizationId: number; role: Binds }[]>();
  for (const b of bindings) {
    const list = byPerson.get(b.personId);
    if (list) list.push(b);
    else byPerson.set(b.personId, [b]);
  }
  for (const [person, boundBy] of byPerson) index.setSubject(person, undefined, { boundBy });
  for (const [id, grade] of options.grades ?? []) index.setSubject(id, undefined, { grade });
  for (const [id, entries] of entriesBySubject) index.setSubject(id, entries);
  return index;
}
