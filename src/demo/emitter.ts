/**
 * Turns a planned fact into a record of the record contract: checks the catalogue allows the type
 * for the source kind and the subject kind (and drops it if not), fills the amount the way the
 * type measures it, numbers it per source and year, and names the dates.
 */
import type { AmountKind, Catalogue, SourceKind } from '../catalogue/index.ts';
import { LICENSING_SOURCE_KINDS, REGISTRABLE_SOURCE_KINDS } from '../catalogue/index.ts';
import { DayNames, yearOf } from './calendar.ts';
import type { Random } from './random.ts';
import { demoSourceCode } from './sources.ts';
import type { DemoItem, RecordJson, SubjectJson } from './types.ts';

type SubjectKind = SubjectJson['kind'];

interface TypeRule {
  sources: ReadonlySet<SourceKind>;
  subjects: ReadonlySet<SubjectKind>;
  amount: AmountKind;
}

export interface Facts {
  occurred: number;
  decided?: number;
  disclosed?: number;
  /** A sum in yuan, used when the type measures money. */
  money?: number;
  evidence?: string;
  note?: string;
}

/** Money as people write it: under 1,000 to the yuan, then to the ten, then to the hundred. */
export const roundMoney = (yuan: number): number =>
  yuan < 1000 ? Math.round(yuan) : yuan < 100_000 ? Math.round(yuan / 10) * 10 : Math.round(yuan / 100) * 100;

export class Emitter {
  /** Items produced since the caller last drained them. */
  readonly out: DemoItem[] = [];
  readonly rng: Random;
  /** First and last day (day numbers) a record may carry. */
  readonly start: number;
  readonly end: number;
  readonly #types = new Map<string, TypeRule>();
  readonly #days: DayNames;
  readonly #firstYear: number;
  readonly #span: number;
  readonly #counters: Uint32Array;
  readonly #sourceCodes: readonly string[];
  readonly #idPrefixes: readonly string[];
  #kind: SubjectKind = 'person';
  #build: () => SubjectJson = () => {
    throw new Error('no subject');
  };
  #subject: SubjectJson | undefined;
  /** The subject without its licences, for sources that do not license its profession. */
  #unlicensed: SubjectJson | undefined;

  /** Records emitted so far (counted whether built or not). */
  emitted = 0;
  /** Counting only: records are drawn as when building (the same random stream), none is built. */
  readonly #counting: boolean;

  constructor(catalogue: Catalogue, rng: Random, start: number, end: number, counting = false) {
    this.rng = rng;
    this.#counting = counting;
    this.start = start;
    this.end = end;
    for (const item of catalogue.items) {
      this.#types.set(item.code, {
        sources: new Set(item.source_kinds),
        subjects: new Set(item.subject_kinds),
        amount: item.amount,
      });
    }
    this.#days = new DayNames(start, end);
    this.#firstYear = yearOf(start);
    this.#span = yearOf(end) - this.#firstYear + 1;
    this.#counters = new Uint32Array(REGISTRABLE_SOURCE_KINDS.length * this.#span);
    this.#sourceCodes = REGISTRABLE_SOURCE_KINDS.map(demoSourceCode);
    this.#idPrefixes = REGISTRABLE_SOURCE_KINDS.map((k) => k.replaceAll('_', '-'));
  }

  /** Starts the records of one subject; `build` makes its JSON, only if a record needs it. */
  begin(kind: SubjectKind, build: () => SubjectJson): void {
    this.#kind = kind;
    this.#build = build;
    this.#subject = undefined;
    this.#unlicensed = undefined;
  }

  /** The subject as `source` may send it: only a licensing source attaches a licence (the registry has it). */
  #subjectFor(source: SourceKind): SubjectJson {
    const s = this.#subject!;
    if (s.kind !== 'person' || !s.licences?.length) return s;
    if (s.licences.every((l) => LICENSING_SOURCE_KINDS[l.kind]?.includes(source))) return s;
    if (this.#unlicensed === undefined) {
      const { licences: _licences, ...bare } = s;
      this.#unlicensed = bare;
    }
    return this.#unlicensed;
  }

  /** A day in [lo, end − lag] (lo no earlier than the window's start), or −1 if there is none. */
  day(lo: number, lag = 0): number {
    const from = Math.max(lo, this.start);
    const to = this.end - lag;
    return from > to ? -1 : from + this.rng.int(to - from + 1);
  }

  /** Emits a record unless the catalogue forbids the type for this source kind or subject kind. */
  emit(type: string, source: SourceKind, facts: Facts): boolean {
    const rule = this.#types.get(type);
    if (rule === undefined || !rule.sources.has(source) || !rule.subjects.has(this.#kind)) return false;
    const rng = this.rng;
    // The amount is the only draw here: made first, so that counting draws exactly as building does.
    let amount: number | undefined;
    switch (rule.amount) {
      case 'money_yuan':
        amount = roundMoney(facts.money ?? rng.logUniform(200, 20_000));
        break;
      case 'months':
        amount = rng.range(1, 6);
        break;
      case 'hours':
        // Most volunteers log a few dozen hours; a few log hundreds.
        amount = Math.round(rng.logUniform(10, 300));
        break;
      default:
        break;
    }
    this.emitted++;
    if (this.#counting) return true;
    this.#subject ??= this.#build();
    const sourceIndex = (REGISTRABLE_SOURCE_KINDS as readonly string[]).indexOf(source);
    const year = yearOf(facts.decided ?? facts.occurred);
    const slot = sourceIndex * this.#span + (year - this.#firstYear);
    const seq = ++this.#counters[slot]!;
    const record: RecordJson = {
      source_record_id: `${this.#idPrefixes[sourceIndex]}-${year}-${String(seq).padStart(6, '0')}`,
      type,
      subject: this.#subjectFor(source),
      occurred_at: this.#days.get(facts.occurred),
    };
    if (facts.decided !== undefined) record.decided_at = this.#days.get(facts.decided);
    if (facts.disclosed !== undefined) record.disclosed_at = this.#days.get(facts.disclosed);
    if (amount !== undefined) record.amount = amount;
    if (facts.evidence !== undefined) record.evidence = facts.evidence;
    if (facts.note !== undefined) record.note = facts.note;
    this.out.push({ kind: 'record', source: this.#sourceCodes[sourceIndex]!, record });
    return true;
  }
}

/** Lags in days: a random whole number in [lo, hi]. */
export const lag = (m: Emitter, lo: number, hi: number): number => m.rng.range(lo, hi);

/** A fact decided `decide` days after it happened and, where published, disclosed `disclose` days after that. */
export const timeline = (
  m: Emitter,
  lo: number,
  decide: readonly [number, number],
  disclose?: readonly [number, number],
): { occurred: number; decided: number; disclosed?: number } | undefined => {
  const d1 = lag(m, decide[0], decide[1]);
  const d2 = disclose ? lag(m, disclose[0], disclose[1]) : 0;
  const occurred = m.day(lo, d1 + d2);
  if (occurred < 0) return undefined;
  return disclose
    ? { occurred, decided: occurred + d1, disclosed: occurred + d1 + d2 }
    : { occurred, decided: occurred + d1 };
};

// Publication within 7 working days (REFERENCE: licensing and penalty decisions) ≈ 0–9 calendar days.
export const PUBLISH: readonly [number, number] = [1, 9];
