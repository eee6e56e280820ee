/**
 * Reads from a replica (issue 20): a primary and a hot standby streaming from it, started here on
 * loopback; one process writes through the primary, another answers checks, files and public
 * lookups reading from the standby (DATABASE_REPLICA_URL) and writes its check log on the primary.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresServer,
  type PostgresStandby,
  standbyDatabase,
  startPostgres,
  startStandby,
  testPostgresSkipReason,
} from '../../test/pg-server.ts';
import { issueToken } from '../access/index.ts';
import { parseConfig } from '../config.ts';
import { fixedClock } from '../context.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { bearer, personRecord, TODAY } from './test-app.ts';

const skip = testPostgresSkipReason();
/** Listed by the first record, then by the second while the standby's replay is paused. */
const FIRST = '360426199101010071';
const SECOND = '11010519491231002X';
/** Listed, then withdrawn while the standby's replay is paused: its own file shows the withdrawal. */
const THIRD = '110105198001010016';
const BOUND_MS = 3000;
/** Generous: how long anything here may take to reach the standby or the primary. */
const PATIENCE_MS = 60_000;

/** Valid resident ID numbers (GB 11643-1999: ISO 7064 MOD 11-2 check character), none of them above. */
const residentIds = (n: number): string[] => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return Array.from({ length: n }, (_, i) => {
    const body = `44052419800101${String(200 + i).padStart(3, '0')}`;
    const sum = [...body].reduce((s, d, k) => s + Number(d) * weights[k]!, 0);
    return body + '10X98765432'[sum % 11]!;
  });
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const eventually = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  patience = PATIENCE_MS,
): Promise<T> => {
  const until = Date.now() + patience;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${patience} ms`);
    await sleep(50);
  }
};

describe.skipIf(Boolean(skip))(`reads from a hot standby${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let primary: PostgresServer;
  let standby: PostgresStandby;
  let primaryUrl: string;
  let dir: string;
  /** The process that writes: DATABASE_URL only. */
  let writer: { platform: Platform; app: FastifyInstance };
  /** The process that reads from the standby: DATABASE_URL and DATABASE_REPLICA_URL. */
  let reader: { platform: Platform; app: FastifyInstance };
  let operator: string;
  let court: string;
  let rail: string;

  const open = async (env: Record<string, string>) => {
    const platform = await openPlatform(parseConfig({ DATA_DIR: dir, DATABASE_URL: primaryUrl, ...env }), {
      clock: fixedClock(`${TODAY}T09:00:00Z`),
    });
    return { platform, app: await buildApp(platform, { logger: false }) };
  };
  /** Rows of the check log on the primary. */
  const checkGroupsOnPrimary = async () => {
    const c = new pg.Client({ connectionString: primaryUrl });
    await c.connect();
    try {
      return Number((await c.query('select count(*) as n from check_groups')).rows[0].n);
    } finally {
      await c.end();
    }
  };
  const check = async (subject: string) => {
    const res = await reader.app.inject({
      url: `/v1/checks?subject=${subject}&measure=restrict.high_speed_rail`,
      headers: bearer(rail, { 'x-purpose': 'ticket_sale' }),
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { applies: boolean; list: string | null };
  };
  /** The reader's replica figures as GET /metrics shows them. */
  const metrics = async () => {
    const res = await reader.app.inject({ url: '/metrics', headers: bearer(operator) });
    expect(res.statusCode).toBe(200);
    const figure = (name: string) => {
      const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(res.body);
      return m ? Number(m[1]) : undefined;
    };
    return {
      lag: figure('credence_replica_lag_seconds'),
      bound: figure('credence_replica_max_lag_seconds'),
      inUse: figure('credence_replica_in_use'),
      fallbacks: figure('credence_replica_fallbacks_total'),
    };
  };
  const onStandby = async (q: string) => {
    const c = new pg.Client({ connectionString: standby.url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  const ingest = async (...ids: string[]) => {
    const res = await writer.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: bearer(court),
      payload: ids.map((id) =>
        personRecord(id, { source_record_id: `case-${id}`, evidence: `(2025)赣0426执${id.slice(-3)}号` }),
      ),
    });
    expect(res.json()).toMatchObject({ accepted: ids.length });
  };

  beforeAll(async () => {
    primary = await startPostgres();
    standby = await startStandby(primary.url);
    primaryUrl = await primary.createDatabase('credence');
    const replicaUrl = await standbyDatabase(standby, 'credence');
    dir = mkdtempSync(join(tmpdir(), 'credence-replica-'));
    writer = await open({});
    reader = await open({ DATABASE_REPLICA_URL: replicaUrl, REPLICA_MAX_LAG_MS: String(BOUND_MS) });
    ({ token: operator } = await issueToken({
      ctx: writer.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
      input: { role: 'operator', label: 'test' },
    }));
    const source = await writer.app.inject({
      method: 'POST',
      url: '/v1/sources',
      headers: bearer(operator),
      payload: { code: 'court-r', kind: 'court' },
    });
    court = source.json().credential;
    const rp = await writer.app.inject({
      method: 'POST',
      url: '/v1/relying-parties',
      headers: bearer(operator),
      payload: { code: 'rail-r', kind: 'railway', purposes: ['ticket_sale'] },
    });
    rail = rp.json().token;
  }, 180_000);

  afterAll(async () => {
    await reader?.app.close();
    await reader?.platform.close();
    await writer?.app.close();
    await writer?.platform.close();
    // A frozen standby (a test that timed out while it was) must run again to be stopped.
    await standby?.resume().catch(() => {});
    await standby?.stop();
    await primary?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers a check from the standby with a record written through the primary, and logs it on the primary', async () => {
    await eventually('the reader using its replica', async () =>
      reader.platform.store.replicaStatus()?.inUse ? true : undefined,
    );
    expect(await check(FIRST)).toMatchObject({ applies: false });
    await ingest(FIRST);
    const listed = await eventually('the record reaching a check answered from the standby', async () => {
      const a = await check(FIRST);
      return a.applies ? a : undefined;
    });
    expect(listed).toMatchObject({ applies: true, list: 'black.court_defaulters' });
    // The check log is the primary's: every check answered above is there (the standby refuses writes).
    expect(await checkGroupsOnPrimary()).toBeGreaterThan(0);
    // The lag is reported, with its bound, and reads still go to the standby.
    const m = await metrics();
    expect(m).toMatchObject({ bound: BOUND_MS / 1000, inUse: 1 });
    expect(m.lag).toBeGreaterThanOrEqual(0);
    expect(m.lag).toBeLessThanOrEqual(BOUND_MS / 1000);
  });

  it('shows the subject file and the public lists from the standby', async () => {
    const file = await reader.app.inject({
      url: `/v1/subjects/${FIRST}`,
      headers: bearer(operator, { 'x-purpose': 'test' }),
    });
    expect(file.statusCode).toBe(200);
    expect(file.json().records).toHaveLength(1);
    const list = await reader.app.inject({ url: '/v1/public/lists/black.court_defaulters' });
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).toContain(FIRST.slice(0, 4));
  });

  it('loses no change the primary commits concurrently while checks are answered from the standby', async () => {
    const ids = residentIds(24);
    // Held by the reader before their records arrive: the change feed, caught up from the standby, brings them.
    for (const id of ids) expect(await check(id)).toMatchObject({ applies: false });
    let writing = true;
    const checking = (async () => {
      while (writing) await Promise.all(ids.slice(0, 6).map((id) => check(id)));
    })();
    // Four writers at once: their changes commit in an order of their own.
    await Promise.all([0, 1, 2, 3].map((w) => ingest(...ids.filter((_, i) => i % 4 === w))));
    writing = false;
    await checking;
    await eventually('every record reaching the checks answered from the standby', async () => {
      const answers = await Promise.all(ids.map((id) => check(id)));
      return answers.every((a) => a.applies) ? true : undefined;
    });
  });

  it("shows a subject its own file from the primary: a listing withdrawn there is gone at once, as others' reads may lag", async () => {
    await ingest(THIRD);
    await eventually('the listing reaching a check answered from the standby', async () =>
      (await check(THIRD)).applies ? true : undefined,
    );
    const issued = await writer.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: bearer(operator),
      payload: { role: 'subject', label: 'third', ref: THIRD },
    });
    const own = issued.json().token as string;
    await onStandby('select pg_wal_replay_pause()');
    try {
      const before = reader.platform.store.replicaStatus()!.fallbacks;
      const withdrawn = await writer.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [{ action: 'withdraw', source_record_id: `case-${THIRD}`, reason: 'judgment set aside' }],
      });
      expect(withdrawn.json()).toMatchObject({ withdrawn: 1 });
      const mine = await reader.app.inject({ url: `/v1/subjects/${THIRD}`, headers: bearer(own) });
      const theirs = await reader.app.inject({
        url: `/v1/subjects/${THIRD}`,
        headers: bearer(operator, { 'x-purpose': 'test' }),
      });
      // The standby served all along (paused, within the bound): an operator's read of the file
      // is as of the standby, the listing still there.
      expect(reader.platform.store.replicaStatus()).toMatchObject({ inUse: true, fallbacks: before });
      expect(theirs.json().records.map((r: { status: string }) => r.status)).toEqual(['active']);
      // The subject's own file is the primary's: the record withdrawn, no listing, and the access
      // log (the primary's) agreeing with them.
      expect(mine.statusCode).toBe(200);
      expect(mine.json().records.map((r: { status: string }) => r.status)).toEqual(['withdrawn']);
      expect(mine.json().lists).toEqual([]);
    } finally {
      await onStandby('select pg_wal_replay_resume()');
    }
    await eventually('reads back on the standby', async () =>
      (await metrics()).inUse === 1 ? true : undefined,
    );
  });

  it('stops reading from a standby that falls behind the bound, and comes back once it has caught up', async () => {
    await onStandby('select pg_wal_replay_pause()');
    const before = reader.platform.store.replicaStatus()!.fallbacks;
    await ingest(SECOND);
    const early = await check(SECOND);
    const status = reader.platform.store.replicaStatus()!;
    // Answered from the paused standby (while it was within the bound): the record is not there yet.
    if (status.inUse && status.fallbacks === before) expect(early.applies).toBe(false);
    // Past the bound the primary answers: never from a state older than the bound allows.
    await eventually('the primary answering once the standby is too far behind', async () =>
      (await check(SECOND)).applies ? true : undefined,
    );
    expect(await metrics()).toMatchObject({ inUse: 0, fallbacks: before + 1 });
    await onStandby('select pg_wal_replay_resume()');
    await eventually('reads back on the standby', async () =>
      (await metrics()).inUse === 1 ? true : undefined,
    );
    expect(await check(SECOND)).toMatchObject({ applies: true });
    expect(await check(FIRST)).toMatchObject({ applies: true });
  });

  it('answers from the primary when the standby hangs, and comes back to it once it answers again', async () => {
    await eventually('reads on the standby', async () => ((await metrics()).inUse === 1 ? true : undefined));
    const before = reader.platform.store.replicaStatus()!.fallbacks;
    await standby.freeze();
    try {
      // A subject file read from the frozen standby is given up on after the bound; the primary answers.
      const started = Date.now();
      const file = await reader.app.inject({
        url: `/v1/subjects/${FIRST}`,
        headers: bearer(operator, { 'x-purpose': 'test' }),
      });
      expect(file.statusCode).toBe(200);
      expect(file.json().records).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(4 * BOUND_MS);
      expect(reader.platform.store.replicaStatus()).toMatchObject({ inUse: false, fallbacks: before + 1 });
      // Still ready (the primary serves), saying the replica is not used but never why (public).
      const ready = await reader.app.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ready',
        replica: { in_use: false, max_lag_ms: BOUND_MS },
      });
      expect(Object.keys(ready.json().replica).sort()).toEqual(['in_use', 'lag_seconds', 'max_lag_ms']);
      expect(await check(FIRST)).toMatchObject({ applies: true });
    } finally {
      await standby.resume();
    }
    await eventually('reads back on the standby', async () =>
      (await metrics()).inUse === 1 ? true : undefined,
    );
    expect((await reader.app.inject({ url: '/health/ready' })).json().replica).toMatchObject({
      in_use: true,
    });
    expect((await writer.app.inject({ url: '/health/ready' })).json()).toEqual({ status: 'ready' });
  });

  it('answers from the primary when the standby is gone', async () => {
    expect((await metrics()).lag).toBeLessThanOrEqual(BOUND_MS / 1000);
    await standby.stop();
    expect(await check(SECOND)).toMatchObject({ applies: true });
    await eventually('the fall-back reported', async () =>
      (await metrics()).inUse === 0 ? true : undefined,
    );
    // Its lag is unknown once it does not answer: no figure from before it stopped stays reported
    // (a probe, a few per bound, finds it gone).
    await eventually(
      'the lag no longer reported',
      async () => ((await metrics()).lag === undefined ? true : undefined),
      2 * BOUND_MS,
    );
    expect((await reader.app.inject({ url: '/health/ready' })).json().replica).toEqual({
      in_use: false,
      lag_seconds: null,
      max_lag_ms: BOUND_MS,
    });
    const file = await reader.app.inject({
      url: `/v1/subjects/${SECOND}`,
      headers: bearer(operator, { 'x-purpose': 'test' }),
    });
    expect(file.statusCode).toBe(200);
    expect(file.json().records).toHaveLength(1);
  });
});
