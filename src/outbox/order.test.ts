/**
 * The order a person's notices reach the messaging gateway in: one subject's one after another, in
 * the order they were queued, while different subjects' go out side by side. On every backend.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../test/gateway.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { deliverOutbox } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const NOW = new Date('2026-03-01T10:00:00Z');
const PEOPLE = ['360426199101010071', '440524188001010014'];

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('notification outbox order', b), () => {
    let p: Platform | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
    afterEach(async () => {
      await cleanup?.();
      await gateway?.close();
    });

    it("sends one person's notices one after another in the order queued, and different people's side by side", async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock(NOW) }));
      gateway = await startGateway();
      gateway.delayMs = 40;
      const audit = { actor: operator.id, role: operator.role, purpose: 'set up', requestId: null };
      await p.store.registerSubjects(
        PEOPLE.map((identifier) => ({ kind: 'person' as const, identifier, name: '王芳' })),
        NOW.toISOString(),
        audit,
      );
      // Six notices for each person, one person's all queued before the other's.
      const queued: number[] = [];
      for (const identifier of PEOPLE) {
        const s = (await p.store.findSubjectByIdentifier(identifier))!;
        const rows = await p.store.addNotifications(
          [
            'listing_warning',
            'listing_effective',
            'listing_extended',
            'listing_ended',
            'listing_removed',
            'listing_effective',
          ].map((kind, i) => ({
            subjectId: s.id,
            kind,
            listCode: 'black.court_defaulters',
            effective: `2026-02-0${i + 1}`,
            message: `notice ${i + 1}`,
          })),
          NOW.toISOString(),
        );
        queued.push(...rows.map((r) => r.id));
      }
      const result = await deliverOutbox({
        ctx: p.ctx(operator, 'deliver notifications'),
        input: { now: NOW },
        deps: { webhookUrl: gateway.url },
      });
      expect(result).toMatchObject({ sent: 12, failed: 0, dead: 0 });
      // Never two of one person's notices on the wire at once, so the gateway takes them in order…
      expect(gateway.mostOfOneSubject).toBe(1);
      for (const identifier of PEOPLE) {
        const mine = gateway.received.map((r) => r.body).filter((a) => a.subject === identifier);
        expect(mine.map((a) => a.message)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `notice ${i}`));
        expect(mine.map((a) => a.id)).toEqual([...mine.map((a) => a.id)].sort((x, y) => x - y));
      }
      // …while the two people's go out side by side.
      expect(gateway.most).toBe(2);
      expect(gateway.received.map((r) => r.body.notification_id).sort((x, y) => x - y)).toEqual(
        [...queued].sort((x, y) => x - y),
      );
    });

    it('leases the rows of a pass only as long as that pass can take, so a crash holds them no longer', async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock(NOW) }));
      gateway = await startGateway();
      const platform = p;
      const audit = { actor: operator.id, role: operator.role, purpose: 'set up', requestId: null };
      await platform.store.registerSubjects(
        [{ kind: 'person', identifier: PEOPLE[0]!, name: '王芳' }],
        NOW.toISOString(),
        audit,
      );
      const s = (await platform.store.findSubjectByIdentifier(PEOPLE[0]!))!;
      await platform.store.addNotifications(
        [1, 2, 3].map((i) => ({
          subjectId: s.id,
          kind: 'listing_warning',
          listCode: 'black.court_defaulters',
          effective: `2026-02-0${i}`,
          message: `notice ${i}`,
        })),
        NOW.toISOString(),
      );
      const pass = (at: Date, fetch?: typeof globalThis.fetch) =>
        deliverOutbox({
          ctx: platform.ctx(operator, 'deliver notifications'),
          input: { now: at },
          deps: { webhookUrl: gateway!.url, ...(fetch ? { fetch } : {}) },
        });
      // A pass takes the three and dies on the first POST (it never answers, nothing is marked).
      let posted = 0;
      void pass(NOW, async () => {
        posted++;
        return new Promise<Response>(() => {});
      });
      await expect.poll(() => posted).toBe(1);
      // The slowest that pass could take: a quarter of its 3 rows (1) plus one person's 3, at 10 s
      // each, and a minute: 100 s. Not before, then at once.
      const at = (s: number) => new Date(NOW.getTime() + s * 1000);
      expect((await pass(at(99))).sent).toBe(0);
      expect((await pass(at(101))).sent).toBe(3);
      expect(gateway.received.map((r) => r.body.message)).toEqual(['notice 1', 'notice 2', 'notice 3']);
    });
  });
}
