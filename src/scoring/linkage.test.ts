import { describe, expect, it } from 'vitest';
import { computeEntries } from '../lists/index.ts';
import { buildColumns, linkedRecords, rescoreAll, scoreSubject } from './index.ts';
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
      asOf,
    });
    expect(entries.find((e) => e.list === 'black.court_defaulters')).toMatchObject({
      status: 'ended',
      reason_code: 'REPRESENTATIVE_NOT_DOUBLE_LISTED',
    });
  });
});
