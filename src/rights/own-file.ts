/**
 * A subject's own file (DESIGN rules 5–10): every record with its source, case, status, history,
 * the day it stops counting and the day it may be repaired; the score with its key factors and what
 * to do about each; list entries and measures in force with their legal basis and period; its
 * objections and repair applications; and who looked at it. The subject reads its own; an operator
 * or auditor reads any, with a stated purpose. Every read is audited.
 *
 * The file is built in its JSON form (snake_case, CONVENTIONS 7c): `GET /v1/me`, `credence subjects
 * show --json` and the printable report all print this one object, so they cannot drift apart.
 */
import { requirePermission } from '../access/index.ts';
import type { Catalogue, Domain } from '../catalogue/index.ts';
import { type Clock, type Ctx, dateIn, todayOf } from '../context.ts';
import type { DueProcessPolicy } from '../due-process/index.ts';
import {
  entryOf,
  evaluateMeasure,
  type ListPolicy,
  type MeasurePolicy,
  type RepresentedEntries,
} from '../lists/index.ts';
import { objectionsInFile } from '../objections/index.ts';
import { repairEligibility, repairsInFile } from '../repairs/index.ts';
import {
  engineTime,
  type LinkedOrganization,
  loadScoringNeighbourhood,
  type ScoringPolicy,
  scoreSubject,
} from '../scoring/index.ts';
import { invalidInput } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import { isExplainableCheckId, type RecordVersionRow, type Store } from '../store/index.ts';
import { bindingJson, fileBindings, getReadableSubject, ownFileBindings } from '../subjects/index.ts';
import { type AccessLogPage, readAccessLog } from './access-log.ts';
import { type Advice, adviceFor, type RepairEligibility } from './advice.ts';

export interface OwnFileDeps {
  catalogue: Catalogue;
  policy: ScoringPolicy;
  lists: ListPolicy;
  measures: MeasurePolicy;
  dueProcess: DueProcessPolicy;
  /**
   * The subject's objections and repair applications with their clocks, from the objections and
   * repairs capabilities (wired by the way in; the sections are absent without it).
   */
  applications?: (subjectId: number, today: string) => Promise<{ objections: unknown[]; repairs: unknown[] }>;
}

export interface OwnFileInput {
  /** The subject's identifier; defaults to the acting subject's own. */
  identifier?: string;
  /** The access log's page cursor (`next_page` of the page before). */
  accessPage?: string;
  accessLimit?: number;
  /** The checks' page cursor. */
  checksPage?: string;
  /** What the read is for, in the audit entry's detail (default: the file). */
  view?: 'file' | 'report';
  lang?: string;
}

export interface RecordVersionJson {
  version: number;
  status: string;
  type: string;
  occurred_at: string;
  decided_at: string | null;
  amount: number | null;
  case_reference: string | null;
  note: string | null;
  known_from: string;
  /** When it was replaced, by what and why. */
  replaced_at: string;
  change: string;
  reason: string | null;
}

export interface OwnRecordJson {
  id: number;
  type: string;
  /** The catalogue's English name (the catalogue names types in English only). */
  type_name: string;
  polarity: string | null;
  severity: string | null;
  domain: string | null;
  source: { code: string; name: string };
  source_record_id: string;
  /** The case number or decision number the record cites (its evidence). */
  case_reference: string | null;
  occurred_at: string;
  decided_at: string | null;
  disclosed_at: string | null;
  recorded_at: string;
  amount: number | null;
  note: string | null;
  status: string;
  version: number;
  revised_at: string | null;
  history: RecordVersionJson[];
  /** Points it adds to the score today (0: not counted). */
  points: number;
  /** The first day it no longer counts (null: it does not count now and will not). */
  counts_until: string | null;
  /** For a negative record: the day it may be repaired (null: never), and why. */
  repair: RepairEligibility | null;
}

export interface KeyFactorJson {
  record_id: number;
  type: string;
  type_name: string;
  date: string;
  points: number;
  /**
   * The grade it sets (`binds`: it decides the grade) or caps (the points give that grade or
   * worse), when it has one.
   */
  grade: { letter: string; binds: boolean } | null;
  text: string;
  /** The organization whose record it is, when counted through a binding. */
  organization: string | null;
  advice: Advice[];
}

