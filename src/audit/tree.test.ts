/**
 * The audit log as a Merkle tree, on every backend: entries written by the normal verbs are
 * sequenced, the root is RFC 6962's over their leaf hashes, proofs read from the tiles verify (also
 * across tile boundaries, with small tiles), and verification names the leaf of a changed entry or
 * context and fails against the head when the last entry is deleted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_AT, appendAuditEntries } from '../../test/audit-entries.ts';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import type { Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { auditLeafHash } from '../shared/audit-leaf.ts';
import {
  auditConsistencyProof,
  auditInclusionProof,
  cutAuditHead,
  leafHash,
  memorySource,
  rootOf,
  verifyAuditLog,
  verifyConsistency,
  verifyInclusion,
} from './index.ts';
import { sequenceEntries } from './tree.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const auditor: Principal = { id: 'auditor:test', role: 'auditor' };
const AT = AUDIT_AT;

/** Sequences what waits and cuts a signed head (with `p`'s store, signed with `keyOf`'s key): its size and root. */
const cutHead = async (p: Platform, keyOf: Platform, tileHeight?: number) => {
  const h = await cutAuditHead({
    ctx: p.ctx(operator, 'cut a head'),
    deps: keyOf.audit,
    input: tileHeight ? { tileHeight } : {},
  });
  if (!h) throw new Error('no head: the log is empty');
  return { size: h.tree_size, root: Buffer.from(h.root_hash, 'hex') };
};

/** The leaf hash an attacker would store for the entry at `seq` with `detail`: its canonical bytes hashed. */
const forgedLeafHash = async (p: Platform, seq: number, detail: string | null) => {
  const r = await rawDb(p)
    .selectFrom('audit_log')
    .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
    .selectAll()
    .where('audit_log.seq', '=', seq)
    .executeTakeFirstOrThrow();
  const row = [r.at, r.actor, r.role, r.purpose, r.subject_id, r.action, detail, r.request_id];
  return leafHash(Buffer.from(JSON.stringify(row)));
};

