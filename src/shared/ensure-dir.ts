/**
 * Creating a folder and its missing parents, for every path an operator names (DATA_DIR, a backup
 * target, the demo's --out folder) and the data folder's own files.
 *
 * Not `mkdirSync(dir, { recursive: true })`: on Node 20 it spins forever at 100% CPU when mkdir
 * fails with ENOENT although the parent exists (any path under /proc, e.g. `/proc/nope/x`). Here
 * each missing level is made with a plain mkdir, from the nearest folder that exists down, so the
 * real error (ENOENT, EACCES, EROFS, ENOTDIR…) surfaces at once, naming the level it failed at.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** An error shaped like the file system's own (code, syscall, path), as the CLI reports them. */
const fsError = (code: string, message: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${message}, mkdir '${path}'`), { code, syscall: 'mkdir', path });

/**
 * Makes sure `dir` is a folder, creating it and any missing parent. Returns the top-most folder it
 * created (to remove on failure), undefined when `dir` was already there — as
 * `mkdirSync(dir, { recursive: true })` does. Throws the file system's error of the first level
 * that cannot be made, or ENOTDIR when the path or one of its parents is not a folder.
 */
export const ensureDir = (dir: string): string | undefined => {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    // ENOTDIR (a parent is a file) and EACCES propagate as they are.
    const st = statSync(at, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) throw fsError('ENOTDIR', 'not a directory', resolve(dir));
      break;
    }
    missing.push(at);
    const up = dirname(at);
    if (up === at) break; // the root itself is missing: its mkdir below says why
    at = up;
  }
  let created: string | undefined;
  for (let i = missing.length - 1; i >= 0; i--) {
    const level = missing[i]!;
    try {
      mkdirSync(level);
      created ??= level;
    } catch (e) {
      // Made by someone else in the meantime: fine, as long as it is a folder.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory()) throw e;
    }
  }
  return created;
};
