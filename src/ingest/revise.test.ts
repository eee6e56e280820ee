/**
 * A source corrects or withdraws a record it sent, by its source_record_id: the earlier version is
 * kept (a report as of the day before still shows it), the change reaches scores, list entries and
 * the next check, and the subject is told. A record sent again with other content and no action
 * is refused, not taken for a duplicate; one sent again unchanged (or a withdrawal sent again) is a
 * duplicate that refreshes its subject, finishing a refresh a crash cut short. On both backends.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { makeResidentId } from '../identity/index.ts';
import { isMaintenanceDue, runMaintenance } from '../maintain/index.ts';
import { checkService } from '../measures/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import { getScoreReport } from '../scoring/index.ts';
import { registerSource } from '../sources/index.ts';
import { ingestRecords, type LineOutcome, readNdjson } from './index.ts';

const operator = { id: 'operator:test', role: 'operator' as const };
let now = new Date('2026-01-10T10:00:00Z');
const clock = { now: () => now };
const PERSON = { kind: 'person', id_number: '360426199101010071', name: '张伟' };
const ndjson = (objs: unknown[]) => Readable.from([objs.map((o) => JSON.stringify(o)).join('\n')]);

const listing = {
  source_record_id: 'case-1',
  type: 'court.judgment_defaulter',
  subject: PERSON,
  occurred_at: '2025-11-01',
  decided_at: '2025-11-20',
  amount: 80_000,
  evidence: '(2025)赣0426执1号',
};

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('corrections and withdrawals by sources', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    /** The subjects the last batches refreshed. */
    const refreshed: number[] = [];
    /** `crash`: the write commits and its refresh never runs (the process died in between). */
    const ingest = async (source: string, objs: unknown[], crash = false) => {
      const outcomes: LineOutcome[] = [];
      const ctx = p.ctx({ id: `source:${source}`, role: 'source', ref: source }, 'submit records');
      const summary = await ingestRecords({
        ctx,
        input: {
          source,
          lines: readNdjson(ndjson(objs)),
          catalogue: p.catalogue,
          onLine: (o) => outcomes.push(o),
          ...(crash
            ? {}
            : {
                afterBatch: async (ids: number[]) => {
                  refreshed.push(...ids);
                  await p.refreshSubjects(p.ctx(operator, 'refresh'), ids);
                },
              }),
        },
      });
      return { outcomes, summary };
    };
    const person = async () => (await p.store.findSubjectByIdentifier(PERSON.id_number))!;
    const report = async (asOf?: string) =>
      getScoreReport({
        ctx: p.ctx(operator, 'test report'),
        input: { identifier: PERSON.id_number, ...(asOf ? { asOf } : {}) },
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
      });
    const restricted = async () => {
      const id = (await person()).id;
      const day = now.toISOString().slice(0, 10);
      const [answer] = await checkService(p.store, p.measures, p.lists).check(
        [PERSON.id_number],
        day,
        { actor: 'rp:air', role: 'relying_party', purpose: 'ticket_sale', requestId: null },
        now.toISOString(),
        (index) => ({ value: [index.check(id, 'restrict.air_travel')!], rows: [] }),
      );
      return answer!.applies;
    };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock }));
      const ctx = p.ctx(operator, 'set up sources');
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'court', kind: 'court' } });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'court2', kind: 'court' } });
    });
    afterAll(() => cleanup());

    it('a record sent again with other content is refused, naming the fields; the same content is a duplicate', async () => {
      now = new Date('2026-01-10T10:00:00Z');
      expect((await ingest('court', [listing])).outcomes[0]).toMatchObject({ status: 'stored' });
      expect(await restricted()).toBe(true);
      const again = await ingest('court', [listing, { ...listing, amount: 90_000 }]);
      expect(again.outcomes[0]).toMatchObject({ status: 'duplicate' });
      expect(again.outcomes[1]).toMatchObject({ status: 'rejected', field: 'source_record_id' });
      expect((again.outcomes[1] as { reason: string }).reason).toMatch(/amount differ.*"action": "correct"/);
    });

    it('a refused line creates nobody: the person it named wrongly is not pinned to that name', async () => {
      // The court's clerk re-sends case-1 against another ID number, with a misspelt name.
      const other = { kind: 'person', id_number: '360426199202020623', name: '李丽丽' };
      const wrong = await ingest('court', [
        { ...listing, subject: other },
        { ...listing, subject: other },
      ]);
      expect(wrong.outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect((wrong.outcomes[0] as { reason: string }).reason).toMatch(/subject differ/);
      expect(await p.store.findSubjectByIdentifier(other.id_number)).toBeUndefined();
      // Her own record, under her real name, is then stored as any first record is.
      const real = await ingest('court', [
        { ...listing, source_record_id: 'case-2', subject: { ...other, name: '李丽' } },
      ]);
      expect(real.outcomes[0]).toMatchObject({ status: 'stored' });
      expect((await p.store.findSubjectByIdentifier(other.id_number))?.name).toBe('李丽');

      // Re-sending a stored key with a guessed ID number and any name tells nothing of who is on
      // file: the same answer for a person on file (李丽, by another name) as for one who is not.
      const guess = (id_number: string) =>
        ingest('court', [{ ...listing, subject: { kind: 'person', id_number, name: '某某' } }]).then(
          (r) => r.outcomes[0] as { status: string; field?: string; reason?: string },
        );
      const onFile = await guess(other.id_number);
      const notOnFile = await guess(makeResidentId('360426', '1993-03-03', 62));
      expect(onFile).toMatchObject({ status: 'rejected', field: 'source_record_id' });
      expect(onFile).toEqual(notOnFile);
      expect(onFile.reason).not.toMatch(/name on file/);
    });

    it('a correction replaces the content, keeps the earlier version, lifts the measure and tells the subject', async () => {
      now = new Date('2026-01-12T10:00:00Z');
      const before = await report();
      expect(before.grade).toMatch(/^D/);
      // The court finds it ruled a lost contract lawsuit, not a listing.
      const fixed = {
        ...listing,
        action: 'correct',
        reason: 'clerical error: the case is a contract judgment, not a listing',
        type: 'court.contract_lawsuit_lost',
        amount: null,
      };
      const r = await ingest('court', [fixed]);
      expect(r.outcomes[0]).toMatchObject({ status: 'corrected' });
      expect(r.summary).toMatchObject({ corrected: 1, accepted: 0, rejected: 0 });
      const [rec] = await p.store.listRecordsForSubject((await person()).id);
      expect(rec).toMatchObject({ type: 'court.contract_lawsuit_lost', version: 2, status: 'active' });
      const [old] = await p.store.listRecordVersions([rec!.id]);
      expect(old).toMatchObject({
        type: 'court.judgment_defaulter',
        version: 1,
        change: 'correct',
        amount: 80_000,
      });
      // The next check already sees it.
      expect(await restricted()).toBe(false);
      const today = await report();
      expect(today.grade).not.toMatch(/^D/);
      expect(today.breakdown.map((c) => c.type)).toEqual(['court.contract_lawsuit_lost']);
      // As of the day before, the report still shows what was said then.
      const yesterday = await report('2026-01-11');
      expect(yesterday.grade).toMatch(/^D/);
      expect(yesterday.breakdown.map((c) => c.type)).toEqual(['court.judgment_defaulter']);
      const notes = await p.store.listNotifications((await person()).id);
      expect(
        notes.some((n) => n.kind.startsWith('record.correct#') && n.message.includes('clerical error')),
      ).toBe(true);
      // Sending the corrected content again changes nothing.
      expect((await ingest('court', [fixed])).outcomes[0]).toMatchObject({ status: 'duplicate' });
    });

    it('a withdrawal stops the record counting; a report as of the day before still counts it', async () => {
      now = new Date('2026-01-14T10:00:00Z');
      const r = await ingest('court', [
        { action: 'withdraw', source_record_id: 'case-1', reason: 'judgment set aside on retrial' },
      ]);
      expect(r.outcomes[0]).toMatchObject({ status: 'withdrawn' });
      const [rec] = await p.store.listRecordsForSubject((await person()).id);
      expect(rec).toMatchObject({ status: 'withdrawn', version: 3 });
      expect((await report()).score).toBe(1000);
      expect((await report('2026-01-13')).breakdown.map((c) => c.type)).toEqual([
        'court.contract_lawsuit_lost',
      ]);
      expect((await report('2026-01-13')).score).toBeLessThan(1000);
    });

    it('refuses what cannot be revised: unknown ids, another source, withdrawn records, a change of subject', async () => {
      const unknown = await ingest('court', [{ action: 'withdraw', source_record_id: 'nope', reason: 'x' }]);
      expect(unknown.outcomes[0]).toMatchObject({ status: 'rejected', field: 'source_record_id' });
      // Another court cannot touch this court's record (ids are per source).
      const other = await ingest('court2', [{ action: 'withdraw', source_record_id: 'case-1', reason: 'x' }]);
      expect(other.outcomes[0]).toMatchObject({ status: 'rejected', field: 'source_record_id' });
      // Withdrawn already: a withdrawal sent again is done, a duplicate; a correction is refused.
      const again = await ingest('court', [{ action: 'withdraw', source_record_id: 'case-1', reason: 'x' }]);
      expect(again.outcomes[0]).toMatchObject({ status: 'duplicate' });
      const late = await ingest('court', [{ ...listing, action: 'correct', amount: 1 }]);
      expect((late.outcomes[0] as { reason: string }).reason).toMatch(/is withdrawn: it cannot change/);
      // A withdraw line needs its reason; a create line takes none.
      const noReason = await ingest('court', [{ action: 'withdraw', source_record_id: 'case-1' }]);
      expect(noReason.outcomes[0]).toMatchObject({ status: 'rejected', field: 'reason' });
      const stray = await ingest('court', [{ ...listing, source_record_id: 'case-2', reason: 'why' }]);
      expect(stray.outcomes[0]).toMatchObject({ status: 'rejected', field: 'reason' });
      await ingest('court', [{ ...listing, source_record_id: 'case-3' }]);
      const moved = await ingest('court', [
        {
          ...listing,
          source_record_id: 'case-3',
          action: 'correct',
          subject: { kind: 'person', id_number: '11010519491231002X', name: '李娜' },
        },
      ]);
      expect(moved.outcomes[0]).toMatchObject({ status: 'rejected', field: 'subject' });
    });
    it('a line sent again after a write whose refresh never ran (a crash) refreshes its subject', async () => {
      const who = { kind: 'person', id_number: makeResidentId('360426', '1985-03-03', 77), name: '王芳' };
      const line = { ...listing, source_record_id: 'crash-1', subject: who, evidence: '(2025)赣0426执9号' };
      const entries = async () =>
        (await p.store.listListEntries([(await p.store.findSubjectByIdentifier(who.id_number))!.id])).filter(
          (e) => e.status === 'active',
        );
      // Stored, then the process dies before the lists are recomputed: the answer never left.
      expect((await ingest('court', [line], true)).outcomes[0]).toMatchObject({ status: 'stored' });
      expect(await entries()).toHaveLength(0);
      // The source sends the batch again, as it must when no answer came: a duplicate that refreshes.
      refreshed.length = 0;
      expect((await ingest('court', [line])).outcomes[0]).toMatchObject({ status: 'duplicate' });
      expect(await entries()).toHaveLength(1);
      expect(refreshed).toHaveLength(1);
      // Sent once more, it is owed nothing: no recomputation.
      refreshed.length = 0;
      expect((await ingest('court', [line])).outcomes[0]).toMatchObject({ status: 'duplicate' });
      expect(refreshed).toEqual([]);
      // A revision is owed its refresh in the store until it is done: the maintenance that `serve`
      // runs within a minute finishes it, whether or not the source sends it again.
      const mctx = p.ctx(operator, 'maintain');
      await runMaintenance({ ctx: mctx, input: {}, deps: listDeps(p) });
      expect(await isMaintenanceDue(mctx)).toBe(false);
      const withdraw = { action: 'withdraw', source_record_id: 'crash-1', reason: 'set aside' };
      expect((await ingest('court', [withdraw], true)).outcomes[0]).toMatchObject({ status: 'withdrawn' });
      expect(await entries()).toHaveLength(1);
      expect(await isMaintenanceDue(mctx)).toBe(true);
      const run = await runMaintenance({ ctx: mctx, input: {}, deps: listDeps(p) });
      expect(run.subjects).toBeGreaterThan(0);
      expect(await entries()).toHaveLength(0);
      expect(await isMaintenanceDue(mctx)).toBe(false);
      // And the withdrawal sent again is a duplicate.
      expect((await ingest('court', [withdraw])).outcomes[0]).toMatchObject({ status: 'duplicate' });
      expect(await entries()).toHaveLength(0);
    });
  });
}
