/**
 * bin/compiled.js, which starts `credence` from one compiled bundle of its sources: on a small
 * project of its own in a temporary folder, run the way bin/credence.js runs the CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LAUNCHER = pathToFileURL(join(import.meta.dirname, '..', 'bin', 'compiled.js')).href;

describe('starting from a compiled bundle', () => {
  let root = '';
  let cacheDir = '';
  // The project's own start script, as bin/credence.js is ours; the cache folder comes in CACHE_DIR.
  const launcher = () =>
    `const { importSource } = await import(${JSON.stringify(LAUNCHER)});\n` +
    `await importSource(${JSON.stringify(root)}, 'src/main.ts', ` +
    `{ cacheDir: process.env.CACHE_DIR, workers: ['src/echo-worker.ts'] });\n`;
  const args = (extra: string[]) => [join(root, 'start.mjs'), ...extra];
  const env = (cache: string) => ({ ...process.env, CACHE_DIR: cache });
  const run = (extra: string[] = [], cache = cacheDir) => {
    const r = spawnSync(process.execPath, args(extra), {
      env: env(cache),
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout.trim(), err: r.stderr };
  };
  const inUse = () => JSON.parse(readFileSync(join(cacheDir, 'src-main.json'), 'utf8')).bundle as string;
  const greet = (word: string) =>
    writeFileSync(
      join(root, 'src', 'lib', 'greet.ts'),
      `export const greeting = (): string => '${word}';\n\nexport function fail(): never {\n  throw new Error('failed on purpose');\n}\n`,
    );

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'credence-compiled-'));
    cacheDir = join(root, 'cache');
    mkdirSync(join(root, 'src', 'lib'), { recursive: true });
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'word.txt'), 'world\n');
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(root, 'start.mjs'), launcher());
    writeFileSync(
      join(root, 'src', 'main.ts'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { fileURLToPath } from 'node:url';",
        "import { Worker } from 'node:worker_threads';",
        "import { fail, greeting } from './lib/greet.ts';",
        '',
        "const word: string = readFileSync(fileURLToPath(new URL('../data/word.txt', import.meta.url)), 'utf8').trim();",
        'console.log(greeting(), word);',
        "if (process.argv.includes('--fail')) fail();",
        "if (process.argv.includes('--worker')) {",
        "  const worker = new Worker(new URL('./echo-worker.js', import.meta.url));",
        "  console.log('worker:', await new Promise((resolve) => worker.once('message', resolve)));",
        '  await worker.terminate();',
        '}',
        '',
      ].join('\n'),
    );
    // A worker thread as the project starts them: x.js registers tsx for x.ts.
    writeFileSync(
      join(root, 'src', 'echo-worker.js'),
      "import { register } from 'tsx/esm/api';\n\nglobalThis.startedBy = 'tsx';\nregister();\nawait import('./echo-worker.ts');\n",
    );
    writeFileSync(
      join(root, 'src', 'echo-worker.ts'),
      "import { parentPort } from 'node:worker_threads';\n\nparentPort?.postMessage((globalThis as { startedBy?: string }).startedBy ?? 'compiled');\n",
    );
    symlinkSync(join(import.meta.dirname, '..', 'node_modules'), join(root, 'node_modules'));
    greet('hello');
    // Sources written just now count as possibly changed during a build (the next start builds
    // again); dated a minute back, they are settled.
    const before = new Date(Date.now() - 60_000);
    for (const f of ['src/main.ts', 'src/lib/greet.ts', 'src/echo-worker.ts'])
      utimesSync(join(root, f), before, before);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('builds a bundle on first start, and paths made from import.meta.url are the source file’s', () => {
    expect(run()).toMatchObject({ code: 0, out: 'hello world' });
    const bundle = inUse();
    expect(existsSync(join(cacheDir, bundle))).toBe(true);
    // The bundle is the project's code: the text comes from it, not from the sources.
    expect(readFileSync(join(cacheDir, bundle), 'utf8')).toContain('hello');
  });

  it('starts from the same bundle while nothing changed', () => {
    const bundle = inUse();
    expect(run()).toMatchObject({ code: 0, out: 'hello world' });
    expect(inUse()).toBe(bundle);
  });

  it('builds again when a source changes, even to an older date', () => {
    const bundle = inUse();
    greet('goodbye');
    const older = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'src', 'lib', 'greet.ts'), older, older);
    expect(run()).toMatchObject({ code: 0, out: 'goodbye world' });
    expect(inUse()).not.toBe(bundle);
  });

  it('points a stack trace at the TypeScript source', () => {
    const r = run(['--fail']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('failed on purpose');
    expect(r.err).toMatch(/greet\.ts:4/);
  });

  it('runs through tsx when no bundle can be written', () => {
    // A cache folder inside a file cannot be made.
    expect(run([], join(root, 'data', 'word.txt', 'cache'))).toMatchObject({ code: 0, out: 'goodbye world' });
  });

  it('starts a worker thread from its compiled twin, and through tsx without a bundle', () => {
    const r = run(['--worker']);
    expect(r, r.err).toMatchObject({ code: 0, out: 'goodbye world\nworker: compiled' });
    expect(run(['--worker'], join(root, 'data', 'word.txt', 'cache'))).toMatchObject({
      code: 0,
      out: 'goodbye world\nworker: tsx',
    });
  });

  it('lets processes that start together each build and run, and leaves a bundle that works', async () => {
    rmSync(cacheDir, { recursive: true, force: true });
    const outs = await Promise.all(
      [1, 2, 3, 4].map(
        () =>
          new Promise<string>((done, fail) => {
            const p = spawn(process.execPath, args([]), {
              env: env(cacheDir),
              stdio: ['ignore', 'pipe', 'inherit'],
            });
            let out = '';
            p.stdout.on('data', (d: Buffer) => {
              out += d.toString();
            });
            p.on('error', fail);
            p.on('close', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`exit ${code}`))));
          }),
      ),
    );
    expect(outs).toEqual(['goodbye world', 'goodbye world', 'goodbye world', 'goodbye world']);
    expect(existsSync(join(cacheDir, inUse()))).toBe(true);
    expect(run()).toMatchObject({ code: 0, out: 'goodbye world' });
  });
});
