/** Sources capability: registering data providers and what each may submit (product rule 1). */
import { forgetCredentials, hashCredential, newCredential, requirePermission } from '../access/index.ts';
import {
  type Catalogue,
  MAX_DAILY_SERVICE_VOLUME,
  OWN_NAME_SOURCE_KINDS,
  REGISTRABLE_SOURCE_KINDS,
  refuseProtectedText,
  type SourceKind,
} from '../catalogue/index.ts';
import { type Ctx, startOfToday } from '../context.ts';
import { validateSubjectIdentifier } from '../identity/index.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import type { AuditDraft, SourceRow, SubjectRow } from '../store/index.ts';

export { addStaff, listStaff, MAX_STAFF, removeStaff, type StaffInput, staffJson } from './staff.ts';
export { parseStaffCsv, STAFF_CSV_COLUMNS } from './staff-csv.ts';

export interface RegisterSourceInput {
  code: string;
  kind: string;
  name?: string;
  legalBasis?: string;
  /** Defaults to every type the catalogue allows this kind of source. */
  types?: string[];
  /** The USCC of the organization or public body the source is. */
  organization?: string;
  /** The services it declares a day (a whole number; the CLI's text is checked here too). */
  dailyServiceVolume?: number | string;
}

/**
 * A declared daily service volume: a whole number of services from 1 to MAX_DAILY_SERVICE_VOLUME.
 * `null` stays null (the policy's default).
 */
const parseVolume = (v: number | string | null): number | null => {
  if (v === null) return null;
  const n = typeof v === 'number' ? v : /^\s*\d{1,16}\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_DAILY_SERVICE_VOLUME)
    throw invalidInput(
      `daily_service_volume must be a whole number of services a day from 1 to ${MAX_DAILY_SERVICE_VOLUME} (got ${JSON.stringify(String(v)).slice(0, 40)}); a source serving more registers one source per business line`,
      [{ field: 'daily_service_volume', message: `expected 1–${MAX_DAILY_SERVICE_VOLUME}` }],
    );
  return n;
};

/**
 * The organization or public body a source of this kind declares it is, by USCC: on file, and of a
 * subject kind its source kind may be (a service hall is a public body's: OWN_NAME_SOURCE_KINDS).
 */
const declaredOrganization = async (ctx: Ctx, kind: string, uscc: string): Promise<SubjectRow> => {
  // A USCC names an organization or a public body (by its first character): either may be declared.
  const asOrganization = validateSubjectIdentifier('organization', uscc);
  const id = asOrganization.ok ? asOrganization : validateSubjectIdentifier('public_body', uscc);
  if (!id.ok)
    throw invalidInput(`organization: ${id.reason}`, [{ field: 'organization', message: id.reason }]);
  const subject = await ctx.store.findSubjectByIdentifier(id.identifier);
  if (!subject || subject.kind === 'person')
    throw notFound(
      `no organization or public body with USCC ${id.identifier} is on file: import it first (\`credence subjects import\`)`,
    );
  const may = OWN_NAME_SOURCE_KINDS[kind as SourceKind] ?? ['organization', 'public_body'];
  if (!(may as readonly string[]).includes(subject.kind))
    throw invalidInput(
      `a ${kind} source is run by a ${may.map((k) => k.replace('_', ' ')).join(' or ')}: ${id.identifier} (${subject.name}) is a ${subject.kind.replace('_', ' ')}`,
      [{ field: 'organization', message: `expected a ${may.join(' or ')}` }],
    );
  return subject;
};

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
  const volume = input.dailyServiceVolume === undefined ? null : parseVolume(input.dailyServiceVolume);
  const organization =
    input.organization === undefined ? undefined : await declaredOrganization(ctx, kind, input.organization);
  const credential = newCredential('src');
  const source = await ctx.store.insertSource(
    {
      code: input.code,
      kind,
      name: input.name ?? input.code,
      legalBasis: input.legalBasis ?? 'as stated for each record type in the catalogue',
      types,
      credentialHash: hashCredential(credential),
      organizationId: organization?.id ?? null,
      dailyServiceVolume: volume,
    },
    ctx.clock.now().toISOString(),
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      // The organization's own trail, when the source declares it is that organization.
      subjectId: organization?.id ?? null,
      action: 'source.register',
      detail:
        `${input.code} ${kind} ${types.length} types` +
        (organization ? ` organization ${organization.identifier}` : '') +
        (volume !== null ? ` daily_service_volume ${volume}` : ''),
      requestId: ctx.requestId,
    },
  );
  return { source, credential };
};

