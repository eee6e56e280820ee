/**
 * The real `credence` binary run in a temporary folder of its own (DATA_DIR inside it, SQLite), as
 * the CLI tests use it: one folder per suite, removed after it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const BIN = join(import.meta.dirname, '..', 'bin', 'credence.js');

export interface CliFolder {
  /** The suite's temporary folder (set before the first test). */
  readonly dir: string;
  /** Its data folder, as the binary sees it. */
  readonly dataDir: string;
  run(args: string[]): { code: number | null; out: string; err: string };
}

/** A temporary folder for this suite and a runner of the binary on it. */
export const cliFolder = (name: string): CliFolder => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `credence-${name}-`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    get dataDir() {
      return join(dir, 'data');
    },
    run(args) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        env: { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
  };
};
