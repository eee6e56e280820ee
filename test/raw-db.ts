/**
 * The database under a platform's store, for tests that must reach past the store's interface —
 * to tamper with rows the way someone holding the database could.
 */
import type { Kysely } from 'kysely';
import type { Platform } from '../src/platform/index.ts';
import type { Database } from '../src/store/schema.ts';

export const rawDb = (p: Platform): Kysely<Database> => (p.store as unknown as { db: Kysely<Database> }).db;

/** Kysely's `sql` tag, for the tampering those tests write by hand. */
export { sql } from 'kysely';