const unknownSource = (code: string) =>
  notFound(`no source with code "${code}": see \`credence sources list\``);

export interface SourceSettings {
  code: string;
  /** The USCC of the organization or public body it is; null: none. */
  organization?: string | null;
  /** The services it declares a day; null: the ratings policy's default. */
  dailyServiceVolume?: number | string | null;
}

/**
 * Changes what a registered source declares: the organization it is, its daily service volume.
 * Audited like its registration (`source.update`), on the organization's trail too when one is
 * declared or given up.
 */
export const updateSource = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SourceSettings;
}): Promise<SourceRow> => {
  requirePermission(ctx.principal, 'sources.manage');
  if (input.organization === undefined && input.dailyServiceVolume === undefined)
    throw invalidInput('nothing to change: give an organization or a daily service volume', [
      { field: 'organization', message: 'or daily_service_volume' },
    ]);
  const before = await ctx.store.findSourceByCode(input.code);
  if (!before) throw unknownSource(input.code);
  const volume = input.dailyServiceVolume === undefined ? undefined : parseVolume(input.dailyServiceVolume);
  const organization =
    input.organization === undefined || input.organization === null
      ? input.organization
      : await declaredOrganization(ctx, before.kind, input.organization);
  const changes = [
    ...(organization === undefined ? [] : [`organization ${organization?.identifier ?? 'none'}`]),
    ...(volume === undefined ? [] : [`daily_service_volume ${volume ?? 'default'}`]),
  ].join(' ');
  const entry = (subjectId: number | null): AuditDraft => ({
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    subjectId,
    action: 'source.update',
    detail: `${input.code} ${changes}`,
    requestId: ctx.requestId,
  });
  // On the platform's trail, and on each organization's the change names (declared or given up).
  const orgs = new Set<number>();
  if (organization !== undefined) {
    if (organization) orgs.add(organization.id);
    if (before.organization && before.organization.id !== organization?.id) orgs.add(before.organization.id);
  }
  const source = await ctx.store.updateSource(
    input.code,
    {
      ...(organization !== undefined ? { organizationId: organization?.id ?? null } : {}),
      ...(volume !== undefined ? { dailyServiceVolume: volume } : {}),
    },
    ctx.clock.now().toISOString(),
    [entry(null), ...[...orgs].map(entry)],
  );
  if (!source) throw unknownSource(input.code);
  return source;
};

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

/**
 * Why a source cannot issue interaction tokens now, naming the commands that fix it; null: nothing
 * stops it. An own-name source vouches only for the organization it declared and the licensed
 * professionals on its roster (ratings/interactions.ts): with none declared, it vouches for nobody.
 */
export const tokensBlockedBy = (s: Pick<SourceRow, 'code' | 'kind' | 'organization'>): string | null =>
  OWN_NAME_SOURCE_KINDS[s.kind as SourceKind] && s.organization === null
    ? `cannot issue interaction tokens until it declares the organization it is: \`credence sources set ${s.code} --organization USCC\` (PATCH /v1/sources/${s.code}), then its licensed professionals go on its roster: \`credence sources staff add ${s.code} --file staff.csv\``
    : null;

/** The one JSON form of a source (snake_case, never its credential), shared by the API and the CLI. */
export const sourceJson = (s: SourceRow) => ({
  code: s.code,
  kind: s.kind,
  name: s.name,
  legal_basis: s.legalBasis,
  types: s.types,
  created_at: s.createdAt,
  revoked_at: s.revokedAt,
  organization: s.organization
    ? { uscc: s.organization.identifier, name: s.organization.name, kind: s.organization.kind }
    : null,
  daily_service_volume: s.dailyServiceVolume,
  cannot_issue_tokens: tokensBlockedBy(s),
});
