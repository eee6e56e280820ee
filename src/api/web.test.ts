import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleNotFound } from './errors.ts';
import { registerWeb, webBuildStale } from './web.ts';

describe('serving the web console', () => {
  let dir: string;
  const app = Fastify();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credence-web-'));
    await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
    await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(dir, 'dist', 'assets', 'app-abc123.js'), 'console.log(1)');
    app.get('/v1/known', async () => ({ ok: true }));
    app.setNotFoundHandler(await registerWeb(app, handleNotFound, join(dir, 'dist')));
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the page at / and at every browser path, never cached', async () => {
    for (const url of ['/', '/org/91350100M000100Y43', '/me', '/console/objections?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<title>console</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      // Only its own scripts, only its own origin, never framed.
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const direct = await app.inject({ url: '/index.html' });
    expect(direct.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves hashed assets with a long cache', async () => {
    const res = await app.inject({ url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('keeps the API’s JSON 404 for API paths and for writes', async () => {
    for (const [method, url] of [
      ['GET', '/v1/unknown'],
      ['GET', '/health/x'],
      ['POST', '/somewhere'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('knows when the build is older than its sources', async () => {
    await mkdir(join(dir, 'src'), { recursive: true });
    const src = join(dir, 'src', 'main.tsx');
    await writeFile(src, 'x');
    const past = new Date(Date.now() - 60_000);
    await utimes(src, past, past);
    await utimes(join(dir, 'src'), past, past);
    expect(webBuildStale(dir)).toBe(false);
    await utimes(src, new Date(), new Date());
    expect(webBuildStale(dir)).toBe(true);
    expect(webBuildStale(join(dir, 'nowhere'))).toBe(true);
  });
});
