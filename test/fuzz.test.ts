/**
 * Fuzzing the ways in (fast-check): 10,000 record lines, valid ones and ones mutated with wrong
 * types, huge strings, control characters, bidirectional overrides, prototype keys, bad dates, big
 * numbers and bad identifiers, go through the record contract and through `POST /v1/records` on
 * every backend; random bodies and query strings go to other routes. Nothing crashes, nothing
 * answers 5xx, and every refused line names its line and field.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerSource, startTestApp, type TestApp, TODAY } from '../src/api/test-app.ts';
import { type Catalogue, DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../src/catalogue/index.ts';
import { makeResidentId } from '../src/identity/index.ts';
import { type CheckEnv, checkLine } from '../src/ingest/record-line.ts';
import { suiteTitle, testBackends } from './platforms.ts';

const LINES = 10_000;
const SEED = 20_260_301;

/** Characters a hostile or careless source might put in text. */
const NASTY = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u200f',
  '\ud800',
  'e\u0301',
  '\n',
  '\t',
];

const validLine = fc
  .record({
    n: fc.nat(1_000_000),
    order: fc.integer({ min: 1, max: 999 }),
    birth: fc.date({ min: new Date('1930-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }),
    occurred: fc.date({
      min: new Date('2000-01-01'),
      max: new Date(`${TODAY}T00:00:00Z`),
      noInvalidDate: true,
    }),
    name: fc.constantFrom('张伟', '李娜', 'Zhang San', 'José Li', 'ئابدۇكېرىم'),
    amount: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
    note: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  })
  .map((v) => {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return {
      source_record_id: `fz-${v.n}`,
      type: 'court.contract_lawsuit_lost',
      subject: {
        kind: 'person',
        id_number: makeResidentId('110105', day(v.birth), v.order),
        name: v.name,
      },
      occurred_at: day(v.occurred),
      ...(v.amount !== undefined ? { amount: v.amount } : {}),
      ...(v.note !== undefined ? { note: v.note } : {}),
    } as Record<string, unknown>;
  });

const FIELDS = [
  'source_record_id',
  'type',
  'subject',
  'occurred_at',
  'decided_at',
  'amount',
  'evidence',
  'note',
  'action',
  'reason',
];
const SUBJECT_FIELDS = ['kind', 'id_number', 'name', 'licences', 'uscc', 'legal_representative'];

const wrongValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e13 + 1, 1e308, -0, 2 ** 53 + 1, 0.1 + 0.2, [], {}, [[[]]], ''),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 3_000, maxLength: 6_000 }),
  fc.constantFrom(
    '2026-02-30',
    '2026-13-01',
    '1899-12-31',
    '9999-12-31',
    '2027-01-01',
    '26-03-01',
    '２０２５-01-01',
  ),
  fc.constantFrom(
    '11010519491231002Y',
    '000000000000000000',
    '91110000600037341M',
    'x'.repeat(18),
    '１１０１０５',
  ),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...NASTY), fc.string({ maxLength: 10 }))
    .map((t) => t.join('')),
  fc.jsonValue({ maxDepth: 3 }),
);

type Mutation = (line: Record<string, unknown>) => unknown;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), wrongValue).map(([f, v]) => (l: Record<string, unknown>) => ({
    ...l,
    [f]: v,
  })),
  fc.tuple(fc.constantFrom(...SUBJECT_FIELDS), wrongValue).map(([f, v]) => (l: Record<string, unknown>) => ({
    ...l,
    subject: { ...(l.subject as object), [f]: v },
  })),
  fc.constantFrom(...FIELDS).map((f) => (l: Record<string, unknown>) => {
    const { [f]: _, ...rest } = l;
    return rest;
  }),
  fc
    .tuple(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'colour', 'a\u0000b', '\u202eevil'),
      wrongValue,
    )
    .map(([k, v]) => (l: Record<string, unknown>) => {
      const o = { ...l };
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    }),
  fc.constantFrom<Mutation>(
    () => null,
    () => [],
    () => 'text',
    () => 42,
    (l) => [l],
    (l) => ({ action: 'withdraw', source_record_id: l.source_record_id, reason: 'x\u0000' }),
    (l) => ({ ...l, action: 'correct', reason: 'fixed\nthe amount' }),
    (l) => {
      let deep: unknown = l;
      for (let i = 0; i < 200; i++) deep = { subject: deep };
      return deep;
    },
  ),
);

/** Valid lines, and lines with one to three mutations (three in four lines). */
const fuzzLine = fc
  .tuple(validLine, fc.array(mutation, { maxLength: 3 }), fc.nat(3))
  .map(([l, ms, keep]) =>
    keep === 0
      ? l
      : ms.reduce<unknown>(
          (v, m) => (v && typeof v === 'object' && !Array.isArray(v) ? m(v as Record<string, unknown>) : v),
          l,
        ),
  );

/** As a source would send it: JSON text (one line of NDJSON). */
const lines: string[] = fc
  .sample(fuzzLine, { numRuns: LINES, seed: SEED })
  .map((v) => JSON.stringify(v) ?? 'null');

