import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../access/index.ts';
import { parseConfig } from '../config.ts';
import { fixedClock } from '../context.ts';
import { openPlatform, type Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { personRecord } from './test-app.ts';

const PERSON = '360426199101010071';
const OTHER = '11010519491231002X';

/** Every log line the app writes, as text. */
const capture = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
};

describe('request logs carry no personal data and no database details', () => {
  let dir: string;
  let platform: Platform;
  let app: FastifyInstance;
  let operator: string;
  let rail: string;
  const log = capture();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credence-logs-'));
    platform = await openPlatform(parseConfig({ DATA_DIR: dir }), {
      clock: fixedClock('2026-03-01T09:00:00Z'),
    });
    app = await buildApp(platform, { logger: { level: 'info', stream: log.stream }, web: false });
    const ctx = platform.ctx({ id: 'operator:test', role: 'operator' }, 'test');
    ({ token: operator } = await issueToken({ ctx, input: { role: 'operator', label: 'test' } }));
    // An operator may run any check (a relying party's would be logged the same way).
    rail = operator;
    const src = await app.inject({
      method: 'POST',
      url: '/v1/sources',
      headers: { authorization: `Bearer ${operator}` },
      payload: { code: 'court-logs', kind: 'court' },
    });
    expect(src.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await platform?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('logs a record batch, a file read and a check by route pattern, without identifiers or credentials', async () => {
    const batch = await app.inject({
      method: 'POST',
      url: '/v1/records?source=court-logs',
      headers: { authorization: `Bearer ${operator}` },
      payload: [personRecord(PERSON), personRecord(OTHER, { source_record_id: 'other-1' })],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    const file = await app.inject({
      method: 'GET',
      url: `/v1/subjects/${PERSON}`,
      headers: { authorization: `Bearer ${operator}`, 'x-purpose': 'review the file' },
    });
    expect(file.statusCode, file.body).toBe(200);
    const check = await app.inject({
      method: 'GET',
      url: `/v1/checks?subject=${OTHER}&measure=restrict.high_speed_rail`,
      headers: { authorization: `Bearer ${rail}`, 'x-purpose': 'ticket_sale' },
    });
    expect(check.statusCode, check.body).toBe(200);
    // A refusal whose message names the subject is logged without it.
    await app.inject({
      method: 'GET',
      url: `/v1/subjects/440524188001010014`,
      headers: { authorization: `Bearer ${operator}` },
    });

    const text = log.lines.join('');
    for (const secret of [PERSON, OTHER, '440524188001010014', operator, rail, 'Zhang San'])
      expect(text).not.toContain(secret);
    const entries = log.lines.map((l) => JSON.parse(l));
    const routes = entries.flatMap((e) => (e.req?.route ? [`${e.req.method} ${e.req.route}`] : []));
    expect(routes).toEqual(
      expect.arrayContaining(['POST /v1/records', 'GET /v1/subjects/:id', 'GET /v1/checks']),
    );
    // Each line still says which request it belongs to.
    expect(entries.filter((e) => e.req).every((e) => typeof e.reqId === 'string')).toBe(true);
  });

  it('answers a store failure with the generic 500 and logs its class and request ID, not its SQL or data', async () => {
    log.lines.length = 0;
    await platform.store.close();
    const res = await app.inject({
      method: 'GET',
      url: `/v1/subjects/${PERSON}`,
      headers: {
        authorization: `Bearer ${operator}`,
        'x-request-id': 'req-store-down',
        'x-purpose': 'review',
      },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: {
        code: 'internal',
        message: 'internal error: the problem has been logged with this request ID',
        issues: [],
        request_id: 'req-store-down',
      },
    });
    const failed = log.lines.map((l) => JSON.parse(l)).find((e) => e.msg === 'request failed');
    expect(failed).toMatchObject({ reqId: 'req-store-down', err: { type: expect.any(String) } });
    const text = log.lines.join('');
    for (const leak of [PERSON, 'select ', 'SELECT ', 'credence.db', dir, 'not open'])
      expect(text).not.toContain(leak);
  });
});
