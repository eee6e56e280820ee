/**
 * The signer's memory of the last head it signed, kept beside its key in the data folder (never in
 * the database). Before it signs, the platform checks that the tree extends this head as well as
 * the latest head in the database: whoever holds only the database can delete the heads there and
 * rewrite the log, but cannot make the signer forget what it signed, so it will not sign the
 * rewrite; and `credence audit verify` on this machine checks the log against it too.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '../shared/ensure-dir.ts';

/** The file, inside the data folder, holding the last checkpoint this signer signed. */
export const LAST_HEAD_FILE = 'audit-log-last-head.checkpoint';

export interface SignerMemory {
  /** The last checkpoint signed here (a C2SP signed note), if any. */
  read(): string | undefined;
  /** Remembers a checkpoint just signed (atomically: a crash leaves the old one or the new one). */
  write(note: string): void;
}

export const fileSignerMemory = (dir: string): SignerMemory => {
  const file = join(dir, LAST_HEAD_FILE);
  return {
    read() {
      try {
        return readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    write(note) {
      ensureDir(dir);
      const tmp = join(dir, `.${LAST_HEAD_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      writeFileSync(tmp, note, { mode: 0o600 });
      renameSync(tmp, file);
    },
  };
};
