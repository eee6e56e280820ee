/**
 * A person's objection to a binding over HTTP: the binding's number is in the person's own file,
 * another's is a 404 (as one that does not exist), a second objection a 409; the file shows it
 * disputed; the operator's queue shows it as a binding, refuses days in the future and removes it,
 * and the person's file then shows no binding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { callAs, registerSource, startTestApp, type TestApp, tokenFor } from './test-app.ts';

const WANG = '360426199101010071';
const LI = '11010519491231002X';
const ORG = '91110000600037341L';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('objections to bindings over HTTP', backend), () => {
    let t: TestApp;
    let wang: string;
    let li: string;
    let operator: string;
    const call = (method: 'GET' | 'POST', url: string, who: string, payload?: unknown) =>
      callAs(t, method, url, who, payload);

    beforeAll(async () => {
      t = await startTestApp({ backend });
      const samr = await registerSource(t, 'binding-samr', 'market_regulator');
      const res = await call('POST', '/v1/records', samr, [
        {
          source_record_id: 'warn-1',
          type: 'market.administrative_warning',
          subject: {
            kind: 'organization',
            uscc: ORG,
            name: '某某公司',
            legal_representative: { id_number: WANG, name: '王磊' },
          },
          occurred_at: '2025-01-02',
        },
        {
          source_record_id: 'warn-2',
          type: 'market.administrative_warning',
          subject: { kind: 'person', id_number: LI, name: '李娜' },
          occurred_at: '2025-01-02',
        },
      ]);
      expect(res.statusCode).toBeLessThan(300);
      wang = await tokenFor(t, 'subject', WANG);
      li = await tokenFor(t, 'subject', LI);
      operator = await tokenFor(t, 'operator');
    });
    afterAll(async () => t.close());

    it('shows the organization its representative by name and masked ID number only', async () => {
      const org = await tokenFor(t, 'subject', ORG);
      const file = (await call('GET', '/v1/me', org)).json();
      expect(file.bindings).toEqual([
        expect.objectContaining({
          role: 'legal_representative',
          name: '王磊',
          identifier: `${WANG.slice(0, 10)}****${WANG.slice(14)}`,
        }),
      ]);
      expect(JSON.stringify(file)).not.toContain(WANG);
    });

    it('masks them too in the organization’s file and score read by itself; an operator sees them whole', async () => {
      const org = await tokenFor(t, 'subject', ORG);
      const masked = `${WANG.slice(0, 10)}****${WANG.slice(14)}`;
      const file = await call('GET', `/v1/subjects/${ORG}`, org);
      const score = await call('GET', `/v1/subjects/${ORG}/score`, org);
      expect([file.statusCode, score.statusCode]).toEqual([200, 200]);
      expect(file.json().legal_representative).toEqual({ identifier: masked, name: '王磊' });
      expect(file.json().bindings).toEqual([expect.objectContaining({ name: '王磊', identifier: masked })]);
      expect(score.json().bindings).toEqual([expect.objectContaining({ name: '王磊', identifier: masked })]);
      expect(file.body).not.toContain(WANG);
      expect(score.body).not.toContain(WANG);

      const asOperator = (url: string) =>
        t.app.inject({ url, headers: { authorization: `Bearer ${operator}`, 'x-purpose': 'review' } });
      const opFile = (await asOperator(`/v1/subjects/${ORG}`)).json();
      const opScore = (await asOperator(`/v1/subjects/${ORG}/score`)).json();
      expect(opFile.legal_representative).toEqual({ identifier: WANG, name: '王磊' });
      expect(opFile.bindings[0].identifier).toBe(WANG);
      expect(opScore.bindings[0].identifier).toBe(WANG);
    });

    it('files, refuses another’s and a second one, shows it disputed, and removes it on decision', async () => {
      const file = (await call('GET', '/v1/me', wang)).json();
      expect(file.bindings).toEqual([
        expect.objectContaining({
          role: 'legal_representative',
          identifier: ORG,
          disputed: false,
          objection_id: null,
        }),
      ]);
      const id = file.bindings[0].id as number;
      const reason = { reason: 'I never represented this company; my identity card was stolen' };

      const others = await call('POST', `/v1/me/bindings/${id}/objections`, li, reason);
      const none = await call('POST', '/v1/me/bindings/987654/objections', li, reason);
      expect([others.statusCode, none.statusCode]).toEqual([404, 404]);
      expect(others.json().error.message).toBe(`no binding ${id} in your file`);
      expect(none.json().error.message).toBe('no binding 987654 in your file');

      const filed = await call('POST', `/v1/me/bindings/${id}/objections`, wang, reason);
      expect(filed.statusCode).toBe(201);
      const objection = filed.json();
      expect(objection).toMatchObject({
        kind: 'binding',
        status: 'pending',
        record: null,
        binding: {
          id,
          role: 'legal_representative',
          organization: { identifier: ORG },
          source: 'binding-samr',
        },
        counts_while_pending: true,
      });
      const again = await call('POST', `/v1/me/bindings/${id}/objections`, wang, reason);
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toContain(`objection #${objection.id}`);
      expect((await call('GET', '/v1/me', wang)).json().bindings[0]).toMatchObject({
        id,
        disputed: true,
        objection_id: objection.id,
      });

      const queue = (await call('GET', '/v1/objections', operator)).json();
      expect(queue.objections.map((o: { id: number; kind: string }) => [o.id, o.kind])).toContainEqual([
        objection.id,
        'binding',
      ]);
      const future = await call('POST', `/v1/objections/${objection.id}/decision`, operator, {
        outcome: 'binding_corrected',
        reasons: 'the register shows he left',
        binding_correction: { valid_until: '2099-01-01' },
      });
      expect(future.statusCode).toBe(400);
      expect(future.json().error.message).toMatch(/after today/);
      const removed = await call('POST', `/v1/objections/${objection.id}/decision`, operator, {
        outcome: 'binding_removed',
        reasons: 'the registration file names another person',
      });
      expect(removed.statusCode).toBe(200);
      expect(removed.json()).toMatchObject({ status: 'decided', decision: { outcome: 'binding_removed' } });
      expect(removed.json().binding.withdrawn_at).not.toBeNull();
      expect((await call('GET', '/v1/me', wang)).json().bindings).toEqual([]);
      const mine = (await call('GET', '/v1/me/objections', wang)).json().objections;
      expect(mine).toEqual([expect.objectContaining({ id: objection.id, kind: 'binding' })]);
    });
  });
}
