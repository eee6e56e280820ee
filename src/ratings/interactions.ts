/**
 * Verified interactions: a registered source that served someone issues a token naming who served
 * (a licensed person by licence, an organization or public body by USCC), the service and its
 * day. The token is 256 random bits shown once to the citizen and kept only as its SHA-256, so it
 * can be neither guessed nor forged, and the database alone cannot redeem it. A source that issues
 * far more tokens in a day than it serves is flagged: the ratings redeemed from that day's tokens
 * are held for review.
 */
import { hash, randomBytes } from 'node:crypto';
import { can, refuseWithdrawnSource, requirePermission } from '../access/index.ts';
import {
  LICENSING_SOURCE_KINDS,
  MARKETPLACE_SOURCE_KINDS,
  OWN_NAME_SOURCE_KINDS,
  protectedWordIn,
  type SourceKind,
} from '../catalogue/index.ts';
import { type Ctx, daySpanIn, spanOfDay, todayOf } from '../context.ts';
import { actorOf } from '../due-process/index.ts';
import { LICENCE_KINDS, validateSubjectIdentifier } from '../identity/index.ts';
import { parseDay } from '../shared/days.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { NewInteraction, RatingAuditEntry, SourceRow, SubjectRow } from '../store/index.ts';
import type { RatingsPolicy } from './policy.ts';

export const SERVING_KINDS = ['licence', 'organization', 'public_body'] as const;
export type ServingKind = (typeof SERVING_KINDS)[number];

/**
 * Who may vouch for the services of an organization or a public body, by the kind of source:
 * MARKETPLACE_SOURCE_KINDS record the sales of others, so they vouch for third-party organizations
 * (never for a public body); OWN_NAME_SOURCE_KINDS (hospitals, schools, employers, banks,
 * telecoms, local government service halls) serve in their own name and vouch only for the
 * organization they declared they are (catalogue/source-kinds.ts gives the reasons).
 */
const vouchesForOthers = (kind: SourceKind, serving: 'organization' | 'public_body') =>
  serving === 'organization' && MARKETPLACE_SOURCE_KINDS.includes(kind);

/** How a refusal names the fix, in the command line's words and the API's. */
const setOrganizationFix = (code: string) =>
  `\`credence sources set ${code} --organization USCC\` (PATCH /v1/sources/${code} {"organization": USCC})`;
const addStaffFix = (code: string, licence: string, day: string) =>
  `\`credence sources staff add ${code} --licence ${licence} --from ${day}\` (POST /v1/sources/${code}/staff)`;

export interface InteractionInput {
  serving: { kind: string; id: string; licenceKind?: string | undefined };
  serviceDate: string;
  service: string;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
  servingKind: ServingKind;
}

export const TOKEN_PREFIX = 'cit_';
export const MAX_INTERACTIONS = 1000;
const TOKEN_RE = /^cit_[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): Buffer => hash('sha256', token, 'buffer');
/** Whether a text has the shape of a token this platform issues (a forged shape is refused first). */
export const isTokenShaped = (token: string) => TOKEN_RE.test(token);

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** A value a caller sent, as a message quotes it: escaped and at most about 40 characters. */
const quoteShort = (v: string) => {
  const q = JSON.stringify(v);
  return q.length > 42 ? `${q.slice(0, 40)}…"` : q;
};

/** How a way in names the source, in its own words (`--source CODE`), and the field it names. */
interface SourceNaming {
  how: string;
  field: string;
}

/** The source the principal issues for: a source itself, or the operator naming one. */
const issuingSource = async (
  ctx: Ctx,
  code: string | undefined,
  naming: SourceNaming | undefined,
): Promise<SourceRow> => {
  const p = ctx.principal;
  const any = can(p, 'interactions.issue_any');
  const want = any ? code : p.ref;
  if (!any && code && code !== p.ref)
    throw forbidden(`a source issues tokens for its own services only (you are ${p.ref})`);
  if (!want)
    throw invalidInput(`name the source that served${naming ? `: ${naming.how}` : ''}`, [
      { field: naming?.field ?? 'source', message: 'required' },
    ]);
  const source = await ctx.store.findSourceByCode(want);
  if (!source) throw notFound(`unknown source "${want}"`);
  // A withdrawn source vouches for no new service (an operator naming it included).
  refuseWithdrawnSource(ctx, source, 'it issues no interaction tokens');
  return source;
};

