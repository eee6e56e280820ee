/**
 * The columnar form of records for whole-population rescoring: one typed array per field, sorted
 * by subject then record id, so the engine walks each subject's records with integer reads and no
 * per-record objects. Dates become day numbers, timestamps epoch milliseconds, and each record an
 * act key (records of one subject with the same key are one act).
 */
import type { Catalogue } from '../catalogue/index.ts';
import { caseReferenceKey } from '../shared/case-reference.ts';
import { parseDay, parseTimestampMs } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';
import { type EngineRecord, RECORD_STATUSES, type RecordStatus } from './types.ts';

export interface RecordColumns {
  readonly length: number;
  /** The catalogue whose item order the `type` column indexes. */
  readonly catalogueVersion: string;
  /** Distinct subject ids, ascending; a record's `subject` is an index into this. */
  readonly subjectIds: Float64Array;
  /** Records of subjectIds[i] are rows subjectStart[i] … subjectStart[i + 1] − 1. */
  readonly subjectStart: Int32Array;
  readonly subject: Int32Array;
  readonly id: Float64Array;
  /** Index into catalogue.items. */
  readonly type: Uint16Array;
  /** Day numbers (days since 1970-01-01). */
  readonly occurred: Int32Array;
  /** Start of the validity window: decided_at, or occurred_at when absent. */
  readonly start: Int32Array;
  readonly recordedAt: Float64Array;
  /** NaN when the record carries no amount. */
  readonly amount: Float64Array;
  /** Index into RECORD_STATUSES. */
  readonly status: Uint8Array;
  /** 52-bit hash of the evidence reference, or −1 when there is none. */
  readonly evidence: Float64Array;
  /** The act: the evidence hash, or else a (type, occurred) key — negative so the two never meet. */
  readonly act: Float64Array;
}

export const STATUS_CODE: Readonly<Record<RecordStatus, number>> = Object.freeze(
  Object.fromEntries(RECORD_STATUSES.map((s, i) => [s, i])) as Record<RecordStatus, number>,
);

/** 52-bit FNV-1a style hash: two 32-bit lanes, so a collision inside one subject is negligible. */
function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 12) * 4294967296 + (b >>> 0);
}

/** Key of an act without evidence: same type on the same day. Always negative. */
const typeDayAct = (type: number, day: number) => -(type * 1048576 + (day + 524288)) - 1;

/** Accumulates records one at a time (e.g. streamed from the store), then sorts them into columns. */
export class ColumnBuilder {
  #n = 0;
  #cap: number;
  #subjectId: Float64Array;
  #id: Float64Array;
  #type: Uint16Array;
  #occurred: Int32Array;
  #start: Int32Array;
  #recordedAt: Float64Array;
  #amount: Float64Array;
  #status: Uint8Array;
  #evidence: Float64Array;
  readonly #typeIndex: Map<string, number>;
  readonly #catalogueVersion: string;

  constructor(catalogue: Catalogue, expected = 1024) {
    this.#catalogueVersion = catalogue.version;
    this.#typeIndex = new Map(catalogue.items.map((item, i) => [item.code, i]));
    this.#cap = Math.max(16, expected);
    this.#subjectId = new Float64Array(this.#cap);
    this.#id = new Float64Array(this.#cap);
    this.#type = new Uint16Array(this.#cap);
    this.#occurred = new Int32Array(this.#cap);
    this.#start = new Int32Array(this.#cap);
    this.#recordedAt = new Float64Array(this.#cap);
    this.#amount = new Float64Array(this.#cap);
    this.#status = new Uint8Array(this.#cap);
    this.#evidence = new Float64Array(this.#cap);
  }

  get length(): number {
    return this.#n;
  }

