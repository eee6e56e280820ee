import { join } from 'node:path';
import type { Command } from 'commander';
import { LOG_KEY_FILE, verifierKey } from '../../audit/index.ts';
import { describeStore, withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('init')
    .description(
      'create the database (SQLite in DATA_DIR, or PostgreSQL at DATABASE_URL) and load the default policies, with no demo data',
    )
    .action(
      withPlatform(
        async (p) => {
          const c = p.catalogue;
          process.stdout.write(
            `initialised ${describeStore(p)}\ncatalogue ${c.label}: ${c.items.length} record types (version ${c.version.slice(0, 12)})\n` +
              `audit log key: ${join(p.config.dataDir, LOG_KEY_FILE)} (keep it secret and backed up)\n` +
              `audit log public key (publish it): ${verifierKey(p.auditKey)}\n`,
          );
          return 0;
        },
        { create: true },
      ),
    );
