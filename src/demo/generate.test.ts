import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Catalogue,
  DEFAULT_CATALOGUE_PATH,
  LICENSING_SOURCE_KINDS,
  loadCatalogueFile,
  REGISTRABLE_SOURCE_KINDS,
  type SourceKind,
} from '../catalogue/index.ts';
import {
  ageOn,
  isMinorOn,
  LICENCE_KINDS,
  validateResidentId,
  validateSubjectIdentifier,
} from '../identity/index.ts';
import { checkLine, checkSubject } from '../ingest/index.ts';
import { isCredenceError } from '../shared/errors.ts';
import {
  countDemoItems,
  type DemoItem,
  type DemoOptions,
  demoSources,
  generateDemo,
  type RecordJson,
  type SubjectJson,
} from './index.ts';

const END = '2026-05-31';
const SMALL: DemoOptions = { persons: 2_000, organizations: 300, seed: 7, end: END };

let catalogue: Catalogue;
let items: DemoItem[];
let subjects: SubjectJson[];
let records: { source: string; record: RecordJson }[];

const person = (idNumber: string) => {
  const r = validateResidentId(idNumber);
  if (!r.ok) throw new Error(`${idNumber}: ${r.reason}`);
  return r;
};
const idOf = (s: SubjectJson) => (s.kind === 'person' ? s.id_number : s.uscc);
const sourceKindOf = new Map(demoSources().map((s) => [s.code, s.kind]));
const fingerprint = (xs: Iterable<DemoItem>) => {
  const h = createHash('sha256');
  for (const x of xs) h.update(`${JSON.stringify(x)}\n`);
  return h.digest('hex');
};

beforeAll(async () => {
  catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
  items = [...generateDemo(SMALL, catalogue)];
  subjects = items.flatMap((x) => (x.kind === 'subject' ? [x.subject] : []));
  records = items.flatMap((x) => (x.kind === 'record' ? [{ source: x.source, record: x.record }] : []));
});

describe('demoSources', () => {
  it('registers exactly one source per source kind, each citing its legal basis', () => {
    const sources = demoSources();
    expect(sources.map((s) => s.kind).sort()).toEqual([...REGISTRABLE_SOURCE_KINDS].sort());
    expect(new Set(sources.map((s) => s.code)).size).toBe(sources.length);
    for (const s of sources) {
      expect(s.code).toMatch(/^demo-[a-z-]+$/);
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.legalBasis).toMatch(/Law|Regulations|Provisions|Measures|Outline/);
    }
  });
});

