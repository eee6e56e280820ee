import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { recordContentLine } from '../shared/audit-leaf.ts';
import { registerSource } from '../sources/index.ts';
import { ingestFile, ingestRecords, type LineOutcome, readCsv, readNdjson } from './index.ts';

const operator = { id: 'operator:test', role: 'operator' as const };
const clock = fixedClock('2026-03-01T10:00:00Z');

const person = (id_number = '360426199101010071', name = '张伟') => ({ kind: 'person', id_number, name });
const line = (over: Record<string, unknown> = {}) => ({
  source_record_id: 'c-1',
  type: 'court.contract_lawsuit_lost',
  subject: person(),
  occurred_at: '2025-05-01',
  decided_at: '2025-06-01',
  amount: 12000,
  evidence: '(2025)川0104民初123号',
  ...over,
});

const ndjson = (objs: unknown[]) =>
  Readable.from([objs.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n')]);

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('ingestion', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const ingest = async (objs: unknown[], source = 'court-a') => {
      const outcomes: LineOutcome[] = [];
      const summary = await ingestRecords({
        ctx: p.ctx(operator, 'test ingest'),
        input: {
          source,
          lines: readNdjson(ndjson(objs)),
          catalogue: p.catalogue,
          batchSize: 3,
          onLine: (o) => outcomes.push(o),
        },
      });
      return { summary, outcomes, rejected: outcomes.filter((o) => o.status === 'rejected') };
    };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock }));
      const ctx = p.ctx(operator, 'set up sources');
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'court-a', kind: 'court' } });
      await registerSource({
        ctx,
        catalogue: p.catalogue,
        input: { code: 'bank-a', kind: 'bank', types: ['bank.loan_overdue_month'] },
      });
    });
    afterAll(async () => cleanup?.());

    it('refuses to register a source whose name or legal basis names a protected category, naming the field', async () => {
      const ctx = p.ctx(operator, 'set up sources');
      for (const [field, extra] of [
        ['name', { name: '信訪 bureau of the district' }],
        ['legal_basis', { legalBasis: 'Regulations on Religious Affairs Art. 41' }],
      ] as const)
        await expect(
          registerSource({
            ctx,
            catalogue: p.catalogue,
            input: { code: `src-p-${field}`, kind: 'police', ...extra },
          }),
        ).rejects.toMatchObject({ code: 'protected_category', issues: [{ field }] });
      expect((await p.store.listSources()).map((s) => s.code)).not.toContain('src-p-name');
    });

    it('reports every bad line with its number, field and reason, and still stores the good ones', async () => {
      const { summary, outcomes } = await ingest([
        line({ source_record_id: 'g-1' }),
        '{"source_record_id": "x", "type": ',
        line({ source_record_id: 'b-2', type: 'court.no_such_type' }),
        line({ source_record_id: 'b-3', type: 'tax.arrears' }),
        line({ source_record_id: 'b-4', subject: person('360426199101010072') }),
        line({ source_record_id: 'b-5', occurred_at: undefined }),
        line({ source_record_id: 'b-6', occurred_at: '2026-03-02', decided_at: undefined }),
        line({
          source_record_id: 'b-7',
          subject: { kind: 'organization', uscc: '91110000600037341M', name: '某公司' },
        }),
        line({ source_record_id: 'b-8', colour: 'red' }),
        line({ source_record_id: 'b-9', occurred_at: '2025-02-30' }),
        line({ source_record_id: 'b-10', subject: { kind: 'alien', name: 'x' } }),
        line({ source_record_id: 'g-2', subject: person('11010519491231002X', '李娜') }),
      ]);
      expect(summary).toEqual({
        lines: 12,
        accepted: 2,
        duplicates: 0,
        corrected: 0,
        withdrawn: 0,
        rejected: 10,
      });
      const byLine = Object.fromEntries(
        outcomes.filter((o) => o.status === 'rejected').map((o) => [o.line, o]),
      );
      expect(byLine[2]).toMatchObject({ field: '(line)', reason: expect.stringMatching(/malformed JSON/) });
      expect(byLine[3]).toMatchObject({
        field: 'type',
        reason: expect.stringMatching(/unknown record type "court.no_such_type"/),
      });
      expect(byLine[4]).toMatchObject({
        field: 'type',
        reason: expect.stringMatching(/court source may not submit tax.arrears/),
      });
      expect(byLine[5]).toMatchObject({
        field: 'subject.id_number',
        reason: expect.stringMatching(/check character/),
      });
      expect(byLine[6]).toMatchObject({ field: 'occurred_at', reason: 'required field is missing' });
      expect(byLine[7]).toMatchObject({
        field: 'occurred_at',
        reason: expect.stringMatching(/in the future/),
      });
      expect(byLine[8]).toMatchObject({
        field: 'subject.uscc',
        reason: expect.stringMatching(/check character/),
      });
      expect(byLine[9]).toMatchObject({ field: 'colour', reason: expect.stringMatching(/unknown field/) });
      expect(byLine[10]).toMatchObject({
        field: 'occurred_at',
        reason: expect.stringMatching(/not a real calendar date/),
      });
      expect(byLine[11]).toMatchObject({ field: 'subject.kind' });
      const stored = await p.store.findSubjectByIdentifier('11010519491231002X');
      expect(stored).toMatchObject({ name: '李娜', birthDate: '1949-12-31', sex: 'female' });
    });

    it('refuses types the source was not registered for, and subject kinds a type does not apply to', async () => {
      const { rejected } = await ingest(
        [
          line({ source_record_id: 'k-1', type: 'bank.card_overdue_month', amount: 300 }),
          line({
            source_record_id: 'k-2',
            type: 'bank.loan_overdue_month',
            subject: { kind: 'public_body', uscc: '11100000000013127D', name: '某局' },
          }),
        ],
        'bank-a',
      );
      expect(rejected[0]).toMatchObject({
        line: 1,
        field: 'type',
        reason: expect.stringMatching(/not registered to submit/),
      });
      expect(rejected[1]).toMatchObject({ line: 2, field: 'subject.kind' });
    });

    it('refuses a listing, restriction or performance line without its case number, and keeps the others', async () => {
      const { summary, rejected } = await ingest([
        line({ source_record_id: 'cr-1', type: 'court.judgment_performed', evidence: null }),
        line({ source_record_id: 'cr-2', type: 'court.judgment_defaulter', evidence: '   ' }),
        line({ source_record_id: 'cr-3', type: 'court.consumption_restriction', evidence: undefined }),
        line({ source_record_id: 'cr-4', type: 'court.judgment_performed', evidence: '(2025)川0104执77号' }),
      ]);
      expect(summary).toMatchObject({ accepted: 1, rejected: 3 });
      expect(rejected.map((r) => [r.line, r.field])).toEqual([
        [1, 'evidence'],
        [2, 'evidence'],
        [3, 'evidence'],
      ]);
      expect(rejected[0]!.reason).toMatch(/court.judgment_performed must name its case/);
    });

    it("refuses a line naming a known person by another name: one person's conduct never lands in another's file", async () => {
      const id = '440524188001010014';
      const first = await ingest([line({ source_record_id: 'n-1', subject: person(id, '王芳') })]);
      expect(first.rejected).toEqual([]);
      const subjectId = (await p.store.findSubjectByIdentifier(id))!.id;
      const { rejected, summary } = await ingest([
        line({ source_record_id: 'n-2', subject: person(id, '张伟') }),
        // The same name written with a space or in full width is the same name.
        line({ source_record_id: 'n-3', subject: person(id, '王 芳') }),
      ]);
      expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
      expect(rejected).toEqual([
        expect.objectContaining({
          line: 1,
          field: 'subject.name',
          reason: expect.stringMatching(
            /does not match the name on file for identity number 440524188001010014/,
          ),
        }),
      ]);
      // The refusal does not tell the source the name on file.
      expect(JSON.stringify(rejected)).not.toContain('王芳');
      const held = (await p.store.listRecordsForSubject(subjectId)).map((r) => r.sourceRecordId);
      expect(held.sort()).toEqual(['n-1', 'n-3']);
    });

    it('is idempotent: the same file twice stores each record once and says so', async () => {
      const file = [1, 2, 3, 4, 5].map((i) => line({ source_record_id: `idem-${i}` }));
      const first = await ingest(file);
      const second = await ingest(file);
      expect(first.summary).toMatchObject({ accepted: 5, duplicates: 0 });
      expect(second.summary).toMatchObject({ accepted: 0, duplicates: 5 });
      const s = await p.store.findSubjectByIdentifier('360426199101010071');
      const recs = await p.store.listRecordsForSubject(s!.id);
      expect(recs.filter((r) => r.sourceRecordId.startsWith('idem-'))).toHaveLength(5);
    });

    it('accepts CSV with the same column names', async () => {
      const csv = [
        'source_record_id,type,subject.kind,subject.id_number,subject.name,occurred_at,amount',
        'csv-1,court.contract_lawsuit_lost,person,440524188001010014,王芳,2024-01-02,500',
        'csv-2,court.contract_lawsuit_lost,person,440524188001010015,王芳,2024-01-02,500',
      ].join('\n');
      const outcomes: LineOutcome[] = [];
      const s = await ingestRecords({
        ctx: p.ctx(operator, 'csv'),
        input: {
          source: 'court-a',
          lines: readCsv(Readable.from([csv])),
          catalogue: p.catalogue,
          onLine: (o) => outcomes.push(o),
        },
      });
      expect(s).toMatchObject({ accepted: 1, rejected: 1 });
      expect(outcomes[1]).toMatchObject({ line: 3, status: 'rejected', field: 'subject.id_number' });
    });

    it('audits a file ingested on the checking thread with a digest anyone recomputes from the stored records', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'credence-ingest-file-'));
      try {
        const file = join(dir, 'records.ndjson');
        const P = '11010519491231002X';
        const objs = [
          line({ source_record_id: 'f-1', note: '备注 "quoted" \\ back' }),
          line({ source_record_id: 'f-2', subject: person(P, '李娜'), amount: 0.5, decided_at: null }),
          line({ source_record_id: 'f-3', evidence: null }),
        ];
        writeFileSync(file, `${objs.map((o) => JSON.stringify(o)).join('\n')}\n`);
        const ctx = p.ctx(operator, 'test ingest');
        const summary = await ingestFile({
          ctx,
          input: { source: 'court-a', file, format: 'ndjson', catalogue: p.catalogue },
        });
        expect(summary).toMatchObject({ accepted: 3, rejected: 0 });
        const s1 = (await p.store.findSubjectByIdentifier('360426199101010071'))!;
        const s2 = (await p.store.findSubjectByIdentifier(P))!;
        const stored = [
          ...(await p.store.listRecordsForSubject(s1.id)),
          ...(await p.store.listRecordsForSubject(s2.id)),
        ]
          .filter((r) => r.sourceRecordId.startsWith('f-'))
          .sort((a, b) => a.id - b.id);
        const digest = createHash('sha256');
        for (const r of stored) digest.update(recordContentLine(r));
        const entry = (await p.store.listAuditForSubject(s2.id, 5)).find(
          (e) => e.action === 'records.create',
        );
        expect(JSON.parse(entry!.detail!)).toMatchObject({ records: 3, sha256: digest.digest('hex') });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an unknown source and a source submitting for another', async () => {
      await expect(ingest([line()], 'nobody')).rejects.toMatchObject({ code: 'not_found' });
      const asBank = ingestRecords({
        ctx: p.ctx({ id: 'source:bank-a', role: 'source', ref: 'bank-a' }, 'x'),
        input: { source: 'court-a', lines: [], catalogue: p.catalogue },
      });
      await expect(asBank).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}
