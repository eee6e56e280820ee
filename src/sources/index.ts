/** Sources capability: registering data providers and what each may submit (product rule 1). */
import { forgetCredentials, hashCredential, newCredential, requirePermission } from '../access/index.ts';
import {
  type Catalogue,
  REGISTRABLE_SOURCE_KINDS,
  refuseProtectedText,
  type SourceKind,
} from '../catalogue/index.ts';
import { type Ctx, startOfToday } from '../context.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import type { SourceRow } from '../store/index.ts';

export interface RegisterSourceInput {
  code: string;
  kind: string;
  name?: string;
  legalBasis?: string;
  /** Defaults to every type the catalogue allows this kind of source. */
  types?: string[];
}

const CODE_RE = /^[a-z0-9][a-z0-9_-]{1,63}$/;

export const registerSource = async ({
  ctx,
  input,
  catalogue,
}: {
  ctx: Ctx;
  input: RegisterSourceInput;
  catalogue: Catalogue;
}): Promise<{ source: SourceRow; credential: string }> => {
  requirePermission(ctx.principal, 'sources.manage');
  if (!CODE_RE.test(input.code)) {
    throw invalidInput(`source code "${input.code}" must be 2–64 lower-case letters, digits, "-" or "_"`, [
      { field: 'code', message: 'expected [a-z0-9][a-z0-9_-]{1,63}' },
    ]);
  }
  if (!(REGISTRABLE_SOURCE_KINDS as readonly string[]).includes(input.kind)) {
    throw invalidInput(
      `unknown source kind "${input.kind}": expected one of ${REGISTRABLE_SOURCE_KINDS.join(', ')}`,
      [{ field: 'kind', message: 'unknown source kind' }],
    );
  }
  // Product rule 2: a source's code, name and legal basis are shown with its records and kept in the audit log.
  refuseProtectedText(input.code, 'code', 'the files and the audit log');
  if (input.name !== undefined) refuseProtectedText(input.name, 'name', 'the files and the audit log');
  if (input.legalBasis !== undefined)
    refuseProtectedText(input.legalBasis, 'legal_basis', 'the files and the audit log');
  const kind = input.kind as SourceKind;
  const allowed = catalogue.typesForSourceKind(kind).map((t) => t.code);
  const types = input.types?.length ? [...new Set(input.types)] : allowed;
  const bad = types.filter((t) => !allowed.includes(t));
  if (bad.length > 0) {
    throw invalidInput(
      `a ${kind} source may not submit ${bad.join(', ')}: ` +
        bad
          .map((t) =>
            catalogue.get(t)
              ? `${t} is for ${catalogue.get(t)!.source_kinds.join('/')} sources`
              : `${t} is not in the catalogue`,
          )
          .join('; '),
      bad.map((t) => ({ field: 'types', message: `${t} not allowed` })),
    );
  }
  const credential = newCredential('src');
  const source = await ctx.store.insertSource(
    {
      code: input.code,
      kind,
      name: input.name ?? input.code,
      legalBasis: input.legalBasis ?? 'as stated for each record type in the catalogue',
      types,
      credentialHash: hashCredential(credential),
    },
    ctx.clock.now().toISOString(),
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: null,
      action: 'source.register',
      detail: `${input.code} ${kind} ${types.length} types`,
      requestId: ctx.requestId,
    },
  );
  return { source, credential };
};

const unknownSource = (code: string) =>
  notFound(`no source with code "${code}": see \`credence sources list\``);

/**
 * Gives a source a new credential, shown once: the old one is refused at once in every process
 * serving the store. A revoked source is live again with the new credential.
 */
export const rotateSourceCredential = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string };
}): Promise<{ source: SourceRow; credential: string }> => {
  requirePermission(ctx.principal, 'sources.manage');
  const credential = newCredential('src');
  const source = await ctx.store.rotateSourceCredential(
    input.code,
    hashCredential(credential),
    ctx.clock.now().toISOString(),
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: null,
      action: 'source.rotate',
      detail: input.code,
      requestId: ctx.requestId,
    },
  );
  if (!source) throw unknownSource(input.code);
  forgetCredentials(ctx.store);
  return { source, credential };
};

/**
 * Withdraws a source's credential: it can no longer authenticate (at once, in every process);
 * its records stay. `rotateSourceCredential` gives it a new one. Revoking twice changes nothing.
 */
export const revokeSourceCredential = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string };
}): Promise<SourceRow> => {
  requirePermission(ctx.principal, 'sources.manage');
  const source = await ctx.store.revokeSourceCredential(input.code, ctx.clock.now().toISOString(), {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    subjectId: null,
    action: 'source.revoke',
    detail: input.code,
    requestId: ctx.requestId,
  });
  if (!source) throw unknownSource(input.code);
  forgetCredentials(ctx.store);
  return source;
};

/** The registered sources, each with the records it sent today (the platform's day): a source's use of the platform. */
export const listSources = async ({
  ctx,
}: {
  ctx: Ctx;
}): Promise<(SourceRow & { recordsToday: number })[]> => {
  requirePermission(ctx.principal, 'sources.read');
  const [rows, today] = await Promise.all([
    ctx.store.listSources(),
    ctx.store.countRecordsPerSource(startOfToday(ctx.clock)),
  ]);
  return rows.map((s) => ({ ...s, recordsToday: today.get(s.id) ?? 0 }));
};

/** The one JSON form of a source (snake_case, never its credential), shared by the API and the CLI. */
export const sourceJson = (s: SourceRow) => ({
  code: s.code,
  kind: s.kind,
  name: s.name,
  legal_basis: s.legalBasis,
  types: s.types,
  created_at: s.createdAt,
  revoked_at: s.revokedAt,
});