/** The subject who served, resolved and checked against what the source may vouch for. */
const servingSubject = async (
  ctx: Ctx,
  source: SourceRow,
  s: InteractionInput['serving'],
  field: string,
  serviceDate: string,
): Promise<SubjectRow> => {
  const kind = source.kind as SourceKind;
  if (s.kind === 'licence') {
    if (s.licenceKind !== undefined && !(LICENCE_KINDS as readonly string[]).includes(s.licenceKind))
      throw invalidInput(
        `unknown licence kind "${s.licenceKind}": expected one of ${LICENCE_KINDS.join(', ')}`,
        [{ field: `${field}.licence_kind`, message: 'unknown licence kind' }],
      );
    const number = s.id.trim();
    // A source vouches for the professionals who serve under it on the service day, never for
    // another's: its roster says who they are. The licence is looked for on that roster only, and
    // one unknown and one not on it are refused alike, so a source learns nothing of the licences
    // of others (whether a number exists, or its kind).
    const notOnRoster = () =>
      forbidden(
        `${s.licenceKind ? `${s.licenceKind} ` : ''}licence ${number} is not on the roster of ${source.code} on ${serviceDate}: a source vouches only for the licensed professionals who serve under it; if they do, register them with ${addStaffFix(source.code, number, serviceDate)}`,
      );
    const found = await ctx.store.ratings.findLicences(number, s.licenceKind, {
      sourceId: source.id,
      day: serviceDate,
    });
    if (found.length === 0) throw notOnRoster();
    if (found.length > 1)
      throw invalidInput(`licence number "${s.id}" is held under several kinds: name licence_kind`, [
        { field: `${field}.licence_kind`, message: `one of ${found.map((f) => f.kind).join(', ')}` },
      ]);
    const lic = found[0]!;
    if (!(LICENSING_SOURCE_KINDS[lic.kind] ?? []).includes(kind))
      throw forbidden(
        `a ${kind} source may not vouch for the services of a ${lic.kind}: that is for ${(LICENSING_SOURCE_KINDS[lic.kind] ?? []).join(' or ')} sources`,
      );
    const subject = await ctx.store.findSubjectById(lic.subjectId);
    if (!subject) throw notOnRoster();
    return subject;
  }
  if (s.kind !== 'organization' && s.kind !== 'public_body')
    throw invalidInput(`serving.kind must be one of ${SERVING_KINDS.join(', ')}`, [
      { field: `${field}.kind`, message: 'unknown kind' },
    ]);
  const id = validateSubjectIdentifier(s.kind, s.id);
  if (!id.ok) throw invalidInput(`serving.id: ${id.reason}`, [{ field: `${field}.id`, message: id.reason }]);
  const what = s.kind.replace('_', ' ');
  const ownName = OWN_NAME_SOURCE_KINDS[kind];
  if (!ownName && !vouchesForOthers(kind, s.kind))
    throw forbidden(
      `a ${kind} source may not vouch for the services of a ${what}: that is for ${[
        ...MARKETPLACE_SOURCE_KINDS.filter((k) => vouchesForOthers(k, s.kind as 'organization')),
        ...Object.keys(OWN_NAME_SOURCE_KINDS).filter((k) =>
          OWN_NAME_SOURCE_KINDS[k as SourceKind]!.includes(s.kind as 'organization'),
        ),
      ].join(
        ', ',
      )} sources${s.kind === 'organization' ? ' (those last for their own organization only)' : ' (for their own public body only)'}`,
    );
  if (ownName && !ownName.includes(s.kind))
    throw forbidden(
      `a ${kind} source serves in the name of a ${ownName.join(' or ').replace('_', ' ')}, never of an organization: a company's services are vouched for by its own source or a platform it sells through`,
    );
  // An own-name source vouches only for the organization it is (issue 16: a hospital's credential
  // is not a company's); checked before the look-up, so a source learns nothing of others' USCCs.
  if (ownName && source.organization === null)
    throw forbidden(
      `${source.code} is a ${kind} source with no organization declared: it vouches only for its own ${ownName.join(' or ').replace('_', ' ')}, so register which one it is with ${setOrganizationFix(source.code)}`,
    );
  if (ownName && source.organization!.identifier !== id.identifier)
    throw forbidden(
      `${source.code} vouches only for its own organization (USCC ${source.organization!.identifier}) and the licensed professionals on its roster, not for ${id.identifier}: a service of another organization is vouched for by that organization's own source`,
    );
  const subject = await ctx.store.findSubjectByIdentifier(id.identifier);
  if (!subject || subject.kind !== s.kind) throw notFound(`no ${what} with USCC ${id.identifier} is on file`);
  return subject;
};

/**
 * Issues one token per interaction, all or nothing. The service day may not be in the future nor
 * older than the redemption window; each token expires `redeem_window_days` after the service day.
 */
