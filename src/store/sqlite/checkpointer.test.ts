/**
 * Background checkpoints: what a bulk writer commits is copied from the WAL back into the
 * database file by the checkpointing thread, without waiting for the writer's own (far larger)
 * auto-checkpoint threshold, and closing the store leaves no WAL behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { insertCourtSource } from '../../../test/store-fixtures.ts';
import { openStore, type RecordWrite } from '../index.ts';

const AT = '2026-01-15T08:00:00.000Z';
const actor = { actor: 'source:court-a', role: 'source', purpose: 'ingest', requestId: null };
const rec = (i: number): RecordWrite => ({
  sourceRecordId: `r-${i}`,
  type: 'court.contract_lawsuit_lost',
  subject: { kind: 'person', identifier: `11010519900101${String(i % 5000).padStart(4, '0')}`, name: '张伟' },
  occurredAt: '2025-06-01',
  decidedAt: null,
  disclosedAt: null,
  amount: null,
  evidence: `case ${i}`,
  note: null,
});

describe('SQLite background checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-ckpt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed batches into the database file while the writer goes on, and cleans up on close', async () => {
    const file = join(dir, 'c.db');
    const store = await openStore({ backend: 'sqlite', file });
    const sourceId = await insertCourtSource(store, AT, actor);
    const before = statSync(file).size;
    for (let b = 0; b < 10; b++) {
      const batch = Array.from({ length: 2000 }, (_, i) => rec(b * 2000 + i));
      await store.writeRecordBatch(sourceId, batch, AT, actor);
    }
    // Several MB committed, far below the writer's own checkpoint threshold: only the background
    // thread copies them into the database file.
    const deadline = Date.now() + 20_000;
    while (statSync(file).size < before + 2_000_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before + 2_000_000);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('lets a process that wrote in bulk finish once it closes the store', () => {
    // The checkpointing thread never keeps a process alive, yet closing waits for it to stop.
    const store = pathToFileURL(join(import.meta.dirname, '..', 'index.ts')).href;
    const script = `
      const { openStore } = await import(${JSON.stringify(store)});
      const s = await openStore({ backend: 'sqlite', file: ${JSON.stringify(join(dir, 'p.db'))} });
      const src = await s.insertSource({ code: 'c', kind: 'court', name: 'C', legalBasis: 'b', types: [], credentialHash: 'h' },
        '2026-01-15T08:00:00.000Z', { actor: 'a', role: 'operator', purpose: 'p', requestId: null, subjectId: null, action: 'source.create', detail: null });
      await s.writeRecordBatch(src.id, [], '2026-01-15T08:00:00.000Z', { actor: 'a', role: 'operator', purpose: 'p', requestId: null });
      await s.close();
      console.log('closed');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('closed');
    expect(r.status).toBe(0);
  });
});
