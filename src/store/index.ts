/** The store's public face: the interface and a factory choosing the backend from configuration. */
import { openPostgresStore, type ReplicaConfig } from './postgres/index.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './types.ts';

export type * from './access-log.ts';
export type * from './audit-tree.ts';
export { auditTileLevels, DEFAULT_AUDIT_TILE_HEIGHT } from './audit-tree.ts';
export { checkLogGroupOf } from './common/audit-groups.ts';
export {
  checkIdOf,
  checkKeyOf,
  checkSuffixes,
  groupCheckIds,
  isExplainableCheckId,
  newCheckKey,
} from './common/check-log.ts';
export { recordsFingerprint } from './common/scoring.ts';
export type * from './console.ts';
export type * from './inspections.ts';
export type * from './lookup.ts';
export type * from './objections.ts';
export { storeExists } from './presence.ts';
export type * from './ratings.ts';
export type * from './repairs.ts';
export { backupSqliteFile, inspectSqliteStoreFile, type SqliteStoreSummary } from './sqlite/backup.ts';
export type * from './staff.ts';
export type * from './types.ts';

export type StoreConfig =
  | { backend: 'sqlite'; file: string }
  | {
      backend: 'postgres';
      url: string;
      /** A hot standby for the reads that may lag (DATABASE_REPLICA_URL, REPLICA_MAX_LAG_MS). */
      replica?: ReplicaConfig;
    };

/** Opens the configured store and brings its schema up to date. */
export const openStore = async (config: StoreConfig): Promise<Store> => {
  const store =
    config.backend === 'sqlite'
      ? openSqliteStore(config.file)
      : openPostgresStore(config.url, config.replica ? { replica: config.replica } : {});
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
};
