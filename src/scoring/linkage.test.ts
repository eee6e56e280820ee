import { describe, expect, it } from 'vitest';
import { computeEntries } from '../lists/index.ts';
import { calendar } from '../lists/test-helpers.ts';
import type { BindingRow } from '../store/index.ts';
import { buildColumns, linkedRecords, linksOf, rescoreAll, scoreSubject } from './index.ts';
import { catalogue, lists, organization, person, policy, record } from './test-helpers.ts';

const ORG = 10;
const orgRecord = (type: string, day: string, extra = {}) => record(type, day, { subjectId: ORG, ...extra });

describe('linkage by the binding in force on the day of the act', () => {
  it("counts an organization's serious act only for the person bound on its day", () => {
    const fraud = orgRecord('tax.invoice_fraud', '2025-03-01', { evidence: 'T-1' });
    const links = [
      { organizationId: ORG, personId: 1, from: null, until: '2025-06-01' },
      { organizationId: ORG, personId: 2, from: '2025-06-01', until: null },
    ];
    expect(linkedRecords(links.slice(0, 1), [fraud])).toEqual([fraud]);
    expect(linkedRecords(links.slice(1), [fraud])).toEqual([]);
    // The full rescoring links by the same periods.
    const cols = buildColumns([fraud], catalogue);
    const subjects = [person(1), person(2), organization(ORG, 2)];
    const res = rescoreAll(cols, subjects, policy, catalogue, '2025-07-01', { links });
    expect(res.scores[0]).toBeLessThan(1000);
    expect(res.scores[1]).toBe(1000);
    // Without periods, the organization's current representative (2) would take it.
    const current = rescoreAll(cols, subjects, policy, catalogue, '2025-07-01');
    expect(current.scores[1]).toBeLessThan(1000);
  });

  it('does not grade a person for the act for which the organization it represented is listed', () => {
    const own = record('court.judgment_defaulter', '2025-03-01', { evidence: '(2025)京0105执1号' });
    const orgs = orgRecord('court.judgment_defaulter', '2025-03-01', { evidence: '(2025)京0105执1号' });
    const other = orgRecord('court.judgment_defaulter', '2025-03-01', { evidence: '(2025)京0105执2号' });
    const asOf = '2025-06-01';
    const score = (linked: (typeof own)[]) =>
      scoreSubject({ subject: person(1), records: [own], linkedRecords: linked, policy, catalogue, asOf });
    expect(score([]).grade).toMatch(/^D/);
    expect(score([orgs]).grade).toBe('A');
    expect(score([other]).grade).toMatch(/^D/);
    // The lists engine agrees: the person is not listed for that act.
    const entries = computeEntries({
      subject: person(1),
      records: [own],
      organizationsRepresented: [{ subject: organization(ORG, 1), records: [orgs] }],
      lists,
      catalogue,
      calendar,
      asOf,
    });
    expect(entries.find((e) => e.list === 'black.court_defaulters')).toMatchObject({
      status: 'ended',
      reason_code: 'REPRESENTATIVE_NOT_DOUBLE_LISTED',
    });
  });
  it('a first binding on file holds from the day it was recorded, never before (in the platform zone)', () => {
    // The organization evaded tax on 2025-03-01; a registry import of 2026-06-10 names the person.
    const evasion = orgRecord('tax.serious_evasion', '2025-03-01', { evidence: 'T-7' });
    const later = orgRecord('tax.invoice_fraud', '2026-06-10', { evidence: 'T-8' });
    const row: BindingRow = {
      id: 1,
      organizationId: ORG,
      personId: 1,
      role: 'legal_representative',
      validFrom: null,
      validUntil: null,
      sourceId: null,
      // 01:30 on 10 June in Beijing, still 9 June in UTC.
      recordedAt: '2026-06-09T17:30:00.000Z',
      disputedBy: null,
      suspended: false,
      withdrawnAt: null,
      withdrawnReason: null,
    };
    const links = linksOf([row]);
    expect(links).toEqual([{ organizationId: ORG, personId: 1, from: '2026-06-10', until: null }]);
    expect(linksOf([row], 'UTC')[0]!.from).toBe('2026-06-09');
    expect(linkedRecords(links, [evasion, later])).toEqual([later]);
    const cols = buildColumns([evasion], catalogue);
    const subjects = [person(1, '1980-01-01'), organization(ORG, 1)];
    const res = rescoreAll(cols, subjects, policy, catalogue, '2026-06-20', { links, keyFactors: true });
    expect(res.scores[0]).toBe(1000);
    expect(res.grades[0]).toBe(2); // A
    expect(Number.isNaN(res.keyFactors!.recordIds[0]!)).toBe(true);
  });

  it('never links an act of a day before the person was 18 (29 February birthdays counted right)', () => {
    const before = orgRecord('tax.serious_evasion', '2025-03-01', { evidence: 'T-1' });
    const eve = orgRecord('tax.invoice_fraud', '2025-12-31', { evidence: 'T-2' });
    const birthday = orgRecord('bank.loan_fraud', '2026-01-01', { evidence: 'T-3' });
    const always = [{ organizationId: ORG, personId: 1, from: null, until: null }];
    expect(linkedRecords(always, [before, eve, birthday], '2008-01-01')).toEqual([birthday]);
    // Every path that scores a person drops them: given linked records, or links with periods.
    const direct = scoreSubject({
      subject: person(1, '2008-01-01'),
      records: [],
      linkedRecords: [before, eve, birthday],
      policy,
      catalogue,
      asOf: '2026-06-10',
    });
    expect(direct.breakdown.map((c) => c.recordId)).toEqual([birthday.id]);
    expect(direct.score).toBe(900);
    const cols = buildColumns([before, eve, birthday], catalogue);
    const subjects = [person(1, '2008-01-01'), organization(ORG, 1)];
    expect(rescoreAll(cols, subjects, policy, catalogue, '2026-06-10', { links: always }).scores[0]).toBe(
      900,
    );
    expect(rescoreAll(cols, subjects, policy, catalogue, '2026-06-10').scores[0]).toBe(900);
    // Born on 29 February 2008: 18 on 1 March 2026, not on 28 February.
    const feb28 = orgRecord('tax.serious_evasion', '2026-02-28', { evidence: 'T-4' });
    const mar1 = orgRecord('tax.invoice_fraud', '2026-03-01', { evidence: 'T-5' });
    expect(linkedRecords(always, [feb28, mar1], '2008-02-29')).toEqual([mar1]);
    const leap = scoreSubject({
      subject: person(1, '2008-02-29'),
      records: [],
      linkedRecords: [feb28, mar1],
      policy,
      catalogue,
      asOf: '2026-06-10',
    });
    expect(leap.breakdown.map((c) => c.recordId)).toEqual([mar1.id]);
  });

  it("links organizations' sanctions, never a type for public bodies only: a public body's record never reaches its official", () => {
    const unperformed = record('gov.judgment_unperformed', '2025-03-01', { subjectId: 70, evidence: 'G-1' });
    const r = scoreSubject({
      subject: person(1),
      records: [],
      linkedRecords: [unperformed],
      policy,
      catalogue,
      asOf: '2025-06-01',
    });
    expect(r).toMatchObject({ score: 1000, grade: 'A', breakdown: [] });
    expect(r.domains.government).toBe(1000);
    // An organization's sanction counts for its representative, also of a type for organizations only
    // (REFERENCE: "organization sanctions also count for the legal representative").
    const arrears = orgRecord('employer.serious_wage_arrears', '2025-03-01', { evidence: 'W-1' });
    const evasion = orgRecord('tax.serious_evasion', '2025-03-01', { evidence: 'T-1' });
    const both = scoreSubject({
      subject: person(1),
      records: [],
      linkedRecords: [arrears, evasion],
      policy,
      catalogue,
      asOf: '2025-06-01',
    });
    expect(both.breakdown.map((c) => c.recordId).sort()).toEqual([arrears.id, evasion.id].sort());
  });

  it("grades neither kind of the organization's court listing on its representative", () => {
    for (const type of ['court.judgment_defaulter', 'court.judgment_defaulter_refusing']) {
      const listed = orgRecord(type, '2025-03-01', { evidence: '(2025)京0105执9号' });
      const r = scoreSubject({
        subject: person(1),
        records: [],
        linkedRecords: [listed],
        policy,
        catalogue,
        asOf: '2025-06-01',
      });
      expect(r, type).toMatchObject({ score: 1000, grade: 'A', breakdown: [] });
    }
  });
});
