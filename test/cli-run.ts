/**
 * The real `credence` binary run in a temporary folder of its own (DATA_DIR inside it), as the CLI
 * tests use it: one folder per suite, removed after it. On SQLite the store is a file in that
 * folder; on PostgreSQL it is a fresh database on the test server (DATABASE_URL), one per suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Config, parseConfig } from '../src/config.ts';
import { freshTestDatabase } from './pg-server.ts';
import type { TestBackend } from './platforms.ts';

export const BIN = join(import.meta.dirname, '..', 'bin', 'credence.js');

export interface CliFolder {
  /** The suite's temporary folder (set before the first test). */
  readonly dir: string;
  /** Its data folder, as the binary sees it. */
  readonly dataDir: string;
  /** The environment the binary runs with: DATA_DIR, DATABASE_URL ('' on SQLite), TIME_ZONE UTC. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** The configuration the binary runs with, to open the same platform in the test. */
  config(): Config;
  run(args: string[], env?: Record<string, string>): { code: number | null; out: string; err: string };
}

/** A temporary folder (and database, on PostgreSQL) for this suite and a runner of the binary on it. */
export const cliFolder = (name: string, backend?: Pick<TestBackend, 'name'>): CliFolder => {
  let dir = '';
  let databaseUrl = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `credence-${name}-`));
    if (backend?.name === 'postgres') databaseUrl = await freshTestDatabase();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The suites count today in UTC (`new Date().toISOString()`): so does the binary they run.
  const own = () => ({ DATA_DIR: join(dir, 'data'), DATABASE_URL: databaseUrl, TIME_ZONE: 'UTC' });
  const env = (extra: Record<string, string> = {}) => ({ ...process.env, ...own(), ...extra });
  return {
    get dir() {
      return dir;
    },
    get dataDir() {
      return join(dir, 'data');
    },
    env,
    config: () => parseConfig(own()),
    run(args, extra = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env: env(extra),
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
  };
};
