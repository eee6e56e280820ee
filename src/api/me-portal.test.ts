/**
 * The citizen portal's additions on both backends: the score history recomputed at month ends
 * from the records as they stand (a negative record lowers the points from its day on, and none
 * before), audited on the subject's own trail; notifications of one's own only, newest first, and
 * marking one read keeps the first time.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { issueToken } from '../access/index.ts';
import type { Clock } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const WANG = makeResidentId('110105', '1979-01-02', 17);
const LI = makeResidentId('360426', '1980-05-05', 31);

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('the citizen portal API', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-03-10T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const tokens: Record<string, string> = {};
    const ids: Record<string, number> = {};
    const call = callerOf(() => app);
    const op = { id: 'operator:test', role: 'operator' } as const;

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false, web: false });
      const ctx = p.ctx(op, 'test');
      await importSubjects({
        ctx,
        input: {
          lines: [
            { kind: 'person', id_number: WANG, name: '王芳' },
            { kind: 'person', id_number: LI, name: '李娜' },
          ].map((value, i) => ({ line: i + 1, value })),
        },
      });
      for (const id of [WANG, LI]) {
        ids[id] = (await p.store.findSubjectByIdentifier(id))!.id;
        tokens[id] = (await issueToken({ ctx, input: { role: 'subject', label: id, ref: id } })).token;
      }
      tokens.operator = (await issueToken({ ctx, input: { role: 'operator', label: 'desk' } })).token;
    }, 120_000);
    afterAll(() => cleanup?.());

    it('gives the subject its own notifications only, newest first, and marks one read once', async () => {
      const note = (subjectId: number, kind: string, effective: string, message: string) => ({
        subjectId,
        kind,
        listCode: 'black.court_defaulters',
        effective,
        message,
      });
      await p.store.addNotifications(
        [
          note(ids[WANG]!, 'listing_warning', '2026-03-20', 'first'),
          note(ids[LI]!, 'listing_warning', '2026-03-20', 'not yours'),
        ],
        '2026-03-01T08:00:00.000Z',
      );
      // Created later, though it takes effect earlier: it comes first.
      await p.store.addNotifications(
        [note(ids[WANG]!, 'listing_ended', '2026-01-01', 'second')],
        '2026-03-05T08:00:00.000Z',
      );
      const mine = await call('GET', '/v1/me/notifications', tokens[WANG]);
      expect(mine.status, mine.text).toBe(200);
      expect(mine.body.notifications.map((n: { message: string }) => n.message)).toEqual(['second', 'first']);
      expect(mine.body.notifications[0]).toEqual({
        id: expect.any(Number),
        kind: 'listing_ended',
        list: 'black.court_defaulters',
        effective: '2026-01-01',
        message: 'second',
        created_at: '2026-03-05T08:00:00.000Z',
        read_at: null,
        superseded_at: null,
      });
      const first = mine.body.notifications[1].id as number;
      const lis = (await call('GET', '/v1/me/notifications', tokens[LI])).body.notifications;
      expect(lis.map((n: { message: string }) => n.message)).toEqual(['not yours']);

      const read = await call('POST', `/v1/me/notifications/${first}/read`, tokens[WANG]);
      expect(read.status, read.text).toBe(200);
      expect(read.body).toMatchObject({ id: first, message: 'first', read_at: '2026-03-10T09:00:00.000Z' });
      now = new Date('2026-03-10T10:00:00Z');
      const again = await call('POST', `/v1/me/notifications/${first}/read`, tokens[WANG]);
      expect(again.body.read_at).toBe('2026-03-10T09:00:00.000Z');

      // Another's notification is 404, as one that does not exist, and stays unread.
      const other = await call('POST', `/v1/me/notifications/${lis[0].id}/read`, tokens[WANG]);
      expect(other.status).toBe(404);
      expect((await call('POST', '/v1/me/notifications/987654/read', tokens[WANG])).body.error.message).toBe(
        'you have no notification #987654',
      );
      expect(
        (await call('GET', '/v1/me/notifications', tokens[LI])).body.notifications[0].read_at,
      ).toBeNull();

      expect((await call('GET', '/v1/me/notifications', undefined)).status).toBe(401);
      expect((await call('GET', '/v1/me/notifications', tokens.operator)).status).toBe(403);
      expect((await call('POST', `/v1/me/notifications/${first}/read`, tokens.operator)).status).toBe(403);
      const trail = (await p.store.listAuditForSubject(ids[WANG]!, 50)).map((e) => e.action);
      expect(trail).toEqual(expect.arrayContaining(['subject.notifications.read', 'notification.mark_read']));
    });

    it('charts the score at month ends and today, and a negative record lowers it from its day on', async () => {
      const before = await call('GET', '/v1/me/history', tokens[WANG]);
      expect(before.status, before.text).toBe(200);
      const points = before.body.history as { day: string; score: number; grade: string }[];
      expect(points).toHaveLength(25);
      expect(points[0]!.day).toBe('2024-03-31');
      expect(points[23]!.day).toBe('2026-02-28');
      expect(points[24]!.day).toBe('2026-03-10');
      expect(new Set(points.map((x) => x.score))).toEqual(new Set([1000]));

      // A lost lawsuit decided on 2025-11-20 and learnt of today: −50 from that day on (two years).
      const feed = await courtFeed(p, 'court-history');
      await feed([
        {
          source_record_id: 'lawsuit-1',
          type: 'court.contract_lawsuit_lost',
          subject: { kind: 'person', id_number: WANG, name: '王芳' },
          occurred_at: '2025-11-20',
          decided_at: '2025-11-20',
          amount: 12_000,
          evidence: '(2025)京0105民初77号',
        },
      ]);
      const after = (await call('GET', '/v1/me/history', tokens[WANG])).body.history as typeof points;
      expect(after.map((x) => x.day)).toEqual(points.map((x) => x.day));
      for (const x of after) expect(x.score, x.day).toBe(x.day < '2025-11-20' ? 1000 : 950);
      // Another subject's history is untouched, and it reads only its own.
      expect(
        new Set(
          ((await call('GET', '/v1/me/history', tokens[LI])).body.history as typeof points).map(
            (x) => x.score,
          ),
        ),
      ).toEqual(new Set([1000]));

      const trail = (await p.store.listAuditForSubject(ids[WANG]!, 50)).map((e) => e.action);
      expect(trail).toContain('subject.history.read');
      expect((await call('GET', '/v1/me/history', undefined)).status).toBe(401);
      expect((await call('GET', '/v1/me/history', tokens.operator)).status).toBe(403);
    });
  });
}
