/** API tokens: issued by an operator, presented as `Authorization: Bearer …`, stored as hashes. */
import { type CredentialSeen, type Ctx, dateIn, type Principal, ROLES, type Role } from '../context.ts';
import { validateSubjectIdentifier } from '../identity/index.ts';
import { conflict, invalidInput, notFound, unauthenticated } from '../shared/errors.ts';
import type { SourceRow, Store, TokenRow } from '../store/index.ts';
import { hashCredential, newCredential } from './credentials.ts';
import { type Permission, parseScope, requirePermission, type ScopedPrincipal } from './permissions.ts';

/** A token lives this many days from its issue or its last renewal unless the operator says otherwise. */
export const DEFAULT_TOKEN_DAYS = 90;
/** The longest life an operator may give a token at once: a forgotten one still dies within a year. */
export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 86_400_000;

export interface IssueTokenInput {
  role: Role;
  /** Whom the token stands for: a source code, a subject identifier, a relying party code... */
  ref?: string;
  label: string;
  /** Permission names (from the permission table, each held by the role) it is limited to; none: all its role may do. */
  scope?: string[];
  /** Days it lives (1 to MAX_TOKEN_DAYS); DEFAULT_TOKEN_DAYS when not given. */
  days?: number;
}

const expiryAfter = (ctx: Ctx, days: number | undefined): string => {
  const d = days ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(d) || d < 1 || d > MAX_TOKEN_DAYS)
    throw invalidInput(`a token lives 1 to ${MAX_TOKEN_DAYS} days, got ${d}`, [
      { field: 'days', message: `expected a whole number from 1 to ${MAX_TOKEN_DAYS}` },
    ]);
  return new Date(ctx.clock.now().getTime() + d * DAY_MS).toISOString();
};

/**
 * A source whose credential was withdrawn (`credence sources revoke`) does nothing new in its name
 * — no token, no record, no interaction token, no inspection plan or outcome — until rotating gives it a
 * new credential: `conflict` (409), naming it and the day. `refused` says what it may not do.
 */
export const refuseWithdrawnSource = (
  ctx: Ctx,
  source: Pick<SourceRow, 'code' | 'revokedAt'>,
  refused: string,
): void => {
  if (source.revokedAt === null) return;
  throw conflict(
    `source ${source.code} was withdrawn on ${dateIn(ctx.clock, new Date(source.revokedAt))}: ${refused} until it is given a new credential (\`credence sources rotate ${source.code}\`)`,
  );
};

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
  // The operator and the auditor stand for no one: a ref would only rename the principal.
  if ((input.role === 'operator' || input.role === 'auditor') && input.ref !== undefined)
    throw invalidInput(
      `an ${input.role} token stands for no one: give it no ref (its label names the holder)`,
      [{ field: 'ref', message: `not taken by the ${input.role} role` }],
    );
  // A token must stand for someone who can exist: a subject by a valid identity number or code, a
  // rater by a person's identity number, an inspector on a roster, a relying party that is
  // registered (its checks are refused otherwise, whatever the token). An identifier is kept as
  // the subject lookup normalises it (upper case), or the token could never reach its own file.
  let ref = input.ref;
  if (input.role === 'subject') {
    const given = input.ref!;
    const checks = (['person', 'organization', 'public_body'] as const).map((k) =>
      validateSubjectIdentifier(k, given),
    );
    const valid = checks.find((c) => c.ok);
    if (!valid?.ok) {
      // 18 characters of digits (and a last X) read as an identity number, anything else as a code.
      const why = checks[/^[0-9]{17}[0-9X]$/i.test(given) ? 0 : 1]!;
      throw invalidInput(
        `a subject token names a resident identity number or a unified social credit code, and ${given} is neither${why.ok ? '' : `: ${why.reason}`}`,
        [{ field: 'ref', message: 'not a valid identity number or code' }],
      );
    }
    ref = valid.identifier;
  }
  if (input.role === 'rater') {
    const given = input.ref!;
    const person = validateSubjectIdentifier('person', given);
    if (!person.ok) {
      const isCode = (['organization', 'public_body'] as const).some(
        (k) => validateSubjectIdentifier(k, given).ok,
      );
      throw invalidInput(
        isCode
          ? `a rater token names a person by resident identity number, and ${given} is an organization's or public body's code: only persons rate`
          : `a rater token names a person by resident identity number, and ${given} is not one: ${person.reason}`,
        [{ field: 'ref', message: 'not a resident identity number' }],
      );
    }
    ref = person.identifier;
  }
  if (
    input.role === 'inspector' &&
    input.ref !== undefined &&
    !(await ctx.store.inspections.findInspector(input.ref))
  )
    throw invalidInput(
      `no inspector with the code ${input.ref} is on a regulator's roster (\`credence inspections roster\` puts one there)`,
      [{ field: 'ref', message: 'not on any inspector roster' }],
    );
  if (input.role === 'relying_party' && input.ref && !(await ctx.store.findRelyingPartyByCode(input.ref)))
    throw invalidInput(
      `no relying party is registered with the code ${input.ref} (\`credence relying-parties add\` registers one)`,
      [{ field: 'ref', message: 'unknown relying party' }],
    );
  if (input.role === 'source') {
    const source = await ctx.store.findSourceByCode(input.ref!);
    if (!source)
      throw invalidInput(`no source is registered with the code ${input.ref}`, [
        { field: 'ref', message: 'unknown source' },
      ]);
    refuseWithdrawnSource(ctx, source, 'it is given no token');
  }
  const scope = parseScope(input.role, input.scope ?? []);
  const expiresAt = expiryAfter(ctx, input.days);
  const token = newCredential(input.role);
  const at = ctx.clock.now().toISOString();
  const { role, label } = input;
  // A credential that acts as a subject (its own, or as a rater) is on that subject's trail, so
  // whoever was given the means to act in its name is seen there (product rule 9).
  const holder =
    ref && (role === 'subject' || role === 'rater')
      ? await ctx.store.findSubjectByIdentifier(ref)
      : undefined;
  const row = await ctx.store.insertToken(
    {
      tokenHash: hashCredential(token),
      role,
      // A token standing for someone acts as that someone; one standing for no one is its own
      // actor: its id makes it unique, so two desks labelled alike are told apart in the audit log.
      principal: ref ? `${role}:${ref}` : (id) => `${role}:${label}#${id}`,
      ref: ref ?? null,
      label,
      scope,
      expiresAt,
    },
    at,
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: holder?.id ?? null,
      action: 'token.issue',
      detail: `${role} ${label} until ${expiresAt.slice(0, 10)}${scope.length ? ` scope ${scope.join(',')}` : ''}`,
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
  scope: t.scope,
  created_at: t.createdAt,
  expires_at: t.expiresAt,
  revoked_at: t.revokedAt,
});

