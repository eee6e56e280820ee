/**
 * `credence audit verify` on the real binary: exit 0 with the tree size and root when the log is
 * intact, exit 1 naming the leaf index of a changed entry.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutAuditHead } from '../src/audit/index.ts';
import { parseConfig } from '../src/config.ts';
import { openPlatform } from '../src/platform/index.ts';

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
  dir = mkdtempSync(join(tmpdir(), 'credence-audit-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence audit verify', () => {
  it('says what it does', () => {
    const r = run(['audit', 'verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: credence audit verify/);
    expect(run(['--help']).out).toMatch(/audit/);
  });

  it('exits 0 with the size and root of an intact log, and 1 naming the leaf of a changed entry', async () => {
    expect(run(['init']).code).toBe(0);
    const p = await openPlatform(parseConfig({ DATA_DIR: join(dir, 'data'), DATABASE_URL: '' }));
    let head: { size: number; root: Buffer };
    try {
      await p.store.appendAudit(
        Array.from({ length: 20 }, (_, i) => ({
          actor: 'auditor:cli',
          role: 'auditor',
          purpose: 'inspection',
          subjectId: null,
          action: 'subjects.read',
          detail: `{"n":${i}}`,
          requestId: null,
        })),
        '2026-03-01T09:00:00.000Z',
      );
      const h = await cutAuditHead({
        ctx: p.ctx({ id: 'operator:cli', role: 'operator' }, 'cut a head'),
        deps: p.audit,
      });
      head = { size: h!.tree_size, root: Buffer.from(h!.root_hash, 'hex') };
    } finally {
      await p.close();
    }
    const root = head.root.toString('hex');
    const ok = run(['audit', 'verify']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe(`audit log intact: ${head.size} entries, root ${root}, 1 signed head checked\n`);
    expect(JSON.parse(run(['audit', 'verify', '--json']).out)).toEqual({
      ok: true,
      tree_size: head.size,
      root_hash: root,
      heads: 1,
    });

    const db = new Database(join(dir, 'data', 'credence.db'));
    try {
      db.prepare(`update audit_log set detail = '{"n":"changed"}' where leaf_index = ?`).run(head.size - 4);
    } finally {
      db.close();
    }
    const broken = run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(new RegExp(`^audit log broken at leaf ${head.size - 4}: `));
    expect(JSON.parse(run(['audit', 'verify', '--json']).out)).toMatchObject({
      ok: false,
      leaf_index: head.size - 4,
    });
  });
});
