import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../access/index.ts';
import { parseConfig } from '../config.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { startServer } from './index.ts';
import type { Lifecycle } from './routes/health.ts';

const openssl = spawnSync('openssl', ['version']).status === 0;

describe('the API transport', () => {
  let dir: string;
  let platform: Platform;
  let app: FastifyInstance;
  let operator: string;
  let auditor: string;
  const lifecycle: Lifecycle = { draining: false };
  const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credence-transport-'));
    platform = await openPlatform(parseConfig({ DATA_DIR: dir, METRICS_TOKEN }));
    app = await buildApp(platform, { logger: false, web: false, lifecycle });
    const ctx = platform.ctx({ id: 'operator:test', role: 'operator' }, 'test');
    ({ token: operator } = await issueToken({ ctx, input: { role: 'operator', label: 'ops' } }));
    ({ token: auditor } = await issueToken({ ctx, input: { role: 'auditor', label: 'audit' } }));
  });
  afterAll(async () => {
    await app?.close();
    await platform?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('refuses a body over its route limit with 413 naming the limit, and takes large bodies where they belong', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      headers: as(operator),
      payload: { code: 'big', kind: 'court', name: 'x'.repeat(70 * 1024) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('at most 65,536 bytes (64 KiB)'),
      request_id: big.headers['x-request-id'],
    });
    // A batch check of 1,000 subjects of the longest identifiers passes the limit (and is then judged).
    const batchCheck = await app.inject({
      method: 'POST',
      url: '/v1/checks',
      headers: as(operator),
      payload: {
        measure: 'restrict.high_speed_rail',
        purpose: 'ticket_sale',
        subjects: Array.from({ length: 1000 }, (_, i) => String(i).padStart(32, '9')),
      },
    });
    expect(batchCheck.statusCode).not.toBe(413);
    // A record batch far over 64 KiB is read (each line judged on its own).
    const lines = Array.from({ length: 400 }, (_, i) => ({
      source_record_id: `r${i}`,
      note: 'n'.repeat(300),
    }));
    const batch = await app.inject({
      method: 'POST',
      url: '/v1/records?source=nowhere',
      headers: as(operator),
      payload: lines,
    });
    expect(JSON.stringify(lines).length).toBeGreaterThan(100 * 1024);
    expect(batch.statusCode).not.toBe(413);
  });

  it('sets security headers on API answers, and the documentation keeps its own policy', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/catalogue' });
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'strict-transport-security': expect.stringContaining('max-age='),
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      // An answer may hold personal data, or a list entry a repair has since removed.
      'cache-control': 'no-store',
    });
    // Headers that act only on a rendered page are left off JSON answers, errors included.
    const refused = await app.inject({ method: 'GET', url: '/v1/subjects/x' });
    expect(refused.statusCode).toBe(401);
    for (const r of [res, refused]) {
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers).not.toHaveProperty('cross-origin-opener-policy');
      expect(r.headers).not.toHaveProperty('x-xss-protection');
    }
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers).toMatchObject({
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    });
  });

  it('cuts off a client that never finishes its headers (slow loris)', async () => {
    const slow = await buildApp(platform, {
      logger: false,
      web: false,
      timeouts: { headers: 300, check: 100 },
    });
    try {
      const url = new URL(await slow.listen({ host: '127.0.0.1', port: 0 }));
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), '127.0.0.1', () =>
          socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: '),
        );
        let got = '';
        socket.on('data', (d) => {
          got += String(d);
        });
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
        // Keep dribbling a byte at a time: the headers never end.
        const drip = setInterval(() => socket.writable && socket.write('a'), 50);
        socket.on('close', () => clearInterval(drip));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await slow.close();
    }
  });

  it('tells live from ready: ready is 503 while draining or when the store does not answer', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'live' });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
    lifecycle.draining = true;
    try {
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect([ready.statusCode, ready.json()]).toEqual([503, { status: 'draining' }]);
      const refused = await app.inject({ method: 'GET', url: '/v1/catalogue' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.code).toBe('unavailable');
    } finally {
      lifecycle.draining = false;
    }
  });

  it('serves metrics to operators and the metrics token only', async () => {
    await app.inject({ method: 'GET', url: '/v1/catalogue' });
    // Paths no route serves are counted under one label, whatever was asked for.
    for (const url of ['/v1/no-such-thing', '/wp-admin/setup.php', '/v1/no-such-thing?x=1'])
      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: as(auditor) })).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: '/metrics', headers: as(`${METRICS_TOKEN}x`) })).statusCode,
    ).toBe(401);
    const byToken = await app.inject({ method: 'GET', url: '/metrics', headers: as(METRICS_TOKEN) });
    expect(byToken.statusCode).toBe(200);
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: as(operator) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain(
      'credence_http_requests_total{method="GET",route="/v1/catalogue",status="200"}',
    );
    expect(res.body).toContain(
      'credence_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/v1/catalogue"}',
    );
    expect(res.body).toContain(
      'credence_http_requests_total{method="GET",route="(unmatched)",status="404"} 3',
    );
    expect(res.body).not.toContain('wp-admin');
    expect(res.body).toMatch(/credence_queue_depth\{queue="outbox"\} 0/);
    expect(res.body).toMatch(/credence_queue_depth\{queue="objections"\} 0/);
    expect(res.body).toContain('# TYPE credence_checks_answered_total counter');
    expect(res.body).toContain('# TYPE credence_records_ingested_total counter');
  });

  it.skipIf(!openssl)(
    `serves HTTPS when a certificate is configured${openssl ? '' : ' (skipped: openssl not found)'}`,
    async () => {
      const tls = await mkdtemp(join(tmpdir(), 'credence-tls-'));
      try {
        const made = spawnSync('openssl', [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-keyout',
          join(tls, 'k.pem'),
          '-out',
          join(tls, 'c.pem'),
        ]);
        expect(made.status).toBe(0);
        const config = {
          ...platform.config,
          tls: { certFile: join(tls, 'c.pem'), keyFile: join(tls, 'k.pem') },
        };
        const server = await startServer({ ...platform, config }, { host: '127.0.0.1', port: 0 });
        try {
          expect(server.url).toMatch(/^https:\/\//);
          const ca = await readFile(join(tls, 'c.pem'));
          const body = await new Promise<string>((resolve, reject) => {
            httpsGet(`${server.url}/health/live`, { ca, servername: 'localhost' }, (res) => {
              let b = '';
              res.on('data', (d) => {
                b += String(d);
              });
              res.on('end', () => resolve(b));
            }).on('error', reject);
          });
          expect(JSON.parse(body)).toEqual({ status: 'live' });
        } finally {
          await server.close();
        }
      } finally {
        await rm(tls, { recursive: true, force: true });
      }
    },
  );
});
