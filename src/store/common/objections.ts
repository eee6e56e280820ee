/** Objections for both backends (see ../objections.ts). */
import type { Kysely } from 'kysely';
import type { ObjectionStore } from '../objections.ts';
import type { Database } from '../schema.ts';

export const objectionStore = (_db: Kysely<Database>): ObjectionStore => ({});
