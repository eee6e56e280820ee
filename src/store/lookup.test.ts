/**
 * The name search on every backend against a plain reference (filter, tier, sort by the bytes of
 * the folded name): each of its ways of finding the names that contain a query — the first names
 * in order, the candidates of the backend's name index, the walk of every name — gives exactly the
 * reference's rows, never a person's, for Chinese parts of one to four characters (rare and
 * frequent, at the start, inside and at the end of names), characters outside the Basic
 * Multilingual Plane, Latin words in either case and codes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTestDatabase, testPostgresSkipReason } from '../../test/pg-server.ts';
import { foldAscii, lookupTuning } from './common/lookup.ts';
import { openStore, type Store, type SubjectRef } from './index.ts';
import type { Database } from './schema.ts';

const AT = '2026-03-01T09:00:00.000Z';
const actor = { actor: 'operator:test', role: 'operator', purpose: 'test', requestId: null };

const PLACES = ['成都锦江', '北京朝阳', '深圳南山', '上海浦东', '成都市锦江区', 'Shenzhen ', '广州𠮷野'];
const BRANDS = ['恒信', '华泰', '鑫源', '宏达', 'Apex', 'apex ', 'HengXin', '豈盛', '𠀀源'];
const LINES = ['科技', '贸易', '物流', '建筑工程', '餐饮管理'];
const ENDS = ['有限公司', '股份有限公司', '有限责任公司', ' Co., Ltd.'];
const ORGS = 3000;

/** A small deterministic generator (an LCG), so the names are the same on every run. */
const lcg = (seed: number) => () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const orgs: SubjectRef[] = [];
{
  const r = lcg(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  for (let k = 0; k < ORGS; k++) {
    const body = k % 10 === 9 ? `${pick(PLACES)}${pick(['教育局', '财政局', '第一中学'])}` : '';
    orgs.push({
      kind: body ? 'public_body' : 'organization',
      identifier: `91${String(k).padStart(16, '0')}`,
      name: body || `${pick(PLACES)}${pick(BRANDS)}${pick(LINES)}${pick(ENDS)}`,
    });
  }
}
/** Persons named like organizations: never to be found. */
const persons: SubjectRef[] = ['恒信', '成都锦江恒信科技有限公司', 'Apex', '局'].map((name, k) => ({
  kind: 'person',
  identifier: `1101051980010100${k}X`,
  name,
  birthDate: '1980-01-01',
  sex: 'male',
}));

const bytes = (s: string) => Buffer.from(s, 'utf8');
/** What a search must answer, computed plainly. */
const reference = (q: string, limit: number, code: string | null) => {
  const text = foldAscii(q);
  const hits: { identifier: string; match: string }[] = [];
  const byCode = code === null ? undefined : orgs.find((o) => o.identifier === code);
  if (byCode) hits.push({ identifier: byCode.identifier, match: 'code' });
  const named = orgs
    .filter((o) => o !== byCode && foldAscii(o.name).includes(text))
    .map((o) => ({ o, f: foldAscii(o.name), prefix: foldAscii(o.name).startsWith(text) }))
    .sort(
      (a, b) =>
        Number(b.prefix) - Number(a.prefix) ||
        Buffer.compare(bytes(a.f), bytes(b.f)) ||
        Buffer.compare(bytes(a.o.identifier), bytes(b.o.identifier)),
    );
  for (const n of named) hits.push({ identifier: n.o.identifier, match: n.prefix ? 'prefix' : 'contains' });
  return hits.slice(0, limit);
};

const QUERIES = [
  '恒信',
  '恒',
  '司',
  '公司',
  '有限公司',
  '锦江',
  '成都',
  '成都锦江恒信',
  'apex',
  'APEX',
  'hengxin',
  'Xin',
  '𠮷',
  '𠮷野',
  '野华',
  '豈',
  '𠀀源',
  '局',
  '育局',
  'co., ltd.',
  '科技有限',
  'zzz',
  '鑫源物流股份有限公司',
];

const TUNINGS = [
  { scanFirst: 5000, candidates: 2000 },
  { scanFirst: 0, candidates: 1_000_000 },
  { scanFirst: 0, candidates: 0 },
  { scanFirst: 40, candidates: 300 },
];

const backends = [
  {
    name: 'sqlite',
    skip: undefined as string | undefined,
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'credence-lookup-'));
      const store = await openStore({ backend: 'sqlite', file: join(dir, 'test.db') });
      return { store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    skip: testPostgresSkipReason(),
    open: async () => ({
      store: await openStore({ backend: 'postgres', url: await freshTestDatabase() }),
      cleanup: () => {},
    }),
  },
];

for (const b of backends) {
  describe.skipIf(Boolean(b.skip))(`name search on ${b.name}${b.skip ? ` (skipped: ${b.skip})` : ''}`, () => {
    let store: Store;
    let cleanup = () => {};
    const saved = { ...lookupTuning };

    beforeAll(async () => {
      ({ store, cleanup } = await b.open());
      await store.registerSubjects([...persons, ...orgs], AT, actor);
    });
    afterAll(async () => {
      Object.assign(lookupTuning, saved);
      await store?.close();
      cleanup();
    });

    const search = async (q: string, limit: number, code: string | null = null) =>
      (await store.lookup.searchNames({ text: q, code, limit, listCodes: [], today: '2026-03-01' })).map(
        (h) => ({ identifier: h.identifier, match: h.match }),
      );

    it('finds what the reference finds, in its order, whichever way it looks', async () => {
      for (const tuning of TUNINGS) {
        Object.assign(lookupTuning, tuning);
        for (const q of QUERIES)
          for (const limit of [1, 20, 50])
            expect(await search(q, limit), `${q} ${limit} ${JSON.stringify(tuning)}`).toEqual(
              reference(q, limit, null),
            );
      }
      Object.assign(lookupTuning, saved);
    });

    it('finds a name written by other means than the store (on SQLite once the store starts again)', async () => {
      const db = (store as unknown as { db: Kysely<Database> }).db;
      await db
        .insertInto('subjects')
        .values({
          kind: 'organization',
          identifier: '91ZZZZZZZZZZZZZZZZ',
          name: '外部写入银杏有限公司',
          birth_date: null,
          sex: null,
          legal_rep_id: null,
          created_at: AT,
          context_id: null,
        })
        .execute();
      await store.migrate();
      expect(await search('银杏', 20)).toEqual([{ identifier: '91ZZZZZZZZZZZZZZZZ', match: 'contains' }]);
      // And a store write after it keeps both.
      await store.registerSubjects(
        [{ kind: 'organization', identifier: '91YYYYYYYYYYYYYYYY', name: '银杏二号有限公司' }],
        AT,
        actor,
      );
      expect(await search('银杏', 20)).toEqual([
        { identifier: '91YYYYYYYYYYYYYYYY', match: 'prefix' },
        { identifier: '91ZZZZZZZZZZZZZZZZ', match: 'contains' },
      ]);
    });

    it('puts the code first, then the names, and never a person', async () => {
      const code = orgs[1234]!.identifier;
      expect(await search(code, 20, code)).toEqual(reference(code, 20, code));
      const named = orgs[77]!;
      expect((await search('公司', 5, named.identifier))[0]).toEqual({
        identifier: named.identifier,
        match: 'code',
      });
      expect(await search('x', 20, persons[0]!.identifier)).toEqual(reference('x', 20, null));
      const personIds = new Set(persons.map((p) => p.identifier));
      for (const q of ['恒信', 'Apex', '局', '成都锦江恒信科技有限公司'])
        for (const h of await search(q, 50)) expect(personIds.has(h.identifier)).toBe(false);
    });
  });
}
