/**
 * The CSV form of a roster (`credence sources staff add CODE --file staff.csv`): a header line
 * naming some of `licence, licence_kind, person, position, from, until`, then one person a line.
 * A bad line is named by its number; the whole file is added or none of it (staff.ts).
 */
import { parse } from 'csv-parse/sync';
import { invalidInput } from '../shared/errors.ts';
import type { StaffInput } from './staff.ts';

export const STAFF_CSV_COLUMNS = ['licence', 'licence_kind', 'person', 'position', 'from', 'until'] as const;

export const parseStaffCsv = (text: string): StaffInput[] => {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), {
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw invalidInput(`the roster file is not CSV: ${err.message ?? String(e)}`, [
      { field: err.lines !== undefined ? `line ${err.lines}` : 'file', message: 'not CSV' },
    ]);
  }
  const [head, ...body] = rows;
  const names = (head?.record ?? []).map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !(STAFF_CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw invalidInput(
      `line 1: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')} (expected ${STAFF_CSV_COLUMNS.join(', ')})`,
      unknown.map((n) => ({ field: 'line 1', message: `unknown column ${n}` })),
    );
  if (!names.includes('from') || (!names.includes('licence') && !names.includes('person')))
    throw invalidInput(
      'line 1: the header must name a "from" column and a "licence" or "person" column (one person a line)',
      [{ field: 'line 1', message: 'expected from and licence or person' }],
    );
  if (body.length === 0)
    throw invalidInput('the roster file has a header but no person: one line per person', [
      { field: 'file', message: 'empty' },
    ]);
  const at = (record: string[], name: (typeof STAFF_CSV_COLUMNS)[number]) => {
    const k = names.indexOf(name);
    const v = k < 0 ? undefined : record[k];
    return v === undefined || v === '' ? undefined : v;
  };
  return body.map(({ record, info }) => ({
    line: info.lines,
    licence: at(record, 'licence'),
    licenceKind: at(record, 'licence_kind'),
    person: at(record, 'person'),
    position: at(record, 'position'),
    from: at(record, 'from') ?? '',
    until: at(record, 'until') ?? null,
  }));
};
