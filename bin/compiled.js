// Starts a TypeScript entry point from one compiled bundle of it, kept beside node_modules and
// rebuilt only when a source file changes; without a bundle (no write access, no esbuild), through
// tsx as before. Plain JavaScript, so it runs before any TypeScript loader.
//
// Why: tsx compiles each module on the fly and resolves every import through a loader thread. For
// the CLI's 230 modules that costs about as much as running them: `credence --help` took 2.3 s,
// 1.2 s from one bundle (ARCHITECTURE.md). The bundle holds the project's sources only; packages
// stay in node_modules and load as they always did.
//
// - Fresh: a manifest lists every source file the bundle was made from with its size and mtime;
//   a file that differs in either (edited, checked out, deleted) makes the bundle stale.
// - `import.meta.url` in a source file is rewritten to that file's own URL, relative to the
//   bundle, so paths built from it (policies/, web/, worker scripts) are the ones the file names.
// - Concurrent starts: each build writes a bundle of its own name, and the manifest, renamed into
//   place, names the one in use; bundles that no manifest names are removed after a while. A
//   process loads its bundle's chunks as it starts (the one lazy import, the API server, is taken
//   by `start` at once), so a long-running server does not need its bundle on disk afterwards.
// - Stack traces point into the .ts sources (linked source map).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
/** The project's folder. */
export const ROOT = dirname(import.meta.dirname);
/** The command line, and the worker threads it starts whose code is TypeScript. */
export const CLI = {
  entry: 'src/cli/main.ts',
  workers: ['src/ingest/check-worker.ts', 'src/ratings/engine-worker.ts'],
};
/** Bumped whenever the build's options below change, so older bundles count as stale. */
const FORMAT = 1;
/** Files besides the bundled sources whose change makes a bundle stale: esbuild reads the first. */
const also = (root) => ['tsconfig.json', relative(root, import.meta.filename)];
/** Bundles that no manifest names are removed once this old (a process may still be loading one). */
const KEEP_MS = 10 * 60_000;

const stamp = (file) => {
  try {
    const s = statSync(file);
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
};

/** The bundle the manifest names, when every file it was made from is as it was. */
function freshBundle(root, cacheDir, manifestFile, workers) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return null;
  }
  if (manifest.format !== FORMAT || typeof manifest.bundle !== 'string') return null;
  if (JSON.stringify(manifest.workers) !== JSON.stringify(workers)) return null;
  for (const [file, was] of Object.entries(manifest.inputs)) {
    const now = stamp(join(root, file));
    const same = now === null || was === null ? now === was : now[0] === was[0] && now[1] === was[1];
    if (!same) return null;
  }
  const bundle = join(cacheDir, manifest.bundle);
  return stamp(bundle) === null ? null : bundle;
}

/** `new URL('./x.js', import.meta.url)`: how a source names a worker thread's script beside it. */
const WORKER_URL = /new URL\((['"])\.\/([\w.-]+)\.js\1,\s*import\.meta\.url\)/g;

async function build(root, entry, workers, cacheDir, name, manifestFile) {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  // One folder a build: the entry, its worker threads' entries, and the chunks they share or
  // import lazily (the API server).
  const workerFiles = new Set(workers.map((w) => join(root, w)));
  const buildName = `${name}-${process.pid}-${Date.now().toString(36)}`;
  const outdir = join(cacheDir, buildName);
  const started = Date.now();
  const result = await esbuild({
    entryPoints: [join(root, entry), ...workerFiles],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    outdir,
    entryNames: '[name]',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'own-file-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            let contents = await readFile(args.path, 'utf8');
            // A worker thread that is an entry of the bundle starts from its compiled twin, which
            // needs no TypeScript loader (`x.js` being the one that registers tsx for `x.ts`).
            contents = contents.replace(WORKER_URL, (expr, _q, base) =>
              workerFiles.has(join(dirname(args.path), `${base}.ts`))
                ? // import.meta['url'], which the rewrite below leaves alone: the bundle's own URL
                  `new URL(${JSON.stringify(`./${base}.mjs`)}, import.meta['url'])`
                : expr,
            );
            if (contents.includes('import.meta.url')) {
              const own = relative(outdir, args.path).split(sep).join('/');
              contents = contents.replaceAll(
                'import.meta.url',
                `new URL(${JSON.stringify(own)}, import.meta.url).href`,
              );
            }
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...also(root)]) {
    const s = stamp(join(root, file));
    // A file absent stays so (null). One changed while the build read it may be in the bundle as
    // it was before: the next start builds again.
    inputs[file] = s === null || s[1] < started - 2000 ? s : [s[0], -1];
  }
  const tmp = `${manifestFile}.${process.pid}`;
  const bundle = join(buildName, `${basename(entry, '.ts')}.mjs`);
  writeFileSync(tmp, JSON.stringify({ format: FORMAT, bundle, workers, inputs }));
  renameSync(tmp, manifestFile);
  removeUnused(cacheDir, name, buildName);
  return join(cacheDir, bundle);
}

function removeUnused(cacheDir, name, keep) {
  for (const entry of readdirSync(cacheDir)) {
    if (!entry.startsWith(`${name}-`) || entry === keep) continue;
    const at = stamp(join(cacheDir, entry));
    if (at !== null && Date.now() - at[1] > KEEP_MS)
      rmSync(join(cacheDir, entry), { recursive: true, force: true });
  }
}

/**
 * The bundle of `entry` (a path under `root`), built first when it is missing or stale; null when
 * none can be built, or when CREDENCE_BUNDLE=0 asks for none (CREDENCE_BUNDLE=1: a failed build
 * throws). `opts.workers`: the TypeScript entries of worker threads (paths under `root`), compiled
 * into the same bundle; a source that starts one as `new URL('./x.js', import.meta.url)` beside
 * `x.ts` starts the compiled one instead.
 */
export async function prepareBundle(root, entry, opts = {}) {
  const workers = opts.workers ?? [];
  if (process.env.CREDENCE_BUNDLE === '0') return null;
  const cacheDir = opts.cacheDir ?? join(root, 'node_modules', '.cache', 'credence');
  const name = entry.replace(/\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  const manifestFile = join(cacheDir, `${name}.json`);
  try {
    return (
      freshBundle(root, cacheDir, manifestFile, workers) ??
      (await build(root, entry, workers, cacheDir, name, manifestFile))
    );
  } catch (e) {
    if (process.env.CREDENCE_BUNDLE === '1') throw e;
    return null;
  }
}

/** Imports `entry` from its bundle (prepareBundle), or through tsx when there is none. */
export async function importSource(root, entry, opts = {}) {
  const bundle = await prepareBundle(root, entry, opts);
  if (bundle !== null) {
    process.setSourceMapsEnabled(true);
    return import(pathToFileURL(bundle).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(resolve(root, entry)).href);
}
