/**
 * Streaming readers: NDJSON and CSV files become numbered lines in constant memory. A line that
 * cannot be parsed comes through with its problem, so the batch can report it and go on.
 */

import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { invalidInput } from '../shared/errors.ts';
import type { LineProblem } from './record-line.ts';

/**
 * The longest line (NDJSON) or record (CSV) read, in bytes: sixteen times the largest line the
 * record contract accepts (every text field at its maximum, in four-byte characters), so no valid
 * line comes near it, and a line without an end is refused without being held in memory.
 */
export const MAX_LINE_BYTES = 64 * 1024;

const tooLong = (max: number): LineProblem => ({
  field: '(line)',
  reason: `longer than ${max.toLocaleString('en')} bytes, the limit for one line: refused unread`,
});

export interface RawLine {
  /** 1-based line number in the file (for CSV: the row's line, the header being line 1). */
  line: number;
  value?: unknown;
  problem?: LineProblem;
}

/**
 * Numbered lines, one at a time or in chunks: readers yield a chunk per block read from the file,
 * so the per-line cost of async iteration is paid once per chunk.
 */
export type Lines = Iterable<RawLine> | AsyncIterable<RawLine | RawLine[]>;

/** Flattens any `Lines` into chunks of lines. */
export async function* chunksOf(lines: Lines): AsyncGenerator<RawLine[]> {
  for await (const x of lines as AsyncIterable<RawLine | RawLine[]>) yield Array.isArray(x) ? x : [x];
}

/**
 * NDJSON: one JSON object per line; blank lines are skipped but still counted. Lines are cut from
 * the bytes (a newline byte is never part of a multi-byte UTF-8 character) and each is decoded on
 * its own: decoding a whole read into one string costs several times more than decoding its lines
 * one by one, once the text holds any non-ASCII character.
 */
export async function* readNdjson(
  input: Readable,
  onBytes?: (n: number) => void,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<RawLine[]> {
  let line = 0;
  /** The pieces of a line spanning reads, copied out of the reads they came in; joined once, at its end. */
  const carry: Buffer[] = [];
  let carried = 0;
  /** The current line passed the limit: its bytes are dropped up to its end. */
  let skipping = false;
  const joined = (last?: Buffer) => {
    if (last) carry.push(last);
    const text = Buffer.concat(carry).toString('utf8');
    carry.length = 0;
    carried = 0;
    return text;
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    onBytes?.(bytes.length);
    const out: RawLine[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, start)) {
      line++;
      if (skipping || carried + (nl - start) > maxLineBytes) {
        out.push({ line, problem: tooLong(maxLineBytes) });
        skipping = false;
        carry.length = 0;
        carried = 0;
        start = nl + 1;
        continue;
      }
      const text = carry.length ? joined(bytes.subarray(start, nl)) : bytes.toString('utf8', start, nl);
      start = nl + 1;
      const parsed = parseJsonLine(text, line);
      if (parsed) out.push(parsed);
    }
    if (start < bytes.length && !skipping) {
      carried += bytes.length - start;
      if (carried > maxLineBytes) {
        skipping = true;
        carry.length = 0;
        carried = 0;
      } else carry.push(Buffer.from(bytes.subarray(start)));
    }
    if (out.length) yield out;
  }
  if (skipping) yield [{ line: ++line, problem: tooLong(maxLineBytes) }];
  else if (carry.length) {
    const parsed = parseJsonLine(joined(), ++line);
    if (parsed) yield [parsed];
  }
}

