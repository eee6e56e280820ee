/**
 * `credence maintain` on the real binary: its help, its JSON in snake_case, a second run that
 * finds nothing due, and exit 2 for a date it cannot apply.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'credence.js');
let dir: string;
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-maintain-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence maintain', () => {
  it('says what it does', () => {
    const r = run(['maintain', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: credence maintain/);
    expect(r.out).toMatch(/--date <date>/);
    expect(r.out).toMatch(/--json/);
    expect(run(['--help']).out).toMatch(/maintain/);
  });

  it('applies what is due up to today, prints snake_case JSON, and a second run finds nothing', () => {
    expect(run(['init']).code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const first = run(['maintain', '--json', '--quiet']);
    expect(first.code, first.err).toBe(0);
    expect(JSON.parse(first.out)).toEqual({
      date: today,
      subjects: 0,
      transitions: 0,
      notifications: 0,
      archived: 0,
    });
    const second = run(['maintain', '--json', '--date', today]);
    expect(JSON.parse(second.out)).toEqual({
      date: today,
      subjects: 0,
      transitions: 0,
      notifications: 0,
      archived: 0,
    });
    const text = run(['maintain', '--quiet']);
    expect(text.out).toBe(
      `maintained through ${today}: 0 subjects due, 0 transitions, 0 notifications, 0 records archived\n`,
    );
    // One audit entry per run, and the day kept for `serve`.
    const db = new Database(join(dir, 'data', 'credence.db'), { readonly: true });
    try {
      const runs = db.prepare("select detail from audit_log where action = 'maintain.run'").all() as {
        detail: string;
      }[];
      expect(runs).toHaveLength(3);
      expect(JSON.parse(runs[0]!.detail)).toEqual({
        date: today,
        subjects: 0,
        transitions: 0,
        notifications: 0,
        archived: 0,
      });
      expect(db.prepare("select value from meta where key = 'maintained_through'").get()).toEqual({
        value: today,
      });
    } finally {
      db.close();
    }
  });

  it('refuses a date after today or not a date, with exit code 2', () => {
    const future = run(['maintain', '--date', '2999-01-01']);
    expect(future.code).toBe(2);
    expect(future.err).toMatch(/in the future/);
    expect(run(['maintain', '--date', 'yesterday']).code).toBe(2);
  });
});
