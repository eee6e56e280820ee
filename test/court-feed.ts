/**
 * A court's feed for tests: registers a court source and returns a function that ingests record
 * lines through the real path, refreshing scores, list entries and notifications after each batch.
 */
import type { Principal } from '../src/context.ts';
import { ingestRecords } from '../src/ingest/index.ts';
import type { Platform } from '../src/platform/index.ts';
import { registerSource } from '../src/sources/index.ts';

const clerk: Principal = { id: 'operator:court-feed', role: 'operator' };

export const courtFeed = async (p: Platform, code: string) => {
  await registerSource({
    ctx: p.ctx(clerk, 'set up'),
    catalogue: p.catalogue,
    input: { code, kind: 'court' },
  });
  let n = 0;
  return (lines: object[]) =>
    ingestRecords({
      ctx: p.ctx(clerk, 'court feed'),
      input: {
        source: code,
        catalogue: p.catalogue,
        lines: lines.map((value) => ({ line: ++n, value })),
        afterBatch: async (ids) => {
          await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
        },
      },
    });
};

/** A person listed as a dishonest judgment defaulter (decided 2025-06-01, 80,000 yuan). */
export const defaulterRecord = (sourceRecordId: string, idNumber: string, name = '张伟') => ({
  source_record_id: sourceRecordId,
  type: 'court.judgment_defaulter',
  subject: { kind: 'person', id_number: idNumber, name },
  occurred_at: '2025-05-01',
  decided_at: '2025-06-01',
  amount: 80000,
  evidence: '(2025)赣0426执100号',
});

/** The performance of that judgment (2026-02-20), which ends the listing. */
export const performedRecord = (sourceRecordId: string, idNumber: string, name = '张伟') => ({
  ...defaulterRecord(sourceRecordId, idNumber, name),
  type: 'court.judgment_performed',
  occurred_at: '2026-02-20',
  decided_at: '2026-02-20',
});