export const issueInteractions = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: {
    source?: string | undefined;
    interactions: InteractionInput[];
    /** How the caller's way in names the source, for the refusal when an operator names none. */
    naming?: SourceNaming;
  };
  deps: { policy: RatingsPolicy };
}): Promise<IssuedToken[]> => {
  requirePermission(ctx.principal, 'interactions.issue');
  const { interactions } = input;
  if (interactions.length === 0 || interactions.length > MAX_INTERACTIONS)
    throw invalidInput(`send between 1 and ${MAX_INTERACTIONS} interactions at a time`, [
      { field: 'interactions', message: `${interactions.length} given` },
    ]);
  const source = await issuingSource(ctx, input.source, input.naming);
  const now = ctx.clock.now();
  // The service day is a day where the service took place: in the platform's zone.
  const today = todayOf(ctx.clock);
  const window = deps.policy.tokens.redeemWindowDays;
  const rows: NewInteraction[] = [];
  const tokens: IssuedToken[] = [];
  const servedIds = new Set<number>();
  for (let i = 0; i < interactions.length; i++) {
    const it = interactions[i]!;
    const field = interactions.length === 1 ? 'serving' : `interactions.${i}.serving`;
    const dayField = interactions.length === 1 ? 'service_date' : `interactions.${i}.service_date`;
    if (!DATE_RE.test(it.serviceDate) || Number.isNaN(parseDay(it.serviceDate)))
      throw invalidInput(
        `service_date ${quoteShort(it.serviceDate)} is not a calendar date: expected YYYY-MM-DD`,
        [{ field: dayField, message: 'expected YYYY-MM-DD' }],
      );
    if (it.serviceDate > today)
      throw invalidInput(`service_date ${it.serviceDate} is in the future`, [
        { field: dayField, message: 'future' },
      ]);
    const expiresDay = parseDay(it.serviceDate) + window;
    if (expiresDay < parseDay(today))
      throw invalidInput(
        `service_date ${it.serviceDate} is more than ${window} days ago: its rating window has closed`,
        [{ field: dayField, message: 'too old' }],
      );
    const service = it.service.trim();
    const serviceField = interactions.length === 1 ? 'service' : `interactions.${i}.service`;
    if (service.length === 0 || service.length > 200)
      throw invalidInput('service must name the service in 1–200 characters', [
        { field: serviceField, message: `${service.length} characters` },
      ]);
    // Product rule 2: the service is kept with the rating and shown to the rated subject; a
    // diagnosis or a belief in it would be health or religion data about the person served. The
    // whole call is refused (tokens are issued all or nothing), as a record line naming one is.
    const word = protectedWordIn(service);
    if (word)
      throw invalidInput(
        `${serviceField} names a protected category (${word.category}: "${word.word}"), which product rule 2 keeps out of ratings: name the kind of service only, e.g. "outpatient follow-up"`,
        [{ field: serviceField, message: `protected category ${word.category}: "${word.word}"` }],
      );
    const subject = await servingSubject(ctx, source, it.serving, field, it.serviceDate);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    // The window closes at the end of its last day, in the platform's zone as the service day is.
    const lastDay = new Date(expiresDay * 86_400_000).toISOString().slice(0, 10);
    const expiresAt = new Date(spanOfDay(ctx.clock, lastDay).until - 1000).toISOString();
    rows.push({
      tokenHash: hashToken(token),
      sourceId: source.id,
      servingId: subject.id,
      service,
      serviceDate: it.serviceDate,
      issuedAt: now.toISOString(),
      expiresAt,
    });
    servedIds.add(subject.id);
    tokens.push({ token, expiresAt, servingKind: it.serving.kind as ServingKind });
  }
  const audit: RatingAuditEntry[] = [...servedIds].map((subjectId) => ({
    ...actorOf(ctx),
    subjectId,
    action: 'interactions.issue',
    detail: JSON.stringify({
      source: source.code,
      count: rows.filter((r) => r.servingId === subjectId).length,
    }),
  }));
  await ctx.store.ratings.insertInteractions(rows, audit);
  await flagVolume(ctx, source, now, deps.policy);
  return tokens;
};

/**
 * Holds a source's day when it issued more than `volume_factor` × its daily service volume: the
 * volume it declared (`credence sources set CODE --daily-service-volume N`), else the policy's
 * default.
 */
const flagVolume = async (ctx: Ctx, source: SourceRow, now: Date, policy: RatingsPolicy) => {
  // The source's day in the platform's zone: its service hall's day.
  const span = daySpanIn(ctx.clock, now);
  const day = span.day;
  const issued = await ctx.store.ratings.countIssuedSince(source.id, new Date(span.from).toISOString());
  const volume = source.dailyServiceVolume ?? policy.tokens.defaultDailyServiceVolume;
  if (issued <= policy.tokens.volumeFactor * volume) return;
  const key = `${source.code}:${day}`;
  if (await ctx.store.ratings.findPendingHold('source_volume', key)) return;
  await ctx.store.ratings.insertHold(
    {
      reason: 'source_volume',
      key,
      ratedId: null,
      windowFrom: new Date(span.from).toISOString(),
      windowTo: new Date(span.until - 1).toISOString(),
      detail: {
        key,
        source: source.code,
        day,
        issued,
        daily_service_volume: volume,
        volume_declared: source.dailyServiceVolume !== null,
        factor: policy.tokens.volumeFactor,
      },
      hides: true,
      createdAt: now.toISOString(),
    },
    [],
    [
      {
        ...actorOf(ctx),
        subjectId: null,
        action: 'ratings.hold',
        detail: JSON.stringify({ hold: '{hold}', reason: 'source_volume', key }),
      },
    ],
  );
};
