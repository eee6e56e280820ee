/**
 * A replica left behind on an earlier timeline (store/postgres/replica.ts): after a failover, the
 * promoted standby is the primary, on a new timeline, while another standby still streams from the
 * old primary. It is of the same cluster, in recovery, and its WAL positions run on past the fork,
 * on a history the new primary never had — by positions alone it would look caught up, and checks
 * would be answered from records the primary does not hold. It is never read from, and the store,
 * the log and GET /health/ready say why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseUrl,
  type PostgresServer,
  type PostgresStandby,
  queryOne,
  replayPast,
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

describe.skipIf(Boolean(skip))(
  `a standby left on an earlier timeline${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let old: PostgresServer;
    let promoted: PostgresStandby;
    let behind: PostgresStandby;
    let dir: string;
    let reader: { platform: Platform; app: FastifyInstance };
    const logged: string[] = [];

    beforeAll(async () => {
      old = await startPostgres();
      await old.createDatabase('credence');
      [promoted, behind] = await Promise.all([startStandby(old.url), startStandby(old.url)]);
      // The failover: one standby is promoted (timeline 2); the other still follows the old primary.
      await queryOne(promoted.url, 'select pg_promote(true, 60)');
      dir = mkdtempSync(join(tmpdir(), 'credence-replica-timeline-'));
      const platform = await openPlatform(
        parseConfig({
          DATA_DIR: dir,
          DATABASE_URL: databaseUrl(promoted.url, 'credence'),
          DATABASE_REPLICA_URL: databaseUrl(behind.url, 'credence'),
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
      // The old primary writes on, and the standby left behind replays it, far past anything the
      // new primary has written (16 MiB on): by WAL positions alone it would look caught up.
      await replayPast(old.url, behind.url, promoted.url);
    }, 180_000);

    afterAll(async () => {
      await reader?.app.close();
      await reader?.platform.close();
      await Promise.all([behind?.stop(), promoted?.stop()]);
      await old?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('is never read from, and says it is left behind on an earlier timeline', async () => {
      const until = Date.now() + 3 * BOUND_MS;
      while (Date.now() < until) {
        expect(reader.platform.store.replicaStatus()?.inUse).toBe(false);
        await sleep(20);
      }
      const status = reader.platform.store.replicaStatus()!;
      expect(status).toMatchObject({ inUse: false, refused: 'other_timeline', lagSeconds: undefined });
      expect(status.reason).toMatch(
        /DATABASE_REPLICA_URL is left behind on an earlier timeline: it streams timeline 1, and the primary is on 2/,
      );
      const refusal = logged.map((l) => JSON.parse(l)).find((l) => l.refused);
      expect(refusal).toMatchObject({ refused: 'other_timeline', reason: status.reason });
      const ready = await reader.app.inject({ url: '/health/ready' });
      expect(ready.json()).toMatchObject({ replica: { in_use: false, refused: 'other_timeline' } });
    });
  },
);
