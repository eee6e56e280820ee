/**
 * Loading the demo into a store already scored and listed (`credence init; credence score;
 * credence lists recompute; credence demo`): a server rescores everyone only under a new policy
 * version, so the demo itself leaves every subject it stored records for scored and listed, as
 * ingestion does — a full rescoring and relisting afterwards finds nothing to change. SQLite only:
 * the refresh it calls runs on both backends in its own suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import { recomputeAllLists } from '../lists/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import { rescoreAllSubjects } from '../scoring/index.ts';
import { type DemoLoadResult, type DemoOptions, generateDemo, loadDemo } from './index.ts';

const TODAY = '2026-03-01';
const OPTIONS: DemoOptions = { persons: 400, organizations: 60, seed: 3, end: TODAY };
const operator: Principal = { id: 'operator:test', role: 'operator' };
const sqlite = testBackends().find((b) => b.name === 'sqlite')!;

describe('the demo loaded into a scored store', () => {
  let p: Platform;
  let cleanup: () => Promise<void>;
  let loaded: DemoLoadResult;
  const ctx = () => p.ctx(operator, 'test');
  const scoringDeps = () => ({ policy: p.scoringPolicy, catalogue: p.catalogue });
  /** Each list entry as a check reads it. */
  const entries = async () =>
    (await p.store.listListEntries())
      .map((e) => `${e.subjectId} ${e.listCode} ${e.status} ${e.from}..${e.until ?? ''} ${e.reasonCode}`)
      .sort();

  beforeAll(async () => {
    ({ platform: p, cleanup } = await sqlite.open({ clock: fixedClock(`${TODAY}T09:00:00Z`) }));
    // init, score, lists recompute: the policy versions are on file, so nothing rescores later.
    await rescoreAllSubjects({ ctx: ctx(), deps: scoringDeps(), input: {} });
    await recomputeAllLists({ ctx: ctx(), deps: listDeps(p), input: {} });
    const c = p.ctx(operator, 'load demo population');
    loaded = await loadDemo({
      ctx: c,
      input: { options: OPTIONS, catalogue: p.catalogue, refresh: (ids) => p.refreshSubjects(c, ids) },
    });
  }, 120_000);
  afterAll(async () => cleanup?.());

  it('scores every subject it stored records for', async () => {
    expect(loaded.records).toBeGreaterThan(0);
    const withRecords = new Set<string>();
    for (const item of generateDemo(OPTIONS, p.catalogue)) {
      if (item.kind !== 'record') continue;
      const s = item.record.subject;
      withRecords.add(s.kind === 'person' ? s.id_number : s.uscc);
    }
    const unscored: string[] = [];
    for (const identifier of withRecords) {
      const subject = await p.store.findSubjectByIdentifier(identifier);
      expect(subject, identifier).toBeDefined();
      if ((await p.store.listScores(subject!.id, p.scoringPolicy.version)).length === 0)
        unscored.push(identifier);
    }
    expect(unscored).toEqual([]);
    expect(loaded.refreshed).toBeGreaterThanOrEqual(withRecords.size);
  });

  it('leaves the scores and list entries a full rescoring and relisting would give', async () => {
    const listed = await entries();
    // The demo carries court listings: the check must find them.
    expect(listed.some((e) => e.includes(' black.'))).toBe(true);
    const latest = async () => {
      const out: string[] = [];
      for (const s of await p.store.listSubjectsForScoring()) {
        const [row] = await p.store.listScores(s.id, p.scoringPolicy.version);
        if (row) out.push(`${s.id} ${row.score} ${row.grade}`);
      }
      return out.sort();
    };
    const scoredByDemo = await latest();
    const relisted = await recomputeAllLists({ ctx: ctx(), deps: listDeps(p), input: {} });
    expect(relisted.changed).toBe(0);
    expect(relisted.notifications).toBe(0);
    expect(await entries()).toEqual(listed);
    await rescoreAllSubjects({ ctx: ctx(), deps: scoringDeps(), input: {} });
    const full = await latest();
    // Every subject the demo scored has the score a full rescoring gives it.
    const fullById = new Map(full.map((l) => [l.split(' ')[0], l]));
    for (const l of scoredByDemo) expect(fullById.get(l.split(' ')[0])).toBe(l);
  });
});
