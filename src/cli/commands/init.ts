import type { Command } from 'commander';
import { describeStore, withPlatform } from '../run.ts';

export const register = (program: Command) =>
  program
    .command('init')
    .description(
      'create the database (SQLite in DATA_DIR, or PostgreSQL at DATABASE_URL) and load the default policies, with no demo data',
    )
    .action(
      withPlatform(async (p) => {
        const c = p.catalogue;
        process.stdout.write(
          `initialised ${describeStore(p)}\ncatalogue ${c.label}: ${c.items.length} record types (version ${c.version.slice(0, 12)})\n`,
        );
        return 0;
      }),
    );
