/** Benchmark runner: `npm run bench -- <name> [--option value]…`; each bench prints one JSON line. */
const benches: Record<string, () => Promise<{ run: (args: Record<string, string>) => Promise<void> }>> = {
  ingest: () => import('./ingest.ts'),
  rescore: () => import('./rescore.ts'),
  check: () => import('./check.ts'),
  maintain: () => import('./maintain.ts'),
  audit: () => import('./audit.ts'),
  ratings: () => import('./ratings.ts'),
  ratings_http: () => import('./ratings-http.ts'),
  inspections: () => import('./inspections.ts'),
  search: () => import('./search.ts'),
};

const [name, ...rest] = process.argv.slice(2);
const args: Record<string, string> = {};
for (let i = 0; i < rest.length; i++) {
  const k = rest[i]!;
  if (!k.startsWith('--')) continue;
  const v = rest[i + 1];
  if (v === undefined || v.startsWith('--')) args[k.slice(2)] = 'true';
  else {
    args[k.slice(2)] = v;
    i++;
  }
}
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(2);
}
await (await load()).run(args);
