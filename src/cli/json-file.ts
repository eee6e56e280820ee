/** A JSON file named on the command line, read and parsed with an error that says where it is wrong. */
import { readFile } from 'node:fs/promises';
import { invalidInput } from '../shared/errors.ts';
import { statInputFile } from './input-file.ts';

/** Line and column (from 1) of a character offset in `text`. */
const lineColumn = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
};

/**
 * The parsed content of `file`; `invalid_input` (exit 2) naming the file, and the line and column
 * of the JSON error when the parser gives its position (the end of the text when it ran out).
 */
export const readJsonFile = async (file: string): Promise<unknown> => {
  await statInputFile(file); // ENOENT: file not found; a folder: not a regular file (exit 2)
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message.replace(/\s*\(line \d+ column \d+\)$/, '');
    const m = /at position (\d+)/.exec(message);
    const offset = m ? Number(m[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const where = offset === undefined ? undefined : lineColumn(text, offset);
    throw invalidInput(
      `${file} is not valid JSON: ${message}${where ? ` (line ${where.line}, column ${where.column})` : ''}`,
    );
  }
};
