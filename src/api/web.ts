/**
 * The web console (web/): served from its built folder by the same process, and built with Vite at
 * start when the build is missing or older than its sources, so `npm install && npm start` is
 * still all a new user runs. Assets carry a content hash in their names and are served with a year's
 * cache and their pre-compressed (brotli, gzip) twins; the page itself is never cached, and every
 * path that is not the API's falls back to it (the console routes in the browser).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_ANSWERS } from './security-headers.ts';

export const WEB_ROOT = resolve(fileURLToPath(new URL('../../web', import.meta.url)));
export const WEB_DIST = join(WEB_ROOT, 'dist');

const DOCS = /^\/docs(\/|$|\?)/;
/** Paths the API owns: a miss there is the API's 404, never the console's page. */
const apiOwns = (url: string) => API_ANSWERS.test(url) || DOCS.test(url);

const newestMtime = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
};

/** True when web/dist is missing or any source of the console is newer than its built page. */
export const webBuildStale = (root = WEB_ROOT): boolean => {
  const page = join(root, 'dist', 'index.html');
  if (!existsSync(page)) return true;
  const built = statSync(page).mtimeMs;
  const sources = ['src', 'index.html', 'vite.config.ts', 'public']
    .map((p) => join(root, p))
    .filter(existsSync);
  return sources.some((p) => newestMtime(p) > built);
};

/** Writes a brotli and a gzip twin beside every text asset, for `preCompressed` serving. */
const precompress = (dir: string) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      precompress(path);
      continue;
    }
    if (!/\.(js|css|html|svg|json)$/.test(name)) continue;
    const body = readFileSync(path);
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  }
};

/**
 * Builds the console with Vite when it is stale. `say` reports progress; the build takes some
 * seconds and happens once per change of the console's sources.
 */
export const ensureWebBuilt = async (say: (line: string) => void = () => {}, root = WEB_ROOT) => {
  if (!webBuildStale(root)) return false;
  say('web console: building (once per change of web/)…');
  const started = Date.now();
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error(
      'the web console is not built and Vite is not installed: run `npm install` (with dev dependencies) or `npm run build:web` where it is',
    );
  }
  // A production build whoever calls (a test runner sets NODE_ENV=test, which would bundle React's
  // development build).
  const env = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await vite.build({ configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (env === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = env;
  }
  precompress(join(root, 'dist'));
  say(`web console: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
};

/**
 * The console's page may run only its own scripts and talk only to its own origin: a credential
 * kept in the tab's storage is worth an injected script's while. (React sets styles through the
 * CSSOM, which a style-src without 'unsafe-inline' allows; the icon is a `data:` URL.)
 */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

const wantsPage = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') && !apiOwns(request.url);

/**
 * Serves the built console when web/dist exists; returns a not-found handler that answers the
 * console's page for browser paths and hands the rest to `apiNotFound`.
 */
export const registerWeb = async (
  app: FastifyInstance,
  apiNotFound: (request: FastifyRequest, reply: FastifyReply) => unknown,
  dist = WEB_DIST,
) => {
  if (!existsSync(join(dist, 'index.html'))) return apiNotFound;
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    wildcard: false,
    preCompressed: true,
    index: false,
    cacheControl: false,
    setHeaders: (res, path) => {
      if (path.includes(join(dist, 'assets'))) {
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        res.setHeader('x-content-type-options', 'nosniff');
      } else for (const [k, v] of Object.entries(PAGE_HEADERS)) res.setHeader(k, v);
    },
  });
  return (request: FastifyRequest, reply: FastifyReply) => {
    if (!wantsPage(request)) return apiNotFound(request, reply);
    return reply.headers(PAGE_HEADERS).sendFile('index.html');
  };
};
