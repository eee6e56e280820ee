/**
 * Background checkpoints: what a bulk writer commits is copied from the WAL back into the
 * database file by the checkpointing thread, without waiting for the writer's own (far larger)
 * auto-checkpoint threshold, and closing the store leaves no WAL behind.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    const src = await store.insertSource(
      {
        code: 'court-a',
        kind: 'court',
        name: 'Court A',
        legalBasis: 'SPC 2017',
        types: ['court.contract_lawsuit_lost'],
        credentialHash: 'h1',
      },
      AT,
      { ...actor, subjectId: null, action: 'source.create', detail: null },
    );
    const before = statSync(file).size;
    for (let b = 0; b < 10; b++) {
      const batch = Array.from({ length: 2000 }, (_, i) => rec(b * 2000 + i));
      await store.writeRecordBatch(src.id, batch, AT, actor);
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
});
