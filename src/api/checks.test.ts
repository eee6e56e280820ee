import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, personRecord, registerSource, startTestApp, type TestApp } from './test-app.ts';

const LISTED = '360426199101010071';

describe('relying-party checks over HTTP', () => {
  let t: TestApp;
  let rail: string;
  beforeAll(async () => {
    t = await startTestApp();
    const court = await registerSource(t, 'court-c', 'court');
    const posted = await t.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: bearer(court),
      payload: [personRecord(LISTED)],
    });
    expect(posted.json()).toMatchObject({ accepted: 1 });
    const rp = await t.app.inject({
      method: 'POST',
      url: '/v1/relying-parties',
      headers: bearer(t.operator),
      payload: { code: 'rail-c', kind: 'railway' },
    });
    expect(rp.statusCode).toBe(201);
    expect(rp.json().relying_party.measures).toContain('restrict.high_speed_rail');
    rail = rp.json().token;
  });
  afterAll(async () => t?.close());

  it('answers a single check with the list and period, and never more', async () => {
    const res = await t.app.inject({
      url: `/v1/checks?subject=${LISTED}&measure=restrict.high_speed_rail`,
      headers: bearer(rail, { 'x-purpose': 'ticket G7' }),
    });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual([
      'applies',
      'check_id',
      'from',
      'list',
      'measure',
      'reason_code',
      'until',
    ]);
    expect(res.json()).toMatchObject({ applies: true, list: 'black.court_defaulters' });
  });

  it('refuses ungranted measures (403), anonymous callers (401) and oversized batches (400)', async () => {
    const notGranted = await t.app.inject({
      url: `/v1/checks?subject=${LISTED}&measure=restrict.air_travel`,
      headers: bearer(rail),
    });
    expect(notGranted.statusCode).toBe(403);
    expect(notGranted.json().error.code).toBe('forbidden');
    expect(
      (await t.app.inject({ url: `/v1/checks?subject=${LISTED}&measure=restrict.high_speed_rail` }))
        .statusCode,
    ).toBe(401);
    const big = await t.app.inject({
      method: 'POST',
      url: '/v1/checks',
      headers: bearer(rail),
      payload: { measure: 'restrict.high_speed_rail', subjects: Array(1001).fill(LISTED) },
    });
    expect(big.statusCode).toBe(400);
  });

  it('checks many subjects in one call', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/checks',
      headers: bearer(rail),
      payload: { measure: 'restrict.high_speed_rail', subjects: [LISTED, '11010519491231002X'] },
    });
    expect(res.json().results.map((r: { applies: boolean }) => r.applies)).toEqual([true, false]);
  });

  it('shows operators the notification outbox the listing filled, and refuses relying parties', async () => {
    const res = await t.app.inject({ url: '/v1/outbox', headers: bearer(t.operator) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sent: 0, failed: 0, dead: 0, problems: [] });
    expect(res.json().queued).toBeGreaterThan(0);
    const denied = await t.app.inject({ url: '/v1/outbox', headers: bearer(rail) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
  });

  it('requeues dead notifications for an operator only, refusing a request that names nothing', async () => {
    const post = (payload: object, token = t.operator) =>
      t.app.inject({ method: 'POST', url: '/v1/outbox/requeue', headers: bearer(token), payload });
    expect((await post({ all_dead: true })).json()).toEqual({ requeued: [] });
    const vague = await post({});
    expect(vague.statusCode).toBe(400);
    expect(vague.json().error.code).toBe('invalid_input');
    expect((await post({ ids: [1], all_dead: true })).statusCode).toBe(400);
    expect((await post({ ids: [1] }, rail)).statusCode).toBe(403);
  });
});
