/**
 * A replica that is a hot standby, but of another cluster (store/postgres/replica.ts): its WAL
 * positions say nothing of the primary's, even when they are past them, so it is never read from,
 * and the store, the log and GET /health/ready say why. The other cluster here is a second,
 * independent primary with a standby made from it by pg_basebackup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresServer,
  type PostgresStandby,
  replayPast,
  standbyDatabase,
  startPostgres,
  startStandby,
  testPostgresSkipReason,
} from '../../test/pg-server.ts';
import { parseConfig } from '../config.ts';
import { fixedClock } from '../context.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { TODAY } from './test-app.ts';

const skip = testPostgresSkipReason();
const BOUND_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(Boolean(skip))(`a standby of another cluster${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let primary: PostgresServer;
  let other: PostgresServer;
  let otherStandby: PostgresStandby;
  let dir: string;
  let reader: { platform: Platform; app: FastifyInstance };
  /** The reader's log lines. */
  const logged: string[] = [];

  beforeAll(async () => {
    [primary, other] = await Promise.all([startPostgres(), startPostgres()]);
    otherStandby = await startStandby(other.url);
    const [primaryUrl] = await Promise.all([
      primary.createDatabase('credence'),
      other.createDatabase('credence'),
    ]);
    const replicaUrl = await standbyDatabase(otherStandby, 'credence');
    dir = mkdtempSync(join(tmpdir(), 'credence-replica-identity-'));
    const platform = await openPlatform(
      parseConfig({
        DATA_DIR: dir,
        DATABASE_URL: primaryUrl,
        DATABASE_REPLICA_URL: replicaUrl,
        REPLICA_MAX_LAG_MS: String(BOUND_MS),
      }),
      { clock: fixedClock(`${TODAY}T09:00:00Z`) },
    );
    const stream = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk));
        done();
      },
    });
    reader = { platform, app: await buildApp(platform, { logger: { level: 'info', stream }, web: false }) };
    // The other cluster's standby replays far past anything the primary has written (16 MiB on):
    // by WAL positions alone it would look caught up.
    await replayPast(other.url, otherStandby.url, primary.url);
  }, 180_000);

  afterAll(async () => {
    await reader?.app.close();
    await reader?.platform.close();
    await otherStandby?.stop();
    await Promise.all([other?.stop(), primary?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is never read from, and says it is of another cluster', async () => {
    // Several probes (five per bound): not once is it taken into use.
    const until = Date.now() + 3 * BOUND_MS;
    while (Date.now() < until) {
      expect(reader.platform.store.replicaStatus()?.inUse).toBe(false);
      await sleep(20);
    }
    const status = reader.platform.store.replicaStatus()!;
    expect(status).toMatchObject({ inUse: false, refused: 'other_cluster', lagSeconds: undefined });
    // The log's reason names both system identifiers.
    expect(status.reason).toMatch(
      /DATABASE_REPLICA_URL is not a standby of DATABASE_URL: it is of another cluster \(system identifier \d+, the primary's is \d+\)/,
    );
    const refusal = logged.map((l) => JSON.parse(l)).find((l) => l.refused);
    expect(refusal).toMatchObject({
      refused: 'other_cluster',
      reason: status.reason,
      msg: expect.stringContaining('not a standby of the primary (check DATABASE_REPLICA_URL)'),
    });
    const ready = await reader.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      replica: { in_use: false, lag_seconds: null, max_lag_ms: BOUND_MS, refused: 'other_cluster' },
    });
  });
});
