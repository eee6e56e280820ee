import { describe, expect, it } from 'vitest';
import { isMinorOn as identityMinor } from '../identity/index.ts';
import { addMonths, formatDay, isMinorOn, parseDay } from '../scoring/index.ts';
import { computeEntries } from './entries.ts';
import { parseListPolicy } from './list-policy.ts';
import {
  calendar,
  catalogue,
  entriesOf,
  lists,
  listsText,
  listsWithGraceList,
  on,
  organization,
  person,
  record,
} from './test-helpers.ts';

const COURT = 'black.court_defaulters';
const plusDays = (day: string, n: number) => formatDay(parseDay(day) + n);
const plusMonths = (day: string, n: number) => formatDay(addMonths(parseDay(day), n));

describe('the court list of judgment defaulters', () => {
  const decided = '2025-03-03';
  const defaulter = () => record('court.judgment_defaulter', decided, { evidence: 'E-2025-1' });
  // A court's listing takes effect on its decision day: the platform adds no grace period.
  const effect = decided;

  it('a court listing takes effect on the decision day, for two years', () => {
    const r = defaulter();
    expect(on(entriesOf(person(), [r], plusDays(decided, -1)), COURT)).toEqual([]);
    const [active] = on(entriesOf(person(), [r], decided), COURT);
    expect(active).toMatchObject({
      status: 'active',
      reason_code: 'LISTED_COURT_DEFAULTER',
      from: decided,
      until: plusMonths(decided, 24),
      noticeFrom: null,
      reasonRecordIds: [r.id],
    });
    expect(active!.note).toContain(decided);
    expect(lists.byCode.get(COURT)).toMatchObject({ graceDays: 0, decidedBy: 'authority' });
  });

  it('performance after the listing took effect lifts it that day, deleted within 3 working days', () => {
    const r = defaulter();
    const performed = record('court.judgment_performed', '2025-06-06', { evidence: 'E-2025-1' }); // a Friday
    const [before] = on(entriesOf(person(), [r, performed], '2025-06-05'), COURT);
    expect(before!.status).toBe('active');
    const [after] = on(entriesOf(person(), [r, performed], '2025-06-06'), COURT);
    expect(after).toMatchObject({
      status: 'ended',
      reason_code: 'PERFORMED',
      from: effect,
      until: '2025-06-06',
      deleteBy: '2025-06-11', // Mon, Tue, Wed
    });
    expect(after!.reasonRecordIds).toEqual([r.id, performed.id]);
  });

  it('the deletion deadline skips public holidays and counts make-up working days', () => {
    const r = record('court.judgment_defaulter', '2025-06-01', { evidence: 'E-2025-1' });
    // Wednesday 2026-09-30, the eve of National Day (1–7 October); Saturday 10 October is worked.
    const performed = record('court.judgment_performed', '2026-09-30', { evidence: 'E-2025-1' });
    const [after] = on(entriesOf(person(), [r, performed], '2026-09-30'), COURT);
    // Thursday 8, Friday 9 and Saturday 10 October, not 1, 2 and 5 October (weekends only).
    expect(after).toMatchObject({ status: 'ended', until: '2026-09-30', deleteBy: '2026-10-10' });
    expect(after!.note).toContain('its publication is deleted by 2026-10-10');
  });

  it('settlement, withdrawal and the end of enforcement each end the listing of their case', () => {
    for (const type of [
      'court.settlement_reached',
      'court.listing_withdrawn',
      'court.enforcement_terminated',
    ]) {
      const r = defaulter();
      const exit = record(type, '2025-06-06', { evidence: 'E-2025-1' });
      const [after] = on(entriesOf(person(), [r, exit], '2025-06-06'), COURT);
      expect(after).toMatchObject({ status: 'ended', until: '2025-06-06' });
    }
  });

  it('a performance ends only the listing of its own case; one without a case number ends none', () => {
    const r = defaulter();
    const other = record('court.judgment_performed', '2025-05-01', { evidence: 'E-2025-99' });
    const bare = record('court.judgment_performed', '2025-05-02');
    const [entry] = on(entriesOf(person(), [r, other, bare], '2025-06-01'), COURT);
    expect(entry).toMatchObject({ status: 'active', until: plusMonths(decided, 24) });
  });

  it('a person with two listed cases stays listed after performing one and is lifted after the second', () => {
    const a = defaulter();
    const b = record('court.judgment_defaulter', '2025-04-01', { evidence: 'E-2025-2' });
    const performedA = record('court.judgment_performed', '2025-05-01', { evidence: 'E-2025-1' });
    const performedB = record('court.judgment_performed', '2025-07-01', { evidence: 'E-2025-2' });
    const records = [a, b, performedA, performedB];
    const [one] = on(entriesOf(person(), records, '2025-05-02'), COURT);
    expect(one).toMatchObject({ status: 'active', from: decided, reasonRecordIds: [a.id, b.id] });
    // The second case keeps the subject listed for its own two years.
    expect(one!.until).toBe(plusMonths('2025-04-01', 24));
    const [both] = on(entriesOf(person(), records, '2025-07-01'), COURT);
    expect(both).toMatchObject({
      status: 'ended',
      reason_code: 'PERFORMED',
      until: '2025-07-01',
      reasonRecordIds: [a.id, b.id, performedB.id],
    });
  });

  it('performing the case with the later term leaves the earlier term in force', () => {
    const a = defaulter();
    const b = record('court.judgment_defaulter', '2025-04-01', { evidence: 'E-2025-2' });
    const performedB = record('court.judgment_performed', '2025-05-01', { evidence: 'E-2025-2' });
    const [entry] = on(entriesOf(person(), [a, b, performedB], '2025-06-01'), COURT);
    expect(entry).toMatchObject({ status: 'active', until: plusMonths(decided, 24) });
  });

  it('"able but refuses" lasts until a deletion condition, not two years', () => {
    const r = record('court.judgment_defaulter_refusing', decided, { evidence: 'E-2025-7' });
    const [open] = on(entriesOf(person(), [r], '2030-01-01'), COURT);
    expect(open).toMatchObject({ status: 'active', from: decided, until: null });
    expect(open!.note).toContain('until the obligation is met');
    const performed = record('court.judgment_performed', '2030-02-01', { evidence: 'E-2025-7' });
    const [ended] = on(entriesOf(person(), [r, performed], '2030-02-01'), COURT);
    expect(ended).toMatchObject({ status: 'ended', reason_code: 'PERFORMED', until: '2030-02-01' });
  });

  it('a performance recorded before the listing of the same day still ends it, as it cures the score', () => {
    // The court's feed sent the performance first: the lower id, the same decision day.
    const performed = record('court.judgment_performed', '2026-02-10', { evidence: 'E-2026-100' });
    const refusing = record('court.judgment_defaulter_refusing', '2026-02-10', { evidence: 'E-2026-100' });
    for (const order of [
      [performed, refusing],
      [refusing, performed],
    ]) {
      const [entry] = on(entriesOf(person(), order, '2026-03-01'), COURT);
      expect(entry).toMatchObject({ status: 'ended', reason_code: 'PERFORMED', until: '2026-02-10' });
    }
  });

  it('a case performed before the court decided to list it is never listed; another case still is', () => {
    // Paid on 10 February; the court's listing decision for that case came on 15 February.
    const performed = record('court.judgment_performed', '2026-02-10', { evidence: 'E-2026-7' });
    const listing = record('court.judgment_defaulter', '2026-02-15', { evidence: 'E-2026-7' });
    const [entry] = on(entriesOf(person(), [performed, listing], '2026-03-01'), COURT);
    expect(entry).toMatchObject({ status: 'ended', reason_code: 'CURED_IN_GRACE', from: '2026-02-15' });
    expect(entry!.note).toContain('before the listing of 2026-02-15');
    // While listed for another case, the performed one adds no term of its own.
    const other = record('court.judgment_defaulter', '2026-01-05', { evidence: 'E-2026-1' });
    const [listed] = on(entriesOf(person(), [other, performed, listing], '2026-03-01'), COURT);
    expect(listed).toMatchObject({ status: 'active', until: plusMonths('2026-01-05', 24) });
    expect(listed!.reasonRecordIds).toEqual([other.id]);
    // A performance of another case, or one without a case number, prevents nothing.
    const elsewhere = record('court.judgment_performed', '2026-02-10', { evidence: 'E-2026-99' });
    const [still] = on(entriesOf(person(), [elsewhere, listing], '2026-03-01'), COURT);
    expect(still).toMatchObject({ status: 'active', from: '2026-02-15' });
  });

  it('violence, threats or repeated conduct while listed extend the listing by a year each time, three years at most', () => {
    const r = defaulter();
    const sham = ['2025-05-01', '2025-06-01', '2025-07-01', '2025-08-01'].map((d, k) =>
      record(k === 0 ? 'court.violent_obstruction' : 'court.sham_litigation', d),
    );
    const [one] = on(entriesOf(person(), [r, sham[0]!], '2025-09-01'), COURT);
    expect(one).toMatchObject({ extendedMonths: 12, until: plusMonths(effect, 36) });
    const [all] = on(entriesOf(person(), [r, ...sham], '2025-09-01'), COURT);
    expect(all).toMatchObject({ extendedMonths: 36, until: plusMonths(effect, 24 + 36) });
    expect(all!.reasonRecordIds).toEqual([r.id, sham[0]!.id, sham[1]!.id, sham[2]!.id]);
  });

  it('conduct before the listing does not extend it', () => {
    const r = defaulter();
    const early = record('court.sham_litigation', plusDays(decided, -2));
    const [entry] = on(entriesOf(person(), [r, early], '2025-09-01'), COURT);
    expect(entry).toMatchObject({ extendedMonths: 0, until: plusMonths(effect, 24) });
  });

  it('expires after its term, and a later decision starts a new listing', () => {
    const r = defaulter();
    const until = plusMonths(effect, 24);
    const [ended] = on(entriesOf(person(), [r], until), COURT);
    expect(ended).toMatchObject({ status: 'ended', reason_code: 'EXPIRED', until });
    const again = record('court.judgment_defaulter', '2027-06-01', { evidence: 'E-2027-1' });
    const both = on(entriesOf(person(), [r, again], '2027-07-01'), COURT);
    expect(both.map((e) => [e.status, e.reason_code])).toEqual([
      ['ended', 'EXPIRED'],
      ['active', 'LISTED_COURT_DEFAULTER'],
    ]);
  });

  it('a corrected or withdrawn record lists nobody; a record not yet known does not count', () => {
    for (const status of ['corrected', 'withdrawn', 'repaired', 'expired'] as const) {
      expect(
        on(
          entriesOf(person(), [record('court.judgment_defaulter', decided, { status })], '2025-06-01'),
          COURT,
        ),
      ).toEqual([]);
    }
    const late = record('court.judgment_defaulter', decided, { recordedAt: '2025-05-01T09:00:00.000Z' });
    expect(on(entriesOf(person(), [late], '2025-04-01'), COURT)).toEqual([]);
    expect(
      on(entriesOf(person(), [late], '2025-06-01', { knownAsOf: '2025-04-30T23:59:59Z' }), COURT),
    ).toEqual([]);
    expect(on(entriesOf(person(), [late], '2025-06-01'), COURT)[0]!.status).toBe('active');
  });

  it("a disputed court listing keeps binding until the court corrects it (the catalogue's while_disputed)", () => {
    const disputed = record('court.judgment_defaulter', decided, { status: 'disputed' });
    expect(on(entriesOf(person(), [disputed], '2025-06-01'), COURT)[0]!.status).toBe('active');
  });

  it('never lists a minor: a person under 18 on the decision day', () => {
    const r = record('court.judgment_defaulter', decided);
    const [entry] = on(entriesOf(person(1, '2007-03-04'), [r], '2025-06-01'), COURT);
    expect(entry).toMatchObject({
      status: 'ended',
      reason_code: 'MINOR_EXCLUDED',
      from: decided,
      until: decided,
    });
    // Eighteen on the decision day: listed.
    const [adult] = on(entriesOf(person(1, '2007-03-03'), [r], '2025-06-01'), COURT);
    expect(adult!.status).toBe('active');
  });

  it('counts a 29 February birthday as ageOn does: eighteen on 1 March of a common year', () => {
    const leapBorn = person(1, '2008-02-29');
    for (const [day, minor] of [
      ['2026-02-28', true],
      ['2026-03-01', false],
    ] as const) {
      expect(isMinorOn(parseDay('2008-02-29'), parseDay(day)), day).toBe(minor);
      expect(identityMinor('2008-02-29', day), day).toBe(minor);
      const [entry] = on(entriesOf(leapBorn, [record('court.judgment_defaulter', day)], day), COURT);
      expect(entry!.status, day).toBe(minor ? 'ended' : 'active');
    }
    // Born 28 February: eighteen on 28 February (no clamp), and on 29 February of a leap year.
    expect(isMinorOn(parseDay('2008-02-28'), parseDay('2026-02-28'))).toBe(false);
    expect(isMinorOn(parseDay('2010-02-28'), parseDay('2028-02-27'))).toBe(true);
    expect(isMinorOn(parseDay('2010-02-28'), parseDay('2028-02-28'))).toBe(false);
  });

  it('does not also list the legal representative of a listed organization for the same act', () => {
    const org = organization(2, 1);
    const orgRecord = record('court.judgment_defaulter', decided, { subjectId: 2, evidence: 'E-9' });
    const own = record('court.judgment_defaulter', decided, { evidence: 'E-9' });
    const represented = [{ subject: org, records: [orgRecord] }];
    const [entry] = on(
      entriesOf(person(), [own], '2025-06-01', { organizationsRepresented: represented }),
      COURT,
    );
    expect(entry).toMatchObject({ status: 'ended', reason_code: 'REPRESENTATIVE_NOT_DOUBLE_LISTED' });
    expect(on(entriesOf(org, [orgRecord], '2025-06-01'), COURT)[0]!.status).toBe('active');
    // The person's own, different judgment still lists the person.
    const other = record('court.judgment_defaulter', decided, { evidence: 'E-10' });
    const [listed] = on(
      entriesOf(person(), [other], '2025-06-01', { organizationsRepresented: represented }),
      COURT,
    );
    expect(listed!.status).toBe('active');
  });

  it('nor lengthens his listing with the organization’s act when he is already listed for his own', () => {
    const org = organization(2, 1);
    const orgRecord = record('court.judgment_defaulter', '2025-09-01', { subjectId: 2, evidence: 'E-9' });
    const represented = [{ subject: org, records: [orgRecord] }];
    const own = record('court.judgment_defaulter', decided, { evidence: 'E-1' });
    const orgsOnHim = record('court.judgment_defaulter', '2025-09-01', { evidence: 'E-9' });
    const entries = on(
      entriesOf(person(), [own, orgsOnHim], '2025-10-01', { organizationsRepresented: represented }),
      COURT,
    );
    const entry = entries.find((e) => e.status === 'active');
    expect(entry).toMatchObject({ until: plusMonths(decided, 24), reasonRecordIds: [own.id] });
    // The organization's act is shown as not listing him, as when it comes first.
    expect(entries.find((e) => e.status === 'ended')).toMatchObject({
      reason_code: 'REPRESENTATIVE_NOT_DOUBLE_LISTED',
      reasonRecordIds: [orgsOnHim.id],
    });
    // Performing his own case ends it, though the organization's stays open.
    const performed = record('court.judgment_performed', '2025-11-03', { evidence: 'E-1' });
    const later = on(
      entriesOf(person(), [own, orgsOnHim, performed], '2025-11-03', {
        organizationsRepresented: represented,
      }),
      COURT,
    );
    expect(later.find((e) => e.reason_code === 'PERFORMED')).toMatchObject({ until: '2025-11-03' });
    expect(later.filter((e) => e.status === 'active')).toEqual([]);
  });

  it('matches a performance to its case however the case number’s brackets and spaces were typed', () => {
    const r = record('court.judgment_defaulter', decided, { evidence: '（2025）京0105执123号' });
    const performed = record('court.judgment_performed', '2025-06-06', { evidence: '(2025)京0105执 123号' });
    const [after] = on(entriesOf(person(), [r, performed], '2025-06-06'), COURT);
    expect(after).toMatchObject({ status: 'ended', reason_code: 'PERFORMED', until: '2025-06-06' });
  });

  it('refuses records of another subject', () => {
    expect(() =>
      entriesOf(person(), [record('court.judgment_defaulter', decided, { subjectId: 7 })], '2025-06-01'),
    ).toThrow(/belongs to subject 7/);
  });
});

