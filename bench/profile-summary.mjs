// Summarises a V8 CPU profile (`.cpuprofile`, as `npm run bench -- check --profile FILE` writes):
// the share of samples spent in each function itself (self) and under it (total), and per source
// file. `node bench/profile-summary.mjs FILE [--top N] [--match TEXT]`; `--match` keeps the
// functions whose name or file contains TEXT.
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs FILE [--top N] [--match TEXT]\n');
  process.exit(2);
}
const opt = (k, d) => {
  const i = rest.indexOf(`--${k}`);
  return i >= 0 ? rest[i + 1] : d;
};
const top = Number(opt('top', '40'));
const match = opt('match', undefined);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Each sample weighs the time until the next (microseconds), so a sampler that falls behind on a
// busy machine does not skew the shares.
const self = new Map();
const deltas = profile.timeDeltas ?? [];
let total = 0;
profile.samples.forEach((id, i) => {
  const w = deltas[i + 1] ?? 0;
  self.set(id, (self.get(id) ?? 0) + w);
  total += w;
});

const short = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '~/')
    .replace(/^.*\/(src|bench|web)\//, '$1/');
const keyOf = (n) => {
  const f = n.callFrame;
  return `${f.functionName || '(anonymous)'} ${short(f.url)}:${f.lineNumber + 1}`;
};

const selfBy = new Map();
const totalBy = new Map();
const fileBy = new Map();
for (const [id, count] of self) {
  const n = byId.get(id);
  const k = keyOf(n);
  selfBy.set(k, (selfBy.get(k) ?? 0) + count);
  const f = short(n.callFrame.url) || `(${n.callFrame.functionName})`;
  fileBy.set(f, (fileBy.get(f) ?? 0) + count);
  // Each function on the stack once, however often it recurs.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const ck = keyOf(byId.get(cur));
    if (seen.has(ck)) continue;
    seen.add(ck);
    totalBy.set(ck, (totalBy.get(ck) ?? 0) + count);
  }
}

const pct = (c) => `${((100 * c) / total).toFixed(1).padStart(5)} %`;
const show = (title, m) => {
  console.log(`\n${title}`);
  [...m]
    .filter(([k]) => !match || k.includes(match))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, c]) => {
      console.log(`${pct(c)}  ${k}`);
    });
};
console.log(`${profile.samples.length} samples over ${(total / 1e6).toFixed(2)} s`);
show('self, by function', selfBy);
show('total (self and below), by function', totalBy);
show('self, by file', fileBy);

// `--tree TEXT`: the call tree under the functions whose key contains TEXT, merged, to `--depth`.
const treeOf = opt('tree', undefined);
if (treeOf) {
  const depth = Number(opt('depth', '4'));
  const inclusive = new Map();
  const add = (id) => {
    const n = byId.get(id);
    let t = self.get(id) ?? 0;
    for (const c of n.children ?? []) t += add(c);
    inclusive.set(id, t);
    return t;
  };
  add(profile.nodes[0].id);
  const merged = (ids, d, indent) => {
    if (d > depth) return;
    const groups = new Map();
    for (const id of ids) {
      const n = byId.get(id);
      const k = keyOf(n);
      const g = groups.get(k) ?? { t: 0, s: 0, kids: [] };
      g.t += inclusive.get(id);
      g.s += self.get(id) ?? 0;
      g.kids.push(...(n.children ?? []));
      groups.set(k, g);
    }
    [...groups]
      .sort((a, b) => b[1].t - a[1].t)
      .filter(([, g]) => g.t / total > 0.001)
      .forEach(([k, g]) => {
        console.log(`${pct(g.t)} ${pct(g.s)}  ${indent}${k}`);
        merged(g.kids, d + 1, `${indent}  `);
      });
  };
  // The outermost matching frames only, so that recursion is not counted twice.
  const roots = [];
  const walk = (id, inside) => {
    const n = byId.get(id);
    const hit = keyOf(n).includes(treeOf);
    if (hit && !inside) roots.push(id);
    for (const c of n.children ?? []) walk(c, inside || hit);
  };
  walk(profile.nodes[0].id, false);
  console.log(`\ntree under "${treeOf}" (total, self)`);
  merged(roots, 0, '');
}