/** Every token issued, newest first, with its role, holder and whether it was revoked (never the token). */
export const listTokens = async ({ ctx }: { ctx: Ctx }) => {
  requirePermission(ctx.principal, 'tokens.manage');
  return ctx.store.listTokens();
};

/**
 * Withdraws a token: it stops working at once in every process serving the same store (see
 * `authenticate`). Revoking a revoked token changes nothing.
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
  forget(ctx.store);
  return row;
};

/**
 * Gives a live token a new expiry, `days` (default DEFAULT_TOKEN_DAYS) from now: longer or
 * shorter than it had. A revoked token stays revoked (a conflict): issue a new one.
 */
export const renewToken = async ({ ctx, input }: { ctx: Ctx; input: { id: number; days?: number } }) => {
  requirePermission(ctx.principal, 'tokens.manage');
  const expiresAt = expiryAfter(ctx, input.days);
  const row = await ctx.store.renewToken(input.id, expiresAt, ctx.clock.now().toISOString(), {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    subjectId: null,
    action: 'token.renew',
    detail: `token ${input.id} until ${expiresAt.slice(0, 10)}`,
    requestId: ctx.requestId,
  });
  if (!row) throw notFound(`no API token with id ${input.id}: see \`credence tokens list\``);
  if (row.revokedAt)
    throw conflict(
      `token ${input.id} was revoked at ${row.revokedAt} and cannot be renewed: issue a new one`,
    );
  forget(ctx.store);
  return row;
};

/**
 * Keeps a token the platform handed out itself (the demo's credentials) alive: renews it for
 * `days` when fewer than `minDays` are left. Unknown or revoked tokens are left alone.
 */
export const keepTokenAlive = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { token: string; days: number; minDays: number };
}): Promise<TokenRow | undefined> => {
  requirePermission(ctx.principal, 'tokens.manage');
  const row = await ctx.store.findTokenByHash(hashCredential(input.token));
  if (!row || row.revokedAt) return row;
  if (Date.parse(row.expiresAt) - ctx.clock.now().getTime() >= input.minDays * DAY_MS) return row;
  return renewToken({ ctx, input: { id: row.id, days: input.days } });
};