describe('the other black lists', () => {
  const TAX = 'black.serious_tax_violations';
  it('serious tax violations: listed from the decision for three years, no grace period', () => {
    const r = record('tax.serious_evasion', '2024-02-10', {
      decidedAt: '2024-03-01',
      amount: 1_500_000,
      evidence: 'T-1',
    });
    const [entry] = on(entriesOf(organization(1), [r], '2024-03-01'), TAX);
    expect(entry).toMatchObject({
      status: 'active',
      from: '2024-03-01',
      until: '2027-03-01',
      noticeFrom: null,
    });
    expect(on(entriesOf(organization(1), [r], '2024-02-28'), TAX)).toEqual([]);
    // Paying the tax, surcharges and fines of that case ends it.
    const settled = record('tax.evasion_settled', '2025-01-10', { evidence: 'T-1' });
    expect(on(entriesOf(organization(1), [r, settled], '2025-01-10'), TAX)[0]).toMatchObject({
      status: 'ended',
      until: '2025-01-10',
    });
  });

  it('tax evasion under 1,000,000 yuan, or of no stated amount, does not black-list', () => {
    for (const amount of [999_999, null]) {
      const r = record('tax.serious_evasion', '2024-02-10', { amount, evidence: 'T-2' });
      expect(on(entriesOf(organization(1), [r], '2024-06-01'), TAX)).toEqual([]);
    }
    const fraud = record('tax.invoice_fraud', '2024-02-10', { amount: 5000, evidence: 'T-3' });
    expect(on(entriesOf(organization(1), [fraud], '2024-06-01'), TAX)[0]!.status).toBe('active');
  });

  it('the other grounds of SAT Order No. 54 Art. 6: escaping collection of 100,000 yuan or more, export-rebate fraud', () => {
    const escaped = (amount: number) =>
      record('tax.arrears_collection_evasion', '2024-02-10', { amount, evidence: 'T-4' });
    expect(on(entriesOf(organization(1), [escaped(100_000)], '2024-06-01'), TAX)[0]!.status).toBe('active');
    expect(on(entriesOf(organization(1), [escaped(99_999)], '2024-06-01'), TAX)).toEqual([]);
    const rebate = record('tax.export_rebate_fraud', '2024-02-10', { amount: 20_000, evidence: 'T-5' });
    expect(on(entriesOf(organization(1), [rebate], '2024-06-01'), TAX)[0]!.status).toBe('active');
    // Paying what was decided for the case ends it, as for the other grounds.
    const settled = record('tax.evasion_settled', '2024-09-01', { evidence: 'T-5' });
    expect(on(entriesOf(organization(1), [rebate, settled], '2024-09-01'), TAX)[0]!.status).toBe('ended');
  });

  it('serious wage arrears list organizations only, until the wages are paid', () => {
    const r = record('employer.serious_wage_arrears', '2024-01-01', { evidence: 'W-1' });
    expect(on(entriesOf(organization(1), [r], '2024-06-01'), 'black.serious_wage_arrears')[0]).toMatchObject({
      status: 'active',
      reason_code: 'LISTED_SERIOUS_WAGE_ARREARS',
      until: '2027-01-01',
    });
    expect(on(entriesOf(person(), [r], '2024-06-01'), 'black.serious_wage_arrears')).toEqual([]);
    const paid = record('employer.wage_arrears_paid', '2024-09-01', { evidence: 'W-1' });
    expect(
      on(entriesOf(organization(1), [r, paid], '2024-09-01'), 'black.serious_wage_arrears')[0],
    ).toMatchObject({ status: 'ended', until: '2024-09-01' });
  });

  it('a general wage-arrears record does not black-list', () => {
    const r = record('employer.wage_arrears', '2024-01-01', { evidence: 'W-2' });
    expect(on(entriesOf(organization(1), [r], '2024-06-01'), 'black.serious_wage_arrears')).toEqual([]);
  });

  it('serious market violations: a revoked licence lists the organization for three years', () => {
    const r = record('market.license_revoked', '2024-01-15');
    const [ended] = on(entriesOf(organization(1), [r], '2027-01-15'), 'black.serious_market_violations');
    expect(ended).toMatchObject({
      status: 'ended',
      reason_code: 'EXPIRED',
      from: '2024-01-15',
      until: '2027-01-15',
    });
  });
});

