/**
 * The security headers of every answer: the full set helmet gives a page, and the API's JSON
 * answers' own set (see API_SECURITY_HEADERS). The API's answers that are documents after all (the
 * own-file report page, a download of evidence) add the document-only ones with `documentHeaders`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers, as helmet (the maintained library) sets them for a page that loads nothing and
 * is framed by no one: worked out once here and set by one hook, because running helmet's
 * middleware on each request about doubled a check's server CPU time (`npm run bench -- check`).
 * A new helmet release changes them with no code change here.
 */
const PAGE_SECURITY_HEADERS: readonly (readonly [string, string])[] = (() => {
  const set = new Map<string, string>();
  const res = {
    setHeader: (k: string, v: string | number | readonly string[]) => set.set(k.toLowerCase(), String(v)),
    removeHeader: (k: string) => set.delete(k.toLowerCase()),
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  })({} as IncomingMessage, res as unknown as ServerResponse, (e?: unknown) => {
    if (e) throw e;
  });
  return [...set];
})();

/**
 * Headers that act only on a document a browser renders (opener isolation, agent clusters, DNS
 * prefetching, IE's download prompt, Flash and PDF policy files, the legacy XSS auditor): the
 * console's page and `/docs` carry them; a JSON answer, which no browser renders, does not.
 */
const DOCUMENT_ONLY = new Set([
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);

/**
 * The API's answers (OWASP REST Security Cheat Sheet, "Security headers"): helmet's headers that
 * act on any response — a CSP that loads and frames nothing, HSTS, nosniff, no framing, no
 * referrer, same-origin resources — and `Cache-Control: no-store`: an answer may hold personal
 * data or a list entry that a repair has since removed, so no browser or proxy keeps a copy.
 */
const API_SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ...PAGE_SECURITY_HEADERS.filter(([k]) => !DOCUMENT_ONLY.has(k)),
  ['cache-control', 'no-store'],
];

/**
 * Paths whose answers are the API's JSON (the console's page and `/docs` are documents); with
 * `/docs`, the paths the API owns (web.ts).
 */
export const API_ANSWERS = /^\/(v1|openapi\.json|health|metrics)(\/|$|\?)/;

/** The headers an answer to `url` starts with (set by one onRequest hook, app.ts). */
export const securityHeadersFor = (url: string): readonly (readonly [string, string])[] =>
  API_ANSWERS.test(url) ? API_SECURITY_HEADERS : PAGE_SECURITY_HEADERS;

const DOCUMENT_HEADERS = PAGE_SECURITY_HEADERS.filter(([k]) => DOCUMENT_ONLY.has(k));

/** An API answer that a browser may render or save (an HTML page, a file): helmet's document-only headers too. */
export const documentHeaders = (reply: FastifyReply): FastifyReply => {
  for (const [k, v] of DOCUMENT_HEADERS) reply.header(k, v);
  return reply;
};
