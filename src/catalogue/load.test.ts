import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type CredenceError, isCredenceError } from '../shared/errors.ts';
import {
  DEFAULT_CATALOGUE_PATH,
  DOMAINS,
  LAWFUL_CATEGORIES,
  loadCatalogueFile,
  PROTECTED_CATEGORIES,
  parseCatalogue,
  SOURCE_KINDS,
} from './index.ts';

/** A valid record type to vary in tests. */
const baseItem = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  code: 'test.item',
  name: 'A test record type',
  description: 'Something a subject did.',
  domain: 'social',
  subject_kinds: ['person'],
  polarity: 'negative',
  severity: 'general',
  points: -20,
  validity_years: 1,
  amount: 'none',
  data_category: 'public_order_offence',
  legal_basis: 'Public Security Administration Punishments Law (2012) Art. 10',
  source_kinds: ['police'],
  ...overrides,
});

const fileWith = (...items: Record<string, unknown>[]) => stringify({ catalogue_version: 'test', items });

const errorOf = (fn: () => unknown): CredenceError => {
  try {
    fn();
  } catch (e) {
    if (isCredenceError(e)) return e;
    throw e;
  }
  throw new Error('expected a CredenceError');
};

describe('the default catalogue', async () => {
  const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);

  it('loads with at least 40 record types and a sha256 identity', () => {
    expect(catalogue.items.length).toBeGreaterThanOrEqual(40);
    expect(catalogue.version).toMatch(/^[0-9a-f]{64}$/);
    expect(catalogue.label).toBe('2026.1');
    expect(catalogue.origin).toBe(DEFAULT_CATALOGUE_PATH);
  });

  it('covers all four domains', () => {
    for (const domain of DOMAINS) expect(catalogue.typesForDomain(domain).length).toBeGreaterThan(0);
  });

  it('lets every source kind submit at least one type', () => {
    for (const kind of SOURCE_KINDS) expect(catalogue.typesForSourceKind(kind).length).toBeGreaterThan(0);
  });

  it('holds every required record type', () => {
    const required = [
      'court.judgment_defaulter',
      'court.judgment_performed',
      'court.contract_lawsuit_lost',
      'court.consumption_restriction',
      'court.sham_litigation',
      'court.intentional_crime_conviction',
      'court.parent_support_failure',
      'police.drunk_driving',
      'police.administrative_detention',
      'police.forged_certificate',
      'traffic.warning',
      'traffic.fine_minor',
      'traffic.twelve_point_offence',
      'tax.arrears',
      'tax.serious_evasion',
      'tax.invoice_fraud',
      'tax.a_grade_taxpayer',
      'bank.loan_overdue_month',
      'bank.card_overdue_month',
      'bank.loan_fraud',
      'employer.wage_arrears',
      'employer.labour_contract_breach',
      'employer.model_worker_award',
      'market.license_revoked',
      'market.administrative_penalty',
      'market.administrative_warning',
      'market.abnormal_operation',
      'market.false_advertising',
      'market.product_quality_violation',
      'ecommerce.fraudulent_sale',
      'ecommerce.fake_reviews',
      'ecommerce.payment_default',
      'telecom.bill_default',
      'telecom.fraud_involvement',
      'social.volunteer_hours',
      'social.bravery_award',
      'social.donation',
      'social.platform_scam_account',
      'gov.contract_default',
      'gov.judgment_unperformed',
      'gov.citizen_reply_overdue',
      'gov.commitment_breach',
      'gov.integrity_award',
      'hospital.insurance_fraud',
      'hospital.professional_misconduct',
      'school.academic_fraud',
      'school.teacher_misconduct',
    ];
    const missing = required.filter((code) => catalogue.get(code) === undefined);
    expect(missing).toEqual([]);
  });

  it('grades the gravest conduct directly, as the city points systems do', () => {
    expect(catalogue.getOrThrow('court.judgment_defaulter').direct_grade).toBe('D');
    expect(catalogue.getOrThrow('court.intentional_crime_conviction').direct_grade).toBe('D');
    expect(catalogue.getOrThrow('court.consumption_restriction').direct_grade).toBe('C');
    expect(catalogue.getOrThrow('police.administrative_detention').direct_grade).toBe('C');
    expect(catalogue.getOrThrow('police.drunk_driving').direct_grade).toBe('B');
  });

  it('keeps the government domain to public bodies', () => {
    for (const item of catalogue.typesForDomain('government')) {
      expect(item.subject_kinds).toEqual(['public_body']);
    }
  });

  it('carries no protected data category', () => {
    const protectedSet = new Set<string>(PROTECTED_CATEGORIES);
    expect(catalogue.items.filter((i) => protectedSet.has(i.data_category))).toEqual([]);
  });

  it('tells which source kinds may submit a type', () => {
    expect(catalogue.isAllowed('court.judgment_defaulter', 'court')).toBe(true);
    expect(catalogue.isAllowed('court.judgment_defaulter', 'bank')).toBe(false);
    expect(catalogue.isAllowed('telecom.fraud_involvement', 'police')).toBe(true);
    expect(catalogue.isAllowed('no.such_type', 'court')).toBe(false);
    for (const item of catalogue.typesForSourceKind('hospital')) {
      expect(item.source_kinds).toContain('hospital');
    }
  });

  it('refuses an unknown record type with invalid_input', () => {
    expect(catalogue.get('no.such_type')).toBeUndefined();
    const e = errorOf(() => catalogue.getOrThrow('no.such_type'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('unknown record type "no.such_type"');
  });

  it('cannot be changed after loading', () => {
    const item = catalogue.getOrThrow('tax.arrears');
    expect(() => {
      (item as { points: number }).points = 0;
    }).toThrow();
    expect(catalogue.getOrThrow('tax.arrears').points).toBe(item.points);
  });

  it('takes its identity from the file text', async () => {
    const text = await readFile(DEFAULT_CATALOGUE_PATH, 'utf8');
    expect(parseCatalogue(text).version).toBe(catalogue.version);
    expect(parseCatalogue(`${text}\n# edited\n`).version).not.toBe(catalogue.version);
  });
});

describe('product rule 2: protected data is refused', () => {
  it('refuses a protected data category, naming the rule and the item', () => {
    const text = fileWith(baseItem(), baseItem({ code: 'x.y', data_category: 'religion_or_belief' }));
    const e = errorOf(() => parseCatalogue(text));
    expect(e.code).toBe('protected_category');
    expect(e.message).toContain('items[1] (x.y)');
    expect(e.message).toContain('"religion_or_belief"');
    expect(e.message).toContain('product rule 2');
    expect(e.issues[0]).toMatchObject({ field: 'items[1].data_category', line: expect.any(Number) });
  });

  it('refuses every protected category however it is spelt', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROTECTED_CATEGORIES),
        fc.constantFrom('_', ' ', '-'),
        fc.boolean(),
        (category, separator, upper) => {
          let spelt = category.replace(/_/g, separator);
          if (upper) spelt = spelt.toUpperCase();
          const e = errorOf(() => parseCatalogue(fileWith(baseItem({ data_category: spelt }))));
          expect(e.code).toBe('protected_category');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a protected subject filed under a lawful category', () => {
    const e = errorOf(() =>
      parseCatalogue(
        fileWith(
          baseItem({ code: 'gov.petition_outside_channels', name: 'Petitioned outside the proper channels' }),
        ),
      ),
    );
    expect(e.code).toBe('protected_category');
    expect(e.message).toContain('gov.petition_outside_channels');
    expect(e.message).toContain('product rule 2');

    for (const name of [
      'Attended unregistered religious gatherings',
      'Took part in political activities',
      'Refused to give fingerprints',
      'Has a medical history of illness',
      'Joined a union; union member',
    ]) {
      const refused = errorOf(() => parseCatalogue(fileWith(baseItem({ code: 'x.conduct', name }))));
      expect(refused.code, name).toBe('protected_category');
    }
  });

  it('refuses a protected subject named in Chinese or French, or told in the description', () => {
    for (const name of [
      '非正常上访',
      '越级信访',
      'Attended an unregistered mosque',
      'House church gathering',
      'Membre du parti',
    ]) {
      const refused = errorOf(() => parseCatalogue(fileWith(baseItem({ code: 'x.conduct', name }))));
      expect(refused.code, name).toBe('protected_category');
      expect(refused.message, name).toContain('the name mentions');
    }
    const described = errorOf(() =>
      parseCatalogue(
        fileWith(
          baseItem({
            code: 'public_order.gathering',
            name: 'Unapproved gathering',
            description: '在未登记的清真寺聚会',
          }),
        ),
      ),
    );
    expect(described.code).toBe('protected_category');
    expect(described.message).toContain('the description mentions "清真寺"');
  });

  it('refuses synonyms, named groups and spelling tricks in any field, the legal basis and unknown ones included', () => {
    for (const over of [
      { name: 'Attended a faith meeting' },
      { name: 'Worship at an unregistered venue' },
      { name: 'Member of a sect' },
      { code: 'social.trade_union_dues', name: 'Dues deducted' },
      { code: 'social.labor_union', name: 'Membership' },
      { code: 'social.sex_life', name: 'Conduct' },
      { name: 'Took part in a protest' },
      { name: 'Online post criticising officials' },
      { name: 'Speech at a gathering' },
      { name: 'Medical data reported' },
      { name: 'Iris or face scan refused' },
      { name: 'Blood group' },
      { name: 'Sexual conduct' },
      { name: 'Race' },
      { name: 'Organised a strike' },
      { name: 'Complaints with the government' },
      { name: '信教群众' },
      { name: '越级上訪' },
      { name: 'Empreinte digitale refusée' },
      { name: 'Rеligious activity' }, // Cyrillic е
      { name: 'Reli\u200bgion' },
      { name: 'R e l i g i o n' },
      { name: '宗　教活动' },
      { name: 'Conduct', legal_basis: 'Regulations on Religious Affairs Art. 41' },
      { name: 'Conduct', religion: 'muslim' },
    ]) {
      const e = errorOf(() => parseCatalogue(fileWith(baseItem({ code: 'x.conduct', ...over }))));
      expect(e.code, JSON.stringify(over)).toBe('protected_category');
    }
    const basis = errorOf(() =>
      parseCatalogue(fileWith(baseItem({ code: 'x.conduct', legal_basis: 'Rules on HIV carriers' }))),
    );
    expect(basis.message).toContain('the legal_basis mentions "hiv"');
    expect(basis.issues[0]).toMatchObject({ field: 'items[0].legal_basis', line: expect.any(Number) });
  });

  it('does not mistake ordinary words for protected subjects', () => {
    const catalogue = parseCatalogue(
      fileWith(
        baseItem({ code: 'market.unfair_competition', name: 'Engaged in unfair competition' }),
        baseItem({
          code: 'court.bad_faith',
          name: 'Litigated in bad faith',
          data_category: 'court_judgment',
        }),
        baseItem({
          code: 'x.fund',
          name: 'Defrauded the medical security fund',
          legal_basis: 'Templeton rules',
        }),
      ),
    );
    expect(catalogue.items.map((i) => i.code)).toEqual([
      'market.unfair_competition',
      'court.bad_faith',
      'x.fund',
    ]);
  });
});