describe('a platform-derived list with a grace period', () => {
  const FOCUS = 'focus.abnormal_operation';
  const two = () => [
    record('market.abnormal_operation', '2024-01-10'),
    record('market.false_advertising', '2024-11-20'),
  ];
  const of = (records: ReturnType<typeof record>[], asOf: string) =>
    on(computeEntries({ subject: organization(1), records, lists, catalogue, calendar, asOf }), FOCUS);

  it('the shipped focus list warns on the derivation day and takes effect 15 days later', () => {
    expect(lists.byCode.get(FOCUS)).toMatchObject({ decidedBy: 'platform', graceDays: 15 });
    const [pending] = of(two(), '2024-11-25');
    expect(pending).toMatchObject({
      status: 'pending',
      reason_code: 'GRACE_PERIOD',
      noticeFrom: '2024-11-20',
      from: '2024-12-05',
    });
    expect(of(two(), '2024-12-04')[0]).toMatchObject({ status: 'pending' });
    expect(of(two(), '2024-12-05')[0]).toMatchObject({ status: 'active', until: '2025-12-05' });
  });

  it('a late report does not shorten the grace period: the warning is given the day the platform learned', () => {
    // Both decided in January; the second reported on 10 February (09:00 UTC).
    const late = [
      record('market.abnormal_operation', '2026-01-05', { recordedAt: '2026-01-06T09:00:00.000Z' }),
      record('market.false_advertising', '2026-01-12', { recordedAt: '2026-02-10T09:00:00.000Z' }),
    ];
    const [pending] = of(late, '2026-02-10');
    expect(pending).toMatchObject({ status: 'pending', noticeFrom: '2026-02-10', from: '2026-02-25' });
    expect(of(late, '2026-02-24')[0]).toMatchObject({ status: 'pending' });
    expect(of(late, '2026-02-25')[0]).toMatchObject({ status: 'active', until: '2027-02-25' });
    // The day learned is the platform's: at 01:00 on 10 February in Shanghai it is the 10th there
    // (still the 9th in UTC).
    const shanghai = (ms: number) => Math.floor((ms + 8 * 3_600_000) / 86_400_000);
    const night = [late[0]!, { ...late[1]!, recordedAt: '2026-02-09T17:00:00.000Z' }];
    const entries = computeEntries({
      subject: organization(1),
      records: night,
      lists,
      catalogue,
      calendar,
      asOf: '2026-02-10',
      dayOfInstant: shanghai,
    });
    expect(on(entries, FOCUS)[0]).toMatchObject({ noticeFrom: '2026-02-10', from: '2026-02-25' });
  });

  it('a cure within the grace period means the entry never takes effect', () => {
    const restricted = record('court.consumption_restriction', '2025-03-03', { evidence: 'R-1' });
    const cure = record('court.judgment_performed', '2025-03-08', { evidence: 'R-1' });
    const entries = (asOf: string) =>
      on(
        computeEntries({
          subject: person(),
          records: [restricted, cure],
          lists: listsWithGraceList,
          catalogue,
          calendar,
          asOf,
        }),
        'focus.grace_test',
      );
    for (const asOf of ['2025-03-08', '2025-03-13', '2026-01-01']) {
      expect(entries(asOf)).toHaveLength(1);
      expect(entries(asOf)[0]).toMatchObject({
        status: 'ended',
        reason_code: 'CURED_IN_GRACE',
        from: '2025-03-03',
        until: '2025-03-08',
      });
    }
  });

  it('refuses a grace period on a list an authority decides', () => {
    expect(() =>
      parseListPolicy(
        listsText.replace('    decided_by: authority\n', '    decided_by: authority\n    grace_days: 10\n'),
      ),
    ).toThrow(/decided by an authority takes effect from its decision/);
  });

  it('refuses a list the platform derives without a grace period: its subjects are warned first', () => {
    expect(() => parseListPolicy(listsText.replace('    grace_days: 15\n', ''))).toThrow(
      /platform derives by its own rule warns before it binds \(product rule 8\): give it grace_days/,
    );
  });
});