describe('generateDemo', () => {
  it('is deterministic: the same options give the same items, another seed others', () => {
    expect(fingerprint(generateDemo(SMALL, catalogue))).toBe(fingerprint(items));
    expect(fingerprint(generateDemo({ ...SMALL, seed: 8 }, catalogue))).not.toBe(fingerprint(items));
  });

  it('counts beforehand exactly the items it yields, so a progress bar ends at 100 %', () => {
    expect(countDemoItems(SMALL, catalogue)).toBe(items.length);
    // README's population (`--persons 2000 --organizations 300`), whose estimate once overshot.
    for (const [seed, end] of [
      [1, '2025-06-01'],
      [2, '2026-06-01'],
      [3, '2026-09-01'],
    ] as const) {
      const options = { persons: 2_000, organizations: 300, seed, end };
      expect(countDemoItems(options, catalogue)).toBe([...generateDemo(options, catalogue)].length);
    }
    expect(countDemoItems({ ...SMALL, persons: 0, organizations: 0 }, catalogue)).toBe(0);
  });

  it('yields all subjects first — persons, organizations, public bodies — then records', () => {
    const kinds = items.map((x) => (x.kind === 'subject' ? x.subject.kind : 'record'));
    const order = ['person', 'organization', 'public_body', 'record'];
    for (let i = 1; i < kinds.length; i++) {
      expect(order.indexOf(kinds[i]!)).toBeGreaterThanOrEqual(order.indexOf(kinds[i - 1]!));
    }
    expect(kinds.filter((k) => k === 'person')).toHaveLength(SMALL.persons);
    const bodies = kinds.filter((k) => k === 'organization' || k === 'public_body');
    expect(bodies).toHaveLength(SMALL.organizations);
    // About 15 % of the organizations count are public bodies.
    expect(kinds.filter((k) => k === 'public_body')).toHaveLength(Math.round(SMALL.organizations * 0.15));
  });

  it('gives every subject a valid, unique identifier of the right kind that the registry accepts', () => {
    const ids = new Set<string>();
    for (const s of subjects) {
      const r = validateSubjectIdentifier(s.kind, idOf(s), { asOf: new Date(`${END}T00:00:00Z`) });
      expect(r, `${s.kind} ${idOf(s)}`).toMatchObject({ ok: true });
      expect(ids.has(idOf(s)), `duplicate ${idOf(s)}`).toBe(false);
      ids.add(idOf(s));
      expect(checkSubject(s)).not.toHaveProperty('reason');
      expect(s.name).toMatch(/^\p{Script=Han}{2,}$/u);
    }
  });

  it('gives persons a believable spread of ages, both sexes and unique professional licences', () => {
    const persons = subjects.filter((s) => s.kind === 'person');
    const ages = persons.map((p) => ageOn(person(p.id_number).birthDate, END));
    const minors = ages.filter((a) => a < 18).length;
    expect(minors).toBeGreaterThan(0);
    expect(minors / persons.length).toBeLessThan(0.1);
    expect(ages.filter((a) => a >= 70).length).toBeGreaterThan(0);
    const men = persons.filter((p) => person(p.id_number).sex === 'male').length;
    expect(men / persons.length).toBeGreaterThan(0.45);
    expect(men / persons.length).toBeLessThan(0.57);

    const licences = persons.flatMap((p) => p.licences ?? []);
    expect(new Set(licences.map((l) => l.number)).size).toBe(licences.length);
    for (const l of licences) expect(LICENCE_KINDS).toContain(l.kind);
    const share = (kind: string) => licences.filter((l) => l.kind === kind).length / persons.length;
    expect(share('doctor')).toBeGreaterThan(0.008);
    expect(share('doctor')).toBeLessThan(0.04);
    expect(share('teacher')).toBeGreaterThan(share('doctor'));
  });

  it('gives every organization and public body an adult legal representative from the persons', () => {
    const persons = new Map(
      subjects.flatMap((s) => (s.kind === 'person' ? [[s.id_number, s.name] as const] : [])),
    );
    const bodies = subjects.filter((s) => s.kind !== 'person');
    expect(bodies.length).toBe(SMALL.organizations);
    for (const b of bodies) {
      const rep = b.legal_representative;
      expect(rep, b.name).toBeDefined();
      expect(persons.get(rep!.id_number)).toBe(rep!.name);
      const birth = person(rep!.id_number).birthDate;
      expect(isMinorOn(birth, END)).toBe(false);
    }
  });

  it('names organizations and public bodies as registered bodies are named', () => {
    const bodies = subjects.filter((s) => s.kind !== 'person');
    const publicBodies = bodies.filter((b) => b.kind === 'public_body').map((b) => b.name);
    expect(
      publicBodies.every((n) => /(局|办公室|医院|保健院|小学|中学|幼儿园|馆|中心|福利院)$/.test(n)),
    ).toBe(true);
    const orgs = bodies.filter((b) => b.kind === 'organization').map((b) => b.name);
    expect(orgs.filter((n) => n.endsWith('公司')).length / orgs.length).toBeGreaterThan(0.6);
  });

  it('produces only records the record contract accepts from that source', () => {
    const today = END;
    for (const { source, record } of records) {
      const kind = sourceKindOf.get(source) as SourceKind;
      expect(kind, source).toBeDefined();
      const problem = checkLine(record, {
        catalogue,
        sourceCode: source,
        sourceKind: kind,
        sourceTypes: new Set(catalogue.typesForSourceKind(kind).map((t) => t.code)),
        today,
      });
      expect(problem, `${source} ${JSON.stringify(record)}`).not.toHaveProperty('reason');
    }
  });

  it('uses only catalogued types allowed for the source kind and subject kind, with fitting amounts', () => {
    for (const { source, record } of records) {
      const item = catalogue.get(record.type);
      expect(item, record.type).toBeDefined();
      expect(item!.source_kinds).toContain(sourceKindOf.get(source));
      expect(item!.subject_kinds).toContain(record.subject.kind);
      if (item!.amount === 'none') expect(record.amount, record.type).toBeUndefined();
      else expect(record.amount, record.type).toBeGreaterThan(0);
      if (item!.amount === 'months') expect(record.amount).toBeLessThanOrEqual(6);
      if (item!.amount === 'hours') {
        expect(record.amount).toBeGreaterThanOrEqual(10);
        expect(record.amount).toBeLessThanOrEqual(300);
      }
    }
  });

  it('numbers records uniquely per source and refers only to generated subjects', () => {
    const keys = new Set<string>();
    const byId = new Map(subjects.map((s) => [idOf(s), JSON.stringify(s)]));
    for (const { source, record } of records) {
      const key = `${source} ${record.source_record_id}`;
      expect(keys.has(key), key).toBe(false);
      keys.add(key);
      // The registry's subject, less a licence the source does not issue.
      const registered = JSON.parse(byId.get(idOf(record.subject))!);
      const sent = record.subject as { licences?: { kind: string }[] };
      if (registered.licences && !sent.licences) delete registered.licences;
      expect(record.subject).toEqual(registered);
      for (const l of sent.licences ?? [])
        expect(LICENSING_SOURCE_KINDS[l.kind]).toContain(demoSources().find((d) => d.code === source)!.kind);
    }
  });

  it('dates every record within the window, decided on or after it happened and disclosed after that', () => {
    const first = '2021-06-01';
    for (const { record: r } of records) {
      const dates = [r.occurred_at, r.decided_at, r.disclosed_at].filter((d): d is string => d !== undefined);
      for (const d of dates) {
        expect(d >= first && d <= END, `${r.type} ${d}`).toBe(true);
      }
      if (r.decided_at) expect(r.decided_at >= r.occurred_at).toBe(true);
      if (r.disclosed_at) expect(r.disclosed_at >= (r.decided_at ?? r.occurred_at)).toBe(true);
    }
  });

  it('never lists a person who was a minor on the decision date as a judgment defaulter', () => {
    const listed = records.filter(
      (x) => x.record.type.startsWith('court.judgment_defaulter') && x.record.subject.kind === 'person',
    );
    expect(listed.length).toBeGreaterThan(0);
    for (const { record } of listed) {
      const birth = person(idOf(record.subject)).birthDate;
      expect(isMinorOn(birth, record.decided_at!), idOf(record.subject)).toBe(false);
    }
  });

  it('refuses impossible options with a precise error', () => {
    const bad: Partial<DemoOptions>[] = [
      { persons: -1 },
      { organizations: 1.5 },
      { seed: Number.NaN },
      { end: '2026-02-30' },
      { years: 0 },
    ];
    for (const b of bad) {
      let error: unknown;
      try {
        generateDemo({ ...SMALL, ...b }, catalogue).next();
      } catch (e) {
        error = e;
      }
      expect(isCredenceError(error) && error.code === 'invalid_input', JSON.stringify(b)).toBe(true);
    }
    expect(() => generateDemo({ ...SMALL, persons: 0 }, catalogue).next()).toThrow(/legal representatives/);
  });
});