export interface OwnFileJson {
  subject: { kind: string; identifier: string; name: string; birth_date: string | null; sex: string | null };
  /**
   * Every binding with the days it held, oldest first: for an organization, the persons who
   * represented it; for a person, the organizations it represented.
   */
  bindings: ReturnType<typeof bindingJson>[];
  licences: { kind: string; number: string }[];
  as_of: string;
  records: OwnRecordJson[];
  score: {
    score: number;
    grade: string;
    as_of: string;
    policy_version: string;
    domains: Record<Domain, number>;
    key_factors: KeyFactorJson[];
  };
  lists: {
    list: string;
    name: string;
    kind: string;
    status: string;
    in_force: boolean;
    from: string;
    until: string | null;
    reason_code: string;
    case_reference: string | null;
    reason_records: number[];
    legal_basis: string;
    note: string;
  }[];
  measures: {
    measure: string;
    name: string;
    kind: string;
    legal_basis: string;
    reason_code: string;
    list: string | null;
    from: string | null;
    until: string | null;
    case_reference: string | null;
    /** For a measure a grade triggers: the grade, in force while the grade holds. */
    grade: string | null;
  }[];
  /** The subject's objections with their clocks (from the objections capability, when wired). */
  objections?: unknown[];
  /** The subject's repair applications with their clocks (from the repairs capability, when wired). */
  repairs?: unknown[];
  access_log: AccessLogPage;
}

const versionJson = (v: RecordVersionRow): RecordVersionJson => ({
  version: v.version,
  status: v.status,
  type: v.type,
  occurred_at: v.occurredAt,
  decided_at: v.decidedAt,
  amount: v.amount,
  case_reference: v.evidence,
  note: v.note,
  known_from: v.knownFrom,
  replaced_at: v.knownUntil,
  change: v.change,
  reason: v.reason,
});

