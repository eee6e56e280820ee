import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliFolder } from './cli-run.ts';

const cli = cliFolder('maintain-cli');
const run = cli.run;

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
    const db = new Database(join(cli.dir, 'data', 'credence.db'), { readonly: true });
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
