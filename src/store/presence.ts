/**
 * Whether the configured store is there, asked before anything is opened, so that a command working
 * on an existing store can refuse a mistyped DATA_DIR or DATABASE_URL instead of creating an empty
 * store there (which would then answer every check with "nothing on file").
 *
 * SQLite: the database file exists. PostgreSQL: the database has run the store's migrations (an
 * empty database is no store).
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { connectionConfig } from './postgres/connection.ts';

/** The table Kysely's migrator keeps (its default name): present and not empty once a store was created. */
const MIGRATION_TABLE = 'kysely_migration';

const postgresHasStore = async (url: string): Promise<boolean> => {
  const client = new pg.Client(connectionConfig(url));
  // A connection error is reported once, by connect() or query(): an unhandled 'error' event would
  // end the process instead.
  client.on('error', () => {});
  await client.connect();
  try {
    const table = await client.query<{ t: string | null }>('select to_regclass($1)::text as t', [
      MIGRATION_TABLE,
    ]);
    if (!table.rows[0]?.t) return false;
    const rows = await client.query(`select 1 from ${MIGRATION_TABLE} limit 1`);
    return rows.rowCount !== null && rows.rowCount > 0;
  } finally {
    await client.end().catch(() => {});
  }
};

/** Whether a store was created where the configuration points (nothing is created or changed). */
export const storeExists = async (
  config: { backend: 'sqlite'; file: string } | { backend: 'postgres'; url: string },
): Promise<boolean> => (config.backend === 'sqlite' ? existsSync(config.file) : postgresHasStore(config.url));
