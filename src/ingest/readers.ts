/**
 * Streaming readers: NDJSON and CSV files become numbered lines in constant memory. A line that
 * cannot be parsed comes through with its problem, so the batch can report it and go on.
 */

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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

/** NDJSON: one JSON object per line; blank lines are skipped but still counted. */
export async function* readNdjson(input: Readable, onBytes?: (n: number) => void): AsyncGenerator<RawLine[]> {
  let carry = '';
  let line = 0;
  // Decoding here rather than with setEncoding: the byte count comes from the buffer for free.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let piece: string;
    if (typeof chunk === 'string') {
      onBytes?.(Buffer.byteLength(chunk));
      piece = chunk;
    } else {
      onBytes?.(chunk.length);
      piece = decoder.write(chunk);
    }
    // Lines are cut from the piece itself; only the line spanning two reads is joined, so a
    // whole piece is never copied into a new string.
    const out: RawLine[] = [];
    let start = 0;
    for (let nl = piece.indexOf('\n'); nl !== -1; nl = piece.indexOf('\n', start)) {
      line++;
      const text = piece.slice(start, nl);
      const parsed = parseJsonLine(start === 0 && carry ? carry + text : text, line);
      start = nl + 1;
      if (parsed) out.push(parsed);
    }
    carry = start === 0 ? carry + piece : piece.slice(start);
    if (out.length) yield out;
  }
  carry += decoder.end();
  if (carry.length > 0) {
    const parsed = parseJsonLine(carry, ++line);
    if (parsed) yield [parsed];
  }
}

const parseJsonLine = (raw: string, line: number): RawLine | undefined => {
  const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
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