describe('schema and consistency problems', () => {
  it('accepts any lawful data category', () => {
    for (const category of LAWFUL_CATEGORIES) {
      const positive = ['commendation', 'volunteering', 'charity'].includes(category);
      const item = positive
        ? baseItem({ data_category: category, polarity: 'positive', points: 5 })
        : baseItem({ data_category: category });
      expect(parseCatalogue(fileWith(item)).get('test.item')?.data_category).toBe(category);
    }
  });

  it('reports every problem in a file in one error, each with its path and line', () => {
    const text = fileWith(
      baseItem({ code: 'a.one' }),
      baseItem({ code: 'Bad Code' }),
      baseItem({ code: 'a.three', severity: 'grave', source_kinds: ['army'] }),
      baseItem({ code: 'a.four', legal_basis: undefined, colour: 'red' }),
      baseItem({ code: 'a.five', points: 1.5, validity_years: 20 }),
    );
    const e = errorOf(() => parseCatalogue(text, 'bad.yaml'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('bad.yaml');
    const byField = new Map(e.issues.map((i) => [i.field, i]));
    expect([...byField.keys()].sort()).toEqual(
      [
        'items[1].code',
        'items[2].severity',
        'items[2].source_kinds[0]',
        'items[3].legal_basis',
        'items[3].colour',
        'items[4].points',
        'items[4].validity_years',
      ].sort(),
    );
    expect(byField.get('items[2].severity')?.message).toBe(
      'items[2].severity: expected one of minor|general|serious',
    );
    expect(byField.get('items[3].legal_basis')?.message).toContain('required');
    expect(byField.get('items[3].colour')?.message).toContain('unknown field');

    // Lines point into the file: the bad severity sits on its own line.
    const lines = text.split('\n');
    const severityLine = byField.get('items[2].severity')?.line;
    expect(severityLine).toBeDefined();
    expect(lines[severityLine! - 1]).toContain('severity: grave');
    // Every problem is also in the message, for a reader without the issue list.
    for (const issue of e.issues) expect(e.message).toContain(issue.message);
  });

  it('checks how fields relate to one another', () => {
    const text = fileWith(
      baseItem({ code: 'c.grade_on_general', direct_grade: 'C' }),
      baseItem({ code: 'c.positive_deducts', polarity: 'positive', points: -5 }),
      baseItem({ code: 'c.negative_adds', points: 5 }),
      baseItem({ code: 'c.serious_small', severity: 'serious', points: -50 }),
      baseItem({ code: 'c.gov_person', domain: 'government', subject_kinds: ['public_body', 'person'] }),
      baseItem({ code: 'c.empty_negative', points: 0 }),
      baseItem({ code: 'c.serious_award', polarity: 'positive', severity: 'serious', points: 10 }),
    );
    const e = errorOf(() => parseCatalogue(text));
    expect(e.code).toBe('invalid_input');
    const fields = e.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'items[0].direct_grade',
        'items[1].points',
        'items[2].points',
        'items[3].points',
        'items[4].subject_kinds',
        'items[5].points',
        'items[6].severity',
      ]),
    );
  });

  it('allows a zero-point positive status record and a direct grade on a serious negative type', () => {
    const catalogue = parseCatalogue(
      fileWith(
        baseItem({ code: 'c.performed', polarity: 'positive', severity: 'minor', points: 0 }),
        baseItem({ code: 'c.graded', severity: 'serious', points: 0, direct_grade: 'D' }),
      ),
    );
    expect(catalogue.get('c.graded')?.direct_grade).toBe('D');
    expect(catalogue.get('c.performed')?.list_triggers).toEqual([]);
  });

  it('a type that enters a black list must name its case; the flag is a boolean', () => {
    const e = errorOf(() =>
      parseCatalogue(
        fileWith(
          baseItem({
            code: 'c.listed',
            severity: 'serious',
            points: -100,
            list_triggers: ['black.some_list'],
          }),
          baseItem({ code: 'c.flag', requires_case_reference: 'yes' }),
        ),
      ),
    );
    expect(e.issues.map((i) => i.field)).toEqual([
      'items[0].requires_case_reference',
      'items[1].requires_case_reference',
    ]);
    const ok = parseCatalogue(
      fileWith(
        baseItem({
          code: 'c.listed',
          severity: 'serious',
          points: -100,
          list_triggers: ['black.some_list'],
          requires_case_reference: true,
        }),
      ),
    );
    expect(ok.get('c.listed')?.requires_case_reference).toBe(true);
  });

  it('the shipped listing, restriction and exit types require a case reference', async () => {
    const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
    for (const code of [
      'court.judgment_defaulter',
      'court.judgment_defaulter_refusing',
      'court.consumption_restriction',
      'court.judgment_performed',
      'court.settlement_reached',
      'court.listing_withdrawn',
      'court.enforcement_terminated',
      'employer.serious_wage_arrears',
      'employer.wage_arrears_paid',
      'tax.serious_evasion',
      'tax.evasion_settled',
    ])
      expect(catalogue.get(code)?.requires_case_reference, code).toBe(true);
    expect(catalogue.get('employer.wage_arrears')).toMatchObject({ severity: 'general', list_triggers: [] });
  });

  it('refuses duplicate codes', () => {
    const e = errorOf(() => parseCatalogue(fileWith(baseItem(), baseItem({ name: 'Another' }))));
    expect(e.code).toBe('invalid_input');
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]?.field).toBe('items[1].code');
    expect(e.issues[0]?.message).toContain('duplicate code "test.item"');
  });

  it('reports a YAML syntax error with its line', () => {
    const text = 'catalogue_version: "1"\nitems:\n  - code: a.b\n    name: [unclosed\n';
    const e = errorOf(() => parseCatalogue(text, 'broken.yaml'));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('broken.yaml');
    expect(e.issues[0]?.line).toBeGreaterThanOrEqual(4);
    expect(e.message).toMatch(/line \d+/);
  });

  it('refuses a file that is not a catalogue', () => {
    expect(errorOf(() => parseCatalogue('just text')).code).toBe('invalid_input');
    expect(errorOf(() => parseCatalogue('catalogue_version: "1"\nitems: []\n')).code).toBe('invalid_input');
  });

  it('says when the file cannot be read', async () => {
    await expect(loadCatalogueFile('/nonexistent/catalogue.yaml')).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
