/**
 * The leaf index of each access in a subject's own file, on every backend: shown once the entry is
 * in the audit log's Merkle tree, on the subject's trail (`leafOnTrail`), and proved included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { auditInclusionProof, leafHash, verifyInclusion } from '../audit/index.ts';
import { currentHead, rootAt, sequenceEntries } from '../audit/tree.ts';
import { fixedClock, type Principal } from '../context.ts';
import { checkMeasure, registerRelyingParty } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { getOwnFile, type OwnFileJson, ownFileDeps } from './index.ts';

const operator: Principal = { id: 'operator:cli@root', role: 'operator' };
const auditor: Principal = { id: 'auditor:cli@audit', role: 'auditor' };
const DEFAULTER = '360426199101010071';
const OTHER = '440524198503030049';
const subject = (ref: string): Principal => ({ id: `subject:${ref}`, role: 'subject', ref });
const rail: Principal = { id: 'relying_party:rail-o', role: 'relying_party', ref: 'rail-o' };
const NOW = '2026-03-01T10:00:00Z';

/** Every leaf index a file shows: its accesses' and its check lines'. */
const leavesOf = (f: OwnFileJson) => [
  ...f.access_log.accesses.entries.map((e) => e.leaf_index),
  ...f.access_log.checks.groups.flatMap((g) => g.leaf_indices),
];

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('leaf indices in the own file', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const own = (who: string) =>
      getOwnFile({ ctx: p.ctx(subject(who), 'read own file'), input: {}, deps: ownFileDeps(p) });
    const idOf = async (identifier: string) => (await p.store.findSubjectByIdentifier(identifier))!.id;
    const check = (who: string) =>
      checkMeasure({
        ctx: p.ctx(rail, 'ticket_sale'),
        measures: p.measures,
        lists: p.lists,
        input: { measure: 'restrict.high_speed_rail', subjects: [who, who] },
      });

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock(NOW) }));
      const ingest = await courtFeed(p, 'court-o');
      // Two batches: each subject's registration and records have entries of their own.
      await ingest([defaulterRecord('d1', DEFAULTER)]);
      await ingest([defaulterRecord('o1', OTHER, '王芳')]);
      await registerRelyingParty({
        ctx: p.ctx(operator, 'set up'),
        measures: p.measures,
        input: { code: 'rail-o', kind: 'railway', name: '12306 铁路售票', purposes: ['ticket_sale'] },
      });
      await check(DEFAULTER);
      await check(OTHER);
      await getOwnFile({
        ctx: p.ctx(operator, 'loan application review'),
        input: { identifier: DEFAULTER },
        deps: ownFileDeps(p),
      });
    });
    afterAll(async () => cleanup?.());

    it('shows no leaf index before the entries are in the tree, and each one after', async () => {
      const before = await own(DEFAULTER);
      expect(before.access_log.checks.groups[0]!.leaf_indices).toEqual([null]);
      expect(leavesOf(before).every((l) => l === null)).toBe(true);

      await sequenceEntries(p.store.auditTree, 10_000);
      const f = await own(DEFAULTER);
      const [latest, ...older] = f.access_log.accesses.entries;
      // This very read is written after the tree was last extended.
      expect(latest).toMatchObject({ action: 'subject.file.read', who_kind: 'you', leaf_index: null });
      expect(older.map((e) => e.action)).toEqual(
        expect.arrayContaining(['subject.file.read', 'records.create', 'subjects.create']),
      );
      for (const e of older) expect(e.leaf_index).toEqual(expect.any(Number));
      const [checks] = f.access_log.checks.groups;
      expect(checks!.seqs).toHaveLength(1);
      expect(checks!.leaf_indices).toEqual([expect.any(Number)]);
      const shown = leavesOf(f).filter((l) => l !== null);
      expect(new Set(shown).size).toBe(shown.length);
    });

    it("puts on the subject's trail exactly the leaves its own file shows", async () => {
      await sequenceEntries(p.store.auditTree, 10_000);
      const [mine, theirs] = [await own(DEFAULTER), await own(OTHER)];
      const [me, other] = [await idOf(DEFAULTER), await idOf(OTHER)];
      const myLeaves = leavesOf(mine).filter((l) => l !== null);
      const theirLeaves = leavesOf(theirs).filter((l) => l !== null);
      // Their registration, records batch and check group: none on my trail.
      expect(theirs.access_log.accesses.entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['records.create', 'subjects.create']),
      );
      expect(theirs.access_log.checks.groups[0]!.leaf_indices).toEqual([expect.any(Number)]);
      expect(theirLeaves.length).toBeGreaterThanOrEqual(3);
      for (const l of theirLeaves) expect(myLeaves).not.toContain(l);
      for (const l of myLeaves) expect(await p.store.accessLog.leafOnTrail(me, l), `leaf ${l}`).toBe(true);
      for (const l of theirLeaves) {
        expect(await p.store.accessLog.leafOnTrail(me, l), `leaf ${l}`).toBe(false);
        expect(await p.store.accessLog.leafOnTrail(other, l), `leaf ${l}`).toBe(true);
      }
      const { size } = await currentHead(p.store.auditTree);
      expect(await p.store.accessLog.leafOnTrail(me, size + 10)).toBe(false);
      expect(await p.store.accessLog.leafOnTrail(me, -1)).toBe(false);
    });

    it('proves each leaf the own file shows included in the current head', async () => {
      await sequenceEntries(p.store.auditTree, 10_000);
      const tree = p.store.auditTree;
      const head = await currentHead(tree);
      const root = await rootAt(tree, head.size);
      expect(root.equals(head.root)).toBe(true);
      const leaves = leavesOf(await own(DEFAULTER)).filter((l) => l !== null);
      expect(leaves.length).toBeGreaterThan(3);
      for (const index of leaves) {
        const proof = await auditInclusionProof({
          ctx: p.ctx(auditor, 'inclusion proof for a subject'),
          input: { index, size: head.size },
        });
        const [entry] = await tree.entries(index, index + 1);
        const leaf = leafHash(entry!);
        expect(leaf.equals(proof.leafHash), `leaf ${index}`).toBe(true);
        expect(verifyInclusion(leaf, index, head.size, proof.auditPath, root), `leaf ${index}`).toBe(true);
        // The same path does not place the entry anywhere else.
        const elsewhere = index === 0 ? 1 : index - 1;
        expect(verifyInclusion(leaf, elsewhere, head.size, proof.auditPath, root)).toBe(false);
      }
    });
  });
}
