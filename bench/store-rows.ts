/**
 * Rows written straight into a platform's tables for a bench's set-up, on either backend, much
 * faster than the write paths (and without their checks): on SQLite one prepared insert per table
 * in transactions of `batch` rows, writes not synced; on PostgreSQL one multi-row insert of column
 * arrays (unnest) per batch, its commits not waited for (`synchronous_commit = off` for this
 * session only) and, where the role may, its foreign keys not checked. Set-up is never timed; the timed parts run through the platform.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../src/config.ts';

/** A column: its name and its PostgreSQL type (for the array it is passed in). */
export type Column = readonly [name: string, pgType: string];

/** The columns a bench writes for a subject: id, kind, identifier, name, created_at. */
export const SUBJECT_COLUMNS: readonly Column[] = [
  ['id', 'bigint'],
  ['kind', 'text'],
  ['identifier', 'text'],
  ['name', 'text'],
  ['created_at', 'text'],
];

export interface RowWriter {
  readonly backend: 'sqlite' | 'postgres';
  /** Inserts the rows (values in the order of `columns`), `batch` a transaction. */
  insert(
    table: string,
    columns: readonly Column[],
    rows: Iterable<unknown[]>,
    batch?: number,
  ): Promise<number>;
  /** A statement with `?` placeholders (numbered `$n` on PostgreSQL); its rows. */
  all<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** The first row of a statement's (which must give one). */
  one<T>(text: string, params?: unknown[]): Promise<T>;
  /** After rows inserted with explicit keys: the table's key sequence moved past them (PostgreSQL). */
  syncKey(table: string, column?: string): Promise<void>;
  close(): Promise<void>;
}

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

export const openRowWriter = async (store: Config['store']): Promise<RowWriter> => {
  const w = await open(store);
  return {
    ...w,
    async one<T>(text: string, params?: unknown[]) {
      const [row] = await w.all<T>(text, params);
      if (row === undefined) throw new Error(`no row from ${text}`);
      return row;
    },
  };
};

const open = async (store: Config['store']): Promise<Omit<RowWriter, 'one'>> => {
  if (store.backend === 'sqlite') {
    const db = new Database(store.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    return {
      backend: 'sqlite',
      async insert(table, columns, rows, batch = 100_000) {
        const ins = db.prepare(
          `insert into ${table} (${columns.map((c) => c[0]).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        let n = 0;
        let pending: unknown[][] = [];
        const flush = db.transaction((xs: unknown[][]) => {
          for (const x of xs) ins.run(...x);
        });
        for (const r of rows) {
          pending.push(r);
          if (pending.length === batch) {
            flush(pending);
            n += pending.length;
            pending = [];
          }
        }
        flush(pending);
        return n + pending.length;
      },
      all: async <T>(text: string, params: unknown[] = []) => {
        const s = db.prepare(text);
        if (s.reader) return s.all(...params) as T[];
        s.run(...params);
        return [];
      },
      syncKey: async () => {},
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: store.url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  // Foreign keys not checked row by row (about half the insert time): the rows are consistent by
  // construction. Only a superuser may; on another role the checks stay.
  await client.query('set session_replication_role = replica').catch(() => {});
  return {
    backend: 'postgres',
    async insert(table, columns, rows, batch = 20_000) {
      const text = `insert into ${table} (${columns.map((c) => c[0]).join(', ')})
        select * from unnest(${columns.map((c, i) => `$${i + 1}::${c[1]}[]`).join(', ')})`;
      let n = 0;
      let pending: unknown[][] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        await client.query(
          text,
          columns.map((_, j) => pending.map((r) => r[j] ?? null)),
        );
        n += pending.length;
        pending = [];
      };
      for (const r of rows) {
        pending.push(r);
        if (pending.length === batch) await flush();
      }
      await flush();
      return n;
    },
    all: async <T>(text: string, params: unknown[] = []) =>
      (await client.query(numbered(text), params)).rows as T[],
    async syncKey(table, column = 'id') {
      await client.query(
        `select setval(pg_get_serial_sequence('${table}', '${column}'), coalesce((select max(${column}) from ${table}), 1))`,
      );
    },
    close: () => client.end(),
  };
};

/**
 * A bench's bare read: a keyset query (`… where id > ? order by id limit <page>`, its first column
 * the key) paged through the bare driver on the store's backend (better-sqlite3 read-only, or one
 * pg client), rows as arrays. Returns how many rows it read.
 */
export const bareKeysetRead = async (store: Config['store'], text: string, page: number): Promise<number> => {
  let n = 0;
  if (store.backend === 'sqlite') {
    const raw = new Database(store.file, { readonly: true });
    const q = raw.prepare(text).raw();
    for (let after = 0; ; ) {
      const rows = q.all(after) as unknown[][];
      n += rows.length;
      if (rows.length < page) break;
      after = Number(rows[rows.length - 1]![0]);
    }
    raw.close();
    return n;
  }
  const client = new pg.Client({ connectionString: store.url });
  await client.connect();
  try {
    for (let after = 0; ; ) {
      const { rows } = await client.query({
        text: text.replace('?', '$1'),
        values: [after],
        rowMode: 'array',
      });
      n += rows.length;
      if (rows.length < page) break;
      after = Number(rows[rows.length - 1]![0]);
    }
  } finally {
    await client.end();
  }
  return n;
};
