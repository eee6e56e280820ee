/** API tokens: issued by an operator, presented as `Authorization: Bearer …`, stored as hashes. */
import { type Ctx, type Principal, ROLES, type Role } from '../context.ts';
import { invalidInput, notFound, unauthenticated } from '../shared/errors.ts';
import type { Store, TokenRow } from '../store/index.ts';
import { hashCredential, newCredential } from './credentials.ts';
import { requirePermission } from './permissions.ts';

export interface IssueTokenInput {
  role: Role;
  /** Whom the token stands for: a source code, a subject identifier, a relying party code... */
  ref?: string;
  label: string;
  scope?: string[];
}

export const issueToken = async ({ ctx, input }: { ctx: Ctx; input: IssueTokenInput }) => {
  requirePermission(ctx.principal, 'tokens.manage');
  if (!ROLES.includes(input.role) || input.role === 'public') {
    throw invalidInput(`role must be one of ${ROLES.filter((r) => r !== 'public').join(', ')}`, [
      { field: 'role', message: 'unknown role' },
    ]);
  }
  if ((input.role === 'subject' || input.role === 'source' || input.role === 'rater') && !input.ref) {
    throw invalidInput(`a ${input.role} token must name whom it stands for`, [
      { field: 'ref', message: 'required for this role' },
    ]);
  }
  const token = newCredential(input.role);
  const principal = `${input.role}:${input.ref ?? input.label}`;
  const at = ctx.clock.now().toISOString();
  const row = await ctx.store.insertToken(
    {
      tokenHash: hashCredential(token),
      role: input.role,
      principal,
      ref: input.ref ?? null,
      label: input.label,
      scope: input.scope ?? [],
    },
    at,
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: null,
      action: 'token.issue',
      detail: `${input.role} ${input.label}`,
      requestId: ctx.requestId,
    },
  );
  return { token, row };
};

/** A token as the API and `credence tokens … --json` show it: never the token or its hash. */
export const tokenView = (t: TokenRow) => ({
  id: t.id,
  role: t.role,
  principal: t.principal,
  label: t.label,
  created_at: t.createdAt,
  revoked_at: t.revokedAt,
});

/** Every token issued, newest first, with its role, holder and whether it was revoked (never the token). */
export const listTokens = async ({ ctx }: { ctx: Ctx }) => {
  requirePermission(ctx.principal, 'tokens.manage');
  return ctx.store.listTokens();
};

/**
 * Withdraws a token: it stops working at once in this process and within CREDENTIAL_TTL_MS in any
 * other process serving the same store. Revoking a revoked token changes nothing.
 */
export const revokeToken = async ({ ctx, input }: { ctx: Ctx; input: { id: number } }) => {
  requirePermission(ctx.principal, 'tokens.manage');
  const row = await ctx.store.revokeToken(input.id, ctx.clock.now().toISOString(), {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    subjectId: null,
    action: 'token.revoke',
    detail: `token ${input.id}`,
    requestId: ctx.requestId,
  });
  if (!row) throw notFound(`no API token with id ${input.id}: see \`credence tokens list\``);
  known.get(ctx.store)?.clear();
  return row;
};

/**
 * Known credentials are kept for a few seconds per store: checks authenticate on every request,
 * and a token or a source's credential changes rarely. Unknown credentials are never kept, so a
 * newly issued one works at once; withdrawing one takes effect within CREDENTIAL_TTL_MS.
 */
export const CREDENTIAL_TTL_MS = 5_000;
const MAX_KEPT = 10_000;
const known = new WeakMap<Store, Map<string, { until: number; principal: Principal }>>();

/** The principal of a credential resolved within the last CREDENTIAL_TTL_MS, without a look-up. */
export const knownPrincipal = (
  store: Store,
  bearer: string,
  now: number = Date.now(),
): Principal | undefined => {
  const hit = known.get(store)?.get(bearer);
  return hit && hit.until > now ? hit.principal : undefined;
};

/** Resolves a bearer credential (an API token or a source's credential) to its principal. */
export const authenticate = async (
  store: Store,
  bearer: string | undefined,
  now: number = Date.now(),
): Promise<Principal> => {
  if (!bearer) throw unauthenticated('missing credentials: send `Authorization: Bearer <token>`');
  const hit = knownPrincipal(store, bearer, now);
  if (hit) return hit;
  const principal = await lookUp(store, bearer);
  let kept = known.get(store);
  if (!kept) {
    kept = new Map();
    known.set(store, kept);
  }
  if (kept.size >= MAX_KEPT) kept.clear();
  kept.set(bearer, { until: now + CREDENTIAL_TTL_MS, principal });
  return principal;
};

const lookUp = async (store: Store, bearer: string): Promise<Principal> => {
  const hash = hashCredential(bearer);
  const t = await store.findTokenByHash(hash);
  if (t && !t.revokedAt) return { id: t.principal, role: t.role as Role, ...(t.ref ? { ref: t.ref } : {}) };
  const s = await store.findSourceByCredentialHash(hash);
  if (s) return { id: `source:${s.code}`, role: 'source', ref: s.code };
  throw unauthenticated('unknown or revoked credentials');
};