/**
 * Resolved credentials are kept per store, keyed by the credential's SHA-256 (never the credential
 * itself), with the store's credentials epoch read before the look-up: a kept entry is used only
 * while the epoch is unchanged, so a revocation, rotation or renewal committed by any process is
 * seen by the next request (SQLite reads the epoch, a few microseconds; PostgreSQL is told by
 * notification). CREDENTIAL_TTL_MS is a safety net only, and an entry never outlives its token.
 * Unknown credentials are never kept, so a newly issued one works at once.
 */
export const CREDENTIAL_TTL_MS = 5_000;
const MAX_KEPT = 10_000;
interface Kept {
  until: number;
  epoch: number;
  principal: Principal;
}
const known = new WeakMap<Store, Map<string, Kept>>();

const forget = (store: Store) => known.get(store)?.clear();

/** The principal of a credential resolved a moment ago and still valid, without a look-up (undefined otherwise). */
export const knownPrincipal = (
  store: Store,
  bearer: string,
  now: number = Date.now(),
  /** The credential's `hashCredential`, when the caller has it already. */
  hash: string = hashCredential(bearer),
): Principal | undefined => {
  const seen = keptCredential(store, bearer, now, hash);
  if (!seen) return undefined;
  if (store.credentialsEpoch() !== seen.credential.epoch) {
    // Something changed (or this process cannot tell): nothing kept may be trusted.
    forget(store);
    return undefined;
  }
  return seen.principal;
};

/**
 * A credential as resolved, for a verb that confirms it in the very transaction that commits its
 * answer (the checks, `CredentialSeen` in context.ts): the principal kept for it, with the
 * credentials epoch it was resolved at, and no read of the epoch now. The verb compares `epoch`
 * with the store's inside its transaction and, when they differ, calls `confirmCredential` before
 * it answers, so a revocation committed by any process before that transaction is never missed,
 * and the store is not read on every request to learn that nothing changed. Undefined when nothing
 * valid is kept (then `authenticateSeen` looks it up).
 */
export const keptCredential = (
  store: Store,
  bearer: string,
  now: number = Date.now(),
  hash: string = hashCredential(bearer),
): { principal: Principal; credential: CredentialSeen } | undefined => {
  const kept = known.get(store);
  if (!kept || kept.size === 0) return undefined;
  const hit = kept.get(hash);
  if (!hit || hit.until <= now) return undefined;
  return { principal: hit.principal, credential: { hash, epoch: hit.epoch } };
};

/** `authenticate`, keeping what a verb needs to confirm the credential later (`keptCredential`). */
export const authenticateSeen = async (
  store: Store,
  bearer: string,
  now: number = Date.now(),
  hash: string = hashCredential(bearer),
): Promise<{ principal: Principal; credential: CredentialSeen }> => {
  // Read before the look-up: a change committed meanwhile makes the entry stale at once.
  const epoch = store.credentialsEpoch();
  const { principal, until } = await lookUp(store, hash, now);
  keep(store, hash, now, until, epoch, principal);
  return { principal, credential: { hash, epoch } };
};

/**
 * Looks a credential up again after the credentials epoch moved since it was resolved: resolves
 * with its principal (and `credential.epoch` set to the epoch read before this look-up) while it is
 * still valid, throws `unauthenticated` when it was revoked or has expired meanwhile.
 */
export const confirmCredential = async (
  store: Store,
  credential: CredentialSeen,
  now: number = Date.now(),
): Promise<Principal> => {
  forget(store);
  const epoch = store.credentialsEpoch();
  const { principal, until } = await lookUp(store, credential.hash, now);
  keep(store, credential.hash, now, until, epoch, principal);
  credential.epoch = epoch;
  return principal;
};

/** A request waiting in a turn whose verb confirms its credential (`CONFIRMED_BY_VERB` routes). */
export interface CredentialHolder {
  /** As resolved (`keptCredential`, `authenticateSeen`); undefined: nothing to confirm. */
  credential?: CredentialSeen | undefined;
  /** Looked up again during this turn (`confirmHolders`). */
  confirmed?: boolean;
}

/**
 * The holders whose credential was resolved at another credentials epoch than the store's now,
 * read once for them all (on SQLite inside the turn's transaction it is read under the write lock).
 * `lastTry`: those looked up again during this turn are taken as confirmed, so a stream of
 * credential changes cannot hold a turn back.
 */
