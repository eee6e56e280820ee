/**
 * A file named on the command line to be read (a record or registry file, a policy, a roster, a
 * draw's inputs, a backup): looked at before it is opened, so a folder, a device or a pipe is
 * refused with one sentence (invalid_input, exit 2) instead of a read that fails with EISDIR, never
 * ends, or hands a folder to SQLite.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { invalidInput } from '../shared/errors.ts';

/** The file's stats; ENOENT (file not found, exit 2) when it is absent, `invalid_input` unless it is a regular file. */
export const statInputFile = async (file: string): Promise<Stats> => {
  const info = await stat(file);
  if (!info.isFile())
    throw invalidInput(`${file} is not a regular file${info.isDirectory() ? ' (it is a folder)' : ''}`);
  return info;
};
