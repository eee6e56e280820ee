/** Delivering the notification outbox to a real local HTTP gateway, on every backend. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { startGateway } from '../../test/gateway.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { listOwnNotifications } from '../rights/index.ts';
import {
  type DeliverOutboxDeps,
  deliverOutbox,
  getOutboxStatus,
  requeueOutbox,
  retryDelayMs,
  startOutboxDelivery,
  verifySignature,
  type WebhookBody,
} from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const auditor: Principal = { id: 'auditor:test', role: 'auditor' };
const NOW = new Date('2026-03-01T10:00:00Z');
const DEFAULTER = '360426199101010071';
const OTHER = '440524188001010014';
const SECRET = 'a-gateway-secret-of-some-length';

const later = (ms: number) => new Date(NOW.getTime() + ms);

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('notification outbox delivery', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    let deps: DeliverOutboxDeps;
    const deliver = (now = NOW, more: Partial<DeliverOutboxDeps> = {}, limit?: number) =>
      deliverOutbox({
        ctx: p.ctx(operator, 'deliver notifications'),
        input: { now, ...(limit ? { limit } : {}) },
        deps: { ...deps, ...more },
      });
    const status = () => getOutboxStatus({ ctx: p.ctx(operator, 'status') });
    /** Puts OTHER on record and queues `n` notifications for it (distinct days, so each is new). */
    const queue = async (n: number, from = 1) => {
      let s = await p.store.findSubjectByIdentifier(OTHER);
      if (!s) {
        await p.store.registerSubjects(
          [{ kind: 'person', identifier: OTHER, name: '王芳' }],
          NOW.toISOString(),
          {
            actor: operator.id,
            role: operator.role,
            purpose: 'set up',
            requestId: null,
          },
        );
        s = (await p.store.findSubjectByIdentifier(OTHER))!;
      }
      const rows = Array.from({ length: n }, (_, i) => ({
        subjectId: s.id,
        kind: 'listing_warning',
        listCode: 'black.court_defaulters',
        effective: `2026-02-${String(from + i).padStart(2, '0')}`,
        message: `notice ${from + i}`,
      }));
      return p.store.addNotifications(rows, NOW.toISOString());
    };

    beforeAll(async () => {
      gateway = await startGateway();
    });
    afterAll(async () => {
      await gateway.close();
    });
    beforeEach(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock(NOW) }));
      gateway.received = [];
      gateway.status = 200;
      gateway.hang = false;
      deps = { webhookUrl: gateway.url, secret: SECRET };
    });
    afterEach(async () => cleanup?.());

    it('delivers a listing notice to the gateway, signed and with its idempotency key, and audits it on the subject', async () => {
      // The real path: a court record puts the subject on the defaulter list, which notifies it.
      const ingest = await courtFeed(p, 'court-o');
      await ingest([defaulterRecord('o1', DEFAULTER)]);
      const queued = (await status()).queued;
      expect(queued).toBeGreaterThan(0);

      expect(await deliver()).toEqual({ sent: queued, failed: 0, dead: 0, remaining: 0 });
      expect(gateway.received).toHaveLength(queued);
      const effective = gateway.received.find((r) => r.body.kind === 'listing_effective');
      expect(effective?.body).toMatchObject({
        subject: DEFAULTER,
        list: 'black.court_defaulters',
        effective: expect.stringMatching(/^2025-06/),
        message: expect.stringContaining('black.court_defaulters'),
      });
      for (const r of gateway.received) {
        expect(r.headers['idempotency-key']).toBe(`outbox-${r.body.id}`);
        expect(r.headers['content-type']).toBe('application/json');
        expect(verifySignature(r.raw, r.headers['x-credence-signature'] as string, SECRET)).toBe(true);
        expect(
          verifySignature(r.raw, r.headers['x-credence-signature'] as string, 'another-secret-value'),
        ).toBe(false);
      }
      const s = await p.store.findSubjectByIdentifier(DEFAULTER);
      const trail = (await p.store.listAuditForSubject(s!.id, 50)).filter(
        (t) => t.action === 'outbox.deliver',
      );
      expect(trail).toHaveLength(queued);
      expect(trail[0]).toMatchObject({ actor: operator.id, purpose: 'deliver notifications' });
      expect(await status()).toMatchObject({ queued: 0, sent: queued, failed: 0, dead: 0 });
    });

    it('never tells a person it is listed once the listing was removed before the notice went out, dead or not', async () => {
      const ingest = await courtFeed(p, 'court-o');
      await ingest([defaulterRecord('o1', DEFAULTER), defaulterRecord('o2', OTHER, '王芳')]);
      // The gateway is down: OTHER's notices fail for good (dead), DEFAULTER's wait to retry.
      gateway.status = 500;
      const other = (await p.store.findSubjectByIdentifier(OTHER))!;
      const defaulter = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      const all = await p.store.claimDueOutbox(100, NOW.toISOString(), later(60_000).toISOString());
      await p.store.markOutboxFailed(
        all.map((r) => ({
          id: r.id,
          error: 'HTTP 500',
          nextAttemptAt: r.subjectId === other.id ? null : later(60_000).toISOString(),
        })),
        NOW.toISOString(),
      );
      const before = await status();
      expect(before.dead).toBeGreaterThan(0);
      expect(before.failed).toBeGreaterThan(0);
      // Both records are withdrawn by the court: neither person is on the list any more.
      await ingest([
        { action: 'withdraw', source_record_id: 'o1', reason: 'judgment set aside on retrial' },
        { action: 'withdraw', source_record_id: 'o2', reason: 'judgment set aside on retrial' },
      ]);
      const after = await status();
      expect(after.superseded).toBe(before.dead + before.failed);
      expect(after).toMatchObject({ dead: 0, failed: 0, sent: 0 });
      // The operator requeues every dead notice and the gateway comes back: only the removals go out.
      expect(await requeueOutbox({ ctx: p.ctx(operator, 'requeue'), input: { ids: 'all' } })).toEqual({
        requeued: [],
      });
      gateway.status = 200;
      await deliver(later(24 * 3_600_000));
      const kinds = gateway.received
        .filter((r) => r.raw.length > 0)
        .map((r) => `${r.body.subject} ${r.body.kind}`);
      expect(kinds.filter((k) => k.endsWith('listing_removed')).sort()).toEqual(
        [`${OTHER} listing_removed`, `${DEFAULTER} listing_removed`].sort(),
      );
      expect(kinds.filter((k) => !k.endsWith('listing_removed') && !k.includes('record.withdraw'))).toEqual(
        [],
      );
      expect(await status()).toMatchObject({
        queued: 0,
        failed: 0,
        dead: 0,
        superseded: before.dead + before.failed,
      });
      // Each withdrawn notice is on its person's trail; the notifications stay in their files.
      for (const s of [defaulter, other]) {
        const lines = (await p.store.listAuditForSubject(s.id, 100)).filter(
          (t) => t.action === 'outbox.superseded',
        );
        expect(lines.length).toBeGreaterThan(0);
        expect(JSON.parse(lines[0]!.detail!)).toMatchObject({ list: 'black.court_defaulters' });
        const kept = await p.store.listNotifications(s.id);
        expect(kept.some((n) => n.kind === 'listing_effective')).toBe(true);
      }
    });

    it('tells a person listed again after a removal that it is listed, after the removal, and only once', async () => {
      const ingest = await courtFeed(p, 'court-r');
      await ingest([defaulterRecord('r1', DEFAULTER)]);
      // The gateway is down: "you are listed" waits to be retried.
      gateway.status = 500;
      await deliver();
      // The court withdraws the record by mistake, then sends the same judgment again: listed again, same day.
      await ingest([{ action: 'withdraw', source_record_id: 'r1', reason: 'clerical error' }]);
      await ingest([defaulterRecord('r1-again', DEFAULTER)]);
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      const active = (await p.store.listListEntries([s.id])).filter((e) => e.status === 'active');
      expect(active.map((e) => e.listCode)).toContain('black.court_defaulters');
      gateway.received = [];
      gateway.status = 200;
      // One notice a pass: a pass POSTs its notices four at a time, in no set order between them.
      for (let h = 1; h <= 12; h++) await deliver(later(h * 3_600_000), {}, 1);
      const told = gateway.received
        .map((r) => r.body)
        .filter((b) => b.subject === DEFAULTER && b.kind.startsWith('listing_'))
        .map((b) => b.kind);
      // The last word on the list is that the person is on it; the superseded notice stays unsent.
      expect(told).toEqual(['listing_removed', 'listing_effective']);
      expect(await status()).toMatchObject({ queued: 0, failed: 0, dead: 0, superseded: 1 });
      // A later refresh finds the same listing and tells nothing again.
      await ingest([defaulterRecord('r2', OTHER, '王芳')]);
      await p.refreshSubjects(p.ctx(operator, 'refresh'), [s.id]);
      gateway.received = [];
      await deliver(later(24 * 3_600_000));
      expect(gateway.received.filter((r) => r.body.subject === DEFAULTER)).toEqual([]);
      const notes = await p.store.listNotifications(s.id);
      expect(notes.find((n) => n.kind === 'listing_effective')?.readAt).toBeNull();
    });

    it('leaves unsent the notices of an earlier entry that ended: they are still true when a later one is removed', async () => {
      const ingest = await courtFeed(p, 'court-e');
      // Listed from 2025-06-01; the judgment performed on 2026-02-20 ends that entry.
      await ingest([defaulterRecord('e1', DEFAULTER), performedRecord('e1p', DEFAULTER)]);
      gateway.status = 500;
      await deliver();
      // A second judgment lists the person again; the court then withdraws it.
      await ingest([
        {
          ...defaulterRecord('e2', DEFAULTER),
          occurred_at: '2026-02-22',
          decided_at: '2026-02-25',
          evidence: '(2026)赣0426执7号',
        },
      ]);
      await ingest([{ action: 'withdraw', source_record_id: 'e2', reason: 'judgment set aside on retrial' }]);
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      const lines = (await p.store.listAuditForSubject(s.id, 200)).filter(
        (t) => t.action === 'outbox.superseded',
      );
      const withdrawn = lines.map((l) => JSON.parse(l.detail!) as { effective: string });
      expect(withdrawn.length).toBeGreaterThan(0);
      // The first entry's notice (from 2025-06-01) is still true and still to be sent.
      expect(withdrawn.map((w) => w.effective)).not.toContain('2025-06-01');
      gateway.received = [];
      gateway.status = 200;
      await deliver(later(24 * 3_600_000));
      const told = gateway.received.map((r) => `${r.body.kind} ${r.body.effective}`);
      expect(told).toContain('listing_effective 2025-06-01');
      expect(told.filter((t) => t.startsWith('listing_effective 2026'))).toEqual([]);
    });

    /** A further case for DEFAULTER, decided on `day`, which lengthens the listing to two years after it. */
    const furtherCase = (id: string, day: string, n: number) => ({
      ...defaulterRecord(id, DEFAULTER),
      occurred_at: day,
      decided_at: day,
      evidence: `(2026)赣0426执${n}号`,
    });
    const subject: Principal = { id: `subject:${DEFAULTER}`, role: 'subject', ref: DEFAULTER };
    const withdrawnLines = async (id: number) =>
      (await p.store.listAuditForSubject(id, 200))
        .filter((t) => t.action === 'outbox.superseded')
        .map((t) => JSON.parse(t.detail!) as { kind: string; effective: string; because: string });

    it('tells a person whose lengthening was undone when the entry now ends, and never sends the lengthening', async () => {
      const ingest = await courtFeed(p, 'court-s');
      await ingest([defaulterRecord('s1', DEFAULTER)]);
      await deliver();
      // A further case lengthens the listing to 2028-01-10 while the gateway is down.
      gateway.status = 500;
      await ingest([furtherCase('s2', '2026-01-10', 9)]);
      await deliver();
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      const extended = (await p.store.listNotifications(s.id)).find((n) => n.kind === 'listing_extended');
      expect(extended).toMatchObject({ effective: '2026-01-10' });
      expect(extended!.message).toContain('now lasts until 2028-01-10');
      // The court withdraws that further case: the person stays listed, until 2027-06-01 again.
      await ingest([{ action: 'withdraw', source_record_id: 's2', reason: 'judgment set aside on retrial' }]);
      const [entry] = await p.store.listListEntries([s.id]);
      expect(entry).toMatchObject({ status: 'active', from: '2025-06-01', until: '2027-06-01' });
      const shortened = (await p.store.listNotifications(s.id)).filter((n) => n.kind === 'listing_shortened');
      // Dated the day the shortening was found, its new end in the message.
      expect(shortened).toMatchObject([{ listCode: 'black.court_defaulters', effective: '2026-03-01' }]);
      expect(shortened[0]!.message).toContain(
        'Your entry on list black.court_defaulters from 2025-06-01 now ends on 2027-06-01 (it was to end on 2028-01-10)',
      );
      expect(await status()).toMatchObject({ superseded: 1, failed: 0 });
      expect(await withdrawnLines(s.id)).toEqual([
        expect.objectContaining({
          kind: 'listing_extended',
          effective: '2026-01-10',
          because: 'lengthening undone',
        }),
      ]);
      expect(
        await rawDb(p)
          .selectFrom('outbox')
          .select('last_error')
          .where('superseded_at', 'is not', null)
          .execute(),
      ).toEqual([
        { last_error: 'superseded: the lengthening it announced was undone before it was delivered' },
      ]);
      // Recomputed again, nothing more is said.
      const notes = await p.store.listNotifications(s.id);
      await p.refreshSubjects(p.ctx(operator, 'refresh'), [s.id]);
      expect(await p.store.listNotifications(s.id)).toEqual(notes);
      // The gateway comes back: the person is told the new end, and never that it lasts until 2028.
      gateway.received = [];
      gateway.status = 200;
      await deliver(later(24 * 3_600_000));
      const listing = gateway.received.map((r) => r.body).filter((b) => b.kind.startsWith('listing_'));
      expect(listing.map((b) => `${b.kind} ${b.effective}`)).toEqual(['listing_shortened 2026-03-01']);
      expect(listing[0]!.message).toBe(shortened[0]!.message);
      expect(await status()).toMatchObject({ queued: 0, failed: 0, dead: 0, superseded: 1 });
      // Its own file shows the lengthening as withdrawn before delivery; nothing else is.
      const mine = await listOwnNotifications({ ctx: p.ctx(subject, 'read own notifications') });
      const withdrawn = mine.filter((n) => n.superseded_at !== null);
      expect(withdrawn.map((n) => [n.kind, n.effective, n.superseded_at])).toEqual([
        ['listing_extended', '2026-01-10', NOW.toISOString()],
      ]);
      expect(
        mine
          .map((n) => n.kind)
          .filter((k) => k.startsWith('listing_'))
          .sort(),
      ).toEqual(['listing_effective', 'listing_extended', 'listing_shortened']);
    });

    it('withdraws every undelivered lengthening of an entry shortened: the shortened notice states its present end', async () => {
      const ingest = await courtFeed(p, 'court-t');
      await ingest([defaulterRecord('t1', DEFAULTER)]);
      gateway.status = 500;
      // Lengthened to 2027-09-01, then to 2028-01-10; neither notice has gone out.
      await ingest([furtherCase('t2', '2025-09-01', 11)]);
      await ingest([furtherCase('t3', '2026-01-10', 12)]);
      await deliver();
      await ingest([{ action: 'withdraw', source_record_id: 't3', reason: 'removed on an objection' }]);
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      expect(await p.store.listListEntries([s.id])).toMatchObject([
        { status: 'active', until: '2027-09-01' },
      ]);
      // The standing lengthening's notice goes too: its end may be stale (written when queued), and
      // the shortened notice queued with the withdrawal says when the entry now ends.
      expect((await withdrawnLines(s.id)).map((w) => `${w.kind} ${w.effective}`).sort()).toEqual([
        'listing_extended 2025-09-01',
        'listing_extended 2026-01-10',
      ]);
      gateway.received = [];
      gateway.status = 200;
      await deliver(later(24 * 3_600_000));
      expect(
        gateway.received
          .filter((r) => r.body.kind.startsWith('listing_'))
          .map((r) => `${r.body.kind} ${r.body.effective}`)
          .sort(),
      ).toEqual(['listing_effective 2025-06-01', 'listing_shortened 2026-03-01']);
      const shortened = gateway.received.find((r) => r.body.kind === 'listing_shortened')!.body.message;
      expect(shortened).toContain('now ends on 2027-09-01 (it was to end on 2028-01-10)');
    });

    it('tells a person shortened to the same end a second time again, after the lengthening between', async () => {
      const ingest = await courtFeed(p, 'court-u');
      await ingest([defaulterRecord('u1', DEFAULTER)]);
      await ingest([furtherCase('u2', '2026-01-10', 21)]);
      await ingest([{ action: 'withdraw', source_record_id: 'u2', reason: 'clerical error' }]);
      await deliver();
      // A new case lengthens it to 2028-02-01; the court then withdraws that one too.
      await ingest([furtherCase('u3', '2026-02-01', 22)]);
      await deliver(later(3_600_000));
      await ingest([{ action: 'withdraw', source_record_id: 'u3', reason: 'clerical error' }]);
      await deliver(later(2 * 3_600_000));
      const told = gateway.received
        .map((r) => r.body)
        .filter((b) => b.kind === 'listing_extended' || b.kind === 'listing_shortened');
      // The first lengthening was superseded before any pass; the second went out, then its undoing.
      expect(told.map((b) => `${b.kind} ${b.effective}`)).toEqual([
        'listing_shortened 2026-03-01',
        'listing_extended 2026-02-01',
        'listing_shortened 2026-03-01',
      ]);
      expect(told[0]!.message).toContain('(it was to end on 2028-01-10)');
      const last = told.at(-1)!.message;
      expect(last).toContain('now ends on 2027-06-01 (it was to end on 2028-02-01)');
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      const note = (await p.store.listNotifications(s.id)).filter((n) => n.kind === 'listing_shortened');
      expect(note).toMatchObject([{ message: last, readAt: null }]);
    });

    it('tells a person a lengthening that comes back after its undoing: "shorter" is not its last word', async () => {
      const ingest = await courtFeed(p, 'court-w');
      await ingest([defaulterRecord('w1', DEFAULTER)]);
      await ingest([furtherCase('w2', '2026-01-10', 31)]);
      await deliver();
      await ingest([{ action: 'withdraw', source_record_id: 'w2', reason: 'clerical error' }]);
      await deliver(later(3_600_000));
      // The court sends the further case again: the entry lasts until 2028-01-10 again.
      await ingest([furtherCase('w2-again', '2026-01-10', 31)]);
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      expect(await p.store.listListEntries([s.id])).toMatchObject([
        { status: 'active', until: '2028-01-10' },
      ]);
      await deliver(later(2 * 3_600_000));
      const told = gateway.received
        .map((r) => r.body)
        .filter((b) => b.kind === 'listing_extended' || b.kind === 'listing_shortened');
      expect(told.map((b) => `${b.kind} ${b.effective}`)).toEqual([
        'listing_extended 2026-01-10',
        'listing_shortened 2026-03-01',
        'listing_extended 2026-01-10',
      ]);
      expect(told.at(-1)!.message).toContain('now lasts until 2028-01-10');
      const extended = (await p.store.listNotifications(s.id)).find((n) => n.kind === 'listing_extended')!;
      expect(extended).toMatchObject({ effective: '2026-01-10', readAt: null });
      // Recomputed again, nothing more is said.
      await p.refreshSubjects(p.ctx(operator, 'refresh'), [s.id]);
      gateway.received = [];
      await deliver(later(3 * 3_600_000));
      expect(gateway.received).toEqual([]);
    });

    it('with the gateway down throughout, sends the lengthening back, never the shortening undone, and shows it not withdrawn', async () => {
      const ingest = await courtFeed(p, 'court-x');
      await ingest([defaulterRecord('x1', DEFAULTER)]);
      gateway.status = 500;
      await ingest([furtherCase('x2', '2026-01-10', 41)]);
      await ingest([{ action: 'withdraw', source_record_id: 'x2', reason: 'clerical error' }]);
      await ingest([furtherCase('x2-again', '2026-01-10', 41)]);
      await deliver();
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      expect((await withdrawnLines(s.id)).map((w) => `${w.kind} ${w.effective} ${w.because}`)).toEqual([
        'listing_shortened 2026-03-01 lengthened again',
        'listing_extended 2026-01-10 lengthening undone',
      ]);
      const stale = await rawDb(p)
        .selectFrom('outbox')
        .innerJoin('notifications', 'notifications.id', 'outbox.notification_id')
        .select(['notifications.kind', 'outbox.last_error'])
        .where('outbox.superseded_at', 'is not', null)
        .orderBy('outbox.id')
        .execute();
      expect(stale).toEqual([
        {
          kind: 'listing_extended',
          last_error: 'superseded: the lengthening it announced was undone before it was delivered',
        },
        {
          kind: 'listing_shortened',
          last_error: 'superseded: the entry was lengthened again before it was delivered',
        },
      ]);
      gateway.received = [];
      gateway.status = 200;
      await deliver(later(24 * 3_600_000));
      const listing = gateway.received.map((r) => r.body).filter((b) => b.kind.startsWith('listing_'));
      expect(listing.map((b) => `${b.kind} ${b.effective}`)).toEqual([
        'listing_effective 2025-06-01',
        'listing_extended 2026-01-10',
      ]);
      expect(listing[1]!.message).toContain('now lasts until 2028-01-10');
      // The person's own file: the lengthening is not withdrawn (its latest row went out); the
      // shortening undone is.
      const mine = await listOwnNotifications({ ctx: p.ctx(subject, 'read own notifications') });
      expect(
        mine
          .filter((n) => n.kind.startsWith('listing_'))
          .map((n) => [n.kind, n.superseded_at === null ? 'standing' : 'withdrawn'])
          .sort(),
      ).toEqual([
        ['listing_effective', 'standing'],
        ['listing_extended', 'standing'],
        ['listing_shortened', 'withdrawn'],
      ]);
    });

    it('dates a shortening the day it was found, below a later removal, and tells a second one that day with its new end', async () => {
      const ingest = await courtFeed(p, 'court-y');
      await ingest([defaulterRecord('y1', DEFAULTER)]);
      gateway.status = 500;
      // Lengthened to 2027-09-01, then to 2028-01-10; both withdrawn the same day, one at a time.
      await ingest([furtherCase('y2', '2025-09-01', 51)]);
      await ingest([furtherCase('y3', '2026-01-10', 52)]);
      await deliver();
      await ingest([{ action: 'withdraw', source_record_id: 'y3', reason: 'removed on an objection' }]);
      await ingest([{ action: 'withdraw', source_record_id: 'y2', reason: 'removed on an objection' }]);
      const s = (await p.store.findSubjectByIdentifier(DEFAULTER))!;
      expect(await p.store.listListEntries([s.id])).toMatchObject([
        { status: 'active', until: '2027-06-01' },
      ]);
      const shortened = (await p.store.listNotifications(s.id)).filter((n) => n.kind === 'listing_shortened');
      expect(shortened).toMatchObject([{ effective: '2026-03-01', readAt: null }]);
      expect(shortened[0]!.message).toContain('now ends on 2027-06-01 (it was to end on 2027-09-01)');
      expect((await withdrawnLines(s.id)).filter((w) => w.kind === 'listing_shortened')).toEqual([
        expect.objectContaining({ effective: '2026-03-01', because: 'told again with its present text' }),
      ]);
      gateway.received = [];
      gateway.status = 200;
      await deliver(later(3_600_000));
      const told = gateway.received.map((r) => r.body).filter((b) => b.kind === 'listing_shortened');
      expect(told.map((b) => b.message)).toEqual([shortened[0]!.message]);
      // The court then withdraws the judgment itself: "removed" is the person's latest notification.
      await ingest([{ action: 'withdraw', source_record_id: 'y1', reason: 'judgment set aside' }]);
      const notes = await p.store.listNotifications(s.id);
      expect(
        notes
          .filter((n) => n.kind.startsWith('listing_'))
          .map((n) => `${n.kind} ${n.effective}`)
          .slice(0, 2),
      ).toEqual(['listing_removed 2026-03-01', 'listing_shortened 2026-03-01']);
    });

    it('does not send a notice superseded while a long delivery pass holds it', async () => {
      await queue(8);
      // Three more people with a notice each: with OTHER's, four people's notices ahead of
      // DEFAULTER's keep the pass's four senders busy (each person's go out one after another).
      const FILLERS = ['11010519491231002X', '110105194912310021', '440524198503030049'];
      await p.store.registerSubjects(
        FILLERS.map((identifier) => ({ kind: 'person' as const, identifier, name: '李娜' })),
        NOW.toISOString(),
        { actor: operator.id, role: operator.role, purpose: 'set up', requestId: null },
      );
      for (const identifier of FILLERS)
        await p.store.addNotifications(
          [
            {
              subjectId: (await p.store.findSubjectByIdentifier(identifier))!.id,
              kind: 'listing_warning',
              listCode: 'black.court_defaulters',
              effective: '2026-02-01',
              message: 'a filler notice',
            },
          ],
          NOW.toISOString(),
        );
      const ingest = await courtFeed(p, 'court-i');
      await ingest([defaulterRecord('i1', DEFAULTER)]);
      const order: string[] = [];
      const record: DeliverOutboxDeps['fetch'] = async (_u, init) => {
        const body = JSON.parse(String(init.body)) as WebhookBody;
        order.push(`${body.subject === DEFAULTER ? 'D' : body.subject === OTHER ? 'O' : 'F'} ${body.kind}`);
        return new Response('ok', { status: 200 });
      };
      // Pass 1 claims everything; while its first POSTs wait, the court withdraws the record (the
      // listing removed, its notice superseded) and a second pass (another node) sends the removal.
      let withdrawn: Promise<unknown> | undefined;
      await deliver(NOW, {
        fetch: async (u, init) => {
          withdrawn ??= (async () => {
            await ingest([{ action: 'withdraw', source_record_id: 'i1', reason: 'set aside' }]);
            await deliver(NOW, { fetch: record });
          })();
          await withdrawn;
          return record(u, init);
        },
      });
      expect(order.filter((o) => o.startsWith('D') && o.includes(' listing_'))).toEqual([
        'D listing_removed',
      ]);
      expect(order.filter((o) => o.startsWith('O'))).toHaveLength(8);
      expect(order.filter((o) => o.startsWith('F'))).toHaveLength(3);
      expect(await status()).toMatchObject({ queued: 0, failed: 0, dead: 0, superseded: 1 });
    });

    it('keeps each notice as sent once the gateway took it: a pass cut short sends none of them again', async () => {
      await queue(3);
      // The gateway takes the first notice; the pass then stops (the process dies) before the rest.
      let calls = 0;
      let stop: () => void = () => {};
      const stopped = new Promise<void>((ok) => {
        stop = ok;
      });
      const cut = deliver(NOW, {
        fetch: async (url, init) => {
          calls++;
          if (calls === 1) return fetch(url, init);
          await stopped;
          throw new Error('the process died');
        },
      });
      await expect.poll(async () => (await status()).sent, { timeout: 5_000 }).toBe(1);
      stop();
      await cut;
      const s = await p.store.findSubjectByIdentifier(OTHER);
      const trail = (await p.store.listAuditForSubject(s!.id, 50)).filter(
        (t) => t.action === 'outbox.deliver',
      );
      expect(trail).toHaveLength(1);
      const first = gateway.received.map((r) => r.body.message);
      expect(first).toHaveLength(1);
      // A later pass sends the other two only.
      gateway.received = [];
      await deliver(later(24 * 3_600_000));
      const rest = gateway.received.map((r) => r.body.message);
      expect([...first, ...rest].sort()).toEqual(['notice 1', 'notice 2', 'notice 3']);
    });

    it('keeps a notice as sent only together with its line on the trail: one cannot be written without the other', async () => {
      await queue(1);
      const [row] = await p.store.claimDueOutbox(10, NOW.toISOString(), later(60_000).toISOString());
      const s = await p.store.findSubjectByIdentifier(OTHER);
      const line = {
        actor: operator.id,
        role: operator.role,
        purpose: 'deliver notifications',
        requestId: null,
        subjectId: s!.id,
        detail: JSON.stringify({ outbox_id: row!.id }),
      };
      // The trail line cannot be written (here: no action, which the log refuses): the row stays unsent.
      await expect(
        p.store.markOutboxSent([row!.id], NOW.toISOString(), [
          { ...line, action: null as unknown as string },
        ]),
      ).rejects.toThrow();
      expect(await status()).toMatchObject({ sent: 0 });
      // Written together, both are there.
      await p.store.markOutboxSent([row!.id], NOW.toISOString(), [{ ...line, action: 'outbox.deliver' }]);
      expect(await status()).toMatchObject({ sent: 1 });
      const trail = (await p.store.listAuditForSubject(s!.id, 50)).filter(
        (t) => t.action === 'outbox.deliver',
      );
      expect(trail).toHaveLength(1);
    });

    it('never sends a delivered notification again', async () => {
      await queue(3);
      expect(await deliver()).toMatchObject({ sent: 3, remaining: 0 });
      expect(await deliver(later(60_000))).toEqual({ sent: 0, failed: 0, dead: 0, remaining: 0 });
      expect(await deliver(later(24 * 3600_000))).toMatchObject({ sent: 0 });
      expect(gateway.received.map((r) => r.body.message).sort()).toEqual([
        'notice 1',
        'notice 2',
        'notice 3',
      ]);
    });

    it('keeps a notice the gateway refused, waits, and delivers it on a later pass', async () => {
      await queue(1);
      gateway.status = 500;
      expect(await deliver()).toEqual({ sent: 0, failed: 1, dead: 0, remaining: 1 });
      const st = await status();
      expect(st).toMatchObject({ queued: 0, failed: 1, sent: 0, dead: 0 });
      expect(st.problems).toEqual([
        expect.objectContaining({
          attempts: 1,
          lastError: expect.stringContaining('HTTP 500'),
          nextAttemptAt: later(retryDelayMs(1)).toISOString(),
          deadAt: null,
        }),
      ]);
      expect(st.problems[0]!.nextAttemptAt! > NOW.toISOString()).toBe(true);

      gateway.status = 200;
      // Not due yet: a pass before the next attempt time leaves it alone.
      expect(await deliver(later(retryDelayMs(1) - 1000))).toMatchObject({
        sent: 0,
        failed: 0,
        remaining: 1,
      });
      expect(await deliver(later(retryDelayMs(1)))).toEqual({ sent: 1, failed: 0, dead: 0, remaining: 0 });
      // Both attempts carried the same idempotency key, so a gateway that did get the first can drop the second.
      expect(new Set(gateway.received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(gateway.received).toHaveLength(2);
      expect(await status()).toMatchObject({ sent: 1, failed: 0, problems: [] });
    });

    it('gives a notice up as dead after the last attempt, and keeps it for the operator', async () => {
      await queue(1);
      gateway.status = 503;
      const at = (k: number) => later(k * 7 * 3600_000); // past the longest backoff each time
      expect(await deliver(at(0), { maxAttempts: 3 })).toMatchObject({ failed: 1, dead: 0 });
      expect(await deliver(at(1), { maxAttempts: 3 })).toMatchObject({ failed: 1, dead: 0 });
      expect(await deliver(at(2), { maxAttempts: 3 })).toEqual({ sent: 0, failed: 0, dead: 1, remaining: 0 });
      gateway.status = 200;
      expect(await deliver(at(30), { maxAttempts: 3 })).toMatchObject({ sent: 0, dead: 0 });
      expect(gateway.received).toHaveLength(3);
      const st = await status();
      expect(st).toMatchObject({ queued: 0, sent: 0, failed: 0, dead: 1 });
      expect(st.problems).toEqual([
        expect.objectContaining({
          attempts: 3,
          lastError: expect.stringContaining('HTTP 503'),
          nextAttemptAt: null,
        }),
      ]);
      expect(st.problems[0]!.deadAt).toBe(at(2).toISOString());
    });

    it('puts dead notices back in the queue on request, with a fresh round of attempts, audited', async () => {
      await queue(2);
      gateway.status = 503;
      const at = (k: number) => later(k * 7 * 3600_000);
      await deliver(at(0), { maxAttempts: 1 });
      expect(await status()).toMatchObject({ dead: 2, queued: 0 });
      const [first, second] = (await status()).problems.map((x) => x.id).sort((a, b) => a - b);

      const ctx = p.ctx(operator, 'gateway mended');
      await expect(requeueOutbox({ ctx: p.ctx(auditor, 'x'), input: { ids: 'all' } })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(requeueOutbox({ ctx, input: { ids: [] } })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      const audited = await p.store.countAudit();
      expect(await requeueOutbox({ ctx, input: { ids: [first!, 424242] } })).toEqual({ requeued: [first] });
      expect(await p.store.countAudit()).toBe(audited + 1);
      expect(await status()).toMatchObject({ dead: 1, queued: 1 });
      // A row not dead is left alone, and nothing is audited.
      expect(await requeueOutbox({ ctx, input: { ids: [first!] } })).toEqual({ requeued: [] });
      expect(await p.store.countAudit()).toBe(audited + 1);

      gateway.status = 200;
      expect(await deliver(at(1), { maxAttempts: 1 })).toMatchObject({ sent: 1, dead: 0 });
      expect(await requeueOutbox({ ctx, input: { ids: 'all' } })).toEqual({ requeued: [second] });
      expect(await deliver(at(2), { maxAttempts: 1 })).toMatchObject({ sent: 1 });
      expect(await status()).toMatchObject({ queued: 0, sent: 2, failed: 0, dead: 0 });
    });

    it('counts an unreachable or silent gateway as a failure, and sends no signature without a secret', async () => {
      await queue(1);
      const closed = createServer();
      await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((ok) => closed.close(ok));
      expect(await deliver(NOW, { webhookUrl: `http://127.0.0.1:${port}/` })).toMatchObject({ failed: 1 });
      expect((await status()).problems[0]!.lastError).toMatch(/fetch failed|ECONNREFUSED/);

      gateway.hang = true;
      expect(await deliver(later(3600_000), { timeoutMs: 200 })).toMatchObject({ failed: 1 });
      expect((await status()).problems[0]).toMatchObject({
        attempts: 2,
        lastError: 'no answer within 200 ms',
      });

      gateway.hang = false;
      expect(await deliver(later(2 * 3600_000), { secret: undefined })).toMatchObject({ sent: 1 });
      expect(gateway.received.at(-1)!.headers['x-credence-signature']).toBeUndefined();
    });

    it('lets two passes at once send each notice only once, oldest first within the limit', async () => {
      const added = await queue(6);
      const [a, c] = await Promise.all([deliver(NOW, {}, 4), deliver(NOW, {}, 4)]);
      expect(a!.sent + c!.sent).toBe(6);
      const ids = gateway.received.map((r) => r.body.id);
      expect(new Set(ids).size).toBe(6);
      expect(gateway.received.map((r) => r.body.notification_id).sort((x, y) => x - y)).toEqual(
        added.map((n) => n.id).sort((x, y) => x - y),
      );
      // With a limit, the oldest go first.
      await queue(3, 10);
      gateway.received = [];
      expect(await deliver(NOW, {}, 2)).toMatchObject({ sent: 2, remaining: 1 });
      expect(gateway.received.map((r) => r.body.message).sort()).toEqual(['notice 10', 'notice 11']);
    });

    it('delivers in the background until stopped, and refuses roles other than the operator', async () => {
      await queue(2);
      const runner = startOutboxDelivery({
        ctx: () => p.ctx(operator, 'background delivery'),
        deps,
        intervalMs: 20,
      });
      for (let i = 0; i < 200 && gateway.received.length < 2; i++)
        await new Promise((ok) => setTimeout(ok, 10));
      await runner.stop();
      expect(gateway.received).toHaveLength(2);
      await queue(1, 20);
      await new Promise((ok) => setTimeout(ok, 60));
      expect(gateway.received).toHaveLength(2);

      const rp: Principal = { id: 'relying_party:x', role: 'relying_party', ref: 'x' };
      await expect(
        deliverOutbox({ ctx: p.ctx(rp, 'x'), input: {}, deps: { webhookUrl: gateway.url } }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      await expect(getOutboxStatus({ ctx: p.ctx(rp, 'x') })).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}

describe('retry schedule', () => {
  it('waits 30 s after the first failure, doubles after each further one, and never more than 6 h', () => {
    expect(retryDelayMs(1)).toBe(30_000);
    expect(retryDelayMs(2)).toBe(60_000);
    expect(retryDelayMs(5)).toBe(480_000);
    for (let f = 2; f < 20; f++) {
      expect(retryDelayMs(f)).toBeGreaterThanOrEqual(retryDelayMs(f - 1));
      expect(retryDelayMs(f)).toBeLessThanOrEqual(6 * 3600_000);
    }
    expect(retryDelayMs(12)).toBe(6 * 3600_000);
  });
});
