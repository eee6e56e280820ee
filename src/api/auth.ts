/**
 * Who is calling and why. A bearer credential (an API token or a source's credential) names the
 * principal; no credential means the anonymous public, which may read only what is public. The
 * purpose given in `x-purpose` is recorded in every audit entry the request causes (product rule 9).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import {
  authenticate,
  authenticateSeen,
  hashCredential,
  keptCredential,
  knownPrincipal,
  statedPurposeText,
} from '../access/index.ts';
import type { CredentialSeen, Ctx, Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { invalidInput, unauthenticated } from '../shared/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** Set on routes whose verb confirms the credential itself (`CONFIRMED_BY_VERB`). */
    credential: CredentialSeen | undefined;
    /** The bearer credential's SHA-256 (`hashCredential`), once the auth hook has read it. */
    credentialHash: string | undefined;
    /**
     * The context for this request's verb; `purpose` is used when the caller sent no `x-purpose`
     * (and `purposeStated` is then false).
     */
    ctx(purpose: string): Ctx;
  }
}

export const ANONYMOUS: Principal = { id: 'public', role: 'public' };

const BEARER_RE = /^Bearer\s+(\S+)\s*$/i;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1_HIGH = /[\x80-\xff]/;
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/**
 * The purpose a header states, as text under the platform's text rules. Node reads header bytes
 * as Latin-1: a purpose in Chinese arrives as its UTF-8 bytes, decoded here (bytes that are not
 * UTF-8 are refused), NFC-normalised, and refused when it holds a control character, a
 * bidirectional override or the like — it is kept in the audit log for good and shown to the
 * subject, so it must read as it was meant.
 */
const statedPurpose = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  let text = header;
  // A string already beyond Latin-1 was handed over decoded (in-process requests): kept as it is.
  if (LATIN1_HIGH.test(header) && !BEYOND_LATIN1.test(header)) {
    try {
      text = UTF8.decode(Buffer.from(header, 'latin1'));
    } catch {
      throw invalidInput('x-purpose must be UTF-8 text', [{ field: 'x-purpose', message: 'not UTF-8' }]);
    }
  }
  return statedPurposeText(text, 'x-purpose');
};

/**
 * Decorates every request with a principal (anonymous until a credential says otherwise) and the
 * ctx builder, and answers with its request ID. (Hooks here and in `authHook` take a callback
 * rather than returning a promise: they run on every request, checks included.)
 */
export const decorateRequests = (app: FastifyInstance, platform: Platform) => {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('credential', undefined);
  app.decorateRequest('credentialHash', undefined);
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    request.principal = ANONYMOUS;
    reply.header('x-request-id', request.id);
    done();
  });
  app.decorateRequest('ctx', function (this: FastifyRequest, purpose: string): Ctx {
    // The public states no purpose: its reads are recorded under the route's own, so an anonymous
    // caller cannot write text of its choosing into a subject's access log.
    const raw = this.principal === ANONYMOUS ? undefined : this.headers['x-purpose'];
    // Held to the purpose rules (src/access/purpose.ts): one line, short, no protected category.
    const given = statedPurpose(Array.isArray(raw) ? raw[0] : raw);
    const ctx = platform.ctx(this.principal, given || purpose, this.id);
    if (!given) ctx.purposeStated = false;
    if (this.credential) ctx.credential = this.credential;
    return ctx;
  });
};

/**
 * Whether the public may call a route without credentials: decided in ONE place, the route's own
 * schema, by `security: []` (which the OpenAPI document shows as "no authorization").
 */
export const isPublicRoute = (schema: unknown): boolean => {
  const security = (schema as { security?: unknown[] } | undefined)?.security;
  return Array.isArray(security) && security.length === 0;
};

/**
 * A route's `config` with this set leaves the credential's confirmation to its verb, which makes it
 * in the transaction that commits its answer (the checks: `keptCredential` in access/tokens.ts):
 * a kept credential is then used without reading the store's credentials epoch on each request.
 */
export const CONFIRMED_BY_VERB = { credentialConfirmedByVerb: true } as const;

const confirmedByVerb = (config: unknown): boolean =>
  (config as { credentialConfirmedByVerb?: boolean } | undefined)?.credentialConfirmedByVerb === true;

/**
 * onRequest hook for the routes that act for a principal: resolves the bearer credential, at once
 * when it was resolved a moment ago. Runs before the body is read: an anonymous caller of a route
 * that is not public, and an unknown, revoked or expired credential, are refused with 401 before
 * any parsing.
 */
export const authHook =
  (platform: Platform) => (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      if (isPublicRoute(request.routeOptions.schema)) return done();
      return done(unauthenticated('this needs credentials: send `Authorization: Bearer <token>`'));
    }
    const m = BEARER_RE.exec(header);
    if (!m) return done(unauthenticated('malformed Authorization header: expected `Bearer <token>`'));
    const bearer = m[1]!;
    // Hashed once: the rate limiter keys its counts by it too.
    const hash = hashCredential(bearer);
    request.credentialHash = hash;
    // The platform's clock decides expiry, as it decides every other date.
    const now = platform.clock.now().getTime();
    if (confirmedByVerb(request.routeOptions.config)) {
      const seen = keptCredential(platform.store, bearer, now, hash);
      if (seen) {
        request.principal = seen.principal;
        request.credential = seen.credential;
        return done();
      }
      authenticateSeen(platform.store, bearer, now, hash).then(
        (r) => {
          request.principal = r.principal;
          request.credential = r.credential;
          done();
        },
        (e: Error) => done(e),
      );
      return;
    }
    const known = knownPrincipal(platform.store, bearer, now, hash);
    if (known) {
      request.principal = known;
      return done();
    }
    authenticate(platform.store, bearer, now).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (e: Error) => done(e),
    );
  };
