/**
 * Search bench: `npm run bench -- search [--subjects N] [--organizations-share S] [--queries Q]
 * [--backend sqlite|postgres]`. Goal (issue 18): the public search's p99 ≤ 50 ms on a
 * 1,000,000-subject store, against a primary-key look-up of a subject in the same run.
 *
 * Population (seeded, the demo's generators): 12 % organizations and public bodies (China's ratio
 * of business entities to persons is about 180 million to 1.4 billion) with the demo's Chinese
 * names, 2 % of them Latin names; the rest persons, each organization with a legal
 * representative. Written through the store's own registry import (`registerSubjects`), so the
 * index is kept by the same triggers as in production; organizations get a grade and 3 % of them a
 * list entry in force, which the results show. PostgreSQL runs on a throwaway server started here
 * (the test suite's harness).
 *
 * Queries, through the search verb (validation, the store, the grade and list counts of each
 * hit; no HTTP): 30 % two Chinese characters and 30 % four taken from a random organization's name
 * at a random place, 20 % the start of a Latin name's word (3–5 letters, any case), 20 % a full
 * code; each followed by a look-up of a random subject by primary key. Warm-up first, untimed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { parseConfig } from '../src/config.ts';
import { fixedClock } from '../src/context.ts';
import { civilFromDay, dayFromCivil } from '../src/demo/calendar.ts';
import {
  generateOrganizations,
  generatePersons,
  isMale,
  personId,
  personName,
} from '../src/demo/population.ts';
import { Random } from '../src/demo/random.ts';
import { searchOrganizations } from '../src/lookup/index.ts';
import { openPlatform } from '../src/platform/index.ts';
import type { ListEntryRow, ScoreRow, SubjectRef } from '../src/store/index.ts';
import { emit, intArg, log, peakRss } from './util.ts';

const TODAY = '2026-03-01';
const BATCH = 10_000;
/** Latin trade names: pinyin brand words and English lines of business. */
const LATIN_BRANDS = [
  'Huaxin',
  'Hengtai',
  'Jinding',
  'Ruifeng',
  'Shengshi',
  'Yongsheng',
  'Jiahe',
  'Boyuan',
  'Tiancheng',
  'Zhonglian',
  'Haina',
  'Runda',
  'Xinrui',
  'Huitong',
  'Lanhai',
  'Zhuoyue',
];
const LATIN_LINES = [
  'Technology',
  'Trading',
  'Logistics',
  'Pharmaceutical',
  'Electronics',
  'Media',
  'Consulting',
];

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => Number(x.toFixed(3));
const dayText = (day: number) => {
  const s = String(civilFromDay(day));
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
};

