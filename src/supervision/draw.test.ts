import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCredenceError } from '../shared/errors.ts';
import {
  type DrawInput,
  type DrawnPlan,
  type DrawTarget,
  drawCount,
  drawPlan,
  PrefixedHmac,
  type RosterInspector,
  rosterCanonicalText,
  rosterSnapshotHash,
  targetsCanonicalText,
  targetsSnapshotHash,
  verifyPlan,
} from './draw.ts';
import { loadSupervisionPolicy, RISK_CLASSES, type RiskClass } from './policy.ts';

const policy = await loadSupervisionPolicy();

/** A small seeded generator (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const uscc = (i: number) => `91350100${i.toString(36).toUpperCase().padStart(9, '0')}X`;
const SEED = createHash('sha256').update('public lottery 2026-07-01').digest('hex');

/** n organizations (A 40 %, B 45 %, C 12 %, D 3 %; 2 % red-listed), m inspectors with conflicts. */
const population = (n: number, m: number, seed = 1): DrawInput => {
  const random = rng(seed);
  const targets: DrawTarget[] = [];
  for (let i = 0; i < n; i++) {
    const u = random();
    const cls: RiskClass = u < 0.4 ? 'A' : u < 0.85 ? 'B' : u < 0.97 ? 'C' : 'D';
    targets.push({ id: uscc(i), class: cls, redListed: random() < 0.02 });
  }
  const roster: RosterInspector[] = [];
  for (let j = 0; j < m; j++)
    roster.push({
      id: `insp-${String(j).padStart(5, '0')}`,
      conflicts: Array.from({ length: 5 }, () => uscc(Math.floor(random() * n))),
    });
  const lastInspectors: Record<string, string[]> = {};
  for (let i = 0; i < n; i += 3)
    lastInspectors[uscc(i)] = [roster[Math.floor(random() * m)]!.id, roster[Math.floor(random() * m)]!.id];
  return { policyVersion: policy.version, seed: SEED, targets, roster, lastInspectors };
};

const big = population(100_000, 600);
const bigPlan = drawPlan(big, policy);

const drawnIds = (plan: DrawnPlan) => [...plan.assignments, ...plan.unassigned].map((a) => a.target);

