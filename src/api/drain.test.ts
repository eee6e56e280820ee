/**
 * Shutting down under load on kept-alive connections: every request sent meanwhile is answered
 * (503, connection closed: send it again elsewhere) or refused at connect, never reset mid-way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../access/index.ts';
import { parseConfig } from '../config.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { startServer } from './index.ts';

describe('draining a server with kept-alive connections', () => {
  let dir: string;
  let platform: Platform;
  let operator: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credence-drain-'));
    platform = await openPlatform(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
    const ctx = platform.ctx({ id: 'operator:test', role: 'operator' }, 'test');
    ({ token: operator } = await issueToken({ ctx, input: { role: 'operator', label: 'ops' } }));
  });
  afterAll(async () => {
    await platform?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the requests on open connections 503 with connection: close, and resets none', async () => {
    const server = await startServer(platform, { host: '127.0.0.1', port: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const outcomes: Record<string, number> = {};
    const closeHeaders = new Set<string>();
    let running = true;
    const one = () =>
      new Promise<void>((done) => {
        const req = get(
          `${server.url}/v1/session`,
          { agent, headers: { authorization: `Bearer ${operator}` } },
          (res) => {
            if (res.statusCode === 503) closeHeaders.add(String(res.headers.connection));
            res.resume();
            res.on('end', () => {
              outcomes[res.statusCode!] = (outcomes[res.statusCode!] ?? 0) + 1;
              done();
            });
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => {
          outcomes[e.code ?? e.message] = (outcomes[e.code ?? e.message] ?? 0) + 1;
          done();
        });
      });
    const loops = Array.from({ length: 20 }, async () => {
      while (running) await one();
    });
    try {
      await expect.poll(() => outcomes[200] ?? 0, { timeout: 10_000 }).toBeGreaterThan(200);
      await server.close();
    } finally {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    }
    // The clients at work when the shutdown began were told so on their connections…
    expect(outcomes[503]).toBeGreaterThan(0);
    expect([...closeHeaders]).toEqual(['close']);
    // …and then found no server to connect to; not one request was cut off unanswered.
    expect(Object.keys(outcomes).filter((k) => !['200', '503', 'ECONNREFUSED'].includes(k))).toEqual([]);
  });
});
