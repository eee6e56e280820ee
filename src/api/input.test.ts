/**
 * What a caller sends is taken as sent or refused with its field named (input.ts, errors.ts): a
 * body field the API does not know, a number that is not plain digits, a query parameter given
 * twice, a path the router cannot read. Nothing is done on a refused request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { ErrorBody } from './errors.ts';
import { bearer, startTestApp, type TestApp } from './test-app.ts';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('input handling over HTTP', backend), () => {
    let t: TestApp;
    let scratch: number;
    const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: bearer(t.operator, { 'x-purpose': 'test' }),
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const refusal = (res: { statusCode: number; json(): unknown }) => {
      expect(res.statusCode).toBe(400);
      return (res.json() as ErrorBody).error;
    };

    beforeAll(async () => {
      t = await startTestApp({ backend });
      const issued = await call('POST', '/v1/tokens', { role: 'auditor', label: 'scratch' });
      expect(issued.statusCode, issued.body).toBe(201);
      scratch = issued.json().id;
    });
    afterAll(async () => t.close());

    it('refuses a body field it does not know, naming it, and does nothing', async () => {
      const before = (await call('GET', '/v1/tokens'))
        .json()
        .tokens.find((x: { id: number }) => x.id === scratch);
      const renew = refusal(await call('POST', `/v1/tokens/${scratch}/renew`, { day: 1 }));
      expect(renew.message).toBe('invalid body: unknown field `day` (expected days)');
      expect(renew.issues).toEqual([{ field: 'body', message: 'unknown field `day` (expected days)' }]);
      const after = (await call('GET', '/v1/tokens'))
        .json()
        .tokens.find((x: { id: number }) => x.id === scratch);
      expect(after.expires_at).toBe(before.expires_at);
      // Deeper down too, and every unknown field is named.
      const issue = refusal(
        await call('POST', '/v1/tokens', { role: 'auditor', label: 'x', scopes: ['a'], dayz: 2 }),
      );
      expect(issue.message).toMatch(
        /^invalid body: unknown fields `scopes`, `dayz` \(expected role, ref, label/,
      );
      const sources = (await call('GET', '/v1/sources')).json();
      const src = refusal(await call('POST', '/v1/sources', { code: 'x-court', kind: 'court', typo: 1 }));
      expect(src.message).toContain('unknown field `typo`');
      expect((await call('GET', '/v1/sources')).json()).toEqual(sources);
      // A name the message quotes is cut short.
      const long = refusal(await call('POST', `/v1/tokens/${scratch}/renew`, { ['k'.repeat(500)]: 1 }));
      expect(long.message).toBe(`invalid body: unknown field \`${'k'.repeat(40)}…\` (expected days)`);
      // The OpenAPI document says so.
      const doc = (await t.app.inject({ url: '/openapi.json' })).json();
      const body = doc.paths['/v1/tokens/{id}/renew'].post.requestBody.content['application/json'].schema;
      expect(body.additionalProperties).toBe(false);
    });

    it('takes a path id or a query number in plain decimal digits only, and says what it expected', async () => {
      for (const id of [`+${scratch}`, `%20${scratch}`, `${scratch}%20`, `${scratch}e0`, `0${scratch}`, '-1'])
        expect(refusal(await call('POST', `/v1/tokens/${id}/revoke`)).issues[0]?.field, id).toBe('params.id');
      const hex = refusal(await call('POST', `/v1/tokens/0x${scratch.toString(16)}/revoke`));
      expect(hex.message).toMatch(/^invalid params\.id: expected a whole number in decimal digits 0–9/);
      expect(refusal(await call('POST', '/v1/tokens/0/revoke')).message).toBe(
        'invalid params.id: expected a whole number from 1',
      );
      // None of them revoked the token.
      const tokens = (await call('GET', '/v1/tokens')).json().tokens;
      expect(tokens.find((x: { id: number }) => x.id === scratch).revoked_at).toBeNull();
      // An empty value is not 0; a parameter given twice is said so.
      const empty = refusal(await call('GET', '/v1/audit/entries?start=&end=2'));
      expect(empty.message).toBe(
        'invalid querystring.start: empty: expected a whole number in decimal digits',
      );
      const twice = refusal(await call('GET', '/v1/audit/entries?start=0&start=1&end=2'));
      expect(twice.message).toBe('invalid querystring.start: given more than once: send it once');
      expect(refusal(await call('GET', '/v1/outbox?problems=1e1')).issues[0]?.field).toBe(
        'querystring.problems',
      );
      expect(refusal(await call('GET', '/v1/outbox?problems=101')).message).toBe(
        'invalid querystring.problems: expected a whole number up to 100',
      );
      expect((await call('GET', '/v1/outbox?problems=0')).statusCode).toBe(200);
      expect((await call('GET', '/v1/outbox')).statusCode).toBe(200);
      // Still integers for a client generator.
      const doc = (await t.app.inject({ url: '/openapi.json' })).json();
      const [pathId] = doc.paths['/v1/tokens/{id}/revoke'].post.parameters;
      expect(pathId.schema).toMatchObject({ type: 'integer', minimum: 1 });
      const start = doc.paths['/v1/audit/entries'].get.parameters.find(
        (q: { name: string }) => q.name === 'start',
      );
      expect(start).toMatchObject({ required: true, schema: { type: 'integer', minimum: 0 } });
    });

    it('says a query parameter of any kind was given more than once, as it does for a number', async () => {
      const twice = async (url: string, field: string) => {
        const e = refusal(await call('GET', url));
        expect(e.message, url).toBe(`invalid querystring.${field}: given more than once: send it once`);
        expect(e.issues[0], url).toEqual({
          field: `querystring.${field}`,
          message: 'given more than once: send it once',
        });
      };
      const who = '11010519491231002X';
      await twice(`/v1/checks?subject=${who}&subject=${who}&measure=restrict.air_travel`, 'subject');
      await twice(
        `/v1/checks?subject=${who}&measure=restrict.air_travel&measure=restrict.air_travel`,
        'measure',
      );
      await twice('/v1/public/search?q=a&q=b', 'q');
      await twice('/v1/public/search?q=a&limit=1&limit=2', 'limit');
      await twice('/v1/objections?status=open&status=all', 'status');
      await twice('/v1/objections?after=a&after=b', 'after');
      await twice(`/v1/subjects/${who}/score?as_of=2026-01-01&as_of=2026-01-02`, 'as_of');
      // Once is taken as before.
      expect((await call('GET', '/v1/public/search?q=a')).statusCode).toBe(200);
      expect((await call('GET', '/v1/objections?status=all')).statusCode).toBe(200);
    });

    it('answers a path the router refuses in the one error shape, without repeating the path', async () => {
      const bad = await t.app.inject({
        url: '/v1/subjects/%ZZsecret',
        headers: { 'x-request-id': 'req-bad-url' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({
        error: {
          code: 'invalid_input',
          message: 'the path is not valid percent-encoded UTF-8 (RFC 3986)',
          issues: [{ field: 'path', message: 'bad percent-encoding' }],
          request_id: 'req-bad-url',
        },
      });
      expect(bad.headers['x-request-id']).toBe('req-bad-url');
      expect(bad.headers['cache-control']).toBe('no-store');
      expect(bad.headers['content-security-policy']).toContain("default-src 'none'");
      const long = await t.app.inject({ url: `/v1/sources/${'y'.repeat(5000)}/credential`, method: 'POST' });
      expect(long.statusCode).toBe(414);
      expect(long.json().error).toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/at most 100/),
      });
      expect(long.body).not.toContain('yyyyyyyyyy');
      expect(long.headers['x-content-type-options']).toBe('nosniff');
      // The document names the 413, 414 and 415 the edge gives.
      const doc = (await t.app.inject({ url: '/openapi.json' })).json();
      expect(Object.keys(doc.paths['/v1/records'].post.responses)).toEqual(
        expect.arrayContaining(['413', '415']),
      );
      expect(Object.keys(doc.paths['/v1/tokens/{id}/revoke'].post.responses)).toEqual(
        expect.arrayContaining(['413', '414', '415']),
      );
      expect(Object.keys(doc.paths['/v1/catalogue'].get.responses)).not.toContain('413');
    });
  });
}