describe('the inspection draw on 100,000 organizations', () => {
  it("draws each class's share within its ratio band, at its ratio", () => {
    const byId = new Map(big.targets.map((t) => [t.id, t]));
    for (const c of bigPlan.perClass) {
      const band = policy.ratios[c.class];
      const drawn = drawnIds(bigPlan).filter((id) => byId.get(id)!.class === c.class).length;
      expect(drawn).toBe(c.drawn);
      expect(c.population).toBe(big.targets.filter((t) => t.class === c.class && !t.redListed).length);
      expect(drawn / c.population).toBeGreaterThanOrEqual(band.min);
      expect(drawn / c.population).toBeLessThanOrEqual(band.max);
      expect(Math.abs(drawn - band.ratio * c.population)).toBeLessThanOrEqual(0.5);
    }
  });

  it('never draws a red-listed organization', () => {
    const red = new Set(big.targets.filter((t) => t.redListed).map((t) => t.id));
    expect(red.size).toBeGreaterThan(1000);
    expect(drawnIds(bigPlan).filter((id) => red.has(id))).toEqual([]);
  });

  it('is identical when re-run, whatever the order of the inputs, and verifyPlan says so', () => {
    const shuffled = {
      ...big,
      targets: [...big.targets].reverse(),
      roster: [...big.roster].reverse().map((r) => ({ ...r, conflicts: [...r.conflicts].reverse() })),
    };
    expect(drawPlan(shuffled, policy)).toEqual(bigPlan);
    expect(verifyPlan(bigPlan, big, policy)).toEqual({ identical: true, differences: [] });
  });

  it("changes when one organization's class changes, and verifyPlan says what", () => {
    const targets = big.targets.map((t, i) =>
      i === 12_345 ? { ...t, class: t.class === 'D' ? 'C' : 'D' } : t,
    );
    const changed = { ...big, targets } as DrawInput;
    const plan = drawPlan(changed, policy);
    expect(plan.targetsHash).not.toBe(bigPlan.targetsHash);
    expect(drawnIds(plan)).not.toEqual(drawnIds(bigPlan));
    const v = verifyPlan(bigPlan, changed, policy);
    expect(v.identical).toBe(false);
    expect(v.differences[0]).toBe(
      `target snapshot hash: published ${bigPlan.targetsHash}, re-run ${plan.targetsHash}`,
    );
    expect(v.differences.some((d) => /^target 91350100.*: drawn in the/.test(d))).toBe(true);
  });

  it('changes with the seed, and verifyPlan says so', () => {
    const other = { ...big, seed: createHash('sha256').update('another draw').digest('hex') };
    const plan = drawPlan(other, policy);
    expect(plan.perClass).toEqual(bigPlan.perClass);
    const same = new Set(drawnIds(bigPlan));
    // two independent draws of the same sizes share about the sampling ratio of their targets
    expect(drawnIds(plan).filter((id) => same.has(id)).length).toBeLessThan(same.size * 0.4);
    const v = verifyPlan(bigPlan, other, policy);
    expect(v.identical).toBe(false);
    expect(v.differences[0]).toBe(`seed: published ${SEED}, re-run ${other.seed}`);
  });

  it('notices a tampered assignment and a changed roster', () => {
    const tampered = structuredClone(bigPlan);
    const a = tampered.assignments[7]!;
    a.inspectors = [a.inspectors[1]!, 'insp-99999'];
    expect(verifyPlan(tampered, big, policy).differences).toEqual([
      `target ${a.target}: published class ${a.class}, inspectors ${a.inspectors.join(' and ')}; ` +
        `re-run class ${a.class}, inspectors ${bigPlan.assignments[7]!.inspectors.join(' and ')}`,
    ]);
    const roster = big.roster.slice(1);
    expect(verifyPlan(bigPlan, { ...big, roster }, policy).differences[0]).toMatch(/^roster snapshot hash: /);
  });

  it('never assigns a conflicted inspector, nor one who inspected the organization last time', () => {
    const conflicts = new Map(big.roster.map((r) => [r.id, new Set(r.conflicts)]));
    let checked = 0;
    const wrong: string[] = [];
    for (const a of bigPlan.assignments) {
      if (a.inspectors.length !== 2 || a.inspectors[0] === a.inspectors[1])
        wrong.push(`${a.target}: not a pair`);
      for (const i of a.inspectors) {
        if (conflicts.get(i)!.has(a.target)) wrong.push(`${a.target}: conflicted ${i}`);
        if ((big.lastInspectors[a.target] ?? []).includes(i)) wrong.push(`${a.target}: last time's ${i}`);
      }
      if (big.lastInspectors[a.target]) checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
    // the conflicts bite: some drawn targets had a conflicted inspector on the roster
    expect(
      bigPlan.assignments.filter((a) => big.roster.some((r) => r.conflicts.includes(a.target))).length,
    ).toBeGreaterThan(100);
  });

  it('holds the workload cap, draws high-risk targets first, and assigns every target it can', () => {
    const load = new Map<string, number>();
    for (const a of bigPlan.assignments) for (const i of a.inspectors) load.set(i, (load.get(i) ?? 0) + 1);
    expect(Math.max(...load.values())).toBeLessThanOrEqual(policy.workloadCap);
    expect(bigPlan.assignments.map((a) => a.class).join('')).toMatch(/^D*C*B*A*$/);
    // 600 inspectors × 60 = 36,000 places for 2 × 11,458 drawn: all assigned
    expect(bigPlan.unassigned).toEqual([]);
  });
});

describe('inspector assignment under pressure', () => {
  const small = (over: Partial<DrawInput>): DrawInput => ({
    policyVersion: policy.version,
    seed: SEED,
    targets: Array.from({ length: 40 }, (_, i) => ({ id: uscc(i), class: 'D' as const, redListed: false })),
    roster: [],
    lastInspectors: {},
    ...over,
  });

  it('leaves a target unassigned, with the reason, when no eligible pair is left', () => {
    const targets = [{ id: uscc(1), class: 'D' as const, redListed: false }];
    const roster = [
      { id: 'i1', conflicts: [uscc(1)] },
      { id: 'i2', conflicts: [] },
      { id: 'i3', conflicts: [] },
    ];
    const plan = drawPlan(small({ targets, roster, lastInspectors: { [uscc(1)]: ['i3'] } }), policy);
    expect(plan.assignments).toEqual([]);
    expect(plan.unassigned).toEqual([
      {
        target: uscc(1),
        class: 'D',
        reason:
          'only 1 of 2 inspectors eligible: of 3 on the roster, 1 declared a conflict, 1 inspected it last time, 0 reached the workload cap of 60',
      },
    ]);
    expect(drawPlan(small({ targets, roster: [] }), policy).unassigned[0]!.reason).toBe(
      'the roster is empty',
    );
  });

  it('fills inspectors up to the cap and no further; a conflicted one is never taken', () => {
    const roster = [
      { id: 'a', conflicts: [] },
      { id: 'b', conflicts: [] },
      { id: 'c', conflicts: [] },
      { id: 'x', conflicts: Array.from({ length: 40 }, (_, i) => uscc(i)) },
    ];
    const plan = drawPlan(small({ roster }), { ...policy, workloadCap: 5 });
    // 40 × 0.7 = 28 drawn; three eligible inspectors × 5 = 15 places: at most 7 pairs
    expect(plan.perClass.find((c) => c.class === 'D')!.drawn).toBe(28);
    expect(plan.assignments.length + plan.unassigned.length).toBe(28);
    const all = plan.assignments.flatMap((a) => a.inspectors);
    expect(all).not.toContain('x');
    const loads = ['a', 'b', 'c'].map((id) => all.filter((i) => i === id).length);
    for (const load of loads) expect(load).toBeLessThanOrEqual(5);
    // a target is left unassigned only when fewer than two inspectors have room
    expect(loads.filter((load) => load < 5).length).toBeLessThan(2);
    expect(plan.assignments.length).toBeGreaterThanOrEqual(6);
    expect(plan.unassigned[0]!.reason).toMatch(/reached the workload cap of 5$/);
  });
});

describe('a policy that draws red-listed organizations too', () => {
  it('counts them in the population and may draw them', () => {
    const input = population(5_000, 20, 3);
    const plan = drawPlan(input, { ...policy, redListed: { drawn: true } });
    const red = new Set(input.targets.filter((t) => t.redListed).map((t) => t.id));
    expect(plan.perClass.every((c) => c.redListed === 0)).toBe(true);
    expect(plan.perClass.reduce((s, c) => s + c.population, 0)).toBe(5_000);
    expect(drawnIds(plan).some((id) => red.has(id))).toBe(true);
  });
});

describe('inputs', () => {
  const base = population(50, 5);
  const refused = (input: DrawInput, pattern: RegExp) => {
    let error: unknown;
    try {
      drawPlan(input, policy);
    } catch (e) {
      error = e;
    }
    expect(isCredenceError(error) && error.code === 'invalid_input' && pattern.test(error.message)).toBe(
      true,
    );
  };

  it('refuses a repeated target, a bad id, a bad seed and another policy version', () => {
    refused({ ...base, targets: [...base.targets, { ...base.targets[3]!, class: 'D' }] }, /appears twice/);
    refused({ ...base, targets: [{ id: 'a,b', class: 'A', redListed: false }] }, /not a valid id/);
    refused({ ...base, seed: 'xyz' }, /seed must be hex/);
    refused({ ...base, policyVersion: 'f'.repeat(64) }, /not the policy's/);
    refused({ ...base, roster: [...base.roster, base.roster[0]!] }, /appears twice in the roster/);
  });
});

describe('the documented algorithm', () => {
  it('PrefixedHmac is HMAC-SHA256 of prefix and suffix', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          maxLength: 200,
        }),
        fc.string({
          unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
          maxLength: 96,
        }),
        (key, prefix, suffix) => {
          const out = new Int32Array(8);
          new PrefixedHmac(key, prefix).digest(suffix, out, 0);
          const ours = Buffer.from(new Uint32Array(Array.from(out, (w) => w >>> 0)).buffer);
          const theirs = createHmac('sha256', key)
            .update(prefix + suffix, 'latin1')
            .digest();
          expect(ours.swap32().toString('hex')).toBe(theirs.toString('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the snapshot texts are as documented', () => {
    const targets: DrawTarget[] = [
      { id: '91350100M000100Y0Q', class: 'B', redListed: false },
      { id: '11100000000013127D', class: 'A', redListed: true },
    ];
    const text = '11100000000013127D,A,1\n91350100M000100Y0Q,B,0\n';
    expect(targetsCanonicalText(targets)).toBe(text);
    expect(targetsSnapshotHash(targets)).toBe(createHash('sha256').update(text).digest('hex'));
    const roster = [
      { id: 'z', conflicts: ['b', 'a', 'b'] },
      { id: 'y', conflicts: [] },
    ];
    expect(rosterCanonicalText(roster)).toBe('y,\nz,a;b\n');
    expect(rosterSnapshotHash(roster)).toBe(createHash('sha256').update('y,\nz,a;b\n').digest('hex'));
  });

  it('the target snapshot is its lines sorted by bytes, whatever the ids (property)', () => {
    // a small alphabet with characters below and above "," so that ids are prefixes of each other
    const id = fc.string({
      unit: fc.constantFrom('!', '+', '-', '0', '9', 'A', 'z', '~'),
      minLength: 1,
      maxLength: 5,
    });
    const target = fc.record({
      id,
      class: fc.constantFrom(...RISK_CLASSES),
      redListed: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(target, { selector: (t) => t.id, maxLength: 60 }), (targets) => {
        const lines = targets.map((t) => `${t.id},${t.class},${t.redListed ? 1 : 0}\n`);
        lines.sort();
        expect(targetsCanonicalText(targets)).toBe(lines.join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('counts are ratio × population rounded half up, inside the band when a whole number fits', () => {
    expect(drawCount(1000, { ratio: 0.1, min: 0.05, max: 0.2 })).toBe(100);
    expect(drawCount(25, { ratio: 0.1, min: 0.05, max: 0.2 })).toBe(3); // 2.5 → 3
    expect(drawCount(10, { ratio: 0.03, min: 0, max: 0.05 })).toBe(0);
    expect(drawCount(1, { ratio: 0.7, min: 0.61, max: 1 })).toBe(1);
    expect(drawCount(4, { ratio: 0.1, min: 0.05, max: 0.2 })).toBe(0); // no whole number in 0.2..0.8
    expect(drawCount(19, { ratio: 0.3, min: 0.21, max: 0.6 })).toBe(6); // 5.7 → 6
    expect(drawCount(3, { ratio: 0.3, min: 0.21, max: 0.6 })).toBe(1); // 0.9 → 1
    expect(drawCount(2, { ratio: 0.1, min: 0.05, max: 0.6 })).toBe(1); // 0.2 → 0, band needs 1
  });

  it('a third-party implementation from the header, with node crypto, gives the same plan', () => {
    const input = population(3_000, 40, 7);
    const hex = (s: string) => createHash('sha256').update(s, 'latin1').digest('hex');
    const hmac = (msg: string) =>
      createHmac('sha256', Buffer.from(input.seed, 'hex')).update(msg, 'latin1').digest();
    const targetsHash = hex(
      input.targets
        .map((t) => `${t.id},${t.class},${t.redListed ? 1 : 0}\n`)
        .sort()
        .join(''),
    );
    const roster = input.roster
      .map((r) => `${r.id},${[...new Set(r.conflicts)].sort().join(';')}\n`)
      .sort()
      .map((line) => ({
        line,
        id: line.slice(0, line.indexOf(',')),
        conflicts: line.slice(line.indexOf(',') + 1, -1).split(';'),
      }));
    const rosterHash = hex(roster.map((r) => r.line).join(''));
    const drawn: Record<string, string[]> = {};
    for (const c of RISK_CLASSES) {
      const pop = input.targets.filter((t) => t.class === c && !t.redListed);
      const band = policy.ratios[c];
      let k = Math.floor((Math.round(band.ratio * 1e6) * pop.length + 500000) / 1e6);
      const lo = Math.ceil((Math.round(band.min * 1e6) * pop.length) / 1e6);
      const hi = Math.floor((Math.round(band.max * 1e6) * pop.length) / 1e6);
      if (lo <= hi) k = Math.min(Math.max(k, lo), hi);
      drawn[c] = pop
        .map((t) => ({ id: t.id, h: hmac(`target\n${policy.version}\n${targetsHash}\n${t.id}`) }))
        .sort((a, b) => Buffer.compare(a.h, b.h) || (a.id < b.id ? -1 : 1))
        .slice(0, k)
        .map((t) => t.id);
    }
    const m = roster.length;
    const load = new Array(m).fill(0);
    const assignments: { target: string; inspectors: string[] }[] = [];
    const history: string[] = [];
    for (const c of ['D', 'C', 'B', 'A'])
      for (const t of drawn[c]!) {
        const last = [...new Set(input.lastInspectors[t] ?? [])].sort();
        if (last.length) history.push(`${t},${last.join(';')}\n`);
        const taken: number[] = [];
        const ok = (i: number) =>
          !taken.includes(i) &&
          !roster[i]!.conflicts.includes(t) &&
          !last.includes(roster[i]!.id) &&
          load[i] < policy.workloadCap;
        const candidates: number[] = [];
        for (let j = 0; j < 16; j++) {
          const h = hmac(`inspector\n${policy.version}\n${rosterHash}\n${t}\n${j}`);
          for (let w = 0; w < 8; w++) {
            const x = h.readUInt32BE(4 * w);
            if (x < 2 ** 32 - (2 ** 32 % m)) candidates.push(x % m);
          }
        }
        for (let i = 0; i < m; i++) candidates.push(i);
        for (const i of candidates) if (taken.length < 2 && ok(i)) taken.push(i);
        if (taken.length === 2) {
          for (const i of taken) load[i]++;
          assignments.push({ target: t, inspectors: taken.map((i) => roster[i]!.id) });
        }
      }
    const plan = drawPlan(input, policy);
    expect(plan.targetsHash).toBe(targetsHash);
    expect(plan.rosterHash).toBe(rosterHash);
    expect(plan.historyHash).toBe(hex(history.sort().join('')));
    expect(plan.assignments.map((a) => ({ target: a.target, inspectors: a.inspectors }))).toEqual(
      assignments,
    );
    expect(plan.assignments.length).toBeGreaterThan(300);
  });
});
