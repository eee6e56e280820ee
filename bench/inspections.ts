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
 */
import { drawTargets, PrefixedHmac, targetsSnapshotHash } from '../src/supervision/draw.ts';
import {
  type DrawInput,
  type DrawTarget,
  drawPlan,
  loadSupervisionPolicy,
} from '../src/supervision/index.ts';
import { alternate, emit, intArg, log, median, peakRss, rng } from './util.ts';

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
    peak_rss_mb: Math.round(peakRss() / 2 ** 20),
    snapshot_hash_ms: Math.round(snapshotMs),
    targets_only_ms: Math.round(targetsOnlyMs),
    hmac_only_ms: Math.round(hmacOnlyMs),
    presorted_draw_ms: Math.round(presortedMs),
  });
};
