/**
 * Credentials that die, over HTTP on both backends: expiry and renewal, enforced scopes, source
 * credentials rotated and revoked, a revocation seen at once by another process on the same
 * store, unique principal ids, and anonymous callers refused before their body is read.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { authenticate, issueToken } from '../access/index.ts';
import { fixedClock } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { issueInteractions } from '../ratings/index.ts';
import { registerSource } from '../sources/index.ts';
import { buildApp } from './app.ts';
import { isPublicRoute } from './auth.ts';

const NOW = '2026-03-01T09:00:00Z';
const op = { id: 'operator:test', role: 'operator' as const };

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credentials that die', backend), () => {
    let platform: Platform;
    let other: Platform;
    let app: FastifyInstance;
    let otherApp: FastifyInstance;
    let cleanup: () => Promise<void>;
    let operator: string;

    beforeAll(async () => {
      const opened = await backend.open({ clock: fixedClock(NOW) });
      platform = opened.platform;
      cleanup = opened.cleanup;
      // A second process on the same store, as a second API server would open it.
      other = await opened.another();
      app = await buildApp(platform, { logger: false, web: false });
      otherApp = await buildApp(other, { logger: false, web: false });
      operator = (
        await issueToken({ ctx: platform.ctx(op, 'test'), input: { role: 'operator', label: 'desk' } })
      ).token;
    }, 60_000);
    afterAll(async () => {
      await app.close();
      await otherApp.close();
      await other.close();
      await cleanup();
    });

    const call = (
      a: FastifyInstance,
      method: 'GET' | 'POST',
      url: string,
      token?: string,
      payload?: unknown,
    ) =>
      a.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}`, 'x-purpose': 'test' } : {},
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const issue = async (body: Record<string, unknown>) => call(app, 'POST', '/v1/tokens', operator, body);
    /**
     * The other process's answer once it has learnt of a revocation or rotation made in the first:
     * on SQLite at its very next request; on PostgreSQL as soon as the revoking transaction's
     * notification arrives (milliseconds; polled for at most two seconds).
     */
    const otherAfterRevocation = async (
      method: 'GET' | 'POST',
      url: string,
      token: string,
      payload?: unknown,
    ) => {
      let res = await call(otherApp, method, url, token, payload);
      for (let i = 0; i < 200 && res.statusCode !== 401 && backend.name !== 'sqlite'; i++) {
        await new Promise((r) => setTimeout(r, 10));
        res = await call(otherApp, method, url, token, payload);
      }
      return res;
    };

    it('a token carries an expiry (90 days by default), shown by the API; an expired one is refused with the date and how to renew', async () => {
      const res = await issue({ role: 'auditor', label: 'audit office' });
      expect(res.statusCode).toBe(201);
      expect(res.json().expires_at).toBe('2026-05-30T09:00:00.000Z');
      const short = (await issue({ role: 'auditor', label: 'one week', days: 7 })).json();
      expect(short.expires_at).toBe('2026-03-08T09:00:00.000Z');
      expect((await issue({ role: 'auditor', label: 'forever', days: 10_000 })).statusCode).toBe(400);
      const listed = (await call(app, 'GET', '/v1/tokens', operator)).json().tokens;
      expect(listed.find((t: { id: number }) => t.id === short.id).expires_at).toBe(short.expires_at);

      // Issued long ago: expired by now.
      const old = await issueToken({
        ctx: { ...platform.ctx(op, 'test'), clock: fixedClock('2025-01-01T00:00:00Z') },
        input: { role: 'auditor', label: 'old' },
      });
      const refused = await call(app, 'GET', '/v1/stats', old.token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.message).toContain('expired on 2025-04-01');
      expect(refused.json().error.message).toContain(`credence tokens renew ${old.row.id}`);

      // Renewed (audited): it works again, for the days asked.
      const renewed = await call(app, 'POST', `/v1/tokens/${old.row.id}/renew`, operator, { days: 30 });
      expect(renewed.statusCode).toBe(200);
      expect(renewed.json().expires_at).toBe('2026-03-31T09:00:00.000Z');
      expect((await call(app, 'GET', '/v1/stats', old.token)).statusCode).toBe(200);
      expect((await call(otherApp, 'GET', '/v1/stats', old.token)).statusCode).toBe(200);
      // Only an operator renews; a revoked token is not renewed.
      expect((await call(app, 'POST', `/v1/tokens/${old.row.id}/renew`, old.token, {})).statusCode).toBe(403);
      await call(app, 'POST', `/v1/tokens/${short.id}/revoke`, operator);
      expect((await call(app, 'POST', `/v1/tokens/${short.id}/renew`, operator, {})).statusCode).toBe(409);
      expect((await call(app, 'POST', '/v1/tokens/987654/renew', operator, {})).statusCode).toBe(404);
    });

    it('a token stands for someone who can exist: a subject by a valid number or code, a registered relying party', async () => {
      const badId = await issue({ role: 'subject', label: 'x', ref: '110105194912310021' });
      expect(badId.statusCode).toBe(400);
      expect(badId.json().error.message).toMatch(/110105194912310021 is neither: .*check/);
      const badCode = await issue({ role: 'subject', label: 'x', ref: 'NOTAUSCC' });
      expect(badCode.statusCode).toBe(400);
      expect(badCode.json().error.issues[0].field).toBe('ref');
      expect((await issue({ role: 'subject', label: 'x', ref: '91110000600037341L' })).statusCode).toBe(201);
      const nobody = await issue({ role: 'relying_party', label: 'x', ref: 'no-such-party' });
      expect(nobody.statusCode).toBe(400);
      expect(nobody.json().error.message).toContain(
        'no relying party is registered with the code no-such-party',
      );
    });

    it('a scope names permissions its role holds (others refused at issue) and limits the token to them', async () => {
      const bad = await issue({ role: 'auditor', label: 'x', scope: ['sources.manage'] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain('cannot be scoped to sources.manage');
      const unknown = await issue({ role: 'operator', label: 'x', scope: ['everything'] });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.issues[0].field).toBe('scope');

      const scoped = (
        await issue({ role: 'operator', label: 'read-only desk', scope: ['sources.read'] })
      ).json();
      expect(scoped.scope).toEqual(['sources.read']);
      expect((await call(app, 'GET', '/v1/sources', scoped.token)).statusCode).toBe(200);
      // What the public may do stays open to it.
      expect((await call(app, 'GET', '/v1/catalogue', scoped.token)).statusCode).toBe(200);
      const refused = await call(app, 'GET', '/v1/tokens', scoped.token);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toContain('scope does not include tokens.manage');
      expect(
        (await call(app, 'POST', '/v1/sources', scoped.token, { code: 'scoped-court', kind: 'court' }))
          .statusCode,
      ).toBe(403);
    });

    it('source credentials are rotated (the old one dead at once) and revoked (records stay), by an operator only', async () => {
      const reg = await call(app, 'POST', '/v1/sources', operator, { code: 'court-rot', kind: 'court' });
      const first = reg.json().credential as string;
      expect((await call(app, 'GET', '/v1/objections', first)).statusCode).toBe(200);
      expect((await call(otherApp, 'GET', '/v1/objections', first)).statusCode).toBe(200);

      const auditor = (await issue({ role: 'auditor', label: 'a' })).json().token;
      expect((await call(app, 'POST', '/v1/sources/court-rot/credential', auditor)).statusCode).toBe(403);
      expect((await call(app, 'POST', '/v1/sources/nope/credential', operator)).statusCode).toBe(404);

      const rotated = await call(app, 'POST', '/v1/sources/court-rot/credential', operator);
      expect(rotated.statusCode).toBe(200);
      const second = rotated.json().credential as string;
      expect(second).not.toBe(first);
      expect((await call(app, 'GET', '/v1/objections', first)).statusCode).toBe(401);
      // Another process that knew the old credential a moment ago refuses it too.
      expect((await otherAfterRevocation('GET', '/v1/objections', first)).statusCode).toBe(401);
      expect((await call(otherApp, 'GET', '/v1/objections', second)).statusCode).toBe(200);

      // An API token acting as the source (an integration's own) works until the source is revoked.
      const unknown = await issue({ role: 'source', label: 'nobody', ref: 'no-such-court' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toContain('no-such-court');
      const integration = (await issue({ role: 'source', label: 'court-rot feed', ref: 'court-rot' })).json();
      expect((await call(otherApp, 'GET', '/v1/objections', integration.token)).statusCode).toBe(200);

      const revoked = await call(app, 'POST', '/v1/sources/court-rot/revoke', operator);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().source.revoked_at).toBeTruthy();
      const refused = await otherAfterRevocation('GET', '/v1/objections', second);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.message).toContain('court-rot');
      // Its tokens die with it, in the other process too, and none is issued while it is withdrawn.
      const tokenRefused = await otherAfterRevocation('POST', '/v1/records', integration.token, {
        records: [],
      });
      expect(tokenRefused.statusCode).toBe(401);
      expect((await call(app, 'GET', '/v1/objections', integration.token)).statusCode).toBe(401);
      const tokens = (await call(app, 'GET', '/v1/tokens', operator)).json().tokens;
      expect(tokens.find((t: { id: number }) => t.id === integration.id).revoked_at).toBeTruthy();
      const whileWithdrawn = await issue({ role: 'source', label: 'again', ref: 'court-rot' });
      expect(whileWithdrawn.statusCode).toBe(409);
      expect(whileWithdrawn.json().error.message).toContain('withdrawn');
      // Its registration (and its records) stay; rotating gives it a credential again.
      const listed = (await call(app, 'GET', '/v1/sources', operator)).json().sources;
      expect(listed.find((s: { code: string }) => s.code === 'court-rot').revoked_at).toBeTruthy();
      const again = (await call(app, 'POST', '/v1/sources/court-rot/credential', operator)).json();
      expect(again.source.revoked_at).toBeNull();
      expect((await call(otherApp, 'GET', '/v1/objections', again.credential)).statusCode).toBe(200);
      // The re-admitted source's old token stays dead: it was revoked with the source.
      expect((await call(otherApp, 'GET', '/v1/objections', integration.token)).statusCode).toBe(401);
    });

    it('a revoked token is refused at once by another process that had just resolved it', async () => {
      const t = (await issue({ role: 'auditor', label: 'two servers' })).json();
      expect((await call(app, 'GET', '/v1/stats', t.token)).statusCode).toBe(200);
      expect((await call(otherApp, 'GET', '/v1/stats', t.token)).statusCode).toBe(200);
      // Resolved again without a look-up in both (kept), then revoked in the first process.
      expect((await call(otherApp, 'GET', '/v1/stats', t.token)).statusCode).toBe(200);
      expect((await call(app, 'POST', `/v1/tokens/${t.id}/revoke`, operator)).statusCode).toBe(200);
      expect((await call(app, 'GET', '/v1/stats', t.token)).statusCode).toBe(401);
      if (backend.name === 'sqlite') {
        // SQLite: the very next request in the other process refuses it.
        expect((await call(otherApp, 'GET', '/v1/stats', t.token)).statusCode).toBe(401);
      } else {
        // PostgreSQL: refused as soon as the revoking transaction's notification arrives
        // (milliseconds); polled for at most a second, far below the old 5-second cache.
        let status = 200;
        for (let i = 0; i < 100 && status === 200; i++) {
          status = (await call(otherApp, 'GET', '/v1/stats', t.token)).statusCode;
          if (status === 200) await new Promise((r) => setTimeout(r, 10));
        }
        expect(status).toBe(401);
      }
      await expect(authenticate(other.store, t.token, Date.parse(NOW))).rejects.toThrow(/revoked/);
    });

    it("a relying party's checks, whose credential the check turn confirms, are refused at once by another process after a revocation, and not logged", async () => {
      const rp = await call(app, 'POST', '/v1/relying-parties', operator, {
        code: 'rail-two-servers',
        kind: 'railway',
        purposes: ['test'],
      });
      expect(rp.statusCode).toBe(201);
      const token: string = rp.json().token;
      const subject = makeResidentId('110105', '1990-03-07', 7);
      const check = (a: FastifyInstance) =>
        call(a, 'GET', `/v1/checks?subject=${subject}&measure=restrict.high_speed_rail`, token);
      const batch = (a: FastifyInstance) =>
        call(a, 'POST', '/v1/checks', token, { measure: 'restrict.high_speed_rail', subjects: [subject] });
      const logged = async () =>
        (await other.store.countChecksSince('2000-01-01T00:00:00Z')).get('relying_party:rail-two-servers') ??
        0;
      // Resolved in both processes, then kept: the other process answers without a look-up.
      for (const a of [app, otherApp, otherApp]) expect((await check(a)).statusCode).toBe(200);
      expect((await batch(otherApp)).statusCode).toBe(200);
      expect(await logged()).toBe(4);
      const id = (await call(app, 'GET', '/v1/tokens', operator))
        .json()
        .tokens.find((t: { principal: string }) =>
          t.principal.startsWith('relying_party:rail-two-servers'),
        ).id;
      expect((await call(app, 'POST', `/v1/tokens/${id}/revoke`, operator)).statusCode).toBe(200);
      const refused = async (a: FastifyInstance, send: typeof check) => {
        let res = await send(a);
        // PostgreSQL: the other process learns of the revocation by notification (milliseconds).
        for (let i = 0; i < 100 && res.statusCode === 200 && backend.name !== 'sqlite'; i++) {
          await new Promise((r) => setTimeout(r, 10));
          res = await send(a);
        }
        return res;
      };
      const single = await refused(otherApp, check);
      expect(single.statusCode).toBe(401);
      expect(single.json().error.message).toMatch(/revoked/);
      expect((await refused(otherApp, batch)).statusCode).toBe(401);
      expect((await check(app)).statusCode).toBe(401);
      // Answers given before the other process learnt of it on PostgreSQL were logged; none after.
      const after = await logged();
      expect((await check(otherApp)).statusCode).toBe(401);
      expect((await batch(otherApp)).statusCode).toBe(401);
      expect(await logged()).toBe(after);
      if (backend.name === 'sqlite') expect(after).toBe(4);
    });

    it("a rater's submissions, whose credential the ratings turn confirms, are refused at once by another process after a revocation, the token left unused", async () => {
      const ctx = platform.ctx(op, 'test');
      const rater = makeResidentId('110105', '1988-05-05', 21);
      const shop = makeUscc('9', '1', '110105', '31000001');
      const imported = await importSubjects({
        ctx,
        input: {
          lines: [
            { line: 1, value: { kind: 'person', id_number: rater, name: '李雷' } },
            { line: 2, value: { kind: 'organization', uscc: shop, name: '两地商店' } },
          ],
        },
      });
      expect(imported.rejected).toBe(0);
      await registerSource({
        ctx,
        input: { code: 'shop-two-servers', kind: 'ecommerce' },
        catalogue: platform.catalogue,
      });
      const tokens = (
        await issueInteractions({
          ctx,
          input: {
            source: 'shop-two-servers',
            interactions: Array.from({ length: 4 }, () => ({
              serving: { kind: 'organization' as const, id: shop },
              serviceDate: NOW.slice(0, 10),
              service: 'online order',
            })),
          },
          deps: { policy: platform.ratingsPolicy },
        })
      ).map((t) => t.token);
      const t = (await issue({ role: 'rater', label: 'two servers', ref: rater })).json();
      const rate = (a: FastifyInstance, k: number) =>
        call(a, 'POST', '/v1/ratings', t.token, { token: tokens[k], professionalism: 4, honesty: 4 });
      // Resolved in both processes, then kept: the other process takes it without a look-up.
      expect((await rate(app, 0)).statusCode).toBe(201);
      expect((await rate(otherApp, 1)).statusCode).toBe(201);
      expect((await rate(otherApp, 2)).statusCode).toBe(201);
      const epoch = other.store.credentialsEpoch();
      expect((await call(app, 'POST', `/v1/tokens/${t.id}/revoke`, operator)).statusCode).toBe(200);
      // PostgreSQL: the other process learns of the revocation by notification (milliseconds, more
      // on a loaded machine); a submission sent before it arrives would be accepted, as it would
      // have been a moment before the revocation. Waited for without a request, so the credential
      // the other process keeps is still the one it resolved before.
      for (let i = 0; i < 500 && other.store.credentialsEpoch() === epoch; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(other.store.credentialsEpoch()).not.toBe(epoch);
      const res = await rate(otherApp, 3);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/revoked/);
      // Nothing of it was written: three ratings stand, and the interaction token is still unused,
      // so the same person with a new credential rates with it.
      expect((await other.store.ratings.globalMeans()).count).toBe(3);
      const again = (await issue({ role: 'rater', label: 'two servers, new', ref: rater })).json();
      const redeemed = await call(otherApp, 'POST', '/v1/ratings', again.token, {
        token: tokens[3],
        professionalism: 4,
        honesty: 4,
      });
      expect(redeemed.statusCode).toBe(201);
    });

    it('two tokens with one label have distinct principal ids in the audit log', async () => {
      const a = (await issue({ role: 'operator', label: 'night desk' })).json();
      const b = (await issue({ role: 'operator', label: 'night desk' })).json();
      expect(a.principal).toBe(`operator:night desk#${a.id}`);
      expect(b.principal).toBe(`operator:night desk#${b.id}`);
      expect(a.principal).not.toBe(b.principal);
      // A token standing for someone acts as that someone.
      const s = (await issue({ role: 'subject', label: 'me', ref: '11010519491231002X' })).json();
      expect(s.principal).toBe('subject:11010519491231002X');
    });

    describe('anonymous callers', () => {
      it('an anonymous POST with a malformed JSON body to a route that is not public gets 401, not 400', async () => {
        for (const url of ['/v1/records?source=x', '/v1/tokens', '/v1/checks', '/v1/sources']) {
          const res = await app.inject({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/json' },
            payload: '{"not json',
          });
          expect(res.statusCode, url).toBe(401);
          expect(res.json().error.code).toBe('unauthenticated');
        }
      });

      it('every route that is not public refuses anonymous callers; the public ones answer them', async () => {
        const doc = (await app.inject({ url: '/openapi.json' })).json() as {
          paths: Record<string, Record<string, { security?: unknown[] }>>;
        };
        const publicOnes: string[] = [];
        let checked = 0;
        for (const [path, ops] of Object.entries(doc.paths)) {
          if (!path.startsWith('/v1/')) continue;
          for (const [method, operation] of Object.entries(ops)) {
            // Path parameters get a harmless value; the body is left out: refused before it is read.
            const url = path.replace(/\{[^}]+\}/g, '1');
            const res = await app.inject({ method: method.toUpperCase() as 'GET', url });
            if (isPublicRoute(operation)) {
              publicOnes.push(`${method.toUpperCase()} ${path}`);
              expect(res.statusCode, `${method} ${path}`).not.toBe(401);
            } else {
              expect(res.statusCode, `${method} ${path}`).toBe(401);
              checked++;
            }
          }
        }
        expect(checked).toBeGreaterThan(50);
        // The set of public routes: published information only.
        expect(publicOnes.sort()).toEqual(
          [
            'GET /v1/catalogue',
            'GET /v1/session',
            'GET /v1/public/search',
            'GET /v1/public/organizations/{identifier}',
            'GET /v1/public/lists',
            'GET /v1/public/lists/{code}',
            'GET /v1/ratings/{subject}',
            'GET /v1/inspections/plans',
            'GET /v1/inspections/plans/{id}',
            'GET /v1/inspections/plans/{id}/verify',
            'GET /v1/inspections/plans/{id}/inputs',
            'GET /v1/inspections/published',
          ].sort(),
        );
      });
    });
  });
}
