/**
 * A command that works on an existing store refuses a mistyped DATA_DIR or DATABASE_URL instead of
 * creating an empty store (and a new audit log key) there, which would then answer every check with
 * "nothing on file". On PostgreSQL the data folder, which holds the audit log's key, is then checked
 * when the platform opens (a missing key for a log already signed is refused there).
 */
import type { Config } from '../config.ts';
import { notFound } from '../shared/errors.ts';
import { storeExists } from '../store/index.ts';

const HINT = 'run `credence init` (or `credence start` to create one with the demo population)';

/** A PostgreSQL URL without its user name and password, for messages. */
export const redactedUrl = (url: string): string => {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
};

/** Throws `not_found` (exit 2) naming where no store was found and how to create one. */
export const assertStoreExists = async (config: Config): Promise<void> => {
  if (await storeExists(config.store)) return;
  throw notFound(
    config.store.backend === 'sqlite'
      ? `no store at ${config.dataDir}: ${HINT}, or check DATA_DIR`
      : `no store in the database ${redactedUrl(config.store.url)} (it has no Credence tables): ${HINT}, or check DATABASE_URL`,
  );
};
