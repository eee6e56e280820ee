import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { hashCredential, issueToken } from '../access/index.ts';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { RATE_WINDOW_MS } from './rate-limit.ts';

/** The app over this platform with these limits a minute (as RATE_LIMIT_* would set them). */
const appWith = (platform: Platform, perCredential: number, perAddress: number) =>
  buildApp(
    { ...platform, config: { ...platform.config, rateLimit: { perCredential, perAddress } } },
    { logger: false, web: false },
  );

for (const backend of testBackends()) {
  describe.skipIf(backend.skip)(suiteTitle('rate limits', backend), { timeout: 30_000 }, () => {
    let platform: Platform;
    let second: Platform;
    let cleanup: () => Promise<void>;
    let a: FastifyInstance;
    let b: FastifyInstance;
    let token: string;

    beforeAll(async () => {
      const opened = await backend.open();
      platform = opened.platform;
      cleanup = opened.cleanup;
      // A second API process on the same store.
      second = await opened.another();
      // Counts restart with each minute's window: not in the last seconds of one.
      const into = Date.now() % RATE_WINDOW_MS;
      if (into > RATE_WINDOW_MS - 15_000)
        await new Promise((ok) => setTimeout(ok, RATE_WINDOW_MS - into + 100));
      a = await appWith(platform, 10, 3);
      b = await appWith(second, 10, 3);
      ({ token } = await issueToken({
        ctx: platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
        input: { role: 'auditor', label: 'limits' },
      }));
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await second?.close();
      await cleanup?.();
    });

    const get = (
      app: FastifyInstance,
      url: string,
      headers: Record<string, string> = {},
      ip = '198.51.100.7',
    ) => app.inject({ method: 'GET', url, headers, remoteAddress: ip });

    it('refuses an anonymous address past its limit with 429, Retry-After and the one error shape', async () => {
      for (let i = 0; i < 3; i++) expect((await get(a, '/v1/catalogue')).statusCode).toBe(200);
      const refused = await get(a, '/v1/catalogue');
      expect(refused.statusCode).toBe(429);
      const after = Number(refused.headers['retry-after']);
      expect(after).toBeGreaterThanOrEqual(1);
      expect(after).toBeLessThanOrEqual(60);
      expect(refused.json()).toEqual({
        error: {
          code: 'rate_limited',
          message: expect.stringContaining('at most 3 a minute per address'),
          issues: [],
          request_id: refused.headers['x-request-id'],
        },
      });
      // Another address is counted apart; health is never limited.
      expect((await get(a, '/v1/catalogue', {}, '203.0.113.9')).statusCode).toBe(200);
      expect((await get(a, '/health/live')).statusCode).toBe(200);
    });

    it('counts callers behind a trusted proxy by the address it forwards, and no one else may forward one', async () => {
      const viaProxy = await buildApp(
        {
          ...platform,
          config: {
            ...platform.config,
            rateLimit: { perCredential: 10, perAddress: 2 },
            trustProxy: ['10.0.0.1'],
          },
        },
        { logger: false, web: false },
      );
      try {
        const from = (forwarded: string, ip: string) =>
          viaProxy.inject({
            method: 'GET',
            url: '/v1/catalogue',
            headers: { 'x-forwarded-for': forwarded },
            remoteAddress: ip,
          });
        for (let i = 0; i < 2; i++) expect((await from('192.0.2.10', '10.0.0.1')).statusCode).toBe(200);
        expect((await from('192.0.2.10', '10.0.0.1')).statusCode).toBe(429);
        // Another caller behind the same proxy is counted apart.
        expect((await from('192.0.2.11', '10.0.0.1')).statusCode).toBe(200);
        // A caller that is not the proxy cannot choose the address it is counted by.
        for (let i = 0; i < 2; i++)
          expect((await from(`192.0.2.${20 + i}`, '192.0.2.99')).statusCode).toBe(200);
        expect((await from('192.0.2.30', '192.0.2.99')).statusCode).toBe(429);
      } finally {
        await viaProxy.close();
      }
    });

    it('counts a credential apart from its address, and across processes sharing the store', async () => {
      const auth = { authorization: `Bearer ${token}` };
      // The address spent above does not hold back the credential.
      for (let i = 0; i < 6; i++) expect((await get(a, '/v1/stats', auth)).statusCode).toBe(200);
      await a.syncRateLimits();
      // The second process learns the six at its first sync and counts on from there.
      expect((await get(b, '/v1/stats', auth)).statusCode).toBe(200);
      await b.syncRateLimits();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(b, '/v1/stats', auth)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect((await get(b, '/v1/stats', auth)).json().error.message).toContain('per credential');
      // The shared counter is keyed by the credential's hash: 6 + 1 + 4 + 1 requests.
      await b.syncRateLimits();
      const now = Date.now();
      const [total] = await platform.store.addRateLimitHits([
        {
          key: `c:${hashCredential(token)}`,
          windowStart: now - (now % RATE_WINDOW_MS),
          hits: 0,
        },
      ]);
      expect(total?.hits).toBe(12);
    });

    it('lifts a limit set to 0', async () => {
      const open = await appWith(platform, 0, 0);
      try {
        for (let i = 0; i < 8; i++) expect((await get(open, '/v1/catalogue')).statusCode).toBe(200);
      } finally {
        await open.close();
      }
    });
  });
}
