/**
 * Rating submissions share commits (ratings/turns.ts), on both backends: 200 submissions sent at
 * once are all kept, each with its audit entries on its rater's and its rated subject's trails, in
 * fewer turns than submissions (as GET /metrics shows an operator); within a turn a token sent
 * twice is one rating and one 409, a rater's daily limit counts the earlier submissions of the same
 * turn, and a refused submission (forged, expired, reused, one's own service) never fails the
 * others; in the store, a rating that cannot be written fails alone.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { issueToken } from '../access/index.ts';
import type { Clock } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { issueInteractions } from '../ratings/index.ts';
import { registerSource } from '../sources/index.ts';
import { buildApp } from './app.ts';
import { bearer, callerOf } from './test-app.ts';

const DAY = 86_400_000;
const RATERS = 60;
const COMPANIES = 20;
const person = (k: number) =>
  makeResidentId('110105', `19${60 + (k % 40)}-0${1 + (k % 9)}-1${k % 10}`, 300 + k);
const company = (k: number) => makeUscc('9', '1', '110105', String(20_000_000 + k));

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('rating submissions in turns', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-02-02T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const op = { id: 'operator:test', role: 'operator' } as const;
    let operator = '';
    const raterTokens: string[] = [];
    const call = callerOf(() => app);

    /** Fresh interaction tokens from `source` for these companies (by index), served today. */
    const issue = async (source: string, companies: number[]) =>
      (
        await issueInteractions({
          ctx: p.ctx(op, 'test'),
          input: {
            source,
            interactions: companies.map((k) => ({
              serving: { kind: 'organization' as const, id: company(k) },
              serviceDate: now.toISOString().slice(0, 10),
              service: 'online order',
            })),
          },
          deps: { policy: p.ratingsPolicy },
        })
      ).map((t) => t.token);
    const rate = (rater: number, token: string, stars = 4) =>
      call('POST', '/v1/ratings', raterTokens[rater], { token, professionalism: stars, honesty: stars });
    /** The operator's view of the turns (GET /metrics). */
    const turnFigures = async () => {
      const res = await app.inject({ url: '/metrics', headers: bearer(operator) });
      expect(res.statusCode).toBe(200);
      const figure = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(res.body)?.[1]);
      return {
        submissions: figure('credence_rating_submissions_total'),
        turns: figure('credence_rating_turns_total'),
      };
    };

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      const ctx = p.ctx(op, 'test');
      const lines = [
        ...Array.from({ length: RATERS }, (_, k) => ({
          kind: 'person',
          id_number: person(k),
          name: `居民${k}`,
        })),
        ...Array.from({ length: COMPANIES }, (_, k) => ({
          kind: 'organization',
          uscc: company(k),
          name: `商户${k}`,
        })),
      ];
      const imported = await importSubjects({
        ctx,
        input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
      });
      expect(imported.rejected).toBe(0);
      for (let k = 0; k < RATERS; k++)
        raterTokens.push(
          (await issueToken({ ctx, input: { role: 'rater', label: `r${k}`, ref: person(k), days: 365 } }))
            .token,
        );
      operator = (await issueToken({ ctx, input: { role: 'operator', label: 'metrics', days: 365 } })).token;
      for (const code of ['shop-a', 'shop-b'])
        await registerSource({ ctx, input: { code, kind: 'ecommerce' }, catalogue: p.catalogue });
    }, 120_000);
    afterAll(() => cleanup?.());

    it('keeps 200 submissions sent at once, each audited, in fewer commits than submissions', async () => {
      const before = await turnFigures();
      // 50 raters rate 4 times each (the limit is 5 a day), 20 companies 10 times each.
      const tokens = await issue(
        'shop-a',
        Array.from({ length: 200 }, (_, j) => j % COMPANIES),
      );
      const answers = await Promise.all(tokens.map((t, j) => rate(j % 50, t, 3 + (j % 3))));
      for (const a of answers) expect(a.status, a.text).toBe(201);
      expect(answers.every((a) => a.body.status === 'published')).toBe(true);
      const ids = answers.map((a) => a.body.id as number);
      expect(new Set(ids).size).toBe(200);
      expect(answers[3]!.body.rated).toEqual({ kind: 'organization', name: '商户3' });

      const after = await turnFigures();
      expect(after.submissions - before.submissions).toBe(200);
      expect(after.turns - before.turns).toBeGreaterThan(0);
      expect(after.turns - before.turns).toBeLessThan(200);

      // Each rater's trail shows its own ratings, naming the company rated; the entries follow the
      // ratings' order. The companies' trails get nothing as ratings come: an entry there would
      // carry the moment of each rating, for the one rated to tie to the person just served.
      const submitted: number[] = [];
      for (let r = 0; r < 50; r++) {
        const rater = (await p.store.findSubjectByIdentifier(person(r)))!;
        const trail = await p.store.listAuditForSubject(rater.id, 100);
        const mine = trail.filter((e) => e.action === 'rating.submit');
        expect(mine.map((e) => Number(JSON.parse(e.detail!).rating)).sort((a, b) => a - b)).toEqual(
          ids.filter((_, j) => j % 50 === r).sort((a, b) => a - b),
        );
        for (const e of mine) submitted.push(e.seq * 1e7 + Number(JSON.parse(e.detail!).rating));
      }
      const inSeqOrder = submitted.sort((a, b) => a - b).map((x) => x % 1e7);
      expect(inSeqOrder).toEqual([...inSeqOrder].sort((a, b) => a - b));
      const c3 = (await p.store.findSubjectByIdentifier(company(3)))!;
      expect(
        (await p.store.listAuditForSubject(c3.id, 100)).filter((e) => e.action.startsWith('rating')),
      ).toEqual([]);
      let naming = 0;
      for (let r = 0; r < 50; r++) {
        const rater = (await p.store.findSubjectByIdentifier(person(r)))!;
        for (const e of await p.store.listAuditForSubject(rater.id, 100))
          if (e.action === 'rating.submit' && JSON.parse(e.detail!).rated === company(3)) naming++;
      }
      expect(naming).toBe(10);

      // What the public sees counts them all, once they are revealed (none before).
      const early = await call('GET', `/v1/ratings/${company(3)}`, undefined);
      expect(JSON.stringify(early.body)).toContain('"count":0');
      const was = now;
      now = new Date(now.getTime() + 14 * DAY);
      const pub = await call('GET', `/v1/ratings/${company(3)}`, undefined);
      now = was;
      expect(pub.status, pub.text).toBe(200);
      expect(JSON.stringify(pub.body)).toContain('"count":10');
    });

    it('a token sent twice at once is one rating and one 409; sent three times, one and two', async () => {
      const [once, thrice] = await issue('shop-b', [0, 1]);
      const twice = await Promise.all([rate(50, once!), rate(51, once!)]);
      expect(twice.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(twice.find((a) => a.status === 409)!.body.error.message).toMatch(/already been used/);
      const three = await Promise.all([rate(52, thrice!), rate(52, thrice!), rate(53, thrice!)]);
      expect(three.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      const winner = twice[0]!.status === 201 ? 50 : 51;
      const stored = await p.store.ratings.findRating(twice.find((a) => a.status === 201)!.body.id);
      expect(stored?.raterId).toBe((await p.store.findSubjectByIdentifier(person(winner)))!.id);
    });

    it('counts a rater’s earlier submissions of the same turn against the daily limit', async () => {
      // Rater 54 has not rated today: 7 at once, the limit is 5.
      const tokens = await issue('shop-b', [2, 3, 4, 5, 6, 7, 8]);
      const answers = await Promise.all(tokens.map((t) => rate(54, t)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201, 201]);
      // Decided in the order they arrived: the first five published, the two after them held.
      expect(answers.filter((a) => a.body.status === 'published')).toHaveLength(5);
      const held = answers.filter((a) => a.body.status === 'held').map((a) => a.body.id as number);
      expect(held).toHaveLength(2);
      expect(Math.min(...held)).toBeGreaterThan(
        Math.max(...answers.filter((a) => a.body.status === 'published').map((a) => a.body.id as number)),
      );
      const holds = (await p.store.ratings.listHolds({ status: 'pending', limit: 50 })).filter(
        (h) => h.reason === 'rate_limit',
      );
      expect(holds).toHaveLength(1);
      expect(holds[0]!.ratings).toBe(2);
      // The next one joins the same hold.
      const [more] = await issue('shop-b', [9]);
      expect((await rate(54, more!)).body.status).toBe('held');
      const again = await p.store.ratings.getHold(holds[0]!.id);
      expect(again?.ratings).toBe(3);
    });

    it("counts a rater's day and a token's last day in the platform's zone (Asia/Shanghai), not in UTC", async () => {
      const before = now;
      const at = async (iso: string, rater: number, companies: number[]) => {
        now = new Date(iso);
        const tokens = await issue('shop-c', companies);
        return Promise.all(tokens.map((t) => rate(rater, t)));
      };
      try {
        await registerSource({
          ctx: p.ctx(op, 'test'),
          input: { code: 'shop-c', kind: 'ecommerce' },
          catalogue: p.catalogue,
        });
        // 20:00 in Beijing on 1 March: five ratings, the daily limit.
        const evening = await at('2026-03-01T12:00:00Z', 50, [0, 1, 2, 3, 4]);
        expect(evening.map((a) => a.body.status)).toEqual(Array(5).fill('published'));
        // 07:00 on 2 March in Beijing (still 1 March in UTC): a new day for the rater.
        const [morning] = await at('2026-03-01T23:00:00Z', 50, [5]);
        expect(morning!.body.status).toBe('published');

        // Rater 51: five at 07:30 and a sixth at 09:00 on 2 March in Beijing (two UTC days): held.
        const early = await at('2026-03-01T23:30:00Z', 51, [6, 7, 8, 9, 10]);
        expect(early.map((a) => a.body.status)).toEqual(Array(5).fill('published'));
        const [sixth] = await at('2026-03-02T01:00:00Z', 51, [11]);
        expect(sixth!.body.status).toBe('held');
        const rater51 = (await p.store.findSubjectByIdentifier(person(51)))!.id;
        const holds = (await p.store.ratings.listHolds({ status: 'pending', limit: 100 })).filter(
          (h) => h.reason === 'rate_limit' && h.detail['day'] === '2026-03-02',
        );
        expect(holds).toHaveLength(1);
        // The hold's window is the Beijing day: from its midnight (16:00 UTC the day before).
        expect([holds[0]!.windowFrom, holds[0]!.windowTo]).toEqual([
          '2026-03-01T16:00:00.000Z',
          '2026-03-02T15:59:59.999Z',
        ]);
        expect((await p.store.ratings.findRating(sixth!.body.id as number))?.raterId).toBe(rater51);

        // A token for a service on 1 March may be redeemed until the end of 31 March in Beijing.
        now = new Date('2026-03-01T12:00:00Z');
        const [issued] = await issueInteractions({
          ctx: p.ctx(op, 'test'),
          input: {
            source: 'shop-c',
            interactions: [
              { serving: { kind: 'organization', id: company(12) }, serviceDate: '2026-03-01', service: 'x' },
            ],
          },
          deps: { policy: p.ratingsPolicy },
        });
        expect(issued!.expiresAt).toBe('2026-03-31T15:59:59.000Z');
        now = new Date('2026-03-31T16:00:00Z');
        expect((await rate(52, issued!.token)).status).toBe(410);
      } finally {
        now = before;
      }
    });

    it('refuses a rating of the company its rater represents, in the same turn as others that stand', async () => {
      // Company 19's legal representative is rater 59 (a binding from the registry import).
      const ctx = p.ctx(op, 'test');
      const bound = await importSubjects({
        ctx,
        input: {
          lines: [
            {
              line: 1,
              value: {
                kind: 'organization',
                uscc: company(19),
                name: '商户19',
                legal_representative: { id_number: person(59), name: '居民59' },
              },
            },
          ],
        },
      });
      expect(bound.rejected).toBe(0);
      const tokens = await issue('shop-b', [19, 19, 18]);
      const answers = await Promise.all([rate(59, tokens[0]!), rate(58, tokens[1]!), rate(59, tokens[2]!)]);
      // Nobody rates their own service: the representative's rating of company 19 is refused; the
      // same person's rating of another company, and another's of company 19, stand.
      expect(answers.map((a) => a.status)).toEqual([403, 201, 201]);
      expect(answers[0]!.body.error.message).toBe(
        'you cannot rate an organization you represent: it is your own service',
      );
      const connected = await Promise.all(
        answers.slice(1).map(async (a) => (await p.store.ratings.findRating(a.body.id as number))?.connected),
      );
      expect(connected).toEqual([false, false]);
    });

    it('a refused submission does not fail the others of its turn', async () => {
      const old = await issue('shop-b', [10]);
      now = new Date(now.getTime() + 31 * DAY);
      try {
        const fresh = await issue('shop-b', [11, 12, 13]);
        const [used] = await issue('shop-b', [14]);
        expect((await rate(55, used!)).status).toBe(201);
        const forged = `cit_${Buffer.alloc(32, 9).toString('base64url')}`;
        const answers = await Promise.all([
          rate(56, fresh[0]!),
          rate(56, forged),
          rate(57, old[0]!),
          rate(57, fresh[1]!),
          rate(58, used!),
          rate(58, 'not a token'),
          rate(58, fresh[2]!),
        ]);
        expect(answers.map((a) => a.status)).toEqual([201, 400, 410, 201, 409, 400, 201]);
        for (const k of [0, 3, 6]) expect(answers[k]!.body.status).toBe('published');
      } finally {
        now = new Date(now.getTime() - 31 * DAY);
      }
    });

    it('in the store, a rating that cannot be written fails alone; the others of its transaction are kept', async () => {
      const tokens = await issue('shop-b', [15, 16, 17]);
      const hashToken = (t: string) => createHash('sha256').update(t).digest();
      const found = await p.store.ratings.findInteractionsByTokenHashes(tokens.map(hashToken));
      const byHash = new Map(found.map((i) => [Buffer.from(i.tokenHash).toString('hex'), i]));
      const interactions = tokens.map((t) => byHash.get(hashToken(t).toString('hex'))!);
      const rater = (await p.store.findSubjectByIdentifier(person(59)))!;
      const at = now.toISOString();
      const write = (k: number, raterId: number) => ({
        rating: {
          interactionId: interactions[k]!.id,
          ratedId: interactions[k]!.servingId,
          raterId,
          sourceId: interactions[k]!.sourceId,
          professionalism: 4,
          honesty: 4,
          comment: null,
          commentStatus: 'none' as const,
          commentBands: null,
          connected: false,
          submittedAt: at,
        },
        holdIds: [],
        opens: [],
        audit: [
          {
            actor: 'rater:test',
            role: 'rater',
            purpose: 'test',
            requestId: null,
            subjectId: rater.id,
            action: 'rating.submit',
            detail: JSON.stringify({ rating: '{rating}' }),
          },
        ],
      });
      // The second names a rater that does not exist: the database refuses it.
      const out = await p.store.ratings.insertRatings(
        [write(0, rater.id), write(1, 99_999_999), write(2, rater.id)],
        [],
      );
      expect('id' in out[0]!).toBe(true);
      expect('error' in out[1]!).toBe(true);
      expect('id' in out[2]!).toBe(true);
      for (const k of [0, 2]) {
        const id = (out[k] as { id: number }).id;
        expect((await p.store.ratings.findRating(id))?.interactionId).toBe(interactions[k]!.id);
      }
      // The refused one's token was not used up.
      const again = await p.store.ratings.findInteractionsByTokenHashes([hashToken(tokens[1]!)]);
      expect(again[0]?.redeemedAt).toBeNull();
      const trail = await p.store.listAuditForSubject(rater.id, 20);
      expect(trail.filter((e) => e.actor === 'rater:test')).toHaveLength(2);
    });
  });
}
