import { describe, expect, it } from 'vitest';
import { addMonths, formatDay, parseDay } from '../scoring/index.ts';
import { computeEntries } from './entries.ts';
import { parseListPolicy } from './list-policy.ts';
import { catalogue, entriesOf, lists, listsText, on, organization, person, record } from './test-helpers.ts';

const COURT = 'black.court_defaulters';
const plusDays = (day: string, n: number) => formatDay(parseDay(day) + n);
const plusMonths = (day: string, n: number) => formatDay(addMonths(parseDay(day), n));

describe('the court list of judgment defaulters', () => {
  const decided = '2025-03-03';
  const defaulter = () => record('court.judgment_defaulter', decided, { evidence: 'E-2025-1' });
  const effect = plusDays(decided, 10);

  it('warns at the decision, then lists after the grace period for two years', () => {
    const r = defaulter();
    const [pending] = on(entriesOf(person(), [r], plusDays(decided, 9)), COURT);
    expect(pending).toMatchObject({
      status: 'pending',
      reason_code: 'GRACE_PERIOD',
      noticeFrom: decided,
      from: effect,
      reasonRecordIds: [r.id],
    });
    const [active] = on(entriesOf(person(), [r], effect), COURT);
    expect(active).toMatchObject({
      status: 'active',
      reason_code: 'LISTED_COURT_DEFAULTER',
      from: effect,
      until: plusMonths(effect, 24),
    });
    expect(active!.note).toContain(effect);
  });

  it('performance within the grace period means the listing never takes effect', () => {
    const r = defaulter();
    const cure = record('court.judgment_performed', plusDays(decided, 5), { evidence: 'E-2025-1' });
    for (const asOf of [plusDays(decided, 5), effect, '2026-01-01']) {
      const entries = on(entriesOf(person(), [r, cure], asOf), COURT);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        status: 'ended',
        reason_code: 'CURED_IN_GRACE',
        until: cure.occurredAt,
      });
    }
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

  it('performing one judgment does not lift a listing that another unperformed judgment keeps', () => {
    const a = defaulter();
    const b = record('court.judgment_defaulter', '2025-04-01', { evidence: 'E-2025-2' });
    const performedA = record('court.judgment_performed', '2025-05-01', { evidence: 'E-2025-1' });
    const [entry] = on(entriesOf(person(), [a, b, performedA], '2025-05-02'), COURT);
    expect(entry).toMatchObject({ status: 'active', reasonRecordIds: [a.id, b.id] });
    // The later judgment keeps the subject listed for its own two years.
    expect(entry!.until).toBe(plusMonths('2025-04-01', 24));
  });

  it('repeated conduct while listed extends the listing by a year each time, three years at most', () => {
    const r = defaulter();
    const sham = ['2025-05-01', '2025-06-01', '2025-07-01', '2025-08-01'].map((d) =>
      record('court.sham_litigation', d),
    );
    const [one] = on(entriesOf(person(), [r, sham[0]!], '2025-09-01'), COURT);
    expect(one).toMatchObject({ extendedMonths: 12, until: plusMonths(effect, 36) });
    const [all] = on(entriesOf(person(), [r, ...sham], '2025-09-01'), COURT);
    expect(all).toMatchObject({ extendedMonths: 36, until: plusMonths(effect, 24 + 36) });
    expect(all!.reasonRecordIds).toEqual([r.id, sham[0]!.id, sham[1]!.id, sham[2]!.id]);
  });

  it('conduct before the listing took effect does not extend it', () => {
    const r = defaulter();
    const early = record('court.sham_litigation', plusDays(decided, 2));
    const [entry] = on(entriesOf(person(), [r, early], '2025-09-01'), COURT);
    expect(entry).toMatchObject({ extendedMonths: 0, until: plusMonths(effect, 24) });
  });

  it('expires after its term, and a later decision starts a new listing', () => {
    const r = defaulter();
    const until = plusMonths(effect, 24);
    const [ended] = on(entriesOf(person(), [r], until), COURT);
    expect(ended).toMatchObject({ status: 'ended', reason_code: 'EXPIRED', until });
    const again = record('court.judgment_defaulter', '2027-06-01');
    const both = on(entriesOf(person(), [r, again], '2027-07-01'), COURT);
    expect(both.map((e) => [e.status, e.reason_code])).toEqual([
      ['ended', 'EXPIRED'],
      ['active', 'LISTED_COURT_DEFAULTER'],
    ]);
  });

  it('a corrected, withdrawn or disputed record lists nobody; a record not yet known does not count', () => {
    for (const status of ['corrected', 'withdrawn', 'disputed'] as const) {
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

  it('refuses records of another subject', () => {
    expect(() =>
      entriesOf(person(), [record('court.judgment_defaulter', decided, { subjectId: 7 })], '2025-06-01'),
    ).toThrow(/belongs to subject 7/);
  });
});

describe('the other black lists', () => {
  it('serious tax violations: listed from the decision for three years, no grace period', () => {
    const r = record('tax.serious_evasion', '2024-02-10', { decidedAt: '2024-03-01' });
    const [entry] = on(entriesOf(organization(1), [r], '2024-03-01'), 'black.serious_tax_violations');
    expect(entry).toMatchObject({
      status: 'active',
      from: '2024-03-01',
      until: '2027-03-01',
      noticeFrom: null,
    });
    expect(on(entriesOf(organization(1), [r], '2024-02-28'), 'black.serious_tax_violations')).toEqual([]);
  });

  it('serious wage arrears list organizations only', () => {
    const r = record('employer.wage_arrears', '2024-01-01');
    expect(on(entriesOf(organization(1), [r], '2024-06-01'), 'black.serious_wage_arrears')[0]).toMatchObject({
      status: 'active',
      reason_code: 'LISTED_SERIOUS_WAGE_ARREARS',
      until: '2027-01-01',
    });
    expect(on(entriesOf(person(), [r], '2024-06-01'), 'black.serious_wage_arrears')).toEqual([]);
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

describe('the focus list', () => {
  const FOCUS = 'focus.abnormal_operation';
  it('one general violation does not list; a second within twelve months does', () => {
    const a = record('market.abnormal_operation', '2024-01-10');
    expect(on(entriesOf(organization(1), [a], '2024-06-01'), FOCUS)).toEqual([]);
    const b = record('market.false_advertising', '2024-11-20');
    const [entry] = on(entriesOf(organization(1), [a, b], '2024-12-01'), FOCUS);
    expect(entry).toMatchObject({
      status: 'active',
      from: '2024-11-20',
      until: '2025-11-20',
      reasonRecordIds: [a.id, b.id],
    });
  });

  it('two violations more than twelve months apart do not list', () => {
    const a = record('market.abnormal_operation', '2024-01-10');
    const b = record('market.unfair_competition', '2025-01-10');
    expect(on(entriesOf(organization(1), [a, b], '2025-02-01'), FOCUS)).toEqual([]);
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
    record('tax.serious_evasion', '2024-01-01'),
    record('court.judgment_defaulter', '2024-02-01'),
  ];
  expect(entriesOf(person(), records, '2024-06-01').map((e) => e.list)).toEqual(
    lists.lists.map((l) => l.code).filter((c) => c === COURT || c === 'black.serious_tax_violations'),
  );
});
