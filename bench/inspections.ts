/**
 * Inspections bench: `npm run bench -- inspections [--organizations N] [--inspectors M] [--rounds K]`.
 * `drawPlan` (snapshot hashes, the target draw in every class, two inspectors per drawn target)
 * over organizations whose classes are given, against sorting the same ids (`ids.slice().sort()`)
 * in the same run, in alternated rounds; medians reported. Goal (issue 17): ratio = sort / draw
 * ≥ 0.2 (the draw costs at most five sorts), peak RSS < 2 GB.
 *
 * Population (seeded): 1,000,000 organizations by default with random 18-character USCC-like ids in
 * no particular order (as a store scan by row id gives them), classes A 40 %, B 45 %, C 12 %, D 3 %,
 * 2 % red-listed; 5,000 inspectors with 3 declared conflicts each; a third of the organizations
 * with the two inspectors of their last inspection. Knock-outs, once each after the rounds: the
 * target snapshot hash alone (its sort of the canonical lines dominates), the targets drawn
 * without inspectors, the million target HMACs alone, and the draw over targets given sorted by id
 * (as an index scan by USCC would give them, allocated in that order).
 *
 * The store's part (`store_…` figures), on SQLite or with `--backend postgres` on a private durable
 * PostgreSQL (or `DATABASE_URL`'s server, see benchBackend): the same organizations written into
 * the store (untimed, bench/store-rows.ts) with a score each (its grade after the class drawn
 * above; no list entries, no records), then `classify` — the facts of every organization read as a
 * plan reads them (`listSupervisionFacts`) and classed — against the facts' main query (subjects
 * with their latest grade) through the bare driver (better-sqlite3, or pg on the same PostgreSQL),
 * in alternated rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseConfig } from '../src/config.ts';
import { openPlatform } from '../src/platform/index.ts';
import { drawTargets, PrefixedHmac, targetsSnapshotHash } from '../src/supervision/draw.ts';
import {
  classify,
  type DrawInput,
  type DrawTarget,
  drawPlan,
  loadSupervisionPolicy,
} from '../src/supervision/index.ts';
import { openRowWriter, SUBJECT_COLUMNS } from './store-rows.ts';
import { alternate, benchBackend, emit, intArg, log, median, peakRss, rng } from './util.ts';

/** A grade per class drawn (the store's classes follow from the policy, not from this). */
const GRADE_OF = { A: 'AA', B: 'A', C: 'B', D: 'DA' } as const;

/** The facts' main query, as listSupervisionFacts states it. */
const FACTS = `select s.id, s.kind, s.identifier, s.name,
    (select g.grade from scores g where g.subject_id = s.id order by g.as_of desc, g.computed_at desc limit 1) as grade
  from subjects s where s.kind in ('organization', 'public_body') order by s.id`;

