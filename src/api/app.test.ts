import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { ErrorBody } from './errors.ts';
import { bearer, registerSource, startTestApp, type TestApp } from './test-app.ts';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('the service over HTTP', backend), () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ backend });
    });
    afterAll(async () => t.close());

    const expectErrorShape = (body: ErrorBody, code: string, requestId?: string) => {
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
      expect(Array.isArray(body.error.issues)).toBe(true);
      expect(body.error.request_id).toBeTruthy();
      if (requestId) expect(body.error.request_id).toBe(requestId);
    };

    describe('service', () => {
      it('answers /health without credentials', async () => {
        const res = await t.app.inject({ url: '/health' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({
          status: 'ok',
          backend: backend.name,
          catalogue_version: t.platform.catalogue.version,
        });
      });

      it('serves the docs UI and an OpenAPI document describing the record batch', async () => {
        const ui = await t.app.inject({ url: '/docs' });
        expect(ui.statusCode).toBe(200);
        expect(ui.headers['content-type']).toContain('text/html');
        const doc = (await t.app.inject({ url: '/openapi.json' })).json();
        expect(doc.openapi).toMatch(/^3\./);
        expect(doc.info.title).toBe('Credence');
        expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
        const post = doc.paths['/v1/records'].post;
        expect(Object.keys(post.requestBody.content)).toEqual(
          expect.arrayContaining(['application/json', 'application/x-ndjson']),
        );
        expect(post.responses['200'].content['application/json'].schema.properties.results).toBeDefined();
      });

      it('echoes a caller request ID and generates one otherwise', async () => {
        const given = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
        expect(given.headers['x-request-id']).toBe('abc-123');
        const made = await t.app.inject({ url: '/health' });
        expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('lists the public catalogue with legal bases', async () => {
        const res = await t.app.inject({ url: '/v1/catalogue' });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.label).toBe(t.platform.catalogue.label);
        expect(body.types.length).toBe(t.platform.catalogue.items.length);
        const defaulter = (
          body.types as { code: string; source_kinds: string[]; legal_basis: string }[]
        ).find((x) => x.code === 'court.judgment_defaulter');
        expect(defaulter?.source_kinds).toEqual(['court']);
        expect(defaulter?.legal_basis.length).toBeGreaterThan(0);
      });
    });

    describe('errors', () => {
      it('401 without credentials, in the one JSON shape with the request ID', async () => {
        const res = await t.app.inject({ url: '/v1/sources', headers: { 'x-request-id': 'req-no-auth' } });
        expect(res.statusCode).toBe(401);
        expectErrorShape(res.json(), 'unauthenticated', 'req-no-auth');
      });

      it('401 with a bad token or a malformed header', async () => {
        for (const authorization of ['Bearer cr_nope', 'Basic dXNlcjpwYXNz']) {
          const res = await t.app.inject({ url: '/v1/catalogue', headers: { authorization } });
          expect(res.statusCode).toBe(401);
          expectErrorShape(res.json(), 'unauthenticated', res.headers['x-request-id'] as string);
        }
      });

      it('404 for an unknown route and 400 for malformed JSON, same shape', async () => {
        const missing = await t.app.inject({ url: '/v1/nothing-here' });
        expect(missing.statusCode).toBe(404);
        expectErrorShape(missing.json(), 'not_found');
        const bad = await t.app.inject({
          method: 'POST',
          url: '/v1/sources',
          headers: bearer(t.operator, { 'content-type': 'application/json' }),
          payload: '{"code": ',
        });
        expect(bad.statusCode).toBe(400);
        expectErrorShape(bad.json(), 'invalid_input');
      });

      it('400 with the field for a body that fails validation', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/sources',
          headers: bearer(t.operator),
          payload: { code: 'x-court', kind: 'astrologer' },
        });
        expect(res.statusCode).toBe(400);
        const body = res.json();
        expectErrorShape(body, 'invalid_input');
        expect(body.error.issues[0].field).toBe('body.kind');
      });

      it('500 with a generic message when something breaks underneath', async () => {
        const broken = await startTestApp({ backend });
        await broken.platform.store.close();
        const res = await broken.app.inject({ url: '/v1/stats', headers: bearer(broken.operator) });
        expect(res.statusCode).toBe(500);
        expectErrorShape(res.json(), 'internal', res.headers['x-request-id'] as string);
        expect(res.json().error.message).not.toMatch(/sqlite|database/i);
        await broken.close();
      });

      it('409 when a source code is taken', async () => {
        await registerSource(t, 'dup-court', 'court');
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/sources',
          headers: bearer(t.operator),
          payload: { code: 'dup-court', kind: 'court' },
        });
        expect(res.statusCode).toBe(409);
        expectErrorShape(res.json(), 'conflict');
      });
    });

    describe('sources and tokens', () => {
      it('registers a source whose credential then works as a bearer token', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/sources',
          headers: bearer(t.operator),
          payload: { code: 'tax-bureau', kind: 'tax', name: 'Tax Bureau', types: ['tax.arrears'] },
        });
        expect(res.statusCode).toBe(201);
        const { source, credential } = res.json();
        expect(source).toMatchObject({
          code: 'tax-bureau',
          kind: 'tax',
          name: 'Tax Bureau',
          types: ['tax.arrears'],
        });
        const post = await t.app.inject({
          method: 'POST',
          url: '/v1/records',
          headers: bearer(credential),
          payload: [],
        });
        expect(post.statusCode).toBe(200);
        expect(post.json()).toEqual({
          accepted: 0,
          duplicates: 0,
          corrected: 0,
          withdrawn: 0,
          rejected: 0,
          results: [],
        });
      });

      it('lists sources for an operator, never with credentials', async () => {
        const res = await t.app.inject({ url: '/v1/sources', headers: bearer(t.operator) });
        expect(res.statusCode).toBe(200);
        const text = res.body;
        expect((res.json().sources as { code: string }[]).map((s) => s.code)).toContain('tax-bureau');
        expect(text).not.toMatch(/credential|hash/i);
      });

      it('issues tokens; a non-operator may not, and gets 403', async () => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/tokens',
          headers: bearer(t.operator),
          payload: { role: 'auditor', label: 'audit office' },
        });
        expect(res.statusCode).toBe(201);
        const issued = res.json();
        expect(issued).toMatchObject({
          id: expect.any(Number),
          role: 'auditor',
          // Unique: a token standing for no one is told apart by its id.
          principal: `auditor:audit office#${issued.id}`,
          label: 'audit office',
        });
        const stats = await t.app.inject({ url: '/v1/stats', headers: bearer(issued.token) });
        expect(stats.statusCode).toBe(200);
        const again = await t.app.inject({
          method: 'POST',
          url: '/v1/tokens',
          headers: bearer(issued.token),
          payload: { role: 'operator', label: 'me' },
        });
        expect(again.statusCode).toBe(403);
        expectErrorShape(again.json(), 'forbidden');
      });

      it('revokes a token: refused at once, listed as revoked, audited; only an operator may', async () => {
        const issued = (
          await t.app.inject({
            method: 'POST',
            url: '/v1/tokens',
            headers: bearer(t.operator),
            payload: { role: 'auditor', label: 'to withdraw' },
          })
        ).json();
        // Used once, so this process holds it among its known credentials.
        expect((await t.app.inject({ url: '/v1/stats', headers: bearer(issued.token) })).statusCode).toBe(
          200,
        );
        const listed = await t.app.inject({ url: '/v1/tokens', headers: bearer(t.operator) });
        expect(listed.statusCode).toBe(200);
        expect(listed.body).not.toContain(issued.token);
        const row = (listed.json().tokens as { id: number; label: string; revoked_at: string | null }[]).find(
          (x) => x.label === 'to withdraw',
        )!;
        expect(row.revoked_at).toBeNull();

        const denied = await t.app.inject({
          method: 'POST',
          url: `/v1/tokens/${row.id}/revoke`,
          headers: bearer(issued.token),
        });
        expect(denied.statusCode).toBe(403);
        const before = await t.platform.store.countAudit();
        const revoked = await t.app.inject({
          method: 'POST',
          url: `/v1/tokens/${row.id}/revoke`,
          headers: bearer(t.operator),
        });
        expect(revoked.statusCode).toBe(200);
        expect(revoked.json()).toMatchObject({
          id: row.id,
          label: 'to withdraw',
          revoked_at: expect.any(String),
        });
        expect(await t.platform.store.countAudit()).toBe(before + 1);

        const after = await t.app.inject({ url: '/v1/stats', headers: bearer(issued.token) });
        expect(after.statusCode).toBe(401);
        expectErrorShape(after.json(), 'unauthenticated');
        // Revoking again keeps the first revocation.
        const again = await t.app.inject({
          method: 'POST',
          url: `/v1/tokens/${row.id}/revoke`,
          headers: bearer(t.operator),
        });
        expect(again.json().revoked_at).toBe(revoked.json().revoked_at);
        expect(await t.platform.store.countAudit()).toBe(before + 1);
        const missing = await t.app.inject({
          method: 'POST',
          url: '/v1/tokens/999999/revoke',
          headers: bearer(t.operator),
        });
        expect(missing.statusCode).toBe(404);
        expectErrorShape(missing.json(), 'not_found');
      });
    });
  });
}
