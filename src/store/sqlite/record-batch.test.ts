/**
 * The SQLite batch writer's audit trail: every entry it writes can be recomputed from the log
 * (RFC 6962 leaf hashes), one `subject.create` entry per subject created, in creation order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { openStore, type RecordWrite, type Store } from '../index.ts';

const AT = '2026-01-15T08:00:00.000Z';
const actor = { actor: 'source:court-a', role: 'source', purpose: 'ingest', requestId: 'req-"1"' };

/** A valid-looking identifier per index; the store does not check them. */
const identifier = (i: number) => `1101051990010${String(i).padStart(4, '0')}X`;
const rec = (id: string, subject: number): RecordWrite => ({
  sourceRecordId: id,
  type: 'court.contract_lawsuit_lost',
  subject: {
    kind: 'person',
    identifier: identifier(subject),
    name: '张伟',
    birthDate: '1990-01-01',
    sex: 'male',
  },
  occurredAt: '2025-06-01',
  decidedAt: null,
  disclosedAt: null,
  amount: null,
  evidence: null,
  note: null,
});

interface AuditEntry {
  seq: number;
  subject_id: number | null;
  action: string;
  detail: string | null;
  leaf_hash: Buffer;
  at: string;
  actor: string;
  role: string;
  purpose: string;
  request_id: string | null;
}

describe('SQLite record batches', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let sourceId: number;
  const entries = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare(
          `select l.seq, l.subject_id, l.action, l.detail, l.leaf_hash, c.at, c.actor, c.role, c.purpose, c.request_id
           from audit_log l join audit_contexts c on c.id = l.context_id order by l.seq`,
        )
        .all() as AuditEntry[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credence-batch-'));
    file = join(dir, 'test.db');
    store = await openStore({ backend: 'sqlite', file });
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
    sourceId = src.id;
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('audits each subject it creates, in order, with leaf hashes anyone can recompute', async () => {
    const before = entries().length;
    // 123 new subjects: more than one multi-row audit statement's worth, and a remainder.
    const batch = Array.from({ length: 246 }, (_, i) => rec(`r-${i}`, i % 123));
    const out = await store.writeRecordBatch(sourceId, batch, AT, actor);
    expect(out.every((o) => o.status === 'stored')).toBe(true);

    const added = entries().slice(before);
    const created = added.filter((e) => e.action === 'subject.create');
    expect(created).toHaveLength(123);
    const subjectIds = [...new Set(out.map((o) => (o.status === 'stored' ? o.subjectId : 0)))];
    expect(created.map((e) => e.subject_id)).toEqual(subjectIds);
    expect(created.every((e) => e.detail === 'person')).toBe(true);
    // The batch's own entry comes last.
    expect(added.map((e) => e.action)).toEqual([...created.map(() => 'subject.create'), 'records.create']);
    for (const e of added) {
      const a = { actor: e.actor, role: e.role, purpose: e.purpose, requestId: e.request_id };
      expect(Buffer.from(e.leaf_hash).equals(auditLeafHash(a, e.at, e.subject_id, e.action, e.detail))).toBe(
        true,
      );
    }
  });

  it('creates and audits nothing more when the same batch comes again', async () => {
    const before = entries().length;
    const out = await store.writeRecordBatch(sourceId, [rec('r-0', 0), rec('r-1', 1)], AT, actor);
    expect(out.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    expect(entries().length).toBe(before);
  });
});
