import { describe, expect, it } from 'vitest';
import { evaluateMeasure } from './evaluate.ts';
import { entriesOf, measures, organization, person, record } from './test-helpers.ts';

const measure = (code: string) => measures.byCode.get(code)!;

describe('whether a measure applies', () => {
  const defaulter = () => record('court.judgment_defaulter', '2025-03-03', { evidence: 'E-1' });

  it('restrict.air_travel applies to a listed person, with the reason, list and period', () => {
    const entries = entriesOf(person(), [defaulter()], '2025-04-01');
    expect(
      evaluateMeasure({
        measure: measure('restrict.air_travel'),
        entries,
        subjectKind: 'person',
        asOf: '2025-04-01',
      }),
    ).toEqual({
      applies: true,
      measure: 'restrict.air_travel',
      reason_code: 'LISTED_COURT_DEFAULTER',
      list: 'black.court_defaulters',
      from: '2025-03-03',
      until: '2027-03-03',
      // Without recomputeLists there is no case reference on the entry.
      case_reference: null,
    });
  });

  it('does not apply to a clean person, nor during the grace period, and says nothing more', () => {
    const clean = evaluateMeasure({
      measure: measure('restrict.air_travel'),
      entries: entriesOf(person(), [record('traffic.warning', '2025-01-01')], '2025-04-01'),
      subjectKind: 'person',
      asOf: '2025-04-01',
    });
    expect(clean).toEqual({
      applies: false,
      measure: 'restrict.air_travel',
      reason_code: 'NOT_APPLICABLE',
      list: null,
      from: null,
      until: null,
      case_reference: null,
    });
    // A court listing binds from its decision day; a pending entry (a platform-derived list in
    // its grace period) binds nothing, here made by hand.
    const inGrace = entriesOf(person(), [defaulter()], '2025-03-05').map((e) => ({
      ...e,
      status: 'pending' as const,
      reason_code: 'GRACE_PERIOD',
      from: '2025-03-13',
    }));
    expect(
      evaluateMeasure({
        measure: measure('restrict.high_speed_rail'),
        entries: inGrace,
        subjectKind: 'person',
        asOf: '2025-03-05',
      }),
    ).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
  });

  it('a performance record or a corrected record lifts the measure at the next check', () => {
    const r = defaulter();
    const asOf = '2025-06-10';
    const check = (records: ReturnType<typeof record>[]) =>
      evaluateMeasure({
        measure: measure('restrict.public_procurement'),
        entries: entriesOf(person(), records, asOf),
        subjectKind: 'person',
        asOf,
      }).applies;
    expect(check([r])).toBe(true);
    expect(check([r, record('court.judgment_performed', asOf, { evidence: 'E-1' })])).toBe(false);
    expect(check([{ ...r, status: 'corrected' }])).toBe(false);
  });

  it("binds a listed organization's legal representative where the basis says so", () => {
    const orgEntries = entriesOf(organization(2, 1), [{ ...defaulter(), subjectId: 2 }], '2025-04-01');
    const input = {
      entries: [],
      subjectKind: 'person' as const,
      asOf: '2025-04-01',
      represented: [{ role: 'legal_representative' as const, entries: orgEntries }],
    };
    expect(evaluateMeasure({ measure: measure('restrict.air_travel'), ...input })).toMatchObject({
      applies: true,
      reason_code: 'BINDS_LEGAL_REPRESENTATIVE',
      list: 'black.court_defaulters',
    });
    // Procurement bars bind nobody but the listed subject.
    expect(evaluateMeasure({ measure: measure('restrict.public_procurement'), ...input }).applies).toBe(
      false,
    );
  });

  it('reward.green_channel applies to a red-listed organization', () => {
    const entries = entriesOf(organization(1), [record('tax.a_grade_taxpayer', '2025-04-01')], '2025-05-01');
    expect(
      evaluateMeasure({
        measure: measure('reward.green_channel'),
        entries,
        subjectKind: 'organization',
        asOf: '2025-05-01',
      }),
    ).toEqual({
      applies: true,
      measure: 'reward.green_channel',
      reason_code: 'RED_LIST_A_GRADE_TAXPAYER',
      list: 'red.a_grade_taxpayers',
      from: '2025-04-01',
      until: '2026-04-01',
      case_reference: null,
    });
  });

  it('grade-triggered rewards need the grade, and a measure skips subject kinds it does not cover', () => {
    const m = measure('reward.deposit_free');
    const base = { measure: m, entries: [], subjectKind: 'person' as const, asOf: '2025-05-01' };
    expect(evaluateMeasure({ ...base, score: { grade: 'AAA' } })).toMatchObject({
      applies: true,
      reason_code: 'GRADE_AT_LEAST_AA',
    });
    expect(evaluateMeasure({ ...base, score: { grade: 'A' } })).toMatchObject({
      applies: false,
      reason_code: 'NOT_APPLICABLE',
    });
    expect(evaluateMeasure(base)).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
    const entries = entriesOf(organization(1), [defaulter()], '2025-04-01');
    expect(
      evaluateMeasure({
        measure: measure('restrict.soe_executive'),
        entries,
        subjectKind: 'organization',
        asOf: '2025-04-01',
      }),
    ).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
  });
});
