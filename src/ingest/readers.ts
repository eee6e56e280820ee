/**
 * Streaming readers: NDJSON and CSV files become numbered lines in constant memory. A line that
 * cannot be parsed comes through with its problem, so the batch can report it and go on.
 */

import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type { LineProblem } from './record-line.ts';

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
export async function* readNdjson(input: Readable, onBytes?: (n: number) => void): AsyncGenerator<RawLine[]> {
  let line = 0;
  /** The pieces of a line spanning reads, copied out of the reads they came in; joined once, at its end. */
  const carry: Buffer[] = [];
  const joined = (last?: Buffer) => {
    if (last) carry.push(last);
    const text = Buffer.concat(carry).toString('utf8');
    carry.length = 0;
    return text;
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    onBytes?.(bytes.length);
    const out: RawLine[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, start)) {
      line++;
      const text = carry.length ? joined(bytes.subarray(0, nl)) : bytes.toString('utf8', start, nl);
      start = nl + 1;
      const parsed = parseJsonLine(text, line);
      if (parsed) out.push(parsed);
    }
    if (start < bytes.length) carry.push(Buffer.from(bytes.subarray(start)));
    if (out.length) yield out;
  }
  if (carry.length) {
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
 * column holding JSON. Empty cells mean absent; `amount` is parsed as a number.
 */
export async function* readCsv(input: Readable, onBytes?: (n: number) => void): AsyncGenerator<RawLine[]> {
  let out: RawLine[] = [];
  for await (const row of readCsvRows(input, onBytes)) {
    out.push(row);
    if (out.length >= 1000) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

async function* readCsvRows(input: Readable, onBytes?: (n: number) => void): AsyncGenerator<RawLine> {
  if (onBytes)
    input.on('data', (c: Buffer | string) =>
      onBytes(typeof c === 'string' ? Buffer.byteLength(c) : c.length),
    );
  const parser = input.pipe(
    parseCsv({ columns: false, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  let header: string[] | undefined;
  for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const cells = rec.record;
    const line = rec.info.lines;
    if (!header) {
      header = cells.map((c) => c.trim());
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
    const obj: Record<string, unknown> = {};
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
}

const setPath = (obj: Record<string, unknown>, path: string[], value: unknown) => {
  let o = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof o[key] !== 'object' || o[key] === null) o[key] = {};
    o = o[key] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
};
