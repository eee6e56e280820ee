/**
 * SQLite store files as backups: a consistent online copy of a store another process may be
 * writing, and what a file holds when it is offered as a store to restore.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { invalidInput } from '../../shared/errors.ts';

/** What a Credence store file holds, counted without writing to it. */
export interface SqliteStoreSummary {
  records: number;
  subjects: number;
  auditEntries: number;
  bytes: number;
}

/** Tables every Credence store has since its first migration. */
const REQUIRED_TABLES = ['meta', 'subjects', 'records', 'sources', 'audit_log', 'audit_heads'];

/**
 * Copies the database in `source` into the new file `dest` through SQLite's online backup, from a
 * read-only connection of its own: a server may go on writing meanwhile. All pages are copied in
 * one step, inside one read transaction, so the copy is the database as one commit left it (a
 * copy in several steps would start over each time another process commits).
 */
export const backupSqliteFile = async (source: string, dest: string): Promise<void> => {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(dest, { progress: () => 2 ** 30 });
  } finally {
    db.close();
  }
  // The copy carries the store's WAL mode in its header: made one self-contained file, it opens
  // (read-only too) without -wal and -shm files beside it. A restored store is put back in WAL mode
  // when it is opened.
  const copy = new Database(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
};

/**
 * Opens `file` read-only and checks it is a whole Credence store: a SQLite database that passes
 * SQLite's quick check and has the store's tables. Throws invalid_input naming what is wrong.
 */
export const inspectSqliteStoreFile = (file: string): SqliteStoreSummary => {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw invalidInput(`${file} is damaged: SQLite's quick check says ${String(check)}`);
    const tables = new Set(
      (db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0)
      throw invalidInput(`${file} is not a Credence store: it has no ${missing.join(', ')} table`);
    const count = (table: string) =>
      Number((db!.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
    return {
      records: count('records'),
      subjects: count('subjects'),
      auditEntries: count('audit_log'),
      bytes: statSync(file).size,
    };
  } catch (e) {
    if (
      (e as { code?: string }).code === 'SQLITE_NOTADB' ||
      (e as { code?: string }).code === 'SQLITE_CORRUPT'
    )
      throw invalidInput(`${file} is not a Credence store: not a SQLite database`);
    throw e;
  } finally {
    db?.close();
  }
};
