/**
 * Objections over HTTP: a subject's credential objects to its own records only (another's is a 404,
 * as if it did not exist), limits are named, the operator's queue and decision, the source's view
 * of its own records, the appeal once; and who may do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { callAs, personRecord, registerSource, startTestApp, type TestApp, tokenFor } from './test-app.ts';

const ZHANG = '11010519491231002X';
const LI = '360426199101010071';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('objections', backend), () => {
    let t: TestApp;
    let court: string;
    let police: string;
    let zhang: string;
    let li: string;
    let auditor: string;
    const records: Record<string, number> = {};

    const token = (role: string, ref?: string) => tokenFor(t, role, ref);
    const call = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
      callAs(t, method, url, who, payload);

    beforeAll(async () => {
      t = await startTestApp({ backend });
      court = await registerSource(t, 'objection-court', 'court');
      police = await registerSource(t, 'objection-police', 'police');
      const res = await call('POST', '/v1/records', court, [personRecord(ZHANG), personRecord(LI)]);
      const [z, l] = res.json().results as { record_id: number }[];
      records.zhang = z!.record_id;
      records.li = l!.record_id;
      zhang = await token('subject', ZHANG);
      li = await token('subject', LI);
      auditor = await token('auditor');
    });
    afterAll(async () => t.close());

    describe('objections over HTTP', () => {
      it("404 for another subject's record, exactly as for one that does not exist", async () => {
        const other = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.li,
          reason: 'not mine',
        });
        const none = await call('POST', '/v1/me/objections', zhang, {
          record_id: 987_654,
          reason: 'not mine',
        });
        expect(other.statusCode).toBe(404);
        expect(none.statusCode).toBe(404);
        expect(other.json().error.message).toBe(`there is no record ${records.li} in your file`);
        expect(none.json().error.message).toBe('there is no record 987654 in your file');
      });

      it('400 for an empty reason and for evidence over the limits, naming them', async () => {
        const empty = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: ' ',
        });
        expect(empty.statusCode).toBe(400);
        expect(empty.json().error.issues).toEqual([{ field: 'reason', message: 'empty' }]);
        const many = Array.from({ length: 6 }, (_, i) => ({
          name: `p${i}.png`,
          media_type: 'image/png',
          content_base64: 'iVBORw0KGgo=',
        }));
        const tooMany = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: 'see the files',
          evidence: { attachments: many },
        });
        expect(tooMany.statusCode).toBe(400);
        expect(tooMany.json().error.message).toContain('max_attachments');
      });

      it('400 for a field it does not know (the evidence would be lost) and a file name with a line break; nothing is filed', async () => {
        const file = { name: 'proof.pdf', media_type: 'application/pdf', content_base64: 'JVBERi0=' };
        const typo = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: 'wrong',
          evidence: { text: 'see attached', attachment: [file] },
        });
        expect(typo.statusCode, typo.body).toBe(400);
        expect(typo.json().error.message).toBe(
          'invalid body.evidence: unknown field `attachment` (expected text, attachments)',
        );
        const inFile = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: 'wrong',
          evidence: {
            attachments: [{ name: 'proof.pdf', media_type: 'application/pdf', content: 'JVBERi0=' }],
          },
        });
        expect(inFile.statusCode).toBe(400);
        expect(inFile.json().error.issues).toContainEqual({
          field: 'body.evidence.attachments.0',
          message: 'unknown field `content` (expected name, media_type, content_base64)',
        });
        const crlf = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: 'wrong',
          evidence: { attachments: [{ ...file, name: 'a\r\nX-Evil: 1.pdf' }] },
        });
        expect(crlf.statusCode).toBe(400);
        expect(crlf.json().error.issues).toEqual([
          { field: 'evidence.attachments.0.name', message: 'no control characters (CR, LF, tab…)' },
        ]);
        expect((await call('GET', '/v1/me/objections', zhang)).json().objections).toEqual([]);
      });

      it('201: the record is flagged at once; a second objection is 409; the subject sees its clocks', async () => {
        // A large file within the limit passes the body limit.
        const file = Buffer.alloc(1_500_000, 7).toString('base64');
        const res = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: 'The debt was paid before the listing',
          evidence: {
            text: 'bank transfer',
            attachments: [{ name: 'transfer.pdf', media_type: 'application/pdf', content_base64: file }],
          },
        });
        expect(res.statusCode).toBe(201);
        const o = res.json();
        // Filed 2026-03-01 (a Sunday): 15 days for a court-list record (SPC 2017 Art. 12: calendar
        // days), the source told within 5 working days.
        expect(o).toMatchObject({
          status: 'pending',
          due: '2026-03-16',
          source_notice_due: '2026-03-06',
          counts_while_pending: true,
          record: { id: records.zhang, status: 'disputed' },
          evidence: { attachments: [{ name: 'transfer.pdf', bytes: 1_500_000 }] },
        });
        records.objection = o.id;
        const got = await call('GET', `/v1/objections/${o.id}/attachments/0`, t.operator);
        expect(got.statusCode).toBe(200);
        expect(got.headers['content-type']).toBe('application/pdf');
        expect(got.headers['content-disposition']).toMatch(/^attachment;/);
        expect(got.headers['x-content-type-options']).toBe('nosniff');
        // A file a browser may open: the document-only headers too, and never cached.
        expect(got.headers['x-permitted-cross-domain-policies']).toBe('none');
        expect(got.headers['cache-control']).toBe('no-store');
        expect(got.rawPayload.equals(Buffer.from(file, 'base64'))).toBe(true);
        expect((await call('GET', `/v1/objections/${o.id}/attachments/0`, zhang)).statusCode).toBe(200);
        expect((await call('GET', `/v1/objections/${o.id}/attachments/0`, li)).statusCode).toBe(404);
        expect((await call('GET', `/v1/objections/${o.id}/attachments/1`, t.operator)).statusCode).toBe(404);
        const again = await call('POST', '/v1/me/objections', zhang, {
          record_id: records.zhang,
          reason: 'again',
        });
        expect(again.statusCode).toBe(409);
        const mine = await call('GET', '/v1/me/objections', zhang);
        expect(mine.statusCode).toBe(200);
        expect(mine.json().objections).toEqual([
          expect.objectContaining({
            id: o.id,
            due: '2026-03-16',
            overdue: false,
            decision: null,
            appeal: null,
          }),
        ]);
        expect(mine.json().objections[0].decision).toBeNull();
        expect((await call('GET', '/v1/me/objections', li)).json().objections).toEqual([]);
      });

      it("the record's history names the objection, never the subject's words (kept with the objection only)", async () => {
        const file = (await call('GET', '/v1/me', zhang)).json();
        const record = file.records.find((r: { id: number }) => r.id === records.zhang);
        expect(record.status).toBe('disputed');
        expect(record.history).toEqual([
          expect.objectContaining({
            change: 'dispute',
            status: 'active',
            reason: `objection #${records.objection} by the subject`,
          }),
        ]);
        expect(JSON.stringify(record)).not.toContain('The debt was paid');
        expect(file.objections).toEqual([
          expect.objectContaining({ id: records.objection, reason: 'The debt was paid before the listing' }),
        ]);
        // The audit log, kept for good, holds no copy of them either (only their digest).
        const subject = await t.platform.store.findSubjectByIdentifier(ZHANG);
        const trail = await t.platform.store.listAuditForSubject(subject!.id, 100);
        expect(trail.map((a) => a.action)).toContain('record.dispute');
        expect(JSON.stringify(trail)).not.toContain('The debt was paid');
      });

      it('the queue: operators and auditors see all, a source only its own records (and is told), others are refused', async () => {
        const q = await call('GET', '/v1/objections?status=pending', t.operator);
        expect(q.statusCode).toBe(200);
        expect(q.json()).toMatchObject({
          objections: [{ id: records.objection, subject: { identifier: ZHANG }, source_notified_at: null }],
          next: null,
        });
        expect((await call('GET', '/v1/objections', auditor)).statusCode).toBe(200);
        expect((await call('GET', '/v1/objections', police)).json().objections).toEqual([]);
        const seen = await call('GET', '/v1/objections?status=all', court);
        expect(seen.json().objections).toEqual([
          expect.objectContaining({ id: records.objection, source_notified_at: expect.any(String) }),
        ]);
        expect((await call('GET', '/v1/objections', zhang)).statusCode).toBe(403);
        expect((await call('GET', '/v1/objections?status=nonsense', t.operator)).statusCode).toBe(400);
      });

      it('the decision: operators only, reasons required, a correction only with record_corrected', async () => {
        const url = `/v1/objections/${records.objection}/decision`;
        expect(
          (await call('POST', url, zhang, { outcome: 'record_removed', reasons: 'mine' })).statusCode,
        ).toBe(403);
        expect(
          (await call('POST', url, auditor, { outcome: 'record_removed', reasons: 'x' })).statusCode,
        ).toBe(403);
        expect(
          (await call('POST', url, t.operator, { outcome: 'record_removed', reasons: '' })).statusCode,
        ).toBe(400);
        const noCorrection = await call('POST', url, t.operator, {
          outcome: 'record_corrected',
          reasons: 'part paid',
        });
        expect(noCorrection.statusCode).toBe(400);
        expect(noCorrection.json().error.issues).toEqual([
          { field: 'correction', message: 'required for record_corrected' },
        ]);
        const res = await call('POST', url, t.operator, {
          outcome: 'record_corrected',
          reasons: 'Half the debt was paid before the listing',
          correction: { amount: 25_000 },
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          status: 'decided',
          record: { status: 'active', amount: 25_000 },
          // The operator's token stands for no one: its principal id is made unique (operator:test#1).
          decision: { outcome: 'record_corrected', decided_by: expect.stringMatching(/^operator:test#\d+$/) },
          appeal_window_ends: '2026-03-11',
          appealable: true,
        });
        expect(
          (await call('POST', url, t.operator, { outcome: 'record_removed', reasons: 'x' })).statusCode,
        ).toBe(409);
        expect(
          (
            await call('POST', '/v1/objections/999999/decision', t.operator, {
              outcome: 'record_removed',
              reasons: 'x',
            })
          ).statusCode,
        ).toBe(404);
      });

      it('one appeal by the subject, not by another; the subject sees no operator names', async () => {
        const url = `/v1/me/objections/${records.objection}/appeal`;
        expect((await call('POST', url, li, { reason: 'x' })).statusCode).toBe(404);
        const res = await call('POST', url, zhang, { reason: 'The whole debt was paid' });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          status: 'appealed',
          appeal: { due: '2026-03-16', decision: null },
        });
        expect(res.json().decision).not.toHaveProperty('decided_by');
        const twice = await call('POST', url, zhang, { reason: 'again' });
        expect(twice.statusCode).toBe(409);
        expect(twice.json().error.message).toContain('one appeal is allowed');
        const queue = await call('GET', '/v1/objections?status=appealed', t.operator);
        expect(queue.json().objections.map((o: { id: number }) => o.id)).toEqual([records.objection]);
      });
    });
  });
}
