/** Repairs for both backends (see ../repairs.ts). */
import type { Kysely } from 'kysely';
import type { RepairStore } from '../repairs.ts';
import type { Database } from '../schema.ts';

export const repairStore = (_db: Kysely<Database>): RepairStore => ({});
