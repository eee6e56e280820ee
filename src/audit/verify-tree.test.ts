/**
 * Verification of the whole log on every backend, hashed in the calling thread and on a worker
 * thread (with runs of a few leaves, so that failures fall in the reading thread's share of a run,
 * in the worker's, and across runs): both give the same answer, naming the same leaf with the same
 * words, for an intact log, a changed entry, a changed tile, a head that does not match, a missing
 * leaf, text whose JSON quoting is tricky (the database packs the canonical entries itself), and
 * values the database renders otherwise than JavaScript (SQLite: of types the write path never
 * stores; PostgreSQL: an integer beyond 2^53), judged as JavaScript reads them.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_AT, appendAuditEntries } from '../../test/audit-entries.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb, sql } from '../../test/raw-db.ts';
import type { Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import type { EntryRun } from '../store/index.ts';
import { cutAuditHead } from './index.ts';
import { type AuditVerification, verifyTree } from './tree.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };

const appendEntries = (p: Platform, n: number, from = 0) =>
  appendAuditEntries(p, n, from, { subjects: true });

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('audit log verification, here and on a worker', b), () => {
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
    const cut = (p: Platform) =>
      cutAuditHead({ ctx: p.ctx(operator, 'cut'), deps: { key: p.auditKey }, input: { tileHeight: 2 } });
    /** Both ways, which must agree; the answer. */
    const verify = async (p: Platform): Promise<AuditVerification> => {
      const here = await verifyTree(p.store.auditTree, { worker: false, chunk: 16 });
      const there = await verifyTree(p.store.auditTree, { worker: true, chunk: 16 });
      expect(there).toEqual(here);
      expect(await verifyTree(p.store.auditTree, { worker: true, chunk: 1000 })).toEqual(here);
      return here;
    };
    const seqAt = async (p: Platform, index: number) =>
      Number(
        (
          await rawDb(p)
            .selectFrom('audit_log')
            .select('seq')
            .where('leaf_index', '=', index)
            .executeTakeFirstOrThrow()
        ).seq,
      );

    /**
     * Changes the detail of the entry at each leaf in turn (`change` of its detail), expects
     * verification to name that leaf, and puts it back.
     */
    const expectEachChangeNamed = async (
      p: Platform,
      indices: number[],
      change: (detail: string | null) => string,
    ) => {
      const db = rawDb(p);
      for (const index of indices) {
        const seq = await seqAt(p, index);
        const { detail } = await db
          .selectFrom('audit_log')
          .select('detail')
          .where('seq', '=', seq)
          .executeTakeFirstOrThrow();
        await db
          .updateTable('audit_log')
          .set({ detail: change(detail) })
          .where('seq', '=', seq)
          .execute();
        expect(await verify(p)).toEqual({
          ok: false,
          index,
          reason: `entry seq ${seq} at leaf ${index} does not hash to its stored leaf hash`,
        });
        await db.updateTable('audit_log').set({ detail }).where('seq', '=', seq).execute();
      }
    };

    it('gives the same answer in both, for an intact log and for each kind of break', async () => {
      const p = await open();
      const db = rawDb(p);
      await appendEntries(p, 100);
      await cut(p);
      await appendEntries(p, 70, 100);
      const head = await cut(p);
      const intact = await verify(p);
      expect(intact).toEqual({ ok: true, size: 170, root: Buffer.from(head!.root_hash, 'hex') });

      // A changed entry, at the start of a run (the reading thread's share) and late in one (the worker's).
      await expectEachChangeNamed(p, [17, 45, 169], () => '{"n":"changed"}');
      expect(await verify(p)).toEqual(intact);

      // A changed tile root (level 4 covers leaves 16..31; those below it matched, through leaf 31).
      const tile = await db
        .selectFrom('audit_tiles')
        .selectAll()
        .where('level', '=', 4)
        .where('idx', '=', 1)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('audit_tiles')
        .set({ hash: Buffer.alloc(32, 7) })
        .where('level', '=', 4)
        .where('idx', '=', 1)
        .execute();
      expect(await verify(p)).toEqual({
        ok: false,
        index: 32,
        reason: 'leaves 16..31 do not hash to the stored subtree root of level 4',
      });
      await db
        .updateTable('audit_tiles')
        .set({ hash: tile.hash })
        .where('level', '=', 4)
        .where('idx', '=', 1)
        .execute();
      // A tile root removed, or of another length: the same failure (tile 9 is the level's last).
      for (const [idx, change] of [
        [1, 'delete'],
        [1, Buffer.alloc(33, 7)],
        [9, 'delete'],
      ] as const) {
        const row = await db
          .selectFrom('audit_tiles')
          .selectAll()
          .where('level', '=', 4)
          .where('idx', '=', idx)
          .executeTakeFirstOrThrow();
        const where = db.deleteFrom('audit_tiles').where('level', '=', 4).where('idx', '=', idx);
        if (change === 'delete') await where.execute();
        else
          await db
            .updateTable('audit_tiles')
            .set({ hash: change })
            .where('level', '=', 4)
            .where('idx', '=', idx)
            .execute();
        expect(await verify(p)).toEqual({
          ok: false,
          index: 16 * (idx + 1),
          reason: `leaves ${16 * idx}..${16 * idx + 15} do not hash to the stored subtree root of level 4`,
        });
        await where.execute();
        await db.insertInto('audit_tiles').values(row).execute();
      }
      expect(await verify(p)).toEqual(intact);

      // A head whose root is not the tree's at its size (the tiles below it matched, through leaf 99).
      const first = await db
        .selectFrom('audit_heads')
        .selectAll()
        .where('tree_size', '=', 100)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('audit_heads')
        .set({ root_hash: Buffer.alloc(32, 9) })
        .where('tree_size', '=', 100)
        .execute();
      expect(await verify(p)).toEqual({
        ok: false,
        index: 100,
        reason: `the first 100 leaves do not have the root of the head cut at that size (${first.at})`,
      });
      await db
        .updateTable('audit_heads')
        .set({ root_hash: first.root_hash })
        .where('tree_size', '=', 100)
        .execute();
      expect(await verify(p)).toEqual(intact);

      // A missing leaf in the middle of a run.
      await db.deleteFrom('audit_log').where('leaf_index', '=', 40).execute();
      expect(await verify(p)).toEqual({
        ok: false,
        index: 40,
        reason: 'leaf 40 is missing (the next entry in the log is leaf 41)',
      });
    });

    it('verifies text whose JSON quoting is tricky, and names the entry changed', async () => {
      const p = await open();
      const tricky = [
        'say "hi"',
        'C:\\dir\\',
        'line\nbreak\ttab\rreturn',
        '张三',
        'emoji 😀 👨‍👩‍👧',
        'controls \u0001\u001f\u007f \u2028\u2029 / </script>',
        '"\\"\\\\\n张三😀',
      ];
      await appendEntries(p, 10);
      await p.store.appendAudit(
        tricky.map((t, i) => ({
          actor: `auditor:${t}`,
          role: 'auditor',
          purpose: t,
          subjectId: i % 2 === 0 ? null : 1000 + i,
          action: 'subjects.read',
          detail: i % 3 === 0 ? t : JSON.stringify({ text: t }),
          requestId: i % 2 === 0 ? t : null,
        })),
        AUDIT_AT,
      );
      await appendEntries(p, 20, 10);
      await cut(p);
      // The database packs each of them byte for byte as JavaScript does (no second, exact reading).
      const packed: EntryRun[] = [];
      await p.store.auditTree.scan(1000, (r) => {
        packed.push(r);
        return true;
      });
      const { count } = packed[0]!;
      expect(count).toBe(10 + tricky.length + 20);
      const canonical = await p.store.auditTree.entries(0, count);
      expect(packed[0]!.entries.equals(Buffer.concat(canonical.flatMap((e) => [Buffer.of(0), e])))).toBe(
        true,
      );
      const intact = await verify(p);
      expect(intact.ok).toBe(true);

      await expectEachChangeNamed(p, [10, 13, 16], (detail) => `${detail}\n张三 "改" \\ 😀`);
      expect(await verify(p)).toEqual(intact);
    });

    it.skipIf(b.name !== 'postgres')(
      'judges a subject beyond 2^53, which PostgreSQL prints otherwise, as JavaScript reads it',
      async () => {
        const p = await open();
        const db = rawDb(p);
        await appendEntries(p, 40);
        // Entry 7 (leaf 7 once sequenced) names subject 2^53 + 1, which JavaScript reads as 2^53:
        // its leaf hash is of the entry as JavaScript reads it.
        const seq = Number(
          (
            await db
              .selectFrom('audit_log')
              .select('seq')
              .orderBy('seq')
              .offset(7)
              .limit(1)
              .executeTakeFirstOrThrow()
          ).seq,
        );
        const row = await db
          .selectFrom('audit_log')
          .select(['detail'])
          .where('seq', '=', seq)
          .executeTakeFirstOrThrow();
        const entry = JSON.stringify([
          AUDIT_AT,
          'auditor:test',
          'auditor',
          'inspection',
          2 ** 53,
          'subjects.read',
          row.detail,
          'r-7',
        ]);
        const leaf = createHash('sha256').update(`\u0000${entry}`).digest();
        await sql`update audit_log set subject_id = 9007199254740993, leaf_hash = ${leaf} where seq = ${seq}`.execute(
          db,
        );
        await cut(p);
        expect((await p.store.auditTree.entries(7, 8))[0]!.toString()).toBe(entry);
        // The packed run holds PostgreSQL's digits, which do not match: the log is read again, exact.
        let packed: Buffer | undefined;
        await p.store.auditTree.scan(1000, (r) => {
          packed = r.entries;
          return false;
        });
        expect(packed!.includes('9007199254740993')).toBe(true);
        const intact = await verify(p);
        expect(intact.ok).toBe(true);

        // A change to that entry is still named by its leaf.
        await db.updateTable('audit_log').set({ detail: 'changed' }).where('seq', '=', seq).execute();
        expect(await verify(p)).toEqual({
          ok: false,
          index: 7,
          reason: `entry seq ${seq} at leaf 7 does not hash to its stored leaf hash`,
        });
      },
    );

    it.skipIf(b.name !== 'sqlite')(
      'judges values of types the write path never stores as JavaScript reads them',
      async () => {
        const p = await open();
        const db = rawDb(p);
        await appendEntries(p, 60);
        await cut(p);
        const intact = await verify(p);
        expect(intact.ok).toBe(true);
        const raw = (q: string, ...params: unknown[]) =>
          (p.store as unknown as { raw: { prepare(q: string): { run(...a: unknown[]): unknown } } }).raw
            .prepare(q)
            .run(...params);

        // The subject as text or as a real number: JavaScript reads the same number, the entry is intact.
        raw(`update audit_log set subject_id = cast(subject_id as text) where leaf_index = 5`);
        raw(`update audit_log set subject_id = cast(subject_id as real) where leaf_index = 33`);
        expect(await verify(p)).toEqual(intact);

        // The detail as a number, and a blob where the actor's text belongs: the entry has changed.
        const seq = await seqAt(p, 21);
        raw(`update audit_log set detail = 12 where leaf_index = 21`);
        expect(await verify(p)).toEqual({
          ok: false,
          index: 21,
          reason: `entry seq ${seq} at leaf 21 does not hash to its stored leaf hash`,
        });
        const { context_id } = await db
          .selectFrom('audit_log')
          .select('context_id')
          .where('leaf_index', '=', 9)
          .executeTakeFirstOrThrow();
        raw(`update audit_contexts set actor = cast(actor as blob) where id = ?`, context_id);
        const r = await verify(p);
        expect(r).toMatchObject({ ok: false });
        expect(r.ok === false && r.index).toBeLessThanOrEqual(9);
      },
    );
  });
}