  /** Adds one record; `invalid_input` naming the record and field when it cannot be scored. */
  add(r: EngineRecord): void {
    const bad = (field: string, problem: string) =>
      invalidInput(`record ${r.id}: ${field} ${problem}`, [{ field, message: `${field} ${problem}` }]);
    if (!Number.isFinite(r.id)) throw bad('id', 'must be a number');
    if (!Number.isFinite(r.subjectId)) throw bad('subjectId', 'must be a number');
    const type = this.#typeIndex.get(r.type);
    if (type === undefined) throw bad('type', `"${r.type}" is not in the catalogue`);
    const occurred = parseDay(r.occurredAt);
    if (Number.isNaN(occurred)) throw bad('occurredAt', `"${r.occurredAt}" is not a date (YYYY-MM-DD)`);
    const decided = r.decidedAt === null ? occurred : parseDay(r.decidedAt);
    if (Number.isNaN(decided)) throw bad('decidedAt', `"${r.decidedAt}" is not a date (YYYY-MM-DD)`);
    const recordedAt = parseTimestampMs(r.recordedAt);
    if (Number.isNaN(recordedAt)) throw bad('recordedAt', `"${r.recordedAt}" is not an ISO timestamp`);
    const status = STATUS_CODE[r.status];
    if (status === undefined) throw bad('status', `"${r.status}" is not one of ${RECORD_STATUSES.join('|')}`);
    if (r.amount !== null && !Number.isFinite(r.amount)) throw bad('amount', 'must be a number or null');

    if (this.#n === this.#cap) this.#grow();
    const i = this.#n++;
    this.#subjectId[i] = r.subjectId;
    this.#id[i] = r.id;
    this.#type[i] = type;
    this.#occurred[i] = occurred;
    this.#start[i] = decided;
    this.#recordedAt[i] = recordedAt;
    this.#amount[i] = r.amount === null ? Number.NaN : r.amount;
    this.#status[i] = status;
    const caseKey = caseReferenceKey(r.evidence);
    this.#evidence[i] = caseKey === null ? -1 : hash52(caseKey);
  }

  #grow(): void {
    this.#cap *= 2;
    const grow = <T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.#cap);
      b.set(a);
      return b;
    };
    this.#subjectId = grow(this.#subjectId);
    this.#id = grow(this.#id);
    this.#type = grow(this.#type);
    this.#occurred = grow(this.#occurred);
    this.#start = grow(this.#start);
    this.#recordedAt = grow(this.#recordedAt);
    this.#amount = grow(this.#amount);
    this.#status = grow(this.#status);
    this.#evidence = grow(this.#evidence);
  }

  /** Sorts by subject then id and returns the columns. The builder is spent afterwards. */
  finish(): RecordColumns {
    const n = this.#n;
    const sid = this.#subjectId;
    const id = this.#id;
    const order = sortOrder(sid, id, n);

    const pick = <T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      if (order === null) b.set(a.subarray(0, n));
      else for (let i = 0; i < n; i++) b[i] = a[order[i]!]!;
      return b;
    };
    const subjectIdSorted = pick(sid);
    const type = pick(this.#type);
    const occurred = pick(this.#occurred);
    const evidence = pick(this.#evidence);
    const act = new Float64Array(n);
    for (let i = 0; i < n; i++)
      act[i] = evidence[i]! >= 0 ? evidence[i]! : typeDayAct(type[i]!, occurred[i]!);

    // Distinct subjects and their row ranges (rows are already grouped by subject).
    let distinct = 0;
    for (let i = 0; i < n; i++) if (i === 0 || subjectIdSorted[i] !== subjectIdSorted[i - 1]) distinct++;
    const subjectIds = new Float64Array(distinct);
    const subjectStart = new Int32Array(distinct + 1);
    const subject = new Int32Array(n);
    let s = -1;
    for (let i = 0; i < n; i++) {
      if (i === 0 || subjectIdSorted[i] !== subjectIdSorted[i - 1]) {
        s++;
        subjectIds[s] = subjectIdSorted[i]!;
        subjectStart[s] = i;
      }
      subject[i] = s;
    }
    subjectStart[distinct] = n;

    return Object.freeze({
      length: n,
      catalogueVersion: this.#catalogueVersion,
      subjectIds,
      subjectStart,
      subject,
      id: pick(id),
      type,
      occurred,
      start: pick(this.#start),
      recordedAt: pick(this.#recordedAt),
      amount: pick(this.#amount),
      status: pick(this.#status),
      evidence,
      act,
    });
  }
}

/** Builds the columns of a set of records (any order). */
export function buildColumns(records: readonly EngineRecord[], catalogue: Catalogue): RecordColumns {
  const builder = new ColumnBuilder(catalogue, records.length);
  for (const r of records) builder.add(r);
  return builder.finish();
}

/**
 * The permutation that sorts rows by (subject id, record id), or null when they already are —
 * the usual case when the store reads them in that order.
 */
function sortOrder(sid: Float64Array, id: Float64Array, n: number): Int32Array | null {
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    if (sid[i]! < sid[i - 1]! || (sid[i] === sid[i - 1] && id[i]! < id[i - 1]!)) sorted = false;
  }
  if (sorted) return null;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => sid[a]! - sid[b]! || id[a]! - id[b]!);
  return order;
}

/** Index of a subject id in the columns, or −1. */
export function findSubjectIndex(cols: RecordColumns, subjectId: number): number {
  const ids = cols.subjectIds;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === subjectId) return mid;
    if (v < subjectId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