describe('the focus list', () => {
  const FOCUS = 'focus.abnormal_operation';
  it('one general violation does not list; a second within twelve months does', () => {
    const a = record('market.abnormal_operation', '2024-01-10');
    expect(on(entriesOf(organization(1), [a], '2024-06-01'), FOCUS)).toEqual([]);
    const b = record('market.false_advertising', '2024-11-20');
    const [entry] = on(entriesOf(organization(1), [a, b], '2024-12-10'), FOCUS);
    expect(entry).toMatchObject({
      status: 'active',
      noticeFrom: '2024-11-20',
      from: '2024-12-05',
      until: '2025-12-05',
      reasonRecordIds: [a.id, b.id],
    });
  });

  it('two violations more than twelve months apart do not list', () => {
    const a = record('market.abnormal_operation', '2024-01-10');
    const b = record('market.unfair_competition', '2025-01-10');
    expect(on(entriesOf(organization(1), [a, b], '2025-02-01'), FOCUS)).toEqual([]);
  });

  describe('a warned organization can heed the warning', () => {
    const a = () => record('market.abnormal_operation', '2024-01-10', { evidence: '朝阳市监异〔2024〕17号' });
    const b = () =>
      record('market.false_advertising', '2024-11-20', { evidence: '朝阳市监处罚〔2024〕233号' });
    const corrected = (day: string, evidence: string) =>
      record('market.rectification_completed', day, { evidence });

    it('correcting the violation that brought the entry within the 15 days means it never binds', () => {
      const records = [a(), b(), corrected('2024-12-01', '朝阳市监处罚〔2024〕233号')];
      for (const asOf of ['2024-12-01', '2024-12-05', '2025-06-01'])
        expect(on(entriesOf(organization(1), records, asOf), FOCUS)).toEqual([
          expect.objectContaining({ status: 'ended', reason_code: 'CURED_IN_GRACE', until: '2024-12-01' }),
        ]);
      // Before the correction the warning stood.
      expect(on(entriesOf(organization(1), records, '2024-11-30'), FOCUS)[0]).toMatchObject({
        status: 'pending',
        from: '2024-12-05',
      });
    });

    it('corrected after it took effect, the entry ends that day; a correction of another case ends nothing', () => {
      const listed = [a(), b()];
      const other = corrected('2025-03-01', '朝阳市监异〔2024〕17号');
      expect(on(entriesOf(organization(1), [...listed, other], '2025-03-02'), FOCUS)[0]).toMatchObject({
        status: 'active',
        until: '2025-12-05',
      });
      const own = corrected('2025-03-01', '朝阳市监处罚〔2024〕233号');
      expect(on(entriesOf(organization(1), [...listed, own], '2025-03-02'), FOCUS)[0]).toMatchObject({
        status: 'ended',
        until: '2025-03-01',
      });
    });

    it('a further violation while listed adds its case, which needs its own correction', () => {
      const c = record('market.product_quality_violation', '2025-02-01', {
        evidence: '朝阳市监处罚〔2025〕12号',
      });
      const records = [a(), b(), c, corrected('2025-03-01', '朝阳市监处罚〔2024〕233号')];
      expect(on(entriesOf(organization(1), records, '2025-03-02'), FOCUS)[0]).toMatchObject({
        status: 'active',
      });
      const both = [...records, corrected('2025-04-01', '朝阳市监处罚〔2025〕12号')];
      expect(on(entriesOf(organization(1), both, '2025-04-02'), FOCUS)[0]).toMatchObject({
        status: 'ended',
        until: '2025-04-01',
      });
    });
  });
});

