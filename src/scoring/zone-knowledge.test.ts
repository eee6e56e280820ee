/**
 * What a computation knows is counted in the platform's days (TIME_ZONE), not UTC ones: "as of a
 * day" knows every record received by the end of that day where the platform is, no more and no
 * less (product rule 5), and "today" knows everything on file — west of UTC too, where a record
 * received in the evening falls after UTC midnight (a performance must lift the listing at once:
 * rules 6 and 7). The notice of a withdrawal and the access log's days count the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import type { Clock } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { ingestRecords } from '../ingest/index.ts';
import { checkMeasure } from '../measures/index.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { getOwnFile, ownFileDeps } from '../rights/index.ts';
import { registerSource } from '../sources/index.ts';
import { getScoreReport } from './index.ts';

const operator = { id: 'operator:test', role: 'operator' as const };
const PERSON = makeResidentId('360426', '1980-05-05', 31);
const CASE = '(2026)赣0426执1号';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A platform in `zone` whose clock the test sets to instants (`at`). */
const platformIn = async (zone: string, start: string) => {
  let now = new Date(start);
  const clock: Clock = { now: () => new Date(now.getTime()), timeZone: zone };
  const dir = mkdtempSync(join(tmpdir(), 'credence-zone-'));
  dirs.push(dir);
  const p = await openPlatform(parseConfig({ DATA_DIR: dir, TIME_ZONE: zone }), { clock });
  await registerSource({
    ctx: p.ctx(operator, 'set up'),
    catalogue: p.catalogue,
    input: { code: 'court-z', kind: 'court' },
  });
  let line = 0;
  const send = async (...values: object[]) => {
    const r = await ingestRecords({
      ctx: p.ctx(operator, 'feed'),
      input: {
        source: 'court-z',
        catalogue: p.catalogue,
        lines: values.map((value) => ({ line: ++line, value })),
        afterBatch: async (ids) => {
          await p.refreshSubjects(p.ctx(operator, 'refresh'), ids);
        },
      },
    });
    expect(r.rejected).toBe(0);
  };
  return { p, send, at: (iso: string) => (now = new Date(iso)) };
};

const subject = { kind: 'person', id_number: PERSON, name: '张伟' };
const listing = (decided: string) => ({
  source_record_id: 'listing',
  type: 'court.judgment_defaulter',
  subject,
  occurred_at: '2026-01-01',
  decided_at: decided,
  amount: 80_000,
  evidence: CASE,
});
const listed = async (p: Platform) =>
  (
    await checkMeasure({
      ctx: p.ctx(operator, 'check'),
      measures: p.measures,
      lists: p.lists,
      input: { measure: 'restrict.air_travel', subjects: [PERSON] },
    })
  )[0]!.applies;
const gradeAsOf = async (p: Platform, asOf: string) =>
  (
    await getScoreReport({
      ctx: p.ctx(operator, 'report'),
      input: { identifier: PERSON, asOf },
      deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
    })
  ).grade;

describe('the platform’s day in what it knows', () => {
  it('west of UTC, a performance received in the evening lifts the listing that day', async () => {
    // 10:00 on 2 March in Los Angeles.
    const { p, send, at } = await platformIn('America/Los_Angeles', '2026-03-02T18:00:00Z');
    try {
      await send(listing('2026-02-01'));
      expect(await listed(p)).toBe(true);
      // 17:30 on 2 March there, 01:30 on 3 March in UTC.
      at('2026-03-03T01:30:00Z');
      await send({
        source_record_id: 'performed',
        type: 'court.judgment_performed',
        subject,
        occurred_at: '2026-03-02',
        decided_at: '2026-03-02',
        amount: 80_000,
        evidence: CASE,
      });
      expect(await listed(p)).toBe(false);
      const s = await p.store.findSubjectByIdentifier(PERSON);
      const entries = await p.store.listListEntries([s!.id]);
      expect(entries.filter((e) => e.status === 'active')).toEqual([]);
      expect(await gradeAsOf(p, '2026-03-02')).not.toMatch(/^D/);
    } finally {
      await p.close();
    }
  });

  it('as of a past day, knows what was received by the end of that day there: no less, no more', async () => {
    // 10:00 on 1 March in Shanghai.
    const { p, send, at } = await platformIn('Asia/Shanghai', '2026-03-01T02:00:00Z');
    try {
      await send(listing('2026-02-20'));
      // 23:30 on 1 March there: still listed.
      at('2026-03-01T15:30:00Z');
      expect(await listed(p)).toBe(true);
      // 02:00 on 2 March there (still 1 March in UTC): the court withdraws the record.
      at('2026-03-01T18:00:00Z');
      await send({ action: 'withdraw', source_record_id: 'listing', reason: 'sent in error' });
      expect(await listed(p)).toBe(false);
      const asOfFirst = await gradeAsOf(p, '2026-03-01');
      expect(asOfFirst).toMatch(/^D/);
      at('2026-03-01T21:00:00Z');
      expect(await gradeAsOf(p, '2026-03-01')).toBe(asOfFirst);
      at('2026-03-10T02:00:00Z');
      expect(await gradeAsOf(p, '2026-03-01')).toBe(asOfFirst);
      // Received on 1 March: unknown as of the day before.
      expect(await gradeAsOf(p, '2026-02-28')).not.toMatch(/^D/);
      expect(await gradeAsOf(p, '2026-03-02')).not.toMatch(/^D/);
    } finally {
      await p.close();
    }
  });

  it('a record received after the day ended there does not count as of that day', async () => {
    const { p, send, at } = await platformIn('Asia/Shanghai', '2026-03-01T02:00:00Z');
    try {
      // 02:00 on 2 March in Shanghai (1 March in UTC): a listing decided on 20 February arrives.
      at('2026-03-01T18:00:00Z');
      await send(listing('2026-02-20'));
      at('2026-03-10T02:00:00Z');
      expect(await gradeAsOf(p, '2026-03-01')).not.toMatch(/^D/);
      expect(await gradeAsOf(p, '2026-03-02')).toMatch(/^D/);
    } finally {
      await p.close();
    }
  });

  it('dates a withdrawal’s notice and groups the access log’s checks by the platform’s day', async () => {
    const { p, send, at } = await platformIn('Asia/Shanghai', '2026-03-01T02:00:00Z');
    try {
      await send(listing('2026-02-20'));
      // 02:00 on 2 March in Shanghai.
      at('2026-03-01T18:00:00Z');
      expect(await listed(p)).toBe(true);
      await send({ action: 'withdraw', source_record_id: 'listing', reason: 'sent in error' });
      const s = await p.store.findSubjectByIdentifier(PERSON);
      const notices = await p.store.listNotifications(s!.id);
      const withdrawn = notices.find((n) => n.kind.startsWith('record.withdraw#'));
      expect(withdrawn?.effective).toBe('2026-03-02');
      const file = await getOwnFile({
        ctx: p.ctx({ id: `subject:${PERSON}`, role: 'subject', ref: PERSON }, 'my file'),
        input: {},
        deps: ownFileDeps(p),
      });
      expect(file.access_log.checks.groups.map((g) => g.day)).toEqual(['2026-03-02']);
    } finally {
      await p.close();
    }
  });
});
