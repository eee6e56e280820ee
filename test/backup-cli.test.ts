/**
 * `credence backup` and `credence restore` through the real binary: a copy taken while a platform
 * has the store open restores into a fresh data folder whose audit log verifies and whose records
 * are all there; nothing is overwritten or replaced without --force; a file that is not a store,
 * or a key that did not sign its heads, restores nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLogKey } from '../src/audit/checkpoint.ts';
import { AUDIT_SEQUENCER, cutAuditHead } from '../src/audit/index.ts';
import { parseConfig } from '../src/config.ts';
import { cliOperator, openPlatform, type Platform } from '../src/platform/index.ts';
import { getSubjectFile } from '../src/subjects/index.ts';
import { BIN } from './cli-run.ts';
import { rawDb } from './raw-db.ts';

let home = '';
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'credence-backup-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const run = (dataDir: string, args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** Who copied the store out or put a copy in place, as the restored audit log says. */
const copies = async (dataDir: string) => {
  const p = await openPlatform(parseConfig({ DATA_DIR: dataDir }));
  try {
    return (
      await rawDb(p)
        .selectFrom('audit_log as l')
        .innerJoin('audit_contexts as c', 'c.id', 'l.context_id')
        .select(['c.actor', 'l.action'])
        .where('l.action', 'in', ['store.backup', 'store.restore'])
        .orderBy('l.seq')
        .execute()
    ).map((r) => `${r.action} by ${r.actor}`);
  } finally {
    await p.close();
  }
};
const records = async (dataDir: string) => {
  const p = await openPlatform(parseConfig({ DATA_DIR: dataDir }));
  try {
    return await p.store.countRecords();
  } finally {
    await p.close();
  }
};

describe('credence backup and restore (SQLite)', () => {
  const source = () => join(home, 'source');
  const file = () => join(home, 'backups', 'credence.backup');
  let open: Platform | undefined;

  beforeAll(async () => {
    const demo = run(source(), ['demo', '--persons', '300', '--organizations', '40', '--quiet']);
    expect(demo.code, demo.err).toBe(0);
    // A platform keeps the store open (as a server would) while the backup is taken.
    open = await openPlatform(parseConfig({ DATA_DIR: source() }));
  }, 120_000);
  afterAll(async () => open?.close());

  it('copies the store and its key while a platform has it open, and restores both into a fresh data folder', async () => {
    const before = await open!.store.countRecords();
    expect(before).toBeGreaterThan(0);
    // The backup runs in its own process while this one goes on writing: every file read below
    // appends an audit entry, and heads are cut over them, as a serving platform does.
    const p = open!;
    const ids = (await rawDb(p).selectFrom('subjects').select('identifier').limit(50).execute()).map(
      (r) => r.identifier,
    );
    const child = spawn(process.execPath, [BIN, 'backup', file()], {
      env: { ...process.env, DATA_DIR: source(), DATABASE_URL: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    let exit: number | null | undefined;
    child.once('exit', (code) => {
      exit = code;
    });
    let reads = 0;
    while (exit === undefined) {
      await getSubjectFile({
        ctx: p.ctx(cliOperator(p.config), 'read files while a backup is taken'),
        input: { identifier: ids[reads++ % ids.length]! },
      });
      if (reads % 10 === 0)
        await cutAuditHead({ ctx: p.ctx(AUDIT_SEQUENCER, 'sign the audit log head'), deps: p.audit });
      await new Promise((r) => setImmediate(r));
    }
    const b = { code: exit, out, err };
    expect(b.code, b.err).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(b.out).toContain(`backup written: ${file()} (${before} records`);
    expect(statSync(`${file()}.key`).mode & 0o777).toBe(0o600);
    expect(statSync(file()).mode & 0o077).toBe(0);
    // No temporary file is left beside it.
    expect(readdirSync(join(home, 'backups')).sort()).toEqual(['credence.backup', 'credence.backup.key']);

    const fresh = join(home, 'fresh');
    const r = run(fresh, ['restore', file()]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/audit log intact/);
    const verified = run(fresh, ['audit', 'verify']);
    expect(verified.code, verified.err).toBe(0);
    expect(await records(fresh)).toBe(before);
    // The backup read every subject's data: the copy holds its own audit entry, and the restore its.
    expect(await copies(fresh)).toEqual(['store.backup by operator:cli', 'store.restore by operator:cli']);
  });

  it('overwrites a backup only with --force', () => {
    const again = run(source(), ['backup', file()]);
    expect(again.code).toBe(4);
    expect(again.err).toMatch(/already exists: add --force/);
    expect(run(source(), ['backup', file(), '--force']).code).toBe(0);
  });

  it('replaces a store holding data only with --force, keeping the replaced files beside it', async () => {
    const target = join(home, 'target');
    const demo = run(target, ['demo', '--persons', '50', '--organizations', '5', '--quiet']);
    expect(demo.code, demo.err).toBe(0);
    const theirs = await records(target);
    const refused = run(target, ['restore', file()]);
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/already holds a store .* add --force/);
    expect(await records(target)).toBe(theirs);

    const forced = run(target, ['restore', file(), '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toMatch(/replaced files are kept/);
    expect(readdirSync(target).some((f) => /^credence\.db\.replaced-/.test(f))).toBe(true);
    expect(run(target, ['audit', 'verify']).code).toBe(0);
    expect(await records(target)).toBe(await open!.store.countRecords());
  });

  it('restores nothing from a file that is not a store, or with a key that did not sign its heads', async () => {
    const junk = join(home, 'junk.backup');
    writeFileSync(junk, 'not a database at all, just some text long enough to be read');
    writeFileSync(`${junk}.key`, 'x');
    const notStore = run(join(home, 'fresh-2'), ['restore', junk]);
    expect(notStore.code).toBe(2);
    expect(notStore.err).toMatch(/is not a Credence store/);

    const otherKey = join(home, 'other.key');
    writeFileSync(otherKey, generateLogKey().privateKeyPem, { mode: 0o600 });
    const wrongKey = run(join(home, 'fresh-3'), ['restore', file(), '--key', otherKey]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.err).toMatch(/does not verify with .*other\.key.*nothing was restored/);
    expect(existsSync(join(home, 'fresh-3', 'credence.db'))).toBe(false);

    const noKey = join(home, 'no-key.backup');
    expect(run(source(), ['backup', noKey]).code).toBe(0);
    rmSync(`${noKey}.key`);
    const missing = run(join(home, 'fresh-4'), ['restore', noKey]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no-key\.backup\.key is missing/);
  });
});

describe('credence backup on PostgreSQL', () => {
  it('prints the pg_dump and pg_restore commands and exits 6', () => {
    const r = run(join(home, 'pg'), ['backup', join(home, 'pg.dump')], {
      DATABASE_URL: 'postgres://credence@127.0.0.1:1/credence',
    });
    expect(r.code).toBe(6);
    expect(r.err).toContain('pg_dump --format=custom');
    expect(r.err).toContain('pg_restore');
    expect(existsSync(join(home, 'pg.dump'))).toBe(false);
  });

  it('a database that refuses connections is "unavailable" (exit 6), not a crash, and no key is made', () => {
    const r = run(join(home, 'pg-down'), ['sources', 'list'], {
      DATABASE_URL: 'postgres://credence@127.0.0.1:1/credence',
    });
    expect(r.code, r.err).toBe(6);
    expect(r.err).toMatch(/cannot reach the database: .*ECONNREFUSED/);
    expect(existsSync(join(home, 'pg-down', 'audit-log-key.pem'))).toBe(false);
  });
});
