import { describe, expect, it } from 'vitest';
import { parseDay } from '../scoring/index.ts';
import { buildCheckIndex } from './check-index.ts';
import { evaluateMeasure } from './evaluate.ts';
import { entriesOf, measures, organization, person, record } from './test-helpers.ts';

const ASOF = '2025-06-01';

describe('the check index', () => {
  const defaulter = (subjectId: number, evidence = `E-${subjectId}`) =>
    record('court.judgment_defaulter', '2025-03-03', { subjectId, evidence });
  const subjects = [person(1), person(2), organization(3, 2), person(4), organization(5)];
  const entries = new Map([
    [1, entriesOf(person(1), [defaulter(1)], ASOF)],
    [3, entriesOf(organization(3, 2), [defaulter(3)], ASOF)],
    // A court listing takes effect on its decision day, so a pending entry (a platform-derived
    // list's grace period) is made by hand here, to test the index's mechanism.
    [
      4,
      entriesOf(person(4), [record('court.judgment_defaulter', '2025-05-28', { subjectId: 4 })], ASOF).map(
        (e) => ({
          ...e,
          status: 'pending' as const,
          reason_code: 'GRACE_PERIOD',
          noticeFrom: '2025-05-28',
          from: '2025-06-07',
        }),
      ),
    ],
    [5, entriesOf(organization(5), [record('tax.a_grade_taxpayer', '2025-04-01', { subjectId: 5 })], ASOF)],
  ]);
  const index = buildCheckIndex(entries, measures, {
    asOf: ASOF,
    subjects,
    grades: new Map([[2, 'AAA' as const]]),
  });

  it('answers every subject and measure as evaluateMeasure does', () => {
    for (const s of subjects) {
      const represented =
        s.kind === 'person'
          ? subjects
              .filter((o) => o.kind === 'organization' && o.legalRepId === s.id)
              .map((o) => ({ role: 'legal_representative' as const, entries: entries.get(o.id) ?? [] }))
          : [];
      for (const m of measures.measures) {
        const expected = evaluateMeasure({
          measure: m,
          entries: entries.get(s.id) ?? [],
          subjectKind: s.kind,
          asOf: ASOF,
          represented,
          ...(s.id === 2 ? { score: { grade: 'AAA' as const } } : {}),
        });
        expect(index.check(s.id, m.code), `${s.id} ${m.code}`).toEqual(expected);
      }
    }
  });

  it('tells the relying party when the entry that applies rests on a record under objection', () => {
    const contested = entriesOf(person(1), [defaulter(1)], ASOF).map((e) => ({ ...e, contested: true }));
    const idx = buildCheckIndex(new Map([[1, contested]]), measures, { asOf: ASOF, subjects });
    expect(idx.check(1, 'restrict.air_travel')).toMatchObject({ applies: true, contested: true });
    // Once decided (confirmed), the flag goes with the next computation.
    idx.setSubject(1, entriesOf(person(1), [defaulter(1)], ASOF));
    expect(idx.check(1, 'restrict.air_travel')).not.toHaveProperty('contested');
    expect(index.check(1, 'restrict.air_travel')).not.toHaveProperty('contested');
  });

  it('binds the legal representative of a listed organization', () => {
    expect(index.check(2, 'restrict.air_travel')).toMatchObject({
      applies: true,
      reason_code: 'BINDS_LEGAL_REPRESENTATIVE',
      list: 'black.court_defaulters',
    });
  });

  it('a pending entry starts applying on its effective day without a rebuild', () => {
    const m = index.measureIndex('restrict.air_travel');
    expect(index.applies(4, m)).toBe(false);
    expect(index.applies(4, m, parseDay('2025-06-07'))).toBe(true);
  });

  it('a performance record lifts the measure as soon as the subject is updated', () => {
    const m = index.measureIndex('restrict.air_travel');
    expect(index.applies(1, m)).toBe(true);
    const performed = record('court.judgment_performed', ASOF, { subjectId: 1, evidence: 'E-1' });
    index.setSubject(1, entriesOf(person(1), [defaulter(1), performed], ASOF));
    expect(index.check(1, m)).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
  });

  it('checks a batch into a flag array, and unknown measures give no answer', () => {
    const ids = new Float64Array([1, 2, 3, 4, 5, 99]);
    const out = new Uint8Array(ids.length);
    const n = index.checkMany(ids, index.measureIndex('restrict.public_procurement'), out);
    expect([...out]).toEqual([0, 0, 1, 0, 0, 0]);
    expect(n).toBe(1);
    expect(index.measureIndex('restrict.nothing')).toBe(-1);
    expect(index.check(1, 'restrict.nothing')).toBeUndefined();
  });

  it('grows past its first capacity', () => {
    const many = new Map<number, ReturnType<typeof entriesOf>>();
    const listed = entriesOf(person(1), [defaulter(1)], ASOF);
    for (let id = 1; id <= 3000; id++) many.set(id, id % 3 === 0 ? listed : []);
    const big = buildCheckIndex(many, measures.measures, { asOf: ASOF });
    const m = big.measureIndex('restrict.air_travel');
    expect(big.size).toBe(3000);
    expect(big.applies(2999, m)).toBe(false);
    expect(big.applies(3000, m)).toBe(true);
  });
});