export const run = async (args: Record<string, string>) => {
  const total = intArg(args, 'subjects', 1_000_000);
  const share = Number(args['organizations-share'] ?? 0.12);
  const nQueries = intArg(args, 'queries', 4000);
  const backend = args['backend'] ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error('--backend is sqlite or postgres');
  const nOrgs = Math.round(total * share);
  const nPersons = total - nOrgs;
  // --dir keeps the store there and reuses it when it already holds subjects (to iterate on queries).
  const kept = args['dir'];
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'credence-search-'));
  let stopPg: (() => Promise<void>) | undefined;
  try {
    let env: Record<string, string> = { DATA_DIR: dir, LOG_LEVEL: 'silent' };
    if (backend === 'postgres') {
      const { startPostgres, createDatabaseAt } = await import('../test/pg-server.ts');
      const server = await startPostgres();
      stopPg = () => server.stop();
      env = { ...env, DATABASE_URL: await createDatabaseAt(server.url, 'credence_search_bench') };
    }
    const platform = await openPlatform(parseConfig(env), { clock: fixedClock(`${TODAY}T09:00:00Z`) });
    const store = platform.store;
    const end = dayFromCivil(2026, 3, 1);
    log(`search bench (${backend}): generating ${nPersons} persons and ${nOrgs} organizations…`);
    const persons = generatePersons(new Random(18, 1), nPersons, end);
    const orgs = generateOrganizations(new Random(18, 2), nOrgs, persons, end);
    const random = new Random(18, 3);
    const latin: number[] = [];
    for (let j = 0; j < orgs.firstPublicBody; j++) {
      if (random.next() >= 0.02) continue;
      orgs.name[j] =
        `${random.pick(LATIN_BRANDS)} ${random.pick(LATIN_BRANDS)} ${random.pick(LATIN_LINES)} Co., Ltd.`;
      latin.push(j);
    }

    const t0 = Date.now();
    const have = Object.values(await store.countSubjects()).reduce((a, b) => a + b, 0);
    if (have === 0) {
      const actor = { actor: 'operator:bench', role: 'operator', purpose: 'bench', requestId: null };
      const at = `${TODAY}T09:00:00.000Z`;
      const person = (i: number): SubjectRef => ({
        kind: 'person',
        identifier: personId(persons, i),
        name: personName(persons, i),
        birthDate: dayText(persons.birth[i]!),
        sex: isMale(persons, i) ? 'male' : 'female',
      });
      for (let i = 0; i < nPersons; i += BATCH) {
        const refs = Array.from({ length: Math.min(BATCH, nPersons - i) }, (_, k) => person(i + k));
        await store.registerSubjects(refs, at, actor);
        if ((i / BATCH) % 10 === 0)
          log(`  ${i + refs.length} persons (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
      const orgIds: number[] = [];
      for (let j = 0; j < nOrgs; j += BATCH) {
        const refs = Array.from({ length: Math.min(BATCH, nOrgs - j) }, (_, k): SubjectRef => {
          const o = j + k;
          const rep = person(orgs.rep[o]!);
          return {
            kind: o < orgs.firstPublicBody ? 'organization' : 'public_body',
            identifier: orgs.uscc[o]!,
            name: orgs.name[o]!,
            legalRepresentative: {
              identifier: rep.identifier,
              name: rep.name,
              birthDate: rep.birthDate!,
              sex: rep.sex!,
            },
          };
        });
        for (const r of await store.registerSubjects(refs, at, actor))
          if (r.status !== 'rejected') orgIds.push(r.subjectId);
      }
      log(`  ${nOrgs} organizations (${((Date.now() - t0) / 1000).toFixed(0)} s); grades and list entries…`);
      const grades = ['AAA', 'AA', 'A', 'A', 'A', 'B', 'C'];
      for (let j = 0; j < orgIds.length; j += BATCH) {
        const rows: ScoreRow[] = orgIds.slice(j, j + BATCH).map((id, k) => ({
          subjectId: id,
          policyVersion: 'bench',
          asOf: TODAY,
          score: 1000,
          grade: grades[(j + k) % grades.length]!,
          domains: '{}',
          keyFactors: '[]',
          computedAt: at,
        }));
        await store.saveScores(rows);
      }
      const listedIds = orgIds.filter((_, k) => k % 33 === 0);
      const entries: ListEntryRow[] = listedIds.map((id) => ({
        subjectId: id,
        listCode: 'black.court_defaulters',
        status: 'active',
        from: '2025-06-01',
        until: '2027-06-01',
        reasonCode: 'LISTED_COURT_DEFAULTER',
        reasonRecords: [],
        note: 'bench',
        entry: '{}',
        policyVersion: 'bench',
        computedAt: at,
      }));
      for (let j = 0; j < listedIds.length; j += BATCH)
        await store.replaceListEntries(listedIds.slice(j, j + BATCH), entries.slice(j, j + BATCH));
    } else log(`reusing the ${have} subjects in ${dir}`);
    if (backend === 'postgres' && have === 0) {
      // As autovacuum would leave a table written long ago: statistics, and rows all-visible, so
      // a walk of the folded-name index reads the index alone.
      const { sql } = await import('kysely');
      await sql`vacuum analyze`.execute((store as unknown as { db: Kysely<unknown> }).db);
    }
    const buildSeconds = (Date.now() - t0) / 1000;
    log(`built in ${buildSeconds.toFixed(0)} s; querying…`);

    const chinese = Array.from({ length: nOrgs }, (_, j) => j).filter((j) => !latin.includes(j));
    const part = (n: number) => {
      const chars = Array.from(orgs.name[random.pick(chinese)]!);
      const at0 = random.int(Math.max(1, chars.length - n + 1));
      return chars.slice(at0, at0 + n).join('');
    };
    const kinds = ['cjk2', 'cjk4', 'latin_prefix', 'code'] as const;
    const pickKind = () => {
      const u = random.next();
      return u < 0.3 ? kinds[0] : u < 0.6 ? kinds[1] : u < 0.8 ? kinds[2] : kinds[3];
    };
    const query = (kind: (typeof kinds)[number]) => {
      if (kind === 'cjk2') return part(2);
      if (kind === 'cjk4') return part(4);
      if (kind === 'code') return orgs.uscc[random.int(nOrgs)]!;
      const word = random.pick(orgs.name[random.pick(latin)]!.split(' ').slice(0, 2));
      const prefix = word.slice(0, 3 + random.int(3));
      return random.next() < 0.5 ? prefix.toLowerCase() : prefix;
    };
    const ctx = platform.ctx({ id: 'public', role: 'public' }, 'bench');
    const deps = {
      lists: platform.lists,
      ratings: platform.ratings,
      scoring: { policy: platform.scoringPolicy, catalogue: platform.catalogue },
    };
    const ids = { min: 1, count: total };
    const time = async (f: () => Promise<unknown>) => {
      const t = process.hrtime.bigint();
      const r = await f();
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
    };
    const searchOnce = (q: string) => searchOrganizations({ ctx, input: { q }, deps });
    const pkOnce = () => store.findSubjectById(ids.min + random.int(ids.count));
    for (let i = 0; i < 300; i++) {
      await searchOnce(query(pickKind()));
      await pkOnce();
    }
    const byKind: Record<string, number[]> = Object.fromEntries(kinds.map((k) => [k, []]));
    const all: number[] = [];
    const pk: number[] = [];
    let hits = 0;
    let slowest = { ms: 0, q: '' };
    for (let i = 0; i < nQueries; i++) {
      const kind = pickKind();
      const q = query(kind);
      const s = await time(() => searchOnce(q));
      all.push(s.ms);
      byKind[kind]!.push(s.ms);
      hits += (s.r as { results: unknown[] }).results.length;
      if (s.ms > slowest.ms) slowest = { ms: s.ms, q };
      pk.push((await time(pkOnce)).ms);
    }
    const counts = await store.countSubjects();
    emit({
      bench: 'search',
      backend,
      subjects: counts.person + counts.organization + counts.public_body,
      organizations: counts.organization + counts.public_body,
      build_s: Math.round(buildSeconds),
      queries: nQueries,
      mean_hits: Number((hits / nQueries).toFixed(1)),
      search_p50_ms: ms(percentile(all, 50)),
      search_p99_ms: ms(percentile(all, 99)),
      baseline: 'primary-key look-up of a subject (store.findSubjectById), same run, interleaved',
      pk_p50_ms: ms(percentile(pk, 50)),
      pk_p99_ms: ms(percentile(pk, 99)),
      p99_ratio: Number((percentile(all, 99) / percentile(pk, 99)).toFixed(1)),
      goal_p99_ms: 50,
      by_kind: Object.fromEntries(
        kinds.map((k) => [
          k,
          {
            n: byKind[k]!.length,
            p50_ms: ms(percentile(byKind[k]!, 50)),
            p99_ms: ms(percentile(byKind[k]!, 99)),
          },
        ]),
      ),
      slowest: { ms: ms(slowest.ms), q: slowest.q },
      peak_rss_mb: Math.round(peakRss() / 2 ** 20),
    });
    await platform.close();
  } finally {
    await stopPg?.();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
};
