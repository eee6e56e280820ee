/** The check log on every backend: group-committed, verifiable, and found by subject before and after indexing. */
import { hash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { logChecks } from '../../test/store-fixtures.ts';
import type { Platform } from '../platform/index.ts';
import { auditLeafHash } from '../shared/audit-leaf.ts';
import {
  checkGroupPolicies,
  checkGroupRecord,
  checkGroupVerifies,
  checkIdOf,
  checkKeyOf,
  checkLinesDetail,
  checkLogLine,
  checkSuffixes,
  groupCheckIds,
  isExplainableCheckId,
  newCheckKey,
} from './common/check-log.ts';
import type { AuditActor, CheckLogDraft } from './index.ts';

const rail: AuditActor = {
  actor: 'relying_party:rail',
  role: 'relying_party',
  purpose: 'ticket sale',
  requestId: null,
};
const air: AuditActor = {
  actor: 'relying_party:air',
  role: 'relying_party',
  purpose: 'boarding',
  requestId: null,
};
const check = (n: number, subjectId: number | null, applies = false): CheckLogDraft => ({
  checkId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  subjectId,
  subject: subjectId === null ? '110101199003077777' : '',
  measure: 'restrict.high_speed_rail',
  applies,
  reasonCode: applies ? 'LISTED_COURT_DEFAULTER' : 'NOT_LISTED',
});

describe('check group digest', () => {
  it('is SHA-256 over the group as stored (its JSON), whatever its size, and verifies only those checks in that order', () => {
    for (const n of [1, 63, 64, 65, 1000]) {
      const group = Array.from({ length: n }, (_, i) => check(i, i % 7 === 0 ? null : i + 1, i % 3 === 0));
      const record = checkGroupRecord(group);
      expect(record.checks).toBe(JSON.stringify(JSON.parse(record.checks)));
      expect(JSON.parse(record.detail)).toEqual({
        checks: n,
        json_sha256: hash('sha256', record.checks, 'hex'),
      });
      expect(checkGroupVerifies(record.detail, group)).toBe(true);
      expect(checkGroupVerifies(record.detail, group.slice(1))).toBe(false);
      if (n > 1) expect(checkGroupVerifies(record.detail, [...group].reverse())).toBe(false);
    }
  });

  it('names the policy versions a group was answered under, once, in the detail its leaf commits to', () => {
    const group = [check(0, 1, true), check(1, null)];
    const policies = { measures: 'm'.repeat(64), lists: 'l'.repeat(64) };
    const record = checkGroupRecord(group, policies);
    expect(JSON.parse(record.detail)).toEqual({
      checks: 2,
      json_sha256: hash('sha256', record.checks, 'hex'),
      measures_policy: policies.measures,
      lists_policy: policies.lists,
    });
    expect(checkGroupPolicies(record.detail)).toEqual(policies);
    expect(checkGroupVerifies(record.detail, group)).toBe(true);
    // Another version named for the same checks is another leaf: the tree shows the change.
    const other = record.detail.replace(policies.lists, 'x'.repeat(64));
    const at = '2026-03-01T10:00:00.000Z';
    const leaf = (detail: string) => Buffer.from(auditLeafHash(rail, at, null, 'measure.check', detail));
    expect(leaf(other).equals(leaf(record.detail))).toBe(false);
    expect(checkGroupPolicies(checkGroupRecord(group).detail)).toBeUndefined();
  });

  it('makes check IDs that find their group by key, and no key from an ID it did not make', () => {
    const key = newCheckKey();
    const next = groupCheckIds(key, checkSuffixes(3));
    const ids = [next(), next(), next()];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(checkKeyOf(id)).toBe(key);
      expect(isExplainableCheckId(id)).toBe(true);
    }
    expect(newCheckKey()).not.toBe(key);
    expect(checkKeyOf('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(isExplainableCheckId('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(checkKeyOf(`${ids[0]}x`)).toBeUndefined();
  });

  it('gives the checks of a group random suffixes, never twice: one ID tells nothing of the others', () => {
    const key = newCheckKey();
    const next = groupCheckIds(key, checkSuffixes(1000));
    const suffixes = Array.from({ length: 1000 }, () => Number.parseInt(next().slice(24), 16));
    expect(new Set(suffixes).size).toBe(1000);
    // Not a count from 0, nor any run: no suffix is the one before it plus one.
    expect(suffixes.filter((s, i) => i > 0 && s === suffixes[i - 1]! + 1)).toEqual([]);
    expect(Math.max(...suffixes)).toBeGreaterThan(2 ** 40);
    // A suffix drawn twice is drawn again: the group's IDs stay distinct.
    const repeats = ['000000000001', '000000000001', '000000000002'];
    const again = groupCheckIds(key, () => repeats.shift()!);
    expect([again(), again()]).toEqual([checkIdOf(key, '000000000001'), checkIdOf(key, '000000000002')]);
  });

  it('still verifies groups logged with the former digest over content lines', () => {
    for (const n of [1, 63, 64, 65, 1000]) {
      const group = Array.from({ length: n }, (_, i) => check(i, i % 7 === 0 ? null : i + 1, i % 3 === 0));
      const lines = group.map(checkLogLine).join('');
      expect(lines.split('\n')).toHaveLength(n + 1);
      const detail = checkLinesDetail(group);
      expect(JSON.parse(detail)).toEqual({ checks: n, sha256: hash('sha256', lines, 'hex') });
      expect(checkGroupVerifies(detail, group)).toBe(true);
      const tampered = group.map((c, i) => (i === n - 1 ? { ...c, applies: !c.applies } : c));
      expect(checkGroupVerifies(detail, tampered)).toBe(false);
    }
  });
});

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('check log', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let another: () => Promise<Platform>;
    let subjects: number[];

    beforeAll(async () => {
      ({ platform: p, cleanup, another } = await b.open());
      const at = '2026-03-01T10:00:00.000Z';
      const outcome = await p.store.registerSubjects(
        [
          { kind: 'person', identifier: '360426199101010071', name: '张伟' },
          { kind: 'person', identifier: '440524188001010014', name: '李娜' },
        ],
        at,
        { actor: 'operator:test', role: 'operator', purpose: 'set up', requestId: null },
      );
      subjects = outcome.map((o) => ('subjectId' in o ? o.subjectId : 0));
    });
    afterAll(async () => cleanup?.());

    it('commits the checks appended together once per actor, with an audit entry that their rows verify', async () => {
      const [a, c] = subjects as [number, number];
      const at = new Date().toISOString();
      // Logged in one turn: they are committed together, one group per actor.
      await logChecks(
        p.store,
        { actor: rail, at, rows: [check(1, a, true), check(2, c)] },
        { actor: air, at, rows: [check(3, a, true)] },
        { actor: rail, at, rows: [check(4, null)] },
      );
      const trail = await p.store.listAuditForSubject(a, 50);
      const checks = trail.filter((t) => t.action === 'measure.check');
      expect(checks.map((t) => [t.actor, t.purpose, JSON.parse(t.detail!).applies])).toEqual(
        expect.arrayContaining([
          ['relying_party:rail', 'ticket sale', true],
          ['relying_party:air', 'boarding', true],
        ]),
      );
      expect(checks).toHaveLength(2);
      expect(
        (await p.store.listAuditForSubject(c, 50)).filter((t) => t.action === 'measure.check'),
      ).toHaveLength(1);

      // The rail group holds checks 1, 2 and 4 in order; its leaf commits to their lines.
      const railEntry = checks.find((t) => t.actor === 'relying_party:rail')!;
      const group = await p.store.listCheckLog(railEntry.seq);
      expect(group.map((r) => r.checkId)).toEqual(
        [check(1, a), check(2, c), check(4, null)].map((x) => x.checkId),
      );
      expect(group[2]).toMatchObject({ subjectId: null, subject: '110101199003077777' });
      const { detail } = checkGroupRecord(group);
      expect(checkGroupVerifies(detail, group)).toBe(true);
      expect(railEntry.leafHash).toBe(
        auditLeafHash({ ...rail }, railEntry.at, null, 'measure.check', detail).toString('hex'),
      );
      // Changing any logged check breaks the digest its audit entry committed to.
      const tampered = group.map((r, i) => (i === 0 ? { ...r, applies: false } : r));
      expect(checkGroupVerifies(detail, tampered)).toBe(false);
    });

    it('finds a subject’s checks the same way once the log is indexed, and indexing twice adds nothing', async () => {
      const [a] = subjects as [number];
      const before = (await p.store.listAuditForSubject(a, 50)).filter((t) => t.action === 'measure.check');
      // The store also indexes behind the checks on a timer, which a busy machine may let run first.
      await p.store.indexCheckLog();
      expect(await p.store.indexCheckLog()).toBe(0);
      const after = (await p.store.listAuditForSubject(a, 50)).filter((t) => t.action === 'measure.check');
      expect(after).toEqual(before);
      await logChecks(p.store, { actor: rail, at: new Date().toISOString(), rows: [check(9, a)] });
      const tail = (await p.store.listAuditForSubject(a, 50)).filter((t) => t.action === 'measure.check');
      expect(tail).toHaveLength(before.length + 1);
      expect(JSON.parse(tail[0]!.detail!)).toMatchObject({ check_id: check(9, a).checkId, applies: false });
    });

    it('follows each subject’s checks across many indexing slices, newest first, as far as asked', async () => {
      const [a, c] = subjects as [number, number];
      const ids = (subject: number, limit: number) =>
        p.store
          .listAuditForSubject(subject, limit)
          .then((t) =>
            t.filter((e) => e.action === 'measure.check').map((e) => JSON.parse(e.detail!).check_id),
          );
      const olderA = await ids(a, 500);
      const olderC = await ids(c, 500);
      await p.store.indexCheckLog();
      // Groups of one to four checks naming the two subjects in turn, indexed a few groups at a time.
      const expectA: string[] = [];
      const expectC: string[] = [];
      let n = 100;
      for (let g = 0; g < 30; g++) {
        const rows = Array.from({ length: 1 + (g % 4) }, (_, i) => check(n++, (g + i) % 3 === 0 ? c : a));
        for (const r of rows) (r.subjectId === a ? expectA : expectC).unshift(r.checkId);
        await logChecks(p.store, { actor: g % 2 ? rail : air, at: new Date().toISOString(), rows });
        if (g % 7 === 6) while ((await p.store.indexCheckLog(3)) > 0);
      }
      // Part indexed, part in the tail: the trail reads the same either way, and after indexing all.
      expect(await ids(a, 500)).toEqual([...expectA, ...olderA]);
      expect(await ids(c, 500)).toEqual([...expectC, ...olderC]);
      while ((await p.store.indexCheckLog(5)) > 0);
      expect(await ids(a, 500)).toEqual([...expectA, ...olderA]);
      expect(await ids(c, 500)).toEqual([...expectC, ...olderC]);
      expect(await ids(a, 7)).toEqual([...expectA, ...olderA].slice(0, 7));
    });

    it('never shows a check twice to a reader whose view of the indexing is a moment old', async () => {
      const [a] = subjects as [number];
      const ids = () =>
        p.store
          .listAuditForSubject(a, 500)
          .then((t) =>
            t.filter((e) => e.action === 'measure.check').map((e) => JSON.parse(e.detail!).check_id),
          );
      while ((await p.store.indexCheckLog()) > 0);
      const through = await p.store.getMeta('check_groups_indexed_through');
      await logChecks(p.store, {
        actor: rail,
        at: new Date().toISOString(),
        rows: [check(300, a), check(301, a)],
      });
      const before = await ids();
      // Indexing commits between the reader's look at how far the log is indexed and its read of
      // the chain (as two processes may interleave): the reader still holds the old mark.
      while ((await p.store.indexCheckLog()) > 0);
      const indexed = await p.store.getMeta('check_groups_indexed_through');
      await p.store.setMeta('check_groups_indexed_through', through!);
      try {
        const seen = await ids();
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(before);
      } finally {
        await p.store.setMeta('check_groups_indexed_through', indexed!);
      }
    });

    it('commits what was appended when a store closes, even if nobody waited for it', async () => {
      const [a] = subjects as [number];
      const before = await p.store.countAudit();
      const other = await another();
      const at = new Date().toISOString();
      // Appended and not awaited: closing the store must still commit them before it lets go.
      const appended = [
        logChecks(other.store, { actor: rail, at, rows: [check(20, a)] }),
        other.store.appendAudit([{ ...air, subjectId: a, action: 'subject.read', detail: null }], at),
      ];
      await other.close();
      await Promise.all(appended);
      expect(await p.store.countAudit()).toBe(before + 2);
    });
  });
}
