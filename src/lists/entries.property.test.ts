import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EngineRecord,
  type EngineSubject,
  formatDay,
  parseDay,
  RECORD_STATUSES,
} from '../scoring/index.ts';
import { buildCheckIndex } from './check-index.ts';
import { computeEntries } from './entries.ts';
import { evaluateMeasure } from './evaluate.ts';
import { calendar, catalogue, lists, measures } from './test-helpers.ts';

// The record types any list rule names, plus a few unrelated ones.
const TYPES = [
  ...new Set([
    ...lists.lists.flatMap((l) => [
      ...l.enteredBy,
      ...(l.repeat?.types ?? []),
      ...l.requiresPositive,
      ...(l.extend?.when ?? []),
      ...l.exitOn,
    ]),
    'traffic.warning',
    'police.drunk_driving',
    'tax.arrears',
  ]),
];
const DAY0 = parseDay('2023-01-01');
const dayArb = fc.integer({ min: DAY0, max: DAY0 + 1400 });

const draftArb = fc.record({
  type: fc.constantFrom(...TYPES),
  day: dayArb,
  decidedLag: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  recordedLag: fc.integer({ min: 0, max: 200 }),
  evidence: fc.option(fc.constantFrom('E1', 'E2'), { nil: null }),
  status: fc.constantFrom(...RECORD_STATUSES, 'active', 'active', 'active'),
});
const subjectArb = fc.record({
  kind: fc.constantFrom('person' as const, 'organization' as const),
  birth: fc.option(fc.integer({ min: DAY0 - 30 * 365, max: DAY0 }), { nil: null }),
});

type Draft = typeof draftArb extends fc.Arbitrary<infer T> ? T : never;
type SubjectDraft = typeof subjectArb extends fc.Arbitrary<infer T> ? T : never;

const toRecords = (drafts: Draft[]): EngineRecord[] =>
  drafts.map((d, i) => ({
    id: i + 1,
    subjectId: 1,
    type: d.type,
    occurredAt: formatDay(d.day),
    decidedAt: d.decidedLag === null ? null : formatDay(d.day + d.decidedLag),
    recordedAt: new Date(
      (d.day + (d.decidedLag ?? 0) + d.recordedLag) * 86_400_000 + 3_600_000,
    ).toISOString(),
    amount: null,
    evidence: d.evidence,
    status: d.status,
  }));
const toSubject = (s: SubjectDraft): EngineSubject => ({
  id: 1,
  kind: s.kind,
  legalRepId: null,
  birthDate: s.kind === 'person' && s.birth !== null ? formatDay(s.birth) : null,
});

const runs = { numRuns: 150 };

describe('list entries (properties)', () => {
  it('are deterministic as of a day: input order and later records never change them', () => {
    fc.assert(
      fc.property(subjectArb, fc.array(draftArb, { maxLength: 25 }), dayArb, (s, drafts, asOfDay) => {
        const subject = toSubject(s);
        const records = toRecords(drafts);
        const asOf = formatDay(asOfDay);
        const once = computeEntries({ subject, records, lists, catalogue, calendar, asOf });
        const shuffled = computeEntries({
          subject,
          records: [...records].reverse(),
          lists,
          catalogue,
          calendar,
          asOf,
        });
        expect(shuffled).toEqual(once);
        // Records decided after the day, or learned of after it, make no difference.
        const known = records.filter(
          (r) => (r.decidedAt ?? r.occurredAt) <= asOf && r.recordedAt <= `${asOf}T23:59:59.999Z`,
        );
        expect(computeEntries({ subject, records: known, lists, catalogue, calendar, asOf })).toEqual(once);
      }),
      runs,
    );
  });

  it('never start before their reason record, and cite only records that count', () => {
    fc.assert(
      fc.property(subjectArb, fc.array(draftArb, { maxLength: 25 }), dayArb, (s, drafts, asOfDay) => {
        const records = toRecords(drafts);
        const asOf = formatDay(asOfDay);
        const byId = new Map(records.map((r) => [r.id, r]));
        for (const e of computeEntries({
          subject: toSubject(s),
          records,
          lists,
          catalogue,
          calendar,
          asOf,
        })) {
          const first = byId.get(e.reasonRecordIds[0]!)!;
          expect(e.from >= (first.decidedAt ?? first.occurredAt)).toBe(true);
          expect(e.until === null || e.until >= e.from || e.reason_code === 'CURED_IN_GRACE').toBe(true);
          for (const id of e.reasonRecordIds) {
            const r = byId.get(id)!;
            // Active, or disputed of a type that binds until corrected.
            if (r.status !== 'active') {
              expect(r.status).toBe('disputed');
              expect(catalogue.get(r.type)!.while_disputed).toBe('counted');
            }
          }
          if (e.status === 'active')
            expect(e.from <= asOf && (e.until === null || asOf < e.until)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('the check index answers as evaluateMeasure does', () => {
    fc.assert(
      fc.property(subjectArb, fc.array(draftArb, { maxLength: 25 }), dayArb, (s, drafts, asOfDay) => {
        const subject = toSubject(s);
        const asOf = formatDay(asOfDay);
        const entries = computeEntries({
          subject,
          records: toRecords(drafts),
          lists,
          catalogue,
          calendar,
          asOf,
        });
        const index = buildCheckIndex(new Map([[1, entries]]), measures, { asOf, subjects: [subject] });
        for (const m of measures.measures) {
          expect(index.check(1, m.code)).toEqual(
            evaluateMeasure({ measure: m, entries, subjectKind: subject.kind, asOf }),
          );
        }
      }),
      runs,
    );
  });
});