const appendEntries = (p: Platform, n: number, from = 0) => appendAuditEntries(p, n, from);

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('the audit Merkle tree', b), () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });
    const open = async () => {
      const o = await b.open();
      cleanup = o.cleanup;
      return o.platform;
    };
    const head = (p: Platform, tileHeight?: number) => cutHead(p, p, tileHeight);
    const verify = (p: Platform) => verifyAuditLog({ ctx: p.ctx(auditor, 'verify'), deps: p.audit });
    const storedLeaves = async (p: Platform, size: number) => p.store.auditTree.leafHashes(0, size);

    it('sequences the entries the verbs wrote, with the RFC 6962 root and proofs that verify', async () => {
      const p = await open();
      const feed = await courtFeed(p, 'court-tree');
      await feed([defaulterRecord('c-1', makeResidentId('360426', '1980-05-05', 31))]);
      await appendEntries(p, 300);
      const total = await p.store.countAudit();
      const h = await head(p);
      expect(h.size).toBe(total);
      // The canonical bytes rebuild every stored leaf hash, and the root is RFC 6962's over them.
      const leaves = await storedLeaves(p, h.size);
      const entries = await p.store.auditTree.entries(0, h.size);
      expect(entries.map((e) => leafHash(e).toString('hex'))).toEqual(leaves.map((l) => l.toString('hex')));
      const src = memorySource(leaves);
      expect(h.root.equals(rootOf(h.size, src))).toBe(true);
      expect(await verify(p)).toMatchObject({ ok: true, size: h.size, root: h.root });

      // Entries written later join the tree after those already in it.
      await appendEntries(p, 5, 300);
      const h2 = await head(p);
      expect(h2.size).toBe(h.size + 5);
      const all = await storedLeaves(p, h2.size);
      expect(h2.root.equals(rootOf(h2.size, memorySource(all)))).toBe(true);

      const ctx = p.ctx(auditor, 'proofs');
      for (const size of [1, 2, 7, 255, 256, 257, h.size, h2.size])
        for (const index of [0, Math.floor(size / 2), size - 1]) {
          const proof = await auditInclusionProof({ ctx, input: { index, size } });
          expect(proof.leafHash.equals(all[index]!)).toBe(true);
          expect(
            verifyInclusion(all[index]!, index, size, proof.auditPath, rootOf(size, memorySource(all))),
          ).toBe(true);
        }
      for (const [m, n] of [
        [1, 2],
        [3, 7],
        [100, 256],
        [200, 300],
        [256, 257],
        [255, h2.size],
        [h.size, h2.size],
      ] as const) {
        const { proof } = await auditConsistencyProof({ ctx, input: { first: m, second: n } });
        const rm = rootOf(m, memorySource(all));
        const rn = rootOf(n, memorySource(all));
        expect(verifyConsistency(m, n, proof, rm, rn)).toBe(true);
      }
      await expect(
        auditInclusionProof({ ctx, input: { index: 0, size: h2.size + 1 } }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
      });
    });

    it('reads proofs from small tiles across every boundary', async () => {
      const p = await open();
      await appendEntries(p, 70);
      const h = await head(p, 2);
      const all = await storedLeaves(p, h.size);
      const src = memorySource(all);
      const ctx = p.ctx(auditor, 'proofs');
      for (let size = 1; size <= h.size; size += 3) {
        const root = rootOf(size, src);
        for (const index of [0, 5, 16, size - 1].filter((i) => i < size)) {
          const { auditPath } = await auditInclusionProof({ ctx, input: { index, size } });
          expect(verifyInclusion(all[index]!, index, size, auditPath, root)).toBe(true);
        }
        for (const m of [1, 4, 16, 17, 63].filter((m) => m <= size)) {
          const { proof } = await auditConsistencyProof({ ctx, input: { first: m, second: size } });
          expect(verifyConsistency(m, size, proof, rootOf(m, src), root)).toBe(true);
        }
      }
      expect((await verify(p)).ok).toBe(true);
    });

    it('gives every entry one leaf when sequencers race each other (one runs at a time)', async () => {
      const o = await b.open();
      cleanup = o.cleanup;
      const p = o.platform;
      // A second store on the same database, as another process opens it (PostgreSQL; SQLite's
      // synchronous driver would block this one process's event loop on the other's write lock).
      const other = b.name === 'postgres' ? await o.another() : p;
      try {
        await appendEntries(p, 120);
        const racing = await Promise.all(
          [p, other, p, other].map((q) => sequenceEntries(q.store.auditTree, 25, 2)),
        );
        expect(racing.map((r) => r.added).reduce((a, n) => a + n, 0)).toBe(100);
        const h = await cutHead(other, p);
        expect(h.size).toBe(await p.store.countAudit());
        expect(h.root.equals(rootOf(h.size, memorySource(await storedLeaves(p, h.size))))).toBe(true);
        expect(await verify(p)).toMatchObject({ ok: true, size: h.size, root: h.root });
      } finally {
        if (other !== p) await other.close();
      }
    });

    it.skipIf(b.name !== 'postgres')(
      'puts an entry whose transaction commits late at the next leaf, never a slot already passed',
      async () => {
        const p = await open();
        await appendEntries(p, 3);
        expect((await head(p)).size).toBe(3);
        const db = rawDb(p);
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let started!: (seq: number) => void;
        const inserted = new Promise<number>((r) => {
          started = r;
        });
        const who = { actor: 'operator:slow', role: 'operator', purpose: 'slow write', requestId: null };
        const late = db.transaction().execute(async (tx) => {
          const { id } = await tx
            .insertInto('audit_contexts')
            .values({ at: AT, actor: who.actor, role: who.role, purpose: who.purpose, request_id: null })
            .returning('id')
            .executeTakeFirstOrThrow();
          const { seq } = await tx
            .insertInto('audit_log')
            .values({
              context_id: Number(id),
              subject_id: null,
              action: 'slow.write',
              detail: null,
              leaf_hash: auditLeafHash(who, AT, null, 'slow.write', null),
            })
            .returning('seq')
            .executeTakeFirstOrThrow();
          started(Number(seq));
          await gate;
        });
        const lateSeq = await inserted;
        await appendEntries(p, 2, 3);
        // The later entries committed first: they are sequenced, the one in flight is not.
        expect((await head(p)).size).toBe(5);
        release();
        await late;
        const h = await head(p);
        expect(h.size).toBe(6);
        const last = await db
          .selectFrom('audit_log')
          .select(['seq', 'leaf_index'])
          .where('leaf_index', '=', 5)
          .executeTakeFirstOrThrow();
        expect(Number(last.seq)).toBe(lateSeq);
        expect(await verify(p)).toMatchObject({ ok: true, size: 6, root: h.root });
      },
    );

    it('names the leaf of a changed entry or context, and fails when the last entry is deleted', async () => {
      const p = await open();
      await appendEntries(p, 40);
      const h = await head(p, 2);
      expect((await verify(p)).ok).toBe(true);
      const db = rawDb(p);
      const at = async (index: number) =>
        db
          .selectFrom('audit_log')
          .select(['seq', 'detail', 'context_id'])
          .where('leaf_index', '=', index)
          .executeTakeFirstOrThrow();

      // A changed detail.
      const row = await at(23);
      await db
        .updateTable('audit_log')
        .set({ detail: '{"n":"rewritten"}' })
        .where('seq', '=', row.seq)
        .execute();
      expect(await verify(p)).toMatchObject({ ok: false, index: 23 });
      await db.updateTable('audit_log').set({ detail: row.detail }).where('seq', '=', row.seq).execute();
      expect((await verify(p)).ok).toBe(true);

      // A changed context: the first leaf written under it is named.
      const ctxRow = await at(31);
      const firstUnder = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.min('leaf_index').as('first'))
        .where('context_id', '=', ctxRow.context_id)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('audit_contexts')
        .set({ purpose: 'something else' })
        .where('id', '=', ctxRow.context_id)
        .execute();
      expect(await verify(p)).toMatchObject({ ok: false, index: Number(firstUnder.first) });
      await db
        .updateTable('audit_contexts')
        .set({ purpose: 'inspection' })
        .where('id', '=', ctxRow.context_id)
        .execute();

      // A leaf hash rewritten with its entry still breaks the stored subtree above it.
      const leaf = await at(9);
      await db.updateTable('audit_log').set({ detail: 'forged' }).where('seq', '=', leaf.seq).execute();
      const bytesHash = await forgedLeafHash(p, Number(leaf.seq), 'forged');
      await db.updateTable('audit_log').set({ leaf_hash: bytesHash }).where('seq', '=', leaf.seq).execute();
      const r = await verify(p);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.index).toBeLessThanOrEqual(9);
      await db.updateTable('audit_log').set({ detail: leaf.detail }).where('seq', '=', leaf.seq).execute();
      const original = await forgedLeafHash(p, Number(leaf.seq), leaf.detail);
      await db.updateTable('audit_log').set({ leaf_hash: original }).where('seq', '=', leaf.seq).execute();
      expect((await verify(p)).ok).toBe(true);

      // The last entry deleted: the head counts one leaf more than the log holds.
      const last = await at(h.size - 1);
      await db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
      expect(await verify(p)).toMatchObject({ ok: false, index: h.size - 1 });
    });

    it("takes a head as the log's only when its signature says so, and never signs a rewritten log", async () => {
      const p = await open();
      await appendEntries(p, 40);
      const signed = await cutAuditHead({ ctx: p.ctx(operator, 'cut'), deps: p.audit });
      const kept = signed!.checkpoint;
      expect(await verify(p)).toMatchObject({ ok: true, size: 40 });
      const db = rawDb(p);
      const row = await db
        .selectFrom('audit_heads')
        .selectAll()
        .where('tree_size', '=', 40)
        .executeTakeFirstOrThrow();

      // A head row whose root was changed no longer says what its signature signs.
      await db
        .updateTable('audit_heads')
        .set({ root_hash: Buffer.alloc(32, 7) })
        .where('tree_size', '=', 40)
        .execute();
      expect(await verify(p)).toMatchObject({ ok: false });
      await db
        .updateTable('audit_heads')
        .set({ root_hash: row.root_hash })
        .where('tree_size', '=', 40)
        .execute();
      // A head with its signature removed, or signed by another key, is not the log's.
      await db.updateTable('audit_heads').set({ checkpoint: null }).where('tree_size', '=', 40).execute();
      expect(await verify(p)).toMatchObject({
        ok: false,
        index: null,
        head: 40,
        reason: expect.stringMatching(/no signature/),
      });
      await db
        .updateTable('audit_heads')
        .set({ checkpoint: kept.replace(/— (\S+) \S+/, '— $1 AAAAAA==') })
        .where('tree_size', '=', 40)
        .execute();
      expect(await verify(p)).toMatchObject({ ok: false, index: null, head: 40 });
      await db
        .updateTable('audit_heads')
        .set({ checkpoint: row.checkpoint })
        .where('tree_size', '=', 40)
        .execute();
      expect((await verify(p)).ok).toBe(true);

      // Whoever holds the database rewrites entry 5 and rebuilds the whole tree without the heads.
      const five = await db
        .selectFrom('audit_log')
        .select('seq')
        .where('leaf_index', '=', 5)
        .executeTakeFirstOrThrow();
      const bytesHash = await forgedLeafHash(p, Number(five.seq), 'forged');
      await db
        .updateTable('audit_log')
        .set({ detail: 'forged', leaf_hash: bytesHash })
        .where('seq', '=', five.seq)
        .execute();
      await db.updateTable('audit_log').set({ leaf_index: null }).execute();
      await db.deleteFrom('audit_tiles').execute();
      await db.deleteFrom('audit_heads').execute();
      await db.deleteFrom('meta').where('key', 'in', ['audit_frontier', 'audit_tile_height']).execute();
      await sequenceEntries(p.store.auditTree, 1000);
      // The database alone now looks intact, but not against the head an auditor kept,
      const alone = await verifyAuditLog({ ctx: p.ctx(auditor, 'verify'), deps: { key: p.auditKey } });
      expect(alone).toMatchObject({ ok: true, size: 40, heads: 0 });
      const against = await verifyAuditLog({
        ctx: p.ctx(auditor, 'verify'),
        deps: { key: p.auditKey },
        input: { checkpoints: [kept] },
      });
      expect(against).toMatchObject({ ok: false, index: null, head: 40 });
      // nor against the last head the signer remembers in its data folder, and it signs nothing more.
      expect(await verify(p)).toMatchObject({ ok: false, head: 40 });
      await appendEntries(p, 3, 40);
      await expect(cutAuditHead({ ctx: p.ctx(operator, 'cut'), deps: p.audit })).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await p.store.auditTree.latestHead()).toBeUndefined();
      // A checkpoint that is not the log's is refused as input.
      await expect(
        verifyAuditLog({
          ctx: p.ctx(auditor, 'verify'),
          deps: p.audit,
          input: { checkpoints: [kept.replace('\n40\n', '\n41\n')] },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });
}