const parseJsonLine = (raw: string, line: number): RawLine | undefined => {
  let s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  // A byte-order mark at the start of the file is not part of the first line.
  if (line === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  // A line starting with `{` is not blank: skip the trim (a copy of the line) on the usual path.
  if (s.charCodeAt(0) !== 123 && s.trim() === '') return undefined;
  try {
    return { line, value: JSON.parse(s) };
  } catch (e) {
    return { line, problem: { field: '(line)', reason: `malformed JSON: ${(e as Error).message}` } };
  }
};

/**
 * CSV with a header row of the contract's field names. Nested subject fields are dotted columns
 * (`subject.kind`, `subject.id_number`, `subject.legal_representative.name`...) or one `subject`
 * column holding JSON. Empty cells mean absent; `amount` is parsed as a number. A header naming
 * a column twice, an empty column or a name that could reach an object's prototype (`__proto__`,
 * `constructor`, `prototype`) refuses the file; rows are built on objects without a prototype.
 */
export async function* readCsv(
  input: Readable,
  onBytes?: (n: number) => void,
  maxRecordBytes = MAX_LINE_BYTES,
): AsyncGenerator<RawLine[]> {
  let out: RawLine[] = [];
  for await (const row of readCsvRows(input, onBytes, maxRecordBytes)) {
    out.push(row);
    if (out.length >= 1000) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** Marks a record `CsvRecordCap` dropped; a NUL never survives the text rules, so no real cell holds it. */
const DROPPED = '\u0000credence:record-too-long\u0000';

/**
 * Stands before csv-parse and replaces a record longer than the limit by one `DROPPED` cell with
 * as many line breaks, so csv-parse never holds it and the rows after it keep their line numbers.
 * (csv-parse's own `max_record_size` ends the whole parse at the first such record.) Records end
 * at a line feed outside double quotes, as csv-parse reads them.
 */
class CsvRecordCap extends Transform {
  #held: Buffer[] = [];
  #length = 0;
  #quoted = false;
  #skipping = false;
  /** Line feeds inside the current record (quoted), and whether the last line feed followed a CR. */
  #breaks = 0;
  #crlf = false;
  #prev = 0;
  constructor(private readonly max: number) {
    super();
  }

  #marker(): Buffer {
    const br = this.#crlf ? '\r\n' : '\n';
    return Buffer.from(`"${DROPPED}${br.repeat(this.#breaks)}"${br}`, 'utf8');
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const parts: Buffer[] = [];
    /** Start of the bytes of this read not yet passed on or held; `ready`: end of its complete records. */
    let from = 0;
    let ready = 0;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!;
      if (c === 34) this.#quoted = !this.#quoted;
      else if (c === 10) {
        this.#crlf = this.#prev === 13;
        if (!this.#quoted) {
          if (this.#skipping) {
            parts.push(this.#marker());
            this.#skipping = false;
            from = i + 1;
          } else if (this.#held.length) {
            parts.push(...this.#held);
            this.#held = [];
          }
          ready = i + 1;
          this.#length = 0;
          this.#breaks = 0;
          this.#prev = c;
          continue;
        }
        this.#breaks++;
      }
      this.#prev = c;
      if (++this.#length > this.max && !this.#skipping) {
        // Pass on the complete records before this one; drop what was read of it.
        if (ready > from) parts.push(bytes.subarray(from, ready));
        this.#held = [];
        this.#skipping = true;
      }
    }
    if (!this.#skipping) {
      if (ready > from) parts.push(bytes.subarray(from, ready));
      if (ready < bytes.length) this.#held.push(Buffer.from(bytes.subarray(ready)));
    }
    if (parts.length) this.push(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#skipping) this.push(this.#marker());
    else if (this.#held.length) this.push(Buffer.concat(this.#held));
    done();
  }
}

/** Header names that would reach an object's prototype if used as keys. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The header's columns, or a refusal of the file naming the column at fault. */
const checkHeader = (cells: string[]): string[] => {
  const header = cells.map((c) => c.trim());
  const seen = new Set<string>();
  header.forEach((col, i) => {
    const at = `CSV header, column ${i + 1}`;
    if (col.startsWith(DROPPED))
      throw invalidInput(
        `CSV header: longer than ${MAX_LINE_BYTES.toLocaleString('en')} bytes, the limit for one line`,
      );
    if (col === '')
      throw invalidInput(`${at}: empty column name: every column names a field of the record contract`);
    const bad = col.split('.').find((part) => part === '' || PROTOTYPE_KEYS.has(part));
    if (bad !== undefined)
      throw invalidInput(
        bad === ''
          ? `${at}: "${col}" has an empty part between dots`
          : `${at}: "${col}" is not a field of the record contract ("${bad}" is never a field name)`,
      );
    if (seen.has(col)) throw invalidInput(`${at}: "${col}" is named twice`);
    seen.add(col);
  });
  return header;
};

async function* readCsvRows(
  input: Readable,
  onBytes: ((n: number) => void) | undefined,
  maxRecordBytes: number,
): AsyncGenerator<RawLine> {
  if (onBytes)
    input.on('data', (c: Buffer | string) =>
      onBytes(typeof c === 'string' ? Buffer.byteLength(c) : c.length),
    );
  const parser = input.pipe(new CsvRecordCap(maxRecordBytes)).pipe(
    parseCsv({
      columns: false,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      // A row the parser cannot read (a stray or unclosed quote) is refused on its own line and the
      // rows after it are still read, rather than the whole file failing part way.
      skip_records_with_error: true,
    }),
  );
  const unreadable: { line: number; problem: LineProblem }[] = [];
  parser.on('skip', (e: Error & { code?: string; lines?: number }) =>
    unreadable.push({
      line: e.lines ?? 0,
      problem: {
        field: '(line)',
        reason:
          e.code === 'CSV_QUOTE_NOT_CLOSED'
            ? `malformed CSV: a quote opened on an earlier line is never closed, so the lines from it to here were read as one field (${e.message})`
            : `malformed CSV: ${e.message}`,
      },
    }),
  );
  let header: string[] | undefined;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const cells = rec.record;
    const line = rec.info.lines;
    // The parser runs ahead of this loop: a row it skipped is told in its place among the others.
    while (unreadable.length > 0 && unreadable[0]!.line < line) yield unreadable.shift()!;
    if (!header) {
      header = checkHeader(cells);
      continue;
    }
    if (cells.length === 1 && cells[0]!.startsWith(DROPPED)) {
      yield { line, problem: tooLong(maxRecordBytes) };
      continue;
    }
    if (cells.length !== header.length) {
      yield {
        line,
        problem: {
          field: '(line)',
          reason: `expected ${header.length} columns as in the header, found ${cells.length}`,
        },
      };
      continue;
    }
    // No prototype: whatever a cell or the header holds, a row can never reach Object.prototype.
    const obj: Record<string, unknown> = Object.create(null);
    let problem: LineProblem | undefined;
    header.forEach((col, i) => {
      const cell = cells[i]!;
      if (cell === '' || problem) return;
      if (col === 'subject') {
        try {
          obj.subject = JSON.parse(cell);
        } catch {
          problem = { field: 'subject', reason: 'the subject column must hold a JSON object' };
        }
        return;
      }
      let value: unknown = cell;
      if (col === 'amount') {
        const n = Number(cell);
        value = Number.isFinite(n) && cell.trim() !== '' ? n : cell;
      }
      if (col.endsWith('.licences')) {
        // kind:number;kind:number
        value = cell.split(';').map((p) => {
          const [kind, number] = p.split(':');
          return { kind: kind?.trim(), number: number?.trim() };
        });
      }
      setPath(obj, col.split('.'), value);
    });
    yield problem ? { line, problem } : { line, value: obj };
  }
  while (unreadable.length > 0) yield unreadable.shift()!;
}

const setPath = (obj: Record<string, unknown>, path: string[], value: unknown) => {
  let o = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof o[key] !== 'object' || o[key] === null) o[key] = Object.create(null);
    o = o[key] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
};