/** The subject's own file; an operator's or auditor's read of anyone's needs a stated purpose. */
export const getOwnFile = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: OwnFileInput;
  deps: OwnFileDeps;
}): Promise<OwnFileJson> => {
  const p = ctx.principal;
  let identifier = input.identifier;
  if (identifier === undefined) {
    requirePermission(p, 'subjects.read_own');
    if (!p.ref)
      throw invalidInput('this credential names no subject', [
        { field: 'authorization', message: 'no subject' },
      ]);
    identifier = p.ref;
  }
  const { subject } = await getReadableSubject(ctx, identifier);
  const today = todayOf(ctx.clock);
  const at = ctx.clock.now().toISOString();
  // The read is logged first, so the subject sees it at the top of its own access log.
  await ctx.store.appendAudit(
    [
      {
        actor: p.id,
        role: p.role,
        purpose: ctx.purpose,
        subjectId: subject.id,
        action: input.view === 'report' ? 'subject.report.read' : 'subject.file.read',
        detail: JSON.stringify(
          input.view === 'report' ? { view: 'report', lang: input.lang ?? null } : { view: 'own_file' },
        ),
        requestId: ctx.requestId,
      },
    ],
    at,
  );
  const person = subject.kind === 'person';
  const [records, sources, relyingParties, entryRows, n, applications, licences, bindings] =
    await Promise.all([
      ctx.store.listRecordsForSubject(subject.id),
      ctx.store.listSources(),
      ctx.store.listRelyingParties(),
      ctx.store.listListEntries([subject.id]),
      loadScoringNeighbourhood(ctx.store, [subject.id], undefined, ctx.clock.timeZone),
      deps.applications?.(subject.id, today),
      ctx.store.listLicences(subject.id),
      fileBindings(ctx.store, subject),
    ]);
  const versions = await ctx.store.listRecordVersions(
    records.map((r) => r.id),
    subject.id,
  );
  const sourceNames = new Map(sources.map((s) => [s.code, s.name]));
  const scoring = n.subjects.get(subject.id) ?? {
    id: subject.id,
    kind: subject.kind,
    legalRepId: subject.legalRepId,
    birthDate: subject.birthDate,
  };
  const represented = person ? n.represented(subject.id) : [];
  // Each organization whose records count for the person, as a key factor names it: by name and
  // USCC, and whether the person still represents it today.
  const organizations = new Map<number, LinkedOrganization>();
  for (const o of represented) {
    const org = await ctx.store.findSubjectById(o.subject.id);
    if (!org) continue;
    const represents = bindings.some(
      (b) =>
        b.role === 'legal_representative' &&
        b.identifier === org.identifier &&
        (b.from === null || b.from <= today) &&
        (b.until === null || today < b.until),
    );
    organizations.set(org.id, { identifier: org.identifier, name: org.name, represents });
  }
  const result = scoreSubject({
    subject: scoring,
    records: n.records.get(subject.id) ?? [],
    linkedRecords: represented.flatMap((o) => o.records),
    policy: deps.policy,
    catalogue: deps.catalogue,
    asOf: today,
    organizations,
    ...engineTime(ctx, today),
  });
  const contribution = new Map(result.breakdown.map((c) => [c.recordId, c]));
  const eligibility = repairEligibility;
  const typeName = (code: string) => deps.catalogue.get(code)?.name ?? code;

  const ownRecords: OwnRecordJson[] = records.map((r) => {
    const item = deps.catalogue.get(r.type);
    const c = contribution.get(r.id);
    return {
      id: r.id,
      type: r.type,
      type_name: typeName(r.type),
      polarity: item?.polarity ?? null,
      severity: item?.severity ?? null,
      domain: item?.domain ?? null,
      source: { code: r.sourceCode, name: sourceNames.get(r.sourceCode) ?? r.sourceCode },
      source_record_id: r.sourceRecordId,
      case_reference: r.evidence,
      occurred_at: r.occurredAt,
      decided_at: r.decidedAt,
      disclosed_at: r.disclosedAt,
      recorded_at: r.recordedAt,
      amount: r.amount,
      note: r.note,
      status: r.status,
      version: r.version,
      revised_at: r.revisedAt,
      history: versions.filter((v) => v.recordId === r.id).map(versionJson),
      points: c?.points ?? 0,
      counts_until: c && c.until > today ? c.until : null,
      repair:
        item?.polarity === 'negative' ? (eligibility(r, deps.catalogue, deps.dueProcess) ?? null) : null,
    };
  });
  const byId = new Map(ownRecords.map((r) => [r.id, r]));
  const recordRows = new Map(records.map((r) => [r.id, r]));
  const orgOfRecord = new Map<number, string>();
  for (const o of represented) {
    const name = organizations.get(o.subject.id)?.name ?? '';
    for (const r of o.records) orgOfRecord.set(r.id, name);
  }
  const keyFactors: KeyFactorJson[] = result.keyFactors.slice(0, 4).map((k) => {
    const own = byId.get(k.recordId);
    const organization = own ? undefined : (orgOfRecord.get(k.recordId) ?? 'an organization you represent');
    const until = contribution.get(k.recordId)?.until ?? null;
    const row = recordRows.get(k.recordId);
    return {
      record_id: k.recordId,
      type: k.type,
      type_name: typeName(k.type),
      date: k.date,
      points: k.points,
      grade: k.grade ? { letter: k.grade.letter, binds: k.grade.binds } : null,
      text: k.text,
      organization: organization ?? null,
      advice: adviceFor(
        {
          type: k.type,
          date: k.date,
          points: k.points,
          until,
          ...(row ? { record: row, sourceName: sourceNames.get(row.sourceCode) ?? row.sourceCode } : {}),
          ...(organization !== undefined ? { organization } : {}),
          today,
          ...(own?.repair ? { eligibility: own.repair } : {}),
        },
        deps,
      ),
    };
  });

  const entries = entryRows.map(entryOf);
  const inForce = (e: { status: string; from: string; until: string | null }) =>
    e.status !== 'ended' && e.from <= today && (e.until === null || e.until > today);
  const lists: OwnFileJson['lists'] = entryRows.map((row, i) => {
    const rule = deps.lists.byCode.get(row.listCode);
    return {
      list: row.listCode,
      name: rule?.name ?? row.listCode,
      kind: rule?.kind ?? row.listCode.split('.')[0]!,
      status: row.status,
      in_force: inForce(row),
      from: row.from,
      until: row.until,
      reason_code: row.reasonCode,
      case_reference: entries[i]!.caseReference ?? null,
      reason_records: row.reasonRecords,
      legal_basis: rule?.legalBasis ?? '',
      note: row.note,
    };
  });

  // Measures in force today, as a check would answer them, from the same entries and grade.
  let representedEntries: RepresentedEntries[] = [];
  if (subject.kind === 'person') {
    const bindings = await ctx.store.listBindings({ personIds: [subject.id], inForceOn: today });
    const orgEntries = bindings.length
      ? await ctx.store.listListEntries([...new Set(bindings.map((b) => b.organizationId))])
      : [];
    representedEntries = bindings.map((b) => ({
      role: b.role,
      entries: orgEntries.filter((e) => e.subjectId === b.organizationId).map(entryOf),
    }));
  }
  const measures: OwnFileJson['measures'] = [];
  for (const m of deps.measures.measures) {
    const a = evaluateMeasure({
      measure: m,
      entries,
      score: { grade: result.grade },
      subjectKind: subject.kind,
      asOf: today,
      represented: representedEntries,
    });
    if (!a.applies) continue;
    measures.push({
      measure: m.code,
      name: m.name,
      kind: m.kind,
      legal_basis: m.legalBasis,
      reason_code: a.reason_code,
      list: a.list,
      from: a.from,
      until: a.until,
      case_reference: a.case_reference,
      grade: m.trigger.kind === 'lists' ? null : result.grade,
    });
  }

  const accessLog = await readAccessLog(ctx.store, {
    subjectId: subject.id,
    dayOf: (at) => dateIn(ctx.clock, new Date(at)),
    names: {
      self: subject.identifier,
      sources: sourceNames,
      relyingParties: new Map(relyingParties.map((r) => [r.code, r.name])),
    },
    ...(input.accessPage !== undefined ? { accessPage: input.accessPage } : {}),
    ...(input.accessLimit !== undefined ? { accessLimit: input.accessLimit } : {}),
    ...(input.checksPage !== undefined ? { checksPage: input.checksPage } : {}),
  });
  // A check logged before its ID could be explained (a random UUID, migration 0028) is counted in
  // its group but not listed: `GET /v1/checks/{check_id}` cannot find it by that ID.
  for (const g of accessLog.checks.groups) g.check_ids = g.check_ids.filter(isExplainableCheckId);

  return {
    subject: {
      kind: subject.kind,
      identifier: subject.identifier,
      name: subject.name,
      birth_date: subject.birthDate,
      sex: subject.sex,
    },
    // An organization sees who represents it by name and masked ID number (product rule 10).
    bindings: ownFileBindings(subject, bindings).map(bindingJson),
    licences: licences.map((l) => ({ kind: l.kind, number: l.number })),
    as_of: today,
    records: ownRecords,
    score: {
      score: result.score,
      grade: result.grade,
      as_of: result.asOf,
      policy_version: result.policyVersion,
      domains: result.domains,
      key_factors: keyFactors,
    },
    lists,
    measures,
    ...(applications ? { objections: applications.objections, repairs: applications.repairs } : {}),
    access_log: accessLog,
  };
};

/**
 * The deps of the own file from what the composition root holds (the platform's policies). The one
 * place the ways in (API, CLI) take them from, and where the objections' and repairs' sections
 * and the repairs capability's eligibility rule are to be wired.
 */
export const ownFileDeps = (p: {
  store: Store;
  catalogue: Catalogue;
  scoringPolicy: ScoringPolicy;
  lists: ListPolicy;
  measures: MeasurePolicy;
  dueProcess: DueProcessPolicy;
  calendar: WorkingCalendar;
  clock: Clock;
}): OwnFileDeps => ({
  catalogue: p.catalogue,
  policy: p.scoringPolicy,
  lists: p.lists,
  measures: p.measures,
  dueProcess: p.dueProcess,
  applications: async (subjectId, today) => ({
    objections: await objectionsInFile(p.store, subjectId, today, {
      policy: p.dueProcess,
      catalogue: p.catalogue,
      clock: p.clock,
    }),
    repairs: await repairsInFile(p.store, subjectId, today, { calendar: p.calendar, catalogue: p.catalogue }),
  }),
});
