import { describe, expect, it } from 'vitest';
import { computeEntries } from '../lists/index.ts';
import { calendar, listsWithGraceList } from '../lists/test-helpers.ts';
import { parseScoringPolicy, scoreSubject } from './index.ts';
import { catalogue, lists, person, policy, policyText, record } from './test-helpers.ts';
import type { EngineRecord, LinkedOrganization, ScoreResult } from './types.ts';

const score = (
  records: EngineRecord[],
  asOf: string,
  extra: {
    linkedRecords?: EngineRecord[];
    knownAsOf?: string;
    organizations?: ReadonlyMap<number, LinkedOrganization>;
  } = {},
) => scoreSubject({ subject: person(1), records, policy, catalogue, asOf, ...extra });

const addsUp = (r: ScoreResult) =>
  expect(policy.base + r.breakdown.reduce((s, c) => s + c.points, 0)).toBe(r.score);

describe('city-points rules on worked examples', () => {
  it('a subject with no records has the base score and grade A', () => {
    const r = score([], '2025-06-01');
    expect(r).toMatchObject({ score: 1000, grade: 'A', keyFactors: [], breakdown: [], asOf: '2025-06-01' });
    expect(r.policyVersion).toBe(policy.version);
    expect(Object.values(r.domains)).toEqual([1000, 1000, 1000, 1000]);
  });

  it('drunk driving sets the grade to B for two years, whatever the points', () => {
    const dui = record('police.drunk_driving', '2025-03-02');
    const r = score([dui, record('social.bravery_award', '2025-04-01')], '2025-06-01');
    expect(r.grade).toBe('B');
    // One act counts once: the direct grade, not also the record's own points.
    expect(r.score).toBe(1000 + 10);
    expect(r.keyFactors[0]).toMatchObject({
      recordId: dui.id,
      type: 'police.drunk_driving',
      date: '2025-03-02',
    });
    expect(r.keyFactors[0]!.text).toBe(
      'Drove while drunk on 2025-03-02, which sets the grade to B until 2027-03-02.',
    );
    expect(score([dui], '2027-03-01').grade).toBe('B');
    expect(score([dui], '2027-03-02').grade).toBe('A');
    addsUp(r);
  });

  it('a personally listed defaulter is graded D while listed, keeping the grade the points alone give', () => {
    const listed = record('court.judgment_defaulter', '2024-05-01', { evidence: 'E-1' });
    // The listing counts once, as its direct grade: 1000 is band A, so the grade is DA.
    expect(score([listed], '2025-01-01')).toMatchObject({ grade: 'DA', score: 1000 });
    const lost = record('court.contract_lawsuit_lost', '2024-06-01'); // −50 → 950, band B
    const lostAgain = record('court.contract_lawsuit_lost', '2024-07-01', { evidence: 'another case' }); // repeat −100 → 850, still band B
    expect(score([listed, lost], '2025-01-01')).toMatchObject({ grade: 'DB', score: 950 });
    expect(score([listed, lost, lostAgain], '2025-01-01')).toMatchObject({ grade: 'DB', score: 850 });
    // The grade lasts as long as the listing and at least the D grade's validity: the listing ends
    // two years from the court's decision, the grade five years from it (REFERENCE: D 5 years).
    expect(score([listed], '2026-04-30').grade).toBe('DA');
    expect(score([listed], '2026-05-01')).toMatchObject({ grade: 'DA', score: 1000 });
    expect(score([listed], '2029-04-30').grade).toBe('DA');
    expect(score([listed], '2029-05-01')).toMatchObject({ grade: 'A', score: 1000 });
  });

  it('"able but refuses": graded D until a deletion condition, then the repair rule', () => {
    const listed = record('court.judgment_defaulter_refusing', '2020-05-01', { evidence: 'E-7' });
    const r = score([listed], '2029-01-01');
    expect(r.grade).toBe('DA');
    expect(r.keyFactors[0]!.text).toContain('sets the grade to D until the obligation is met');
    const performed = record('court.judgment_performed', '2029-02-01', { evidence: 'E-7' });
    expect(score([listed, performed], '2029-02-01')).toMatchObject({ grade: 'B', score: 950 });
  });

  it('violence while listed extends the grade with the listing', () => {
    const listed = record('court.judgment_defaulter', '2024-05-01', { evidence: 'E-1' });
    const violence = record('court.violent_obstruction', '2024-09-01');
    expect(score([listed, violence], '2026-06-01').grade).toMatch(/^D/);
    // The listing, extended by a year, ends on 2027-05-01; the grade keeps its five years.
    expect(score([listed, violence], '2027-05-01').grade).toMatch(/^D/);
    expect(score([listed, violence], '2029-05-01').grade).not.toMatch(/^D/);
    // Where the listing outlasts the record's five years, the grade lasts with it: a second case
    // added while listed, and violence extending the listing to 2031-03-01.
    const second = record('court.judgment_defaulter', '2026-03-01', { evidence: 'E-2' });
    const more = ['2026-06-01', '2027-01-01', '2027-06-01'].map((d) =>
      record('court.violent_obstruction', d),
    );
    const long = score([listed, second, ...more], '2030-06-01');
    expect(long.breakdown.find((c) => c.recordId === listed.id)).toMatchObject({
      directGrade: 'D',
      until: '2031-03-01',
    });
  });

  it('a defaulter who never performs is graded D for five years; one who performs moves to −50', () => {
    // REFERENCE: direct grade D 5 years; a defaulter who performs in full moves to −50 for 2 years.
    const listed = record('court.judgment_defaulter', '2024-01-10', { evidence: 'E-1' });
    const performed = record('court.judgment_performed', '2025-01-10', { evidence: 'E-1' });
    const never = score([listed], '2026-06-01');
    const paid = score([listed, performed], '2026-06-01');
    expect(never).toMatchObject({ grade: 'DA', score: 1000 });
    expect(never.keyFactors[0]!.text).toContain('sets the grade to D until 2029-01-10');
    expect(paid).toMatchObject({ grade: 'B', score: 950 });
    // The list entry itself still ends after its two years: the grade outlasts the listing.
    const entry = computeEntries({
      subject: person(1),
      records: [listed],
      lists,
      catalogue,
      calendar,
      asOf: '2026-06-01',
    });
    expect(entry.find((e) => e.list === 'black.court_defaulters')).toMatchObject({
      status: 'ended',
      reason_code: 'EXPIRED',
    });
    expect(score([listed], '2029-01-09').grade).toBe('DA');
    expect(score([listed], '2029-01-10')).toMatchObject({ grade: 'A', score: 1000 });
    expect(score([listed], '2029-01-10').nextChange).toBeNull();
    expect(never.nextChange).toBe('2029-01-10');
  });

  it('after the listing ends, an exit of its case still ends the grade: performance to −50, withdrawal to nothing', () => {
    const listed = record('court.judgment_defaulter', '2024-01-10', { evidence: 'E-1' });
    const performed = record('court.judgment_performed', '2027-03-01', { evidence: 'E-1' });
    const late = score([listed, performed], '2027-03-01');
    expect(late).toMatchObject({ grade: 'B', score: 950 });
    expect(late.breakdown.find((c) => c.recordId === listed.id)).toMatchObject({
      points: -50,
      until: '2029-03-01',
      note: 'cured by performance on 2027-03-01',
    });
    expect(score([listed, performed], '2027-02-28').grade).toBe('DA');
    for (const type of ['court.listing_withdrawn', 'court.enforcement_terminated']) {
      const exit = record(type, '2027-03-01', { evidence: 'E-1' });
      expect(score([listed, exit], '2027-02-28').grade, type).toBe('DA');
      expect(score([listed, exit], '2027-03-01'), type).toMatchObject({ grade: 'A', score: 1000 });
    }
    // An exit of another case, or one without a case reference, ends nothing.
    const other = record('court.judgment_performed', '2027-03-01', { evidence: 'E-9' });
    const bare = record('court.listing_withdrawn', '2027-03-01');
    expect(score([listed, other, bare], '2027-06-01').grade).toBe('DA');
  });

  it('a minor is never graded for a listing a minor cannot be on', () => {
    const listed = record('court.judgment_defaulter', '2024-05-01', { evidence: 'E-1' });
    const minor = scoreSubject({
      subject: person(1, '2007-01-01'),
      records: [listed],
      policy,
      catalogue,
      asOf: '2024-06-01',
    });
    expect(minor).toMatchObject({ grade: 'A', score: 1000 });
    const adult = scoreSubject({
      subject: person(1, '2006-05-01'),
      records: [listed],
      policy,
      catalogue,
      asOf: '2024-06-01',
    });
    expect(adult.grade).toBe('DA');
  });

  it('a repeat of the same type within the validity of an earlier one counts double', () => {
    const first = record('tax.arrears', '2025-01-05');
    const second = record('tax.arrears', '2025-06-05');
    const r = score([first, second], '2025-07-01');
    expect(r.score).toBe(1000 - 20 - 40);
    expect(r.breakdown.find((c) => c.recordId === second.id)).toMatchObject({
      points: -40,
      note: 'repeat ×2',
    });
    expect(r.keyFactors[0]!.text).toBe(
      'Did not pay tax on time on 2025-06-05, which deducts 40 points until 2026-06-05 (counted double as a repeat).',
    );
    // Once the first has lapsed, a new arrears is no repeat of it.
    const later = record('tax.arrears', '2026-02-01');
    expect(score([first, later], '2026-03-01').score).toBe(980);
    addsUp(r);
  });

  it('monthly overdue repayments count once per month, not as repeats', () => {
    const months = ['2025-01-31', '2025-02-28', '2025-03-31'].map((d) =>
      record('bank.loan_overdue_month', d),
    );
    expect(score(months, '2025-04-01').score).toBe(970);
  });

  it('a record stops counting when its validity ends', () => {
    const warning = record('traffic.warning', '2024-01-10');
    expect(score([warning], '2025-01-09').score).toBe(995);
    expect(score([warning], '2025-01-10').score).toBe(1000);
    const lawsuit = record('court.contract_lawsuit_lost', '2024-01-10', { decidedAt: '2024-03-01' });
    expect(score([lawsuit], '2026-02-28').score).toBe(950); // over 40 points: 2 years from the decision
    expect(score([lawsuit], '2026-03-01').score).toBe(1000);
  });

  it('a defaulter who performs moves from grade D to −50 for two years, then to nothing', () => {
    const listed = record('court.judgment_defaulter', '2023-01-10', { evidence: 'E-1' });
    const performed = record('court.judgment_performed', '2024-06-01', { evidence: 'E-1' });
    const records = [listed, performed];
    expect(score(records, '2024-05-31')).toMatchObject({ grade: 'DA', score: 1000 });
    const cured = score(records, '2024-06-01');
    expect(cured).toMatchObject({ grade: 'B', score: 950 });
    expect(cured.breakdown.find((c) => c.recordId === listed.id)).toMatchObject({
      points: -50,
      until: '2026-06-01',
      note: 'cured by performance on 2024-06-01',
    });
    expect(cured.keyFactors[0]!.text).toContain('since the obligation was performed on 2024-06-01');
    expect(score(records, '2026-06-01')).toMatchObject({ grade: 'A', score: 1000 });
    addsUp(cured);
  });

  it('a case performed before the court decided to list it grades nothing: the listing never took effect', () => {
    const performed = record('court.judgment_performed', '2024-06-01', { evidence: 'E-1' });
    const listed = record('court.judgment_defaulter', '2024-06-05', { evidence: 'E-1' });
    for (const asOf of ['2024-06-05', '2025-01-01', '2029-01-01']) {
      const r = score([performed, listed], asOf);
      expect(r).toMatchObject({ grade: 'A', score: 1000 });
      expect(r.breakdown.find((c) => c.recordId === listed.id)).toBeUndefined();
    }
    // Performed a day after the decision instead: the usual −50 for two years.
    const late = record('court.judgment_performed', '2024-06-06', { evidence: 'E-1' });
    expect(score([listed, late], '2024-06-06')).toMatchObject({ grade: 'B', score: 950 });
  });

  it('a court listing grades D from the decision day itself: no grace period', () => {
    const listed = record('court.judgment_defaulter', '2024-05-01', { evidence: 'E-1' });
    expect(score([listed], '2024-04-30').grade).toBe('A');
    expect(score([listed], '2024-05-01').grade).toBe('DA');
  });

  it('during a grace period nothing binds, and a cure inside it leaves the record and nothing more', () => {
    // A platform-derived list with a 10-day grace period, whose entry a direct grade C follows.
    const graceLists = listsWithGraceList;
    const gracePolicy = parseScoringPolicy(
      policyText.replace(
        'types:\n',
        'types:\n  court.consumption_restriction:\n    direct_grade_follows_list: focus.grace_test\n',
      ),
      catalogue,
      'scoring policy',
      graceLists,
    );
    const restricted = record('court.consumption_restriction', '2025-03-03', { evidence: 'R-1' });
    const at = (records: EngineRecord[], asOf: string) => ({
      score: scoreSubject({ subject: person(1), records, policy: gracePolicy, catalogue, asOf }),
      entry: computeEntries({
        subject: person(1),
        records,
        lists: graceLists,
        catalogue,
        calendar,
        asOf,
      }).find((e) => e.list === 'focus.grace_test'),
    });
    const warned = at([restricted], '2025-03-05');
    expect(warned.entry).toMatchObject({ status: 'pending', from: '2025-03-13' });
    expect(warned.score).toMatchObject({ grade: 'A', score: 1000, breakdown: [] });
    const effective = at([restricted], '2025-03-13');
    expect(effective.entry).toMatchObject({ status: 'active', from: '2025-03-13' });
    expect(effective.score.grade).toBe('C');
    const cure = record('court.judgment_performed', '2025-03-08', { evidence: 'R-1' });
    for (const asOf of ['2025-03-08', '2025-03-13', '2025-06-01', '2027-01-01']) {
      const cured = at([restricted, cure], asOf);
      expect(cured.entry).toMatchObject({ status: 'ended', reason_code: 'CURED_IN_GRACE' });
      expect(cured.score, asOf).toMatchObject({ grade: 'A', score: 1000, keyFactors: [] });
      // The restriction stays on file but counts nothing: no grade, no points, no −50 repair.
      expect(cured.score.breakdown.find((c) => c.recordId === restricted.id)).toBeUndefined();
      expect(cured.score.breakdown.every((c) => c.points === 0 && c.directGrade === undefined)).toBe(true);
    }
  });

  it('performing lifts the consumption restriction of the same case too: the act counts as its repair', () => {
    const listed = record('court.judgment_defaulter', '2024-01-10', { evidence: 'E-1' });
    const restricted = record('court.consumption_restriction', '2024-01-10', { evidence: 'E-1' });
    const performed = record('court.judgment_performed', '2024-06-01', { evidence: 'E-1' });
    expect(score([listed, restricted], '2024-05-01')).toMatchObject({ grade: 'DA', score: 1000 });
    expect(score([listed, restricted, performed], '2024-06-01')).toMatchObject({ grade: 'B', score: 950 });
    // Enforcement ended: the listing and the restriction end, and nothing is left.
    const ended = record('court.enforcement_terminated', '2024-06-01', { evidence: 'E-1' });
    expect(score([listed, restricted, ended], '2024-06-01')).toMatchObject({ grade: 'A', score: 1000 });
  });

  it('a performance cures only the listing of its own case', () => {
    const a = record('court.judgment_defaulter', '2024-01-10', { evidence: 'E-1' });
    const b = record('court.judgment_defaulter', '2024-03-01', { evidence: 'E-2' });
    const performedA = record('court.judgment_performed', '2024-06-01', { evidence: 'E-1' });
    const bare = record('court.judgment_performed', '2024-06-02');
    const one = score([a, b, performedA, bare], '2024-07-01');
    // Case 2 keeps the subject listed, so graded D; case 1 is repaired to −50 (counted double
    // as a repeat within the validity of the other listing).
    expect(one.grade).toMatch(/^D/);
    expect(one.breakdown.find((c) => c.recordId === b.id)).toMatchObject({ directGrade: 'D', points: 0 });
    expect(one.breakdown.find((c) => c.recordId === a.id)).toMatchObject({ until: '2026-06-01' });
    expect(one.breakdown.find((c) => c.recordId === a.id)?.directGrade).toBeUndefined();
    const performedB = record('court.judgment_performed', '2024-08-01', { evidence: 'E-2' });
    expect(score([a, b, performedA, performedB], '2024-08-01').grade).not.toMatch(/^D/);
    // A performance without a case number cures nothing.
    expect(score([a, bare], '2024-07-01')).toMatchObject({ grade: 'DA', score: 1000 });
  });

  it("an organization's serious record counts for its legal representative, a court listing does not", () => {
    const orgRecord = (type: string, date: string) => record(type, date, { subjectId: 50 });
    const evasion = orgRecord('tax.serious_evasion', '2025-02-01');
    const listing = orgRecord('court.judgment_defaulter', '2025-02-01');
    const minor = orgRecord('tax.arrears', '2025-02-02');
    const r = score([], '2025-03-01', { linkedRecords: [evasion, listing, minor] });
    expect(r.score).toBe(900);
    expect(r.grade).toBe('B'); // not D: the court did not list the representative
    expect(r.breakdown.map((c) => c.recordId)).toEqual([evasion.id]);
    // Never by its database id: by name and USCC when the caller knows them, in the tense of the
    // binding on the scoring day.
    expect(r.breakdown[0]!.note).toBe('linked from an organization this subject represented on that day');
    expect(r.keyFactors[0]!.text).toBe(
      'Seriously evaded tax on 2025-02-01, which deducts 100 points until 2027-02-01 ' +
        '(a record of an organization this subject represented on that day).',
    );
    const org = { identifier: '91110105MA0123453U', name: 'Beijing Test Technology Co., Ltd.' };
    const named = (represents: boolean) =>
      score([], '2025-03-01', {
        linkedRecords: [evasion, listing, minor],
        organizations: new Map([[50, { ...org, represents }]]),
      });
    expect(named(true).breakdown[0]!.note).toBe(
      'linked from Beijing Test Technology Co., Ltd. (91110105MA0123453U)',
    );
    expect(named(true).keyFactors[0]!.text).toContain(
      '(a record of Beijing Test Technology Co., Ltd. (91110105MA0123453U), which this subject represents)',
    );
    expect(named(false).keyFactors[0]!.text).toContain(
      '(a record of Beijing Test Technology Co., Ltd. (91110105MA0123453U), which this subject represented)',
    );
    for (const x of [r, named(true), named(false)])
      expect(JSON.stringify([x.keyFactors, x.breakdown])).not.toMatch(/organization 50\b/);
  });

  it('a disputed record does not count while disputed, and counts again when upheld', () => {
    const fake = record('ecommerce.fake_reviews', '2025-01-01', { status: 'disputed' });
    const pending = score([fake], '2025-02-01');
    expect(pending.score).toBe(1000);
    expect(pending.breakdown).toEqual([
      expect.objectContaining({
        recordId: fake.id,
        points: 0,
        note: 'disputed — not counted while the objection is pending',
      }),
    ]);
    expect(pending.keyFactors).toEqual([]);
    expect(score([{ ...fake, status: 'active' }], '2025-02-01').score).toBe(980);
  });

  it("an authority's decision keeps counting while an objection to it is pending (while_disputed: counted)", () => {
    const fine = record('traffic.twelve_point_offence', '2025-01-01', { status: 'disputed' });
    const pending = score([fine], '2025-02-01');
    expect(pending.score).toBe(970);
    expect(pending.breakdown).toEqual([
      expect.objectContaining({
        recordId: fine.id,
        points: -30,
        note: 'disputed — still counted while the objection is pending (its type binds until corrected)',
      }),
    ]);
  });

  it('corrected, withdrawn, expired and repaired records never count', () => {
    for (const status of ['corrected', 'withdrawn', 'expired', 'repaired'] as const) {
      const r = score([record('police.drunk_driving', '2025-01-01', { status })], '2025-02-01');
      expect(r).toMatchObject({ score: 1000, grade: 'A', breakdown: [] });
    }
  });

  it('one act counts once: the direct grade, or the largest deduction', () => {
    const dui = record('police.drunk_driving', '2025-01-01', { evidence: 'JT-2025-001' });
    const offence = record('traffic.twelve_point_offence', '2025-01-01', { evidence: 'JT-2025-001' });
    const r = score([dui, offence], '2025-02-01');
    expect(r).toMatchObject({ grade: 'B', score: 1000 });
    expect(r.breakdown.find((c) => c.recordId === offence.id)?.note).toBe(
      `same act as record ${dui.id} — not counted`,
    );
    // Without evidence, the same type on the same day is one act.
    const twice = [
      record('market.administrative_penalty', '2025-01-01'),
      record('market.administrative_penalty', '2025-01-01'),
    ];
    expect(score(twice, '2025-02-01').score).toBe(980);
  });

  it('scales volunteering by hours', () => {
    const hours = (h: number) =>
      score([record('social.volunteer_hours', '2025-01-01', { amount: h })], '2025-02-01').score;
    expect([hours(5), hours(10), hours(299), hours(300)]).toEqual([1000, 1002, 1030, 1050]);
    expect(score([record('social.volunteer_hours', '2025-01-01', { amount: 300 })], '2025-02-01').grade).toBe(
      'AAA',
    );
  });

  it('counts only what the platform knew at the time asked', () => {
    const late = record('traffic.warning', '2025-01-01', { recordedAt: '2025-03-01T09:00:00.000Z' });
    expect(score([late], '2025-02-01').score).toBe(1000);
    expect(score([late], '2025-03-01').score).toBe(995);
    expect(score([late], '2025-03-01', { knownAsOf: '2025-03-01T08:59:59.999Z' }).score).toBe(1000);
  });

  it('keeps at most four key factors, largest effect first', () => {
    const records = [
      record('traffic.warning', '2025-01-01'),
      record('market.administrative_penalty', '2025-01-02'),
      record('court.contract_lawsuit_lost', '2025-01-03'),
      record('social.bravery_award', '2025-01-04'),
      record('tax.serious_evasion', '2025-01-05'),
      record('police.administrative_detention', '2025-01-06'),
    ];
    const r = score(records, '2025-02-01');
    // 835 points give C already: the detention's direct C decides nothing today, so it ranks by
    // its points (none, one act counting once) behind the four records that made the grade.
    expect(r).toMatchObject({ score: 835, grade: 'C' });
    expect(r.keyFactors.map((k) => k.type)).toEqual([
      'tax.serious_evasion',
      'court.contract_lawsuit_lost',
      'market.administrative_penalty',
      'social.bravery_award',
    ]);
    // Where the points alone give B, the detention's C decides the grade and comes first.
    const better = score(
      records.filter((x) => x.type !== 'tax.serious_evasion'),
      '2025-02-01',
    );
    expect(better).toMatchObject({ score: 935, grade: 'C' });
    expect(better.keyFactors[0]).toMatchObject({
      type: 'police.administrative_detention',
      grade: { letter: 'C', binds: true },
    });
    expect(better.keyFactors[0]!.text).toContain('which sets the grade to C until');
  });

  it('says a direct grade sets the grade only when it decides it', () => {
    // Drunk driving caps the grade at B; three deductions of 100 give C by the points alone.
    const dui = record('police.drunk_driving', '2026-02-01');
    const deductions = [
      record('bank.loan_fraud', '2026-01-05'),
      record('telecom.fraud_involvement', '2026-01-06'),
      record('court.sham_litigation', '2026-01-07'),
    ];
    const r = score([dui, ...deductions], '2026-03-02');
    expect(r).toMatchObject({ score: 700, grade: 'C' });
    expect(r.keyFactors.map((k) => k.recordId)).toEqual([...deductions.map((d) => d.id).reverse(), dui.id]);
    expect(r.keyFactors[3]).toMatchObject({ grade: { letter: 'B', binds: false }, points: 0 });
    expect(r.keyFactors[3]!.text).toBe(
      'Drove while drunk on 2026-02-01, which caps the grade at B until 2028-02-01; the points give C.',
    );
    for (const k of r.keyFactors) expect(k.text).not.toContain('sets the grade');
    // Where the points give A, the drunk driving decides the grade: B, first.
    const fine = record('market.administrative_penalty', '2026-02-02');
    const decides = score([dui, fine], '2026-03-02');
    expect(decides).toMatchObject({ score: 980, grade: 'B' });
    expect(decides.keyFactors[0]).toMatchObject({ recordId: dui.id, grade: { letter: 'B', binds: true } });
    expect(decides.keyFactors[0]!.text).toBe(
      'Drove while drunk on 2026-02-01, which sets the grade to B until 2028-02-01.',
    );
  });

  it("tells a listing's key factor from the day the listing took effect, not the day of the conduct", () => {
    // The judgment went unperformed from 2024-12-03; the court listed the defaulter on 2025-11-18.
    const listed = record('court.judgment_defaulter', '2024-12-03', {
      decidedAt: '2025-11-18',
      evidence: '(2025)京0105执200号',
    });
    const r = score([listed], '2026-03-02');
    expect(r.grade).toBe('DA');
    expect(r.keyFactors[0]).toMatchObject({
      date: '2025-11-18',
      points: 0,
      grade: { letter: 'D', binds: true },
    });
    expect(r.keyFactors[0]!.text).toMatch(
      /^Listed as a dishonest judgment defaulter on 2025-11-18, which sets the grade to D until/,
    );
    expect(r.keyFactors[0]!.text).not.toContain('2024-12-03');
  });

  it('combines domains by weight when the policy says so, and the breakdown still adds up', () => {
    const weighted = parseScoringPolicy(
      policyText.replace(
        'method: sum',
        'method: weighted\n  weights: { government: 1, commercial: 0.5, social: 1.5, judicial: 1 }',
      ),
      catalogue,
      'scoring policy',
      lists,
    );
    const records = [record('tax.arrears', '2025-01-01'), record('traffic.warning', '2025-01-02')];
    const r = scoreSubject({ subject: person(1), records, policy: weighted, catalogue, asOf: '2025-02-01' });
    expect(r.score).toBe(1000 - 10 - 8); // −20 × 0.5, −5 × 1.5 rounded half away from zero
    expect(r.domains).toMatchObject({ commercial: 980, social: 995 });
    expect(weighted.version).not.toBe(policy.version);
    expect(weighted.base + r.breakdown.reduce((s, c) => s + c.points, 0)).toBe(r.score);
  });

  it('refuses records of another subject and bad dates', () => {
    expect(() => score([record('traffic.warning', '2025-01-01', { subjectId: 2 })], '2025-02-01')).toThrow(
      /subject 2/,
    );
    expect(() => score([], '2025-02-30')).toThrow(/not a date/);
    expect(() => score([record('traffic.warning', '2025-13-01')], '2025-02-01')).toThrow(/occurredAt/);
  });
});
