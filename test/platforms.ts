/**
 * Platforms on every backend for shared suites: a fresh SQLite file and a fresh PostgreSQL
 * database on the server the test set-up started (skipped, with the reason, where it has none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.ts';
import { type OpenOptions, openPlatform, type Platform } from '../src/platform/index.ts';
import { freshTestDatabase, testPostgresSkipReason } from './pg-server.ts';

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  skip?: string;
  open(opts?: OpenOptions): Promise<{
    platform: Platform;
    cleanup: () => Promise<void>;
    /** Another platform on the same database, as a second process would open it (close it yourself). */
    another: (opts?: OpenOptions) => Promise<Platform>;
  }>;
}

export const testBackends = (): TestBackend[] => {
  const pgSkip = testPostgresSkipReason();
  return [
    {
      name: 'sqlite',
      async open(opts = {}) {
        const dir = mkdtempSync(join(tmpdir(), 'credence-test-'));
        const platform = await openPlatform(parseConfig({ DATA_DIR: dir }), opts);
        return {
          platform,
          another: (o = opts) => openPlatform(parseConfig({ DATA_DIR: dir }), o),
          cleanup: async () => {
            await platform.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'postgres',
      ...(pgSkip ? { skip: pgSkip } : {}),
      async open(opts = {}) {
        const url = await freshTestDatabase();
        // The data folder still holds the audit log's key: a temporary one, never ./data.
        const dir = mkdtempSync(join(tmpdir(), 'credence-test-'));
        const config = () => parseConfig({ DATABASE_URL: url, DATA_DIR: dir });
        const platform = await openPlatform(config(), opts);
        return {
          platform,
          cleanup: async () => {
            await platform.close();
            rmSync(dir, { recursive: true, force: true });
          },
          another: (o = opts) => openPlatform(config(), o),
        };
      },
    },
  ];
};

export const suiteTitle = (what: string, b: TestBackend) =>
  `${what} on ${b.name}${b.skip ? ` (skipped: ${b.skip})` : ''}`;