describe('the red lists', () => {
  const RED = 'red.a_grade_taxpayers';
  it('an A-grade taxpayer with three clean years is on the red list for a year', () => {
    const r = record('tax.a_grade_taxpayer', '2025-04-01');
    const [entry] = on(entriesOf(organization(1), [r], '2025-05-01'), RED);
    expect(entry).toMatchObject({
      status: 'active',
      reason_code: 'RED_LIST_A_GRADE_TAXPAYER',
      from: '2025-04-01',
      until: '2026-04-01',
    });
    expect(on(entriesOf(organization(1), [r], '2026-04-01'), RED)[0]).toMatchObject({
      status: 'ended',
      reason_code: 'EXPIRED',
    });
  });

  it('a dishonesty record in the last three years keeps the subject off; a new one ends the entry', () => {
    const arrears = record('tax.arrears', '2023-01-01');
    const rating = record('tax.a_grade_taxpayer', '2025-04-01');
    expect(on(entriesOf(organization(1), [arrears, rating], '2025-05-01'), RED)).toEqual([]);
    const rating2 = record('tax.a_grade_taxpayer', '2025-04-01');
    const penalty = record('market.administrative_penalty', '2025-08-01');
    const [ended] = on(entriesOf(organization(1), [rating2, penalty], '2025-09-01'), RED);
    expect(ended).toMatchObject({ status: 'ended', reason_code: 'DISQUALIFIED', until: '2025-08-01' });
    expect(ended!.reasonRecordIds).toEqual([rating2.id, penalty.id]);
  });

  it('honoured persons: minor records do not disqualify, serious ones do', () => {
    const award = record('social.bravery_award', '2025-01-01');
    const warning = record('traffic.warning', '2024-06-01');
    expect(on(entriesOf(person(), [award, warning], '2025-02-01'), 'red.honoured_persons')[0]!.status).toBe(
      'active',
    );
    const drunk = record('police.drunk_driving', '2024-06-01');
    expect(on(entriesOf(person(), [award, drunk], '2025-02-01'), 'red.honoured_persons')).toEqual([]);
  });

  it('a minimum grade needs the score to show it', () => {
    const graded = parseListPolicy(
      listsText.replace(
        '      clean_severities: [serious]\n',
        '      clean_severities: [serious]\n      min_grade: AA\n',
      ),
    );
    const award = record('social.bravery_award', '2025-01-01');
    const run = (grade?: 'AAA' | 'A') =>
      on(
        computeEntries({
          subject: person(),
          records: [award],
          lists: graded,
          catalogue,
          calendar,
          asOf: '2025-02-01',
          ...(grade ? { score: { grade } as never } : {}),
        }),
        'red.honoured_persons',
      );
    expect(run()).toEqual([]);
    expect(run('A')).toEqual([]);
    expect(run('AAA')[0]!.status).toBe('active');
  });
});

it('entries follow the list order of the policy', () => {
  const records = [
    record('tax.serious_evasion', '2024-01-01', { amount: 2_000_000 }),
    record('court.judgment_defaulter', '2024-02-01'),
  ];
  expect(entriesOf(person(), records, '2024-06-01').map((e) => e.list)).toEqual(
    lists.lists.map((l) => l.code).filter((c) => c === COURT || c === 'black.serious_tax_violations'),
  );
});
