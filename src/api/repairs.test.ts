/**
 * Credit repair over HTTP: a subject's credential applies for its own records only (another's is a
 * 404), too early is a 409 naming the eligible day, proof and commitment are required; the
 * operator's queue, an attachment, feedback and decision; and who
 * may do what. (The listing lifting for the next check: src/repairs/repairs.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import {
  callAs,
  personRecord,
  registerSource,
  startTestApp,
  type TestApp,
  TODAY,
  tokenFor,
} from './test-app.ts';

const ZHANG = '11010519491231002X';
const LI = '360426199101010071';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('credit repair', backend), () => {
    let t: TestApp;
    let court: string;
    let zhang: string;
    let li: string;
    const records: Record<string, number> = {};

    const token = (role: string, ref?: string) => tokenFor(t, role, ref);
    const call = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
      callAs(t, method, url, who, payload);
    const application = (recordId: number) => ({
      record_id: recordId,
      commitment: 'I commit to perform court judgments on time.',
      evidence: {
        text: 'Paid in full.',
        attachments: [
          {
            name: 'receipt.txt',
            media_type: 'text/plain',
            content_base64: Buffer.from('paid').toString('base64'),
          },
        ],
      },
    });

    beforeAll(async () => {
      t = await startTestApp({ backend });
      court = await registerSource(t, 'repair-court', 'court');
      const res = await call('POST', '/v1/records', court, [
        // Decided 2025-06-01: a serious record, eligible from 2026-06-01.
        personRecord(ZHANG),
        // Decided 2025-02-01: eligible since 2026-02-01.
        personRecord(ZHANG, {
          source_record_id: 'old',
          decided_at: '2025-02-01',
          occurred_at: '2025-01-10',
          evidence: '(2025)京0105执1号',
        }),
        personRecord(LI),
      ]);
      const [recent, old, l] = res.json().results as { record_id: number }[];
      records.recent = recent!.record_id;
      records.old = old!.record_id;
      records.li = l!.record_id;
      zhang = await token('subject', ZHANG);
      li = await token('subject', LI);
    });
    afterAll(async () => t.close());

    describe('credit repair over HTTP', () => {
      it('409 before the minimum period, naming the day (also as eligible_from)', async () => {
        const res = await call('POST', '/v1/me/repairs', zhang, application(records.recent!));
        expect(res.statusCode).toBe(409);
        const { error } = res.json();
        expect(error.code).toBe('conflict');
        expect(error.message).toContain('2026-06-01');
        expect(error.issues).toEqual([{ field: 'eligible_from', message: '2026-06-01' }]);
      });

      it("404 for another subject's record; 400 without proof or commitment; 403 for the queue", async () => {
        expect((await call('POST', '/v1/me/repairs', zhang, application(records.li!))).statusCode).toBe(404);
        const noProof = await call('POST', '/v1/me/repairs', zhang, {
          ...application(records.old!),
          evidence: {},
        });
        expect(noProof.statusCode).toBe(400);
        const noCommitment = await call('POST', '/v1/me/repairs', zhang, {
          ...application(records.old!),
          commitment: '',
        });
        expect(noCommitment.statusCode).toBe(400);
        expect((await call('GET', '/v1/repairs', zhang)).statusCode).toBe(403);
        expect((await call('POST', '/v1/me/repairs', t.operator, application(records.old!))).statusCode).toBe(
          403,
        );
      });

      it('applies, the operator gives feedback and grants; the subject sees the decision', async () => {
        const applied = await call('POST', '/v1/me/repairs', zhang, application(records.old!));
        expect(applied.statusCode).toBe(201);
        const a = applied.json();
        expect(TODAY).toBe('2026-03-01');
        // 2026-03-01 is a Sunday: ten working days are 2–6, 9–13 March.
        expect(a).toMatchObject({ status: 'pending', feedback_due: '2026-03-13', overdue: false });
        expect(a).not.toHaveProperty('subject');
        expect((await call('POST', '/v1/me/repairs', zhang, application(records.old!))).statusCode).toBe(409);

        const queue = (await call('GET', '/v1/repairs?status=open', t.operator)).json();
        expect(queue.repairs.map((r: { id: number }) => r.id)).toEqual([a.id]);
        expect(queue.repairs[0].subject).toEqual({ identifier: ZHANG, name: 'Zhang San' });
        const file = await call('GET', `/v1/repairs/${a.id}/attachments/0`, t.operator);
        expect(file.body).toBe('paid');

        const fb = await call('POST', `/v1/repairs/${a.id}/feedback`, t.operator, {
          accepted: true,
          message: 'Complete.',
        });
        expect(fb.json()).toMatchObject({ status: 'accepted', decision_due: '2026-03-04' });

        const decided = await call('POST', `/v1/repairs/${a.id}/decision`, t.operator, {
          outcome: 'granted',
          reasons: 'Performed in full.',
        });
        expect(decided.statusCode).toBe(200);
        expect(decided.json()).toMatchObject({
          status: 'granted',
          display_stop_due: '2026-03-04',
          record: { status: 'repaired' },
        });
        const mine = (await call('GET', '/v1/me/repairs', zhang)).json();
        expect(mine.repairs).toMatchObject([{ id: a.id, status: 'granted' }]);
        expect((await call('GET', '/v1/me/repairs', li)).json()).toEqual({ repairs: [] });
      });
    });
  });
}
