import { describe, expect, it } from 'vitest';
import { type CredenceError, isCredenceError } from '../shared/errors.ts';
import { checkPolicies, checkPoliciesOrThrow } from './check-policies.ts';
import { DEFAULT_LISTS_PATH, loadListPolicy, parseListPolicy } from './list-policy.ts';
import { DEFAULT_MEASURES_PATH, loadMeasurePolicy, parseMeasurePolicy } from './measure-policy.ts';
import { catalogue, lists, listsText, measures, measuresText } from './test-helpers.ts';

const errorOf = (fn: () => unknown): CredenceError => {
  try {
    fn();
  } catch (e) {
    if (isCredenceError(e)) return e;
    throw e;
  }
  throw new Error('expected a CredenceError');
};

/** The shipped measures with one more appended. */
const withMeasure = (yaml: string) => parseMeasurePolicy(`${measuresText.trimEnd()}\n\n${yaml}`);

const unrelated = `  - code: restrict.bank_loans
    name: No bank loans for bad drivers
    kind: restriction
    legal_basis: A local rule.
    trigger: { list: black.court_defaulters }
    effect_domains: [commercial]
    relying_party_kinds: [bank]
`;

describe('the list and measure policies', () => {
  it('refuses a list or a measure that names a protected category, with the field and line (product rule 2)', () => {
    const list = errorOf(() =>
      parseListPolicy(
        listsText.replace(
          'name: List of judgment defaulters',
          'name: Abnormal petitioners (非正常上访) and religious extremists (宗教)',
        ),
        'lists.yaml',
      ),
    );
    expect(list.code).toBe('protected_category');
    expect(list.message).toContain('lists.yaml');
    expect(list.issues[0]).toMatchObject({ field: 'lists[0].name', line: expect.any(Number) });
    const measure = errorOf(() =>
      withMeasure(
        unrelated.replace(
          'No bank loans for bad drivers',
          'No flights for Uyghurs, Muslims, petitioners and HIV carriers',
        ),
      ),
    );
    expect(measure.code).toBe('protected_category');
    expect(measure.issues[0]).toMatchObject({
      field: expect.stringMatching(/^measures\[\d+\]\.name$/),
      line: expect.any(Number),
    });
    // A reason code or a legal basis is screened like a name.
    const reason = errorOf(() =>
      withMeasure(
        unrelated.replace('legal_basis: A local rule.', 'legal_basis: Rules on the 信訪 of 工會 members'),
      ),
    );
    expect(reason.issues[0]).toMatchObject({ field: expect.stringContaining('legal_basis') });
  });

  it('the defaults load, identified by sha256, with the seven catalogue lists and the required measures', async () => {
    const l = await loadListPolicy(DEFAULT_LISTS_PATH);
    const m = await loadMeasurePolicy(DEFAULT_MEASURES_PATH);
    expect(l.version).toMatch(/^[0-9a-f]{64}$/);
    expect(m.version).toMatch(/^[0-9a-f]{64}$/);
    const triggered = new Set(catalogue.items.flatMap((i) => i.list_triggers));
    expect(new Set(l.lists.map((x) => x.code))).toEqual(triggered);
    for (const code of [
      'restrict.air_travel',
      'restrict.high_speed_rail',
      'restrict.public_procurement',
      'reward.green_channel',
    ])
      expect(m.byCode.has(code)).toBe(true);
    expect(l.byCode.get('black.court_defaulters')).toMatchObject({
      durationMonths: 24,
      extend: { byMonthsMin: 12, byMonthsMax: 36 },
      exitOn: [
        'court.judgment_performed',
        'court.settlement_reached',
        'court.listing_withdrawn',
        'court.enforcement_terminated',
      ],
      openEndedBy: ['court.judgment_defaulter_refusing'],
      deletionWorkingDays: 3,
      noMinors: true,
      noDoubleListingOfLegalRepresentative: true,
      // A court's listing takes effect from its decision: no grace period of the platform's.
      graceDays: 0,
      decidedBy: 'authority',
    });
    // Every black list has an exit when the obligation is met.
    for (const black of l.lists.filter((x) => x.kind === 'black'))
      expect(black.exitOn.length).toBeGreaterThan(0);
  });

  it('the defaults pass the check under cn; under eu the cross-domain restrictions and rewards are refused', () => {
    expect(checkPolicies(lists, measures, catalogue, 'cn')).toEqual([]);
    const eu = checkPolicies(lists, measures, catalogue, 'eu');
    const refused = new Set(
      eu.map((p) => measures.measures[Number(/measures\[(\d+)\]/.exec(p.path)![1])]!.code),
    );
    expect(refused).toContain('restrict.air_travel');
    expect(refused).toContain('restrict.public_procurement');
    // Measures inside the trigger's own domain stay lawful under eu…
    expect(refused).not.toContain('restrict.licensing_review');
    expect(refused).not.toContain('reward.fewer_inspections');
    // …but a reward earned in one domain and given in another is refused as a restriction is: it
    // treats everyone without it unfavourably there (Art. 5(1)(c)). Under cn its basis links them.
    expect(refused).toContain('reward.green_channel');
    expect(refused).toContain('reward.deposit_free');
    expect(eu.find((p) => p.message.startsWith('reward reaches'))?.message).toContain(
      'forbidden under profile eu',
    );
    expect(eu.every((p) => p.level === 'error' && p.message.includes('EU AI Act'))).toBe(true);
  });

  it('refuses an unrelated cross-domain restriction without a linking basis, at its path and line', () => {
    const m = withMeasure(unrelated);
    const problems = checkPolicies(lists, m, catalogue, 'cn');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      level: 'error',
      file: 'measures',
      path: `measures[${m.measures.length - 1}].effect_domains[0]`,
    });
    expect(problems[0]!.message).toMatch(/commercial domain, unrelated to list "black.court_defaulters"/);
    expect(problems[0]!.line).toBeGreaterThan(measuresText.split('\n').length);
    expect(() => checkPoliciesOrThrow(lists, m, catalogue)).toThrow(
      /restriction reaches the commercial domain/,
    );
    // A basis that links the domains makes it lawful under cn, never under eu.
    const linked = withMeasure(
      unrelated.replace(
        'effect_domains: [commercial]',
        'effect_domains: [commercial]\n    links_domains: [commercial]',
      ),
    );
    expect(checkPolicies(lists, linked, catalogue, 'cn')).toEqual([]);
    expect(
      checkPolicies(lists, linked, catalogue, 'eu').some((p) =>
        p.path.startsWith(`measures[${linked.measures.length - 1}]`),
      ),
    ).toBe(true);
  });

  it('a restriction on a grade needs a linking basis for every domain it touches', () => {
    const m = withMeasure(unrelated.replace('{ list: black.court_defaulters }', '{ grade_at_most: C }'));
    expect(checkPolicies(lists, m, catalogue, 'cn')[0]!.message).toMatch(/grade.*mixes every domain/);
  });

  it('reports unknown lists, unknown record types and undefined catalogue lists', () => {
    const m = withMeasure(unrelated.replace('black.court_defaulters', 'black.no_such_list'));
    expect(checkPolicies(lists, m, catalogue)).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('unknown list "black.no_such_list"'),
      }),
    ]);
    const l = parseListPolicy(
      listsText
        .replace('entered_by: [market.license_revoked]', 'entered_by: [market.no_such_type]')
        .replace(/ {2}- code: red\.honoured_persons[\s\S]*$/, ''),
    );
    const problems = checkPolicies(l, measures, catalogue);
    expect(problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unknown record type "market.no_such_type"'),
        expect.stringContaining('which the list policy does not define'),
        expect.stringContaining('unknown list "red.honoured_persons"'),
      ]),
    );
  });

  it('a bad file reports every problem with its path and line', () => {
    const bad = measuresText
      .replace(
        / {4}legal_basis: >-\n\s+SPC Provisions on Restricting High Consumption of Judgment Defaulters \(2015\): no flights;\n\s+joint punishment memorandum on judgment defaulters \(21 January 2016\)\.\n/,
        '',
      )
      .replace('relying_party_kinds: [airline]', 'relying_party_kinds: [airline, spaceport]');
    const e = errorOf(() => parseMeasurePolicy(bad, 'bad.yaml'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^bad\.yaml: the measure policy has \d+ problems/);
    const fields = e.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining(['measures[0].legal_basis', 'measures[0].relying_party_kinds[1]']),
    );
    expect(e.issues.find((i) => i.field === 'measures[0].legal_basis')!.message).toContain('required');
    expect(e.issues.every((i) => typeof i.line === 'number')).toBe(true);
    const green = measures.measures.findIndex((m) => m.code === 'reward.green_channel');
    const swapped = errorOf(() =>
      parseMeasurePolicy(
        measuresText.replace(
          'kind: reward\n    legal_basis: >-\n      Joint rewards for trustworthy subjects (Guofa [2016] No. 33): a "green channel"',
          'kind: restriction\n    legal_basis: >-\n      Joint rewards for trustworthy subjects (Guofa [2016] No. 33): a "green channel"',
        ),
      ),
    );
    expect(swapped.issues.map((i) => i.field)).toEqual([`measures[${green}].code`]);
    const badLists = errorOf(() =>
      parseListPolicy(listsText.replace('by_months_max: 36', 'by_months_max: 6')),
    );
    expect(badLists.issues.map((i) => i.field)).toEqual(['lists[0].extend.by_months_max']);
    const badGrace = errorOf(() =>
      parseListPolicy(
        listsText.replace('    decided_by: authority\n', '    decided_by: authority\n    grace_days: -1\n'),
      ),
    );
    expect(badGrace.issues).toEqual([
      expect.objectContaining({ field: 'lists[0].grace_days', line: expect.any(Number) }),
    ]);
    // A grace period on a listing an authority decided is refused (product rule 8 is for the
    // platform's own derivations).
    const authorityGrace = errorOf(() =>
      parseListPolicy(
        listsText.replace('    decided_by: authority\n', '    decided_by: authority\n    grace_days: 10\n'),
      ),
    );
    expect(authorityGrace.issues).toEqual([
      expect.objectContaining({
        field: 'lists[0].grace_days',
        message: expect.stringMatching(/decided by an authority/),
      }),
    ]);
  });

  it('refuses a black list entered by a minor or general type, or without case references', () => {
    const l = parseListPolicy(
      listsText.replace('entered_by: [employer.serious_wage_arrears]', 'entered_by: [employer.wage_arrears]'),
    );
    const problems = checkPolicies(l, measures, catalogue).filter((p) => p.level === 'error');
    expect(problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /black list carries serious conduct only, and "employer.wage_arrears" is of severity general/,
        ),
        expect.stringMatching(/"employer.wage_arrears" does not require a case reference/),
      ]),
    );
    expect(() => checkPoliciesOrThrow(l, measures, catalogue)).toThrow(/serious conduct only/);
  });

  it("an authority's listing is extended only by its own records, never by another body's", () => {
    const l = parseListPolicy(
      listsText.replace(
        'when: [court.violent_obstruction, court.sham_litigation]',
        'when: [court.violent_obstruction, court.sham_litigation, police.forged_certificate]',
      ),
    );
    const problems = checkPolicies(l, measures, catalogue).filter((p) => p.level === 'error');
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'lists[0].extend.when[2]',
        message: expect.stringMatching(
          /"police.forged_certificate" is recorded by police sources, which do not decide this list \(its entries come from court\)/,
        ),
      }),
    ]);
  });

  it('only the court list publishes persons, and only a black list an authority decides may', () => {
    expect(lists.lists.filter((l) => l.publishPersons).map((l) => l.code)).toEqual([
      'black.court_defaulters',
    ]);
    const onRedList = errorOf(() =>
      parseListPolicy(
        listsText.replace(
          '      clean_severities: [serious]\n',
          '      clean_severities: [serious]\n    publish_persons: true\n',
        ),
      ),
    );
    expect(onRedList.issues).toEqual([
      expect.objectContaining({
        field: expect.stringMatching(/^lists\[\d+\]\.publish_persons$/),
        message: expect.stringMatching(/only a black list an authority decides/),
        line: expect.any(Number),
      }),
    ]);
    const noPersons = errorOf(() =>
      parseListPolicy(
        listsText.replace(
          'entered_by: [employer.serious_wage_arrears]',
          'entered_by: [employer.serious_wage_arrears]\n    publish_persons: true',
        ),
      ),
    );
    expect(noPersons.issues.map((i) => i.message)).toEqual([expect.stringMatching(/holds no persons/)]);
  });

  it('an entry threshold names an entry type that carries an amount', () => {
    expect(() =>
      parseListPolicy(
        listsText.replace(
          'tax.serious_evasion: 1000000',
          'tax.serious_evasion: 1000000\n        tax.arrears: 5',
        ),
      ),
    ).toThrow(/"tax.arrears" is not in entered_by/);
  });

  it('an unknown profile is refused', () => {
    expect(() => checkPolicies(lists, measures, catalogue, 'mars')).toThrow(
      /unknown jurisdiction profile "mars"/,
    );
  });
});
