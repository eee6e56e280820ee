/**
 * Dates count in the platform's time zone (TIME_ZONE, Asia/Shanghai by default): a record dated
 * today in China is not refused as future-dated before 08:00 Beijing time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { fixedClock, todayOf } from '../context.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { ingestRecords, type LineOutcome } from './index.ts';

const operator = { id: 'operator:test', role: 'operator' as const };
// 01:00 on 2 March in Beijing, still 1 March in UTC.
const clock = fixedClock('2026-03-01T17:00:00Z');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const platformIn = async (timeZone?: string): Promise<Platform> => {
  const dir = mkdtempSync(join(tmpdir(), 'credence-tz-'));
  dirs.push(dir);
  const p = await openPlatform(parseConfig({ DATA_DIR: dir, ...(timeZone ? { TIME_ZONE: timeZone } : {}) }), {
    clock,
  });
  await registerSource({
    ctx: p.ctx(operator, 'set up'),
    catalogue: p.catalogue,
    input: { code: 'court-a', kind: 'court' },
  });
  return p;
};

const submitDated = async (p: Platform, date: string) => {
  const out: LineOutcome[] = [];
  await ingestRecords({
    ctx: p.ctx(operator, 'test'),
    input: {
      source: 'court-a',
      catalogue: p.catalogue,
      lines: [
        {
          line: 1,
          value: {
            source_record_id: `tz-${date}`,
            type: 'court.contract_lawsuit_lost',
            subject: { kind: 'person', id_number: '360426199101010071', name: '张伟' },
            occurred_at: date,
            amount: 1000,
          },
        },
      ],
      onLine: (o) => out.push(o),
    },
  });
  return out[0]!;
};

describe('the platform’s day', () => {
  it('accepts a record dated today in Beijing at 01:00 there (17:00 UTC the day before)', async () => {
    const p = await platformIn();
    try {
      expect(todayOf(p.clock)).toBe('2026-03-02');
      expect(await submitDated(p, '2026-03-02')).toMatchObject({ status: 'stored' });
      expect(await submitDated(p, '2026-03-03')).toMatchObject({
        status: 'rejected',
        field: 'occurred_at',
        reason: '2026-03-03 is in the future (today is 2026-03-02)',
      });
    } finally {
      await p.close();
    }
  });

  it('refuses the same record as future-dated when the platform counts in UTC', async () => {
    const p = await platformIn('UTC');
    try {
      expect(await submitDated(p, '2026-03-02')).toMatchObject({
        status: 'rejected',
        field: 'occurred_at',
        reason: '2026-03-02 is in the future (today is 2026-03-01)',
      });
    } finally {
      await p.close();
    }
  });

  it('turns the day at the zone’s midnight, daylight-saving changes included', () => {
    const at = (iso: string, zone: string) => todayOf(fixedClock(iso, zone));
    expect(at('2026-03-01T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(at('2026-03-01T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    // America/Santiago leaves summer time at midnight: 5 April starts at 04:00 UTC.
    expect(at('2026-04-05T03:59:59.999Z', 'America/Santiago')).toBe('2026-04-04');
    expect(at('2026-04-05T04:00:00.000Z', 'America/Santiago')).toBe('2026-04-05');
    // One clock read many times across a midnight: the cached day is never kept past it.
    let ms = Date.parse('2026-03-01T15:59:00Z');
    const moving = { now: () => new Date(ms), timeZone: 'Asia/Shanghai' };
    const seen = new Set<string>();
    for (; ms < Date.parse('2026-03-01T16:01:00Z'); ms += 7_919) {
      const expected = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(todayOf(moving)).toBe(expected);
      seen.add(expected);
    }
    expect(seen.size).toBe(2);
  });
});