describe('a population of 20,000 persons and 3,000 organizations', () => {
  const options: DemoOptions = { persons: 20_000, organizations: 3_000, seed: 1, end: END };
  const negative = new Set<string>();
  const positive = new Set<string>();
  const bySource = new Map<string, number>();
  let total = 0;
  let recordCount = 0;
  let defaulters = 0;
  let performed = 0;
  let adults = 0;

  beforeAll(() => {
    for (const item of generateDemo(options, catalogue)) {
      total++;
      if (item.kind === 'subject') {
        const s = item.subject;
        if (s.kind === 'person' && !isMinorOn(person(s.id_number).birthDate, END)) adults++;
        continue;
      }
      recordCount++;
      const { record } = item;
      bySource.set(item.source, (bySource.get(item.source) ?? 0) + 1);
      if (record.subject.kind !== 'person') continue;
      const polarity = catalogue.get(record.type)!.polarity;
      (polarity === 'negative' ? negative : positive).add(record.subject.id_number);
      // Listed, or listed as able but refusing; ended by performance, settlement, withdrawal or the
      // end of enforcement (SPC 2017 art. 10).
      if (record.type.startsWith('court.judgment_defaulter')) defaulters++;
      if (
        [
          'court.judgment_performed',
          'court.settlement_reached',
          'court.listing_withdrawn',
          'court.enforcement_terminated',
        ].includes(record.type)
      )
        performed++;
    }
  });

  it('gives every listing, restriction and exit its case number', () => {
    for (const { record } of records) {
      if (catalogue.get(record.type)!.requires_case_reference)
        expect(record.evidence?.trim(), record.source_record_id).toBeTruthy();
    }
    const types = new Set(records.map((x) => x.record.type));
    expect(types).toContain('court.judgment_defaulter_refusing');
  });

  it('has records from every kind of source', () => {
    for (const s of demoSources()) expect(bySource.get(s.code) ?? 0, s.code).toBeGreaterThan(0);
  });

  it('leaves most persons without a negative record, while some have one', () => {
    expect(negative.size / options.persons).toBeGreaterThan(0.02);
    expect(negative.size / options.persons).toBeLessThan(0.15);
    expect(positive.size / options.persons).toBeGreaterThan(0.03);
    expect(positive.size / options.persons).toBeLessThan(0.08);
  });

  it('lists about 1 % of adults as judgment defaulters, a third of whom perform later', () => {
    expect(defaulters / adults).toBeGreaterThan(0.005);
    expect(defaulters / adults).toBeLessThan(0.02);
    expect(performed / defaulters).toBeGreaterThan(0.15);
    expect(performed / defaulters).toBeLessThan(0.5);
  });

  it('averages roughly half a record to one record per subject, counted exactly beforehand', () => {
    const subjectCount = options.persons + options.organizations;
    expect(recordCount / subjectCount).toBeGreaterThan(0.4);
    expect(recordCount / subjectCount).toBeLessThan(1.1);
    expect(countDemoItems(options, catalogue)).toBe(total);
  });
});
