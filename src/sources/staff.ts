/**
 * A source's roster: the persons who serve under it — licensed professionals named by licence
 * number, other staff by resident ID — each from a day until a day no longer. It says what a
 * source may vouch for (a hospital issues interaction tokens only for the licensed professionals
 * on its roster on the service day: src/ratings/interactions.ts) and who is connected to what it
 * serves (a rater on its roster, or bound to the organization it declared, is connected to that
 * organization and to everyone else tied to it: src/ratings/submit.ts). Managed by the operator,
 * every change audited on the person's trail (product rule 9); a source reads its own roster only
 * (product rule 10), every read audited on the trail of each person it shows.
 */
import { can, requirePermission } from '../access/index.ts';
import { refuseProtectedText } from '../catalogue/index.ts';
import { type Ctx, todayOf } from '../context.ts';
import { actorOf, auditReadsBySubject } from '../due-process/index.ts';
import { LICENCE_KINDS, validateSubjectIdentifier } from '../identity/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { NewStaffEntry, SourceRow, StaffAuditEntry, StaffRow, SubjectRow } from '../store/index.ts';

/** One person to put on a roster: by licence (a licensed professional) or by resident ID. */
export interface StaffInput {
  licence?: string | undefined;
  /** Needed only when the number is held under several licence kinds. */
  licenceKind?: string | undefined;
  person?: string | undefined;
  /** The post held, e.g. "attending physician" (free text, screened: product rule 2). */
  position?: string | undefined;
  /** From this day (YYYY-MM-DD). */
  from: string;
  /** Until this day no longer (YYYY-MM-DD, after `from`); absent: open-ended. */
  until?: string | null | undefined;
  /** Where it came from, for messages: a CSV file's line. */
  line?: number | undefined;
}

/** At most this many entries in one call (a CSV file of a hospital's staff, say). */
export const MAX_STAFF = 10_000;
const MAX_POSITION = 100;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const sourceOrThrow = async (ctx: Ctx, code: string): Promise<SourceRow> => {
  const source = await ctx.store.findSourceByCode(code);
  if (!source) throw notFound(`no source with code "${code}": see \`credence sources list\``);
  return source;
};

const day = (v: unknown, field: string, what: string): string => {
  if (typeof v !== 'string' || !DATE_RE.test(v) || Number.isNaN(parseDay(v)))
    throw invalidInput(
      `${field}: ${what} ${JSON.stringify(v ?? null)} is not a calendar date: expected YYYY-MM-DD`,
      [{ field, message: 'expected YYYY-MM-DD' }],
    );
  return v;
};

/** The person an entry names, by licence or by resident ID (exactly one of them). */
const personNamed = async (
  ctx: Ctx,
  e: Pick<StaffInput, 'licence' | 'licenceKind' | 'person'>,
  at: string,
): Promise<{ subject: SubjectRow; licence: { kind: string; number: string } | null }> => {
  const licence = e.licence?.trim();
  const person = e.person?.trim();
  if (Boolean(licence) === Boolean(person))
    throw invalidInput(`${at}: name the person by licence number or by resident ID, one of them`, [
      { field: `${at}.licence`, message: 'or person, exactly one' },
    ]);
  if (licence) {
    if (e.licenceKind !== undefined && !(LICENCE_KINDS as readonly string[]).includes(e.licenceKind))
      throw invalidInput(
        `${at}: unknown licence kind "${e.licenceKind}": expected one of ${LICENCE_KINDS.join(', ')}`,
        [{ field: `${at}.licence_kind`, message: 'unknown licence kind' }],
      );
    const found = await ctx.store.ratings.findLicences(licence, e.licenceKind);
    if (found.length === 0)
      throw notFound(
        `${at}: no licence numbered "${licence}" is on file: its licensing source records it first`,
      );
    if (found.length > 1)
      throw invalidInput(
        `${at}: licence number "${licence}" is held under several kinds: name licence_kind`,
        [{ field: `${at}.licence_kind`, message: `one of ${found.map((f) => f.kind).join(', ')}` }],
      );
    const subject = await ctx.store.findSubjectById(found[0]!.subjectId);
    if (!subject) throw notFound(`${at}: no licence numbered "${licence}" is on file`);
    return { subject, licence: { kind: found[0]!.kind, number: found[0]!.number } };
  }
  const id = validateSubjectIdentifier('person', person!);
  if (!id.ok)
    throw invalidInput(`${at}.person: ${id.reason}`, [{ field: `${at}.person`, message: id.reason }]);
  const subject = await ctx.store.findSubjectByIdentifier(id.identifier);
  if (subject?.kind !== 'person')
    throw notFound(`${at}: no person with resident ID ${id.identifier} is on file`);
  return { subject: subject!, licence: null };
};

/** The one JSON form of a roster entry (snake_case), shared by the API and the CLI. */
export const staffJson = (r: StaffRow) => ({
  id: r.id,
  person: { id_number: r.identifier, name: r.name },
  licence: r.licenceKind && r.licenceNumber ? { kind: r.licenceKind, number: r.licenceNumber } : null,
  position: r.position,
  from: r.validFrom,
  until: r.validUntil,
  recorded_at: r.recordedAt,
  ended_at: r.endedAt,
});