describe('fuzzing the record contract', () => {
  let env: CheckEnv;
  beforeAll(async () => {
    const catalogue: Catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
    env = {
      catalogue,
      sourceCode: 'court-a',
      sourceKind: 'court',
      sourceTypes: new Set(['court.contract_lawsuit_lost']),
      today: TODAY,
    };
  });

  it(`checks ${LINES.toLocaleString('en')} random and mutated lines without a crash, each refusal naming its field`, () => {
    let refused = 0;
    for (const text of lines) {
      const r = checkLine(JSON.parse(text), env);
      if ('field' in r) {
        refused++;
        expect(r.field).toMatch(/^\S+$/);
        expect(r.reason.length).toBeGreaterThan(0);
      }
    }
    // Both kinds are exercised.
    expect(refused).toBeGreaterThan(LINES / 2);
    expect(refused).toBeLessThan(LINES);
  });
});

/** Every byte of the text's UTF-8 percent-encoded (encodeURIComponent throws on a lone surrogate). */
const percentEncoded = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** Packs NDJSON lines into bodies under `max` bytes (the default body limit is 64 KiB). */
const batches = (all: string[], max: number): string[][] => {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = 0;
  for (const l of all) {
    const n = Buffer.byteLength(l) + 1;
    if (size + n > max && cur.length) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(l);
    size += n;
  }
  if (cur.length) out.push(cur);
  return out;
};

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('fuzzing the HTTP way in', backend), () => {
    let t: TestApp;
    let court: string;
    beforeAll(async () => {
      t = await startTestApp({ backend });
      court = await registerSource(t, 'fuzz-court', 'court');
    });
    afterAll(async () => t.close());

    it(`answers ${LINES.toLocaleString('en')} lines in NDJSON batches line by line, never 5xx`, async () => {
      let stored = 0;
      let rejected = 0;
      for (const batch of batches(lines, 60_000)) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/records',
          headers: bearer(court, { 'content-type': 'application/x-ndjson' }),
          payload: batch.join('\n'),
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json() as {
          results: { line: number; status: string; field?: string; reason?: string }[];
        };
        expect(body.results.map((r) => r.line)).toEqual(batch.map((_, i) => i + 1));
        for (const r of body.results) {
          if (r.status === 'rejected') {
            rejected++;
            expect(r.field, JSON.stringify(r)).toMatch(/^\S+$/);
            expect(r.reason?.length).toBeGreaterThan(0);
          } else if (r.status === 'stored') stored++;
        }
      }
      expect(stored).toBeGreaterThan(0);
      expect(rejected).toBeGreaterThan(0);
    });

    it('answers the same lines as JSON arrays with a result per item, never 5xx', async () => {
      for (const batch of batches(lines.slice(0, 2_000), 60_000)) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/records',
          headers: bearer(court, { 'content-type': 'application/json' }),
          payload: `[${batch.join(',')}]`,
        });
        // Fastify's JSON parser refuses a body holding a __proto__ or constructor key outright
        // (NDJSON lines are parsed one by one, and such a line is refused on its own line).
        if (res.statusCode === 400) {
          expect(batch.some((l) => /"(__proto__|constructor)"/.test(l))).toBe(true);
          continue;
        }
        expect(res.statusCode, res.body).toBe(200);
        const results = (res.json() as { results: { field?: string; status: string }[] }).results;
        expect(results).toHaveLength(batch.length);
        for (const r of results) if (r.status === 'rejected') expect(r.field).toMatch(/^\S+$/);
      }
    });

    it('answers random bodies and query strings on other routes with 2xx or 4xx, a 400 naming its field', async () => {
      const routes = [
        { method: 'POST' as const, url: '/v1/sources' },
        { method: 'POST' as const, url: '/v1/tokens' },
        { method: 'POST' as const, url: '/v1/relying-parties' },
        { method: 'POST' as const, url: '/v1/checks' },
      ];
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.record(
          { code: wrongValue, kind: wrongValue, name: wrongValue, label: wrongValue, role: wrongValue },
          {
            requiredKeys: [],
          },
        ),
        fc.record({ measure: wrongValue, subjects: fc.array(wrongValue, { maxLength: 5 }) }),
      );
      const samples = fc.sample(fc.tuple(fc.constantFrom(...routes), body, wrongValue), {
        numRuns: 400,
        seed: SEED,
      });
      for (const [route, payload, q] of samples) {
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          headers: bearer(t.operator, { 'content-type': 'application/json', 'x-purpose': 'fuzz' }),
          payload: JSON.stringify(payload) ?? 'null',
        });
        expect(res.statusCode, `${route.url} ${res.body}`).toBeLessThan(500);
        if (res.statusCode === 400) expect(res.json().error.message.length).toBeGreaterThan(0);
        const search = await t.app.inject({
          url: `/v1/public/search?q=${percentEncoded(typeof q === 'string' ? q : (JSON.stringify(q) ?? ''))}`,
        });
        expect(search.statusCode, search.body).toBeLessThan(500);
        if (search.statusCode === 400) expect(search.json().error.issues[0].field).toMatch(/^\S+$/);
      }
    });
  });
}