export const staleHolders = <J extends CredentialHolder>(
  store: Store,
  jobs: readonly J[],
  lastTry = false,
): J[] => {
  let epoch: number | undefined;
  let read = false;
  const stale: J[] = [];
  for (const j of jobs) {
    if (j.credential === undefined || (lastTry && j.confirmed)) continue;
    if (!read) {
      epoch = store.credentialsEpoch();
      read = true;
    }
    // Both undefined: the store cannot tell, nothing is kept, and the credential was looked up for this request.
    if (j.credential.epoch !== epoch) stale.push(j);
  }
  return stale;
};

/**
 * Looks the stale holders' credentials up again, once per credential (`confirmCredential`), as of
 * `at(j)`: the live ones are marked confirmed, and each dead one is returned with its error (401:
 * revoked or expired meanwhile) for the turn to refuse it unanswered.
 */
export const confirmHolders = async <J extends CredentialHolder>(
  store: Store,
  stale: readonly J[],
  at: (j: J) => number,
): Promise<Map<J, unknown>> => {
  const dead = new Map<J, unknown>();
  const byHash = new Map<string, J[]>();
  for (const j of stale) {
    const same = byHash.get(j.credential!.hash);
    if (same) same.push(j);
    else byHash.set(j.credential!.hash, [j]);
  }
  for (const same of byHash.values()) {
    const first = same[0]!;
    try {
      await confirmCredential(store, first.credential!, at(first));
      for (const j of same) {
        j.credential!.epoch = first.credential!.epoch;
        j.confirmed = true;
      }
    } catch (e) {
      for (const j of same) dead.set(j, e);
    }
  }
  return dead;
};

const keep = (
  store: Store,
  hash: string,
  now: number,
  until: number,
  epoch: number | undefined,
  principal: Principal,
) => {
  if (epoch === undefined) return;
  let kept = known.get(store);
  if (!kept) {
    kept = new Map();
    known.set(store, kept);
  }
  if (kept.size >= MAX_KEPT) kept.clear();
  kept.set(hash, { until: Math.min(now + CREDENTIAL_TTL_MS, until), epoch, principal });
};

/** Resolves a bearer credential (an API token or a source's credential) to its principal. */
export const authenticate = async (
  store: Store,
  bearer: string | undefined,
  now: number = Date.now(),
): Promise<Principal> => {
  if (!bearer) throw unauthenticated('missing credentials: send `Authorization: Bearer <token>`');
  const hash = hashCredential(bearer);
  return (
    knownPrincipal(store, bearer, now, hash) ?? (await authenticateSeen(store, bearer, now, hash)).principal
  );
};

const lookUp = async (
  store: Store,
  hash: string,
  now: number,
): Promise<{ principal: Principal; until: number }> => {
  const t = await store.findTokenByHash(hash);
  if (t) {
    if (t.revokedAt) throw unauthenticated(`this token was revoked at ${t.revokedAt}`);
    const until = Date.parse(t.expiresAt);
    if (!(until > now))
      throw unauthenticated(
        `this token expired on ${t.expiresAt.slice(0, 10)}: an operator can renew it (\`credence tokens renew ${t.id}\` or POST /v1/tokens/${t.id}/renew)`,
      );
    if (t.role === 'source') {
      // A token acts as its source only while the source may authenticate at all.
      const source = t.ref ? await store.findSourceByCode(t.ref) : undefined;
      if (!source) throw unauthenticated(`this token acts as source ${t.ref}, which is not registered`);
      if (source.revokedAt)
        throw unauthenticated(
          `source ${source.code} was withdrawn at ${source.revokedAt}: its tokens are refused (an operator issues new ones)`,
        );
    }
    const principal: ScopedPrincipal = {
      id: t.principal,
      role: t.role as Role,
      ...(t.ref ? { ref: t.ref } : {}),
      ...(t.scope.length > 0 ? { scope: t.scope as Permission[] } : {}),
    };
    return { principal, until };
  }
  const s = await store.findSourceByCredentialHash(hash);
  if (s) {
    if (s.revokedAt)
      throw unauthenticated(
        `the credential of source ${s.code} was revoked at ${s.revokedAt}: ask an operator for a new one (\`credence sources rotate ${s.code}\`)`,
      );
    return {
      principal: { id: `source:${s.code}`, role: 'source', ref: s.code },
      until: Number.POSITIVE_INFINITY,
    };
  }
  throw unauthenticated('unknown or revoked credentials');
};

/** Drops what this process kept for a store (after it changed a credential itself). */
export const forgetCredentials = forget;