// GB 32100-2015: the USCC's alphabet (digits and capitals without I, O, Z, S, V).
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const run = async (args: Record<string, string>) => {
  const nOrgs = intArg(args, 'organizations', 1_000_000);
  const nInspectors = intArg(args, 'inspectors', 5_000);
  const rounds = intArg(args, 'rounds', 3);
  const policy = await loadSupervisionPolicy();
  const random = rng(17);

  log(
    `building ${nOrgs.toLocaleString('en')} organizations and ${nInspectors.toLocaleString('en')} inspectors…`,
  );
  const seen = new Set<string>();
  const ids: string[] = [];
  while (ids.length < nOrgs) {
    let id = '91';
    for (let k = 0; k < 16; k++) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  seen.clear();
  const targets: DrawTarget[] = ids.map((id) => {
    const u = random();
    return {
      id,
      class: u < 0.4 ? 'A' : u < 0.85 ? 'B' : u < 0.97 ? 'C' : 'D',
      redListed: random() < 0.02,
    };
  });
  const roster = Array.from({ length: nInspectors }, (_, j) => ({
    id: `insp-${String(j).padStart(6, '0')}`,
    conflicts: Array.from({ length: 3 }, () => ids[Math.floor(random() * nOrgs)]!),
  }));
  const lastInspectors: Record<string, string[]> = {};
  for (let i = 0; i < nOrgs; i += 3)
    lastInspectors[ids[i]!] = [
      roster[Math.floor(random() * nInspectors)]!.id,
      roster[Math.floor(random() * nInspectors)]!.id,
    ];
  const input: DrawInput = {
    policyVersion: policy.version,
    seed: 'c0ffee'.repeat(10) + 'abcd',
    targets,
    roster,
    lastInspectors,
  };

  const timeIt = <T>(f: () => T): { ms: number; value: T } => {
    globalThis.gc?.();
    const t = process.hrtime.bigint();
    const value = f();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
  };

  let plan = drawPlan(input, policy); // warm-up (JIT), and the figures of the plan
  const { baseline, ours } = await alternate(
    rounds,
    async () => timeIt(() => ids.slice().sort()).ms,
    async () => {
      const r = timeIt(() => drawPlan(input, policy));
      plan = r.value;
      return r.ms;
    },
  );
  const [baseMs, drawMs] = [median(baseline), median(ours)];

  log('knock-outs…');
  const snapshotMs = timeIt(() => targetsSnapshotHash(targets)).ms;
  const targetsOnlyMs = timeIt(() => drawTargets(input, policy)).ms;
  const hmac = new PrefixedHmac(
    Buffer.from(input.seed, 'hex'),
    `target\n${policy.version}\n${'0'.repeat(64)}\n`,
  );
  const out = new Int32Array(8);
  const hmacOnlyMs = timeIt(() => {
    for (let i = 0; i < nOrgs; i++) hmac.digest(ids[i]!, out, 0);
  }).ms;
  // Fresh objects in id order, laid out in memory in that order as a store scan would allocate them
  // (sorting the same objects instead would measure cache misses on a scattered heap).
  const sorted: DrawTarget[] = JSON.parse(
    JSON.stringify([...targets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))),
  );
  const presortedMs = timeIt(() => drawPlan({ ...input, targets: sorted }, policy)).ms;

  const drawPeak = peakRss(); // before the store's part
  const store = await benchBackend(args, 'credence_inspections_bench');
  const dir = mkdtempSync(join(tmpdir(), 'credence-inspections-'));
  let sf: Record<string, unknown>;
  try {
    const config = parseConfig({ ...store.env, DATA_DIR: dir });
    const clock = { now: () => new Date('2026-06-30T09:00:00.000Z') };
    await (await openPlatform(config, { clock })).close();
    log(`store (${store.backend}): writing the ${nOrgs} organizations with a score each…`);
    const w = await openRowWriter(config.store);
    const at = '2026-06-30T00:00:00.000Z';
    await w.insert(
      'subjects',
      SUBJECT_COLUMNS,
      targets.map((t, i) => [i + 1, 'organization', t.id, `企业${i}`, at]),
    );
    await w.syncKey('subjects');
    await w.insert(
      'scores',
      [
        ['subject_id', 'bigint'],
        ['policy_version', 'text'],
        ['as_of', 'text'],
        ['score', 'integer'],
        ['grade', 'text'],
        ['domains', 'text'],
        ['key_factors', 'text'],
        ['computed_at', 'text'],
      ],
      targets.map((t, i) => [i + 1, 'bench', '2026-06-30', 1000, GRADE_OF[t.class], '{}', '[]', at]),
    );
    if (w.backend === 'postgres') await w.all('analyze');
    await w.close();
    const p = await openPlatform(config, { clock });
    try {
      const bare = async () => {
        globalThis.gc?.();
        const t0 = process.hrtime.bigint();
        let n: number;
        if (config.store.backend === 'sqlite') {
          const raw = new Database(config.store.file, { readonly: true });
          n = raw.prepare(FACTS).raw().all().length;
          raw.close();
        } else {
          const client = new pg.Client({ connectionString: config.store.url });
          await client.connect();
          n = (await client.query({ text: FACTS, rowMode: 'array' })).rows.length;
          await client.end();
        }
        if (n !== nOrgs) throw new Error(`the bare query gave ${n} rows`);
        return Number(process.hrtime.bigint() - t0) / 1e6;
      };
      let classes: Record<string, number> = {};
      const ours = async () => {
        globalThis.gc?.();
        const t0 = process.hrtime.bigint();
        const classed = await classify(p.ctx({ id: 'operator:bench', role: 'operator' }, 'bench: classes'), {
          policy: p.supervisionPolicy,
          catalogue: p.catalogue,
          lists: p.lists,
          scoringPolicy: p.scoringPolicy,
        });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (classed.length !== nOrgs) throw new Error(`classify gave ${classed.length} organizations`);
        classes = {};
        for (const c of classed) classes[c.class] = (classes[c.class] ?? 0) + 1;
        return ms;
      };
      log(`store: classify against the bare query, ${rounds} alternated rounds…`);
      const r = await alternate(rounds, bare, ours);
      sf = {
        store_classify_ms: Math.round(median(r.ours)),
        store_baseline:
          store.backend === 'postgres'
            ? 'the facts query (organizations with their latest grade) through pg on the same PostgreSQL'
            : 'the facts query (organizations with their latest grade) through better-sqlite3',
        store_baseline_ms: Math.round(median(r.baseline)),
        store_ratio: Number((median(r.baseline) / median(r.ours)).toFixed(3)),
        store_rounds: r.ours.map((o, i) => Number((r.baseline[i]! / o).toFixed(3))),
        store_classes: classes,
      };
    } finally {
      await p.close();
    }
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const drawn = plan.perClass.reduce((s, c) => s + c.drawn, 0);
  emit({
    bench: 'inspections',
    organizations: nOrgs,
    inspectors: nInspectors,
    rounds,
    drawn,
    assigned: plan.assignments.length,
    unassigned: plan.unassigned.length,
    draw_ms: Math.round(drawMs),
    baseline_sort_ms: Math.round(baseMs),
    ratio: Number((baseMs / drawMs).toFixed(3)),
    peak_rss_mb: Math.round(drawPeak / 2 ** 20),
    snapshot_hash_ms: Math.round(snapshotMs),
    targets_only_ms: Math.round(targetsOnlyMs),
    hmac_only_ms: Math.round(hmacOnlyMs),
    presorted_draw_ms: Math.round(presortedMs),
    ...sf,
    store_peak_rss_mb: Math.round(peakRss() / 2 ** 20),
    backend: store.backend,
    ...(store.durable === undefined ? {} : { durable: store.durable }),
  });
};
