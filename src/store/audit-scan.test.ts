/**
 * The audit tree's scan on every backend: the runs it packs hold, for every leaf, the canonical
 * bytes `entries()` builds in JavaScript (unless `exact`, the database builds them: this checks its
 * JSON quoting against JSON.stringify's for every code point) and the stored leaf hashes, in leaf order;
 * a missing leaf ends a run. And the stored hashes a proof needs, read in one call.
 */
import { hash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import type { Platform } from '../platform/index.ts';
import type { EntryRun } from './index.ts';

const AT = '2026-03-01T09:00:00.000Z';
/** A node hash for sequencing (the store takes it from the audit capability; any will do here). */
const node = (l: Uint8Array, r: Uint8Array) => hash('sha256', Buffer.concat([Buffer.of(1), l, r]), 'buffer');

/** Every Unicode scalar value, 4,096 to a string (lone surrogates have no UTF-8 form to store). */
const codePointStrings = (): string[] => {
  const out: string[] = [];
  let s = '';
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    s += String.fromCodePoint(cp);
    if (s.length >= 4096) {
      out.push(s);
      s = '';
    }
  }
  out.push(s);
  return out;
};

const collect = async (p: Platform, chunk: number, exact = false) => {
  const runs: EntryRun[] = [];
  await p.store.auditTree.scan(
    chunk,
    (r) => {
      runs.push(r);
      return true;
    },
    exact,
  );
  return runs;
};

/** The entries of a run, split at each 0x00 byte that begins one. */
const split = (run: EntryRun): Buffer[] => {
  const out: Buffer[] = [];
  let p = 0;
  for (let j = 0; j < run.count; j++) {
    expect(run.entries[p]).toBe(0);
    const q = j + 1 < run.count ? run.entries.indexOf(0, p + 1) : run.entries.length;
    out.push(run.entries.subarray(p + 1, q));
    p = q;
  }
  return out;
};

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('the audit scan', b), () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    it('packs every leaf as entries() builds it, every code point quoted alike, in runs a missing leaf ends', async () => {
      const o = await b.open();
      cleanup = o.cleanup;
      const p = o.platform;
      const texts = codePointStrings();
      // PostgreSQL's text cannot hold U+0000; the rest of every string is kept.
      const stored = b.name === 'postgres' ? texts.map((t) => t.replaceAll('\u0000', '')) : texts;
      await p.store.appendAudit(
        stored.map((t, i) => ({
          actor: `auditor:${t.slice(0, 40)}`,
          role: 'auditor',
          purpose: t.slice(40, 80),
          subjectId: i % 3 === 0 ? null : i,
          action: 'subjects.read',
          detail: i % 5 === 0 ? null : t,
          requestId: i % 2 === 0 ? null : t.slice(-50),
        })),
        AT,
      );
      const { size } = await p.store.auditTree.sequence(10_000, node, 2);
      const canonical = await p.store.auditTree.entries(0, size);
      const leaves = await p.store.auditTree.leafHashes(0, size);

      for (const exact of [false, true]) {
        const runs = await collect(p, 100, exact);
        expect(runs.map((r) => [r.start, r.count])).toEqual(
          Array.from({ length: Math.ceil(size / 100) }, (_, k) => [k * 100, Math.min(100, size - k * 100)]),
        );
        expect(runs.every((r) => r.exact === exact)).toBe(true);
        const bytes = runs.flatMap(split);
        for (let i = 0; i < size; i++) expect(bytes[i]!.equals(canonical[i]!), `leaf ${i}`).toBe(true);
        expect(Buffer.concat(runs.map((r) => r.leafHashes)).equals(Buffer.concat(leaves))).toBe(true);
        expect(await runs[3]!.seq(7)).toBe(
          Number(
            (
              await rawDb(p)
                .selectFrom('audit_log')
                .select('seq')
                .where('leaf_index', '=', 307)
                .executeTakeFirstOrThrow()
            ).seq,
          ),
        );
      }

      // Leaves 150 and 151 deleted: the run of [100, 200) ends before them and the next begins after.
      await rawDb(p).deleteFrom('audit_log').where('leaf_index', 'in', [150, 151]).execute();
      const runs = await collect(p, 100);
      expect(runs.slice(0, 4).map((r) => [r.start, r.count])).toEqual([
        [0, 100],
        [100, 50],
        [152, 48],
        [200, 100],
      ]);
      // The scan stops when asked.
      let seen = 0;
      await p.store.auditTree.scan(100, () => ++seen < 2);
      expect(seen).toBe(2);
    });

    it('reads leaf hashes and tile roots of several ranges in one call, a missing leaf absent', async () => {
      const o = await b.open();
      cleanup = o.cleanup;
      const p = o.platform;
      const tree = p.store.auditTree;
      await p.store.appendAudit(
        Array.from({ length: 40 }, (_, i) => ({
          actor: 'auditor:a',
          role: 'auditor',
          purpose: 'p',
          subjectId: i,
          action: 'subjects.read',
          detail: null,
          requestId: null,
        })),
        AT,
      );
      await tree.sequence(100, node, 2);
      const ranges = [
        { level: 0, start: 3, end: 7 },
        { level: 2, start: 1, end: 4 },
        { level: 0, start: 30, end: 33 },
        { level: 4, start: 0, end: 2 },
      ];
      const expected = async () => {
        const out: { level: number; index: number; hash: Buffer }[] = [];
        for (const r of ranges)
          if (r.level === 0)
            for (let i = r.start; i < r.end; i++) {
              const [h] = await tree.leafHashes(i, i + 1);
              if (h) out.push({ level: 0, index: i, hash: h });
            }
          else for (const t of await tree.tiles(r.level, r.start, r.end)) out.push({ level: r.level, ...t });
        return out;
      };
      const key = (x: { level: number; index: number }) => x.level * 1000 + x.index;
      const got = await tree.subtreeRoots(ranges);
      expect(got.length).toBe(4 + 3 + 3 + 2);
      expect(got.sort((x, y) => key(x) - key(y))).toEqual((await expected()).sort((x, y) => key(x) - key(y)));
      await rawDb(p).deleteFrom('audit_log').where('leaf_index', '=', 5).execute();
      const after = await tree.subtreeRoots(ranges);
      expect(after.length).toBe(11);
      expect(after.some((x) => x.level === 0 && x.index === 5)).toBe(false);
      expect(await tree.subtreeRoots([])).toEqual([]);
    });
  });
}