/**
 * Puts persons on a source's roster, all or nothing: a bad entry is refused naming its place
 * (`staff.3.from`, or the CSV line) and nothing is added. Each entry is audited on the person's
 * trail (`source.staff.add`).
 */
export const addStaff = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string; staff: StaffInput[] };
}): Promise<StaffRow[]> => {
  requirePermission(ctx.principal, 'sources.manage');
  const { staff } = input;
  if (staff.length === 0 || staff.length > MAX_STAFF)
    throw invalidInput(`send between 1 and ${MAX_STAFF} roster entries at a time`, [
      { field: 'staff', message: `${staff.length} given` },
    ]);
  const source = await sourceOrThrow(ctx, input.code);
  const entries: NewStaffEntry[] = [];
  const audit: StaffAuditEntry[] = [];
  for (let i = 0; i < staff.length; i++) {
    const e = staff[i]!;
    const at = e.line !== undefined ? `line ${e.line}` : staff.length === 1 ? 'staff' : `staff.${i}`;
    const from = day(e.from, `${at}.from`, 'from');
    const until = e.until === undefined || e.until === null ? null : day(e.until, `${at}.until`, 'until');
    if (until !== null && until <= from)
      throw invalidInput(
        `${at}: until ${until} must come after from ${from} (it is the first day no longer served)`,
        [{ field: `${at}.until`, message: 'not after from' }],
      );
    const position = e.position?.trim() || null;
    if (position !== null) {
      if (position.length > MAX_POSITION)
        throw invalidInput(`${at}.position: name the post in at most ${MAX_POSITION} characters`, [
          { field: `${at}.position`, message: `${position.length} characters` },
        ]);
      // Product rule 2: the post is kept on the person's file and shown with the roster.
      refuseProtectedText(position, `${at}.position`, "a person's roster entry");
    }
    const { subject, licence } = await personNamed(ctx, e, at);
    entries.push({
      subjectId: subject.id,
      licenceKind: licence?.kind ?? null,
      licenceNumber: licence?.number ?? null,
      position,
      validFrom: from,
      validUntil: until,
    });
    audit.push({
      ...actorOf(ctx),
      subjectId: subject.id,
      action: 'source.staff.add',
      detail: JSON.stringify({
        source: source.code,
        ...(licence ? { licence: `${licence.kind} ${licence.number}` } : {}),
        from,
        until,
      }),
    });
  }
  return ctx.store.staff.addStaff(source.id, entries, ctx.clock.now().toISOString(), audit);
};

/**
 * Takes a person off a source's roster from a day on (`until`, the first day no longer served;
 * tomorrow by default, so the entry holds through today: a professional taken off this afternoon
 * can still be rated for this morning's services): the entries in force then end that day, and an
 * entry starting later never holds. Entries are kept, so what earlier tokens and ratings were judged against stays on file.
 */
export const removeStaff = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string; licence?: string; licenceKind?: string; person?: string; until?: string };
}): Promise<StaffRow[]> => {
  requirePermission(ctx.principal, 'sources.manage');
  const source = await sourceOrThrow(ctx, input.code);
  const until =
    input.until === undefined
      ? formatDay(parseDay(todayOf(ctx.clock)) + 1)
      : day(input.until, 'until', 'until');
  const { subject, licence } = await personNamed(ctx, input, 'staff');
  const ended = await ctx.store.staff.endStaff(source.id, subject.id, until, ctx.clock.now().toISOString(), [
    {
      ...actorOf(ctx),
      subjectId: subject.id,
      action: 'source.staff.end',
      detail: JSON.stringify({
        source: source.code,
        ...(licence ? { licence: `${licence.kind} ${licence.number}` } : {}),
        until,
      }),
    },
  ]);
  if (ended.length === 0)
    throw notFound(
      `${subject.identifier} (${subject.name}) is not on the roster of ${source.code} on or after ${until}: see \`credence sources staff list ${source.code}\``,
    );
  return ended;
};

/**
 * A source's roster, every entry with its days. Operators and auditors read any; a source its own
 * only (product rule 10). Each person shown gets the read on its trail (product rule 9).
 */
export const listStaff = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string };
}): Promise<StaffRow[]> => {
  if (!can(ctx.principal, 'sources.staff.read')) {
    requirePermission(ctx.principal, 'sources.staff.read_own');
    if (input.code !== ctx.principal.ref)
      throw forbidden(`a source sees only its own roster (you are ${ctx.principal.ref ?? 'no source'})`);
  }
  const source = await sourceOrThrow(ctx, input.code);
  const rows = await ctx.store.staff.listStaff(source.id);
  await auditReadsBySubject(
    ctx,
    rows.map((r) => ({ subjectId: r.subjectId, id: r.id })),
    'source.staff.read',
    'entries',
    ctx.clock.now().toISOString(),
  );
  return rows;
};
