/**
 * Subjects capability: a subject's file — who it is, its records, and who looked at it. Every read
 * is audited with its purpose (product rule 9); each role sees only what it may (rule 10).
 */
import { can, requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { maskResidentId, validateSubjectIdentifier } from '../identity/index.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type {
  AuditRow,
  BindingRole,
  LicenceRow,
  ListEntryRow,
  NotificationRow,
  RecordRow,
  Store,
  SubjectRow,
} from '../store/index.ts';

export interface SubjectFile {
  subject: SubjectRow;
  legalRepresentative: Pick<SubjectRow, 'identifier' | 'name'> | null;
  /**
   * Every binding with the days it held, oldest first: for an organization, the persons who
   * represented it; for a person, the organizations it represented.
   */
  bindings: {
    /** The binding's number (what a bound person's objection names). */
    id: number;
    role: BindingRole;
    identifier: string;
    name: string;
    from: string | null;
    until: string | null;
    /** The bound person's open objection to it, if any. */
    objectionId: number | null;
  }[];
  licences: LicenceRow[];
  records: RecordRow[];
  /** Who read or wrote this file, newest first (the subject itself, operators and auditors). */
  accessLog?: AuditRow[];
  /** Red, black and focus list entries, current and past. */
  lists: ListEntryRow[];
  /** What the subject was told about its listings, newest first. */
  notifications: NotificationRow[];
  /** The latest score kept for the subject under the policy version asked for, if any. */
  score: {
    score: number;
    grade: string;
    asOf: string;
    policyVersion: string;
    keyFactors: { recordId: number; type: string; date: string; points: number }[];
  } | null;
}

/** Normalises an identifier typed by a person: a resident ID number or a USCC. */
export const parseIdentifier = (raw: string): string => {
  const s = raw.trim().toUpperCase();
  const asPerson = validateSubjectIdentifier('person', s);
  if (asPerson.ok) return asPerson.identifier;
  const asOrg = validateSubjectIdentifier('organization', s);
  if (asOrg.ok) return asOrg.identifier;
  const asBody = validateSubjectIdentifier('public_body', s);
  if (asBody.ok) return asBody.identifier;
  throw invalidInput(
    `"${raw}" is neither a valid resident identity card number (${asPerson.reason}) nor a valid Unified Social Credit Code (${asOrg.reason})`,
    [{ field: 'subject', message: 'invalid identifier' }],
  );
};

export const getSubjectOrThrow = async (ctx: Ctx, identifier: string): Promise<SubjectRow> => {
  const s = await ctx.store.findSubjectByIdentifier(parseIdentifier(identifier));
  if (!s) throw notFound(`no subject with identifier ${identifier}`);
  return s;
};

/**
 * The subject a principal may read about, or a refusal: operators and auditors read any file, a
 * subject only its own. Says whether it is the principal's own. Reading another's file needs a
 * stated purpose (it is shown to the subject: product rule 9); a subject reading its own needs none.
 */
export const getReadableSubject = async (
  ctx: Ctx,
  rawIdentifier: string,
): Promise<{ subject: SubjectRow; own: boolean }> => {
  const p = ctx.principal;
  const identifier = parseIdentifier(rawIdentifier);
  const own = can(p, 'subjects.read_own') && p.ref === identifier;
  if (!can(p, 'subjects.read_any') && !own) {
    if (can(p, 'subjects.read_own')) throw forbidden('a subject may read only its own file');
    requirePermission(p, 'subjects.read_any');
  }
  if (!own && ctx.purposeStated === false)
    throw invalidInput('say why you read this file: send `x-purpose` (it is shown to the subject)', [
      { field: 'x-purpose', message: 'missing' },
    ]);
  const subject = await ctx.store.findSubjectByIdentifier(identifier);
  if (!subject) throw notFound(`no subject with identifier ${identifier}`);
  return { subject, own };
};

/**
 * Every binding of a subject with the days it held (or only those in force on `inForceOn`), oldest
 * first, naming the other side: an organization's representatives, or the organizations a person
 * represented.
 */
/** The one JSON form of a binding in a file (the operator's and the subject's own alike). */
export const bindingJson = (b: SubjectFile['bindings'][number]) => ({
  id: b.id,
  role: b.role,
  identifier: b.identifier,
  name: b.name,
  from: b.from,
  until: b.until,
  disputed: b.objectionId !== null,
  objection_id: b.objectionId,
});

/**
 * The bindings as an organization or public body sees them in its own file (`GET /v1/me`, and its
 * file and score read by itself): each person bound to it by name and masked ID number, as the
 * court list shows a person — its own file needs no more of theirs (product rule 10). An operator
 * or auditor reading `GET /v1/subjects/{id}` sees the numbers whole; a person's bindings name
 * organizations, whose codes are public, and are shown as they are.
 */
export const ownFileBindings = (
  subject: Pick<SubjectRow, 'kind'>,
  bindings: SubjectFile['bindings'],
): SubjectFile['bindings'] =>
  subject.kind === 'person'
    ? bindings
    : bindings.map((b) => ({ ...b, identifier: maskResidentId(b.identifier) }));

export const fileBindings = async (
  store: Pick<Store, 'listBindings' | 'findSubjectById'>,
  subject: Pick<SubjectRow, 'id' | 'kind'>,
  inForceOn?: string,
  /** As they were on file at this instant (ISO; a report as of a past day); undefined: as they stand. */
  knownAt?: string,
): Promise<SubjectFile['bindings']> => {
  const person = subject.kind === 'person';
  const day = {
    ...(inForceOn === undefined ? {} : { inForceOn }),
    ...(knownAt === undefined ? {} : { knownAt }),
  };
  // A binding suspended while its objection is pending is still on file (shown disputed).
  const rows = await store.listBindings(
    person
      ? { personIds: [subject.id], withSuspended: true, ...day }
      : { organizationIds: [subject.id], withSuspended: true, ...day },
  );
  const out: SubjectFile['bindings'] = [];
  for (const b of rows) {
    const other = await store.findSubjectById(person ? b.organizationId : b.personId);
    if (other)
      out.push({
        id: b.id,
        role: b.role,
        identifier: other.identifier,
        name: other.name,
        from: b.validFrom,
        until: b.validUntil,
        objectionId: b.disputedBy,
      });
  }
  return out;
};

export const getSubjectFile = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { identifier: string; policyVersion?: string };
}): Promise<SubjectFile> => {
  const p = ctx.principal;
  const { subject, own } = await getReadableSubject(ctx, input.identifier);
  // Another's file may come from a replica (at most its lag bound behind); its access log and the
  // audit entry of this read are the primary's. A subject's own file is the primary's, as `GET
  // /v1/me`: a change it was told of (a listing withdrawn, with its line in the access log) shows.
  const reads = own ? ctx.store : ctx.store.replica;
  const [records, licences, rep, bindings] = await Promise.all([
    reads.listRecordsForSubject(subject.id),
    reads.listLicences(subject.id),
    subject.legalRepId ? reads.findSubjectById(subject.legalRepId) : Promise.resolve(undefined),
    fileBindings(reads, subject),
  ]);
  await ctx.store.appendAudit(
    [
      {
        actor: p.id,
        role: p.role,
        purpose: ctx.purpose,
        subjectId: subject.id,
        action: 'subject.file.read',
        detail: null,
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );
  // The organization reading its own file sees its representatives' ID numbers masked, as `GET /v1/me`.
  const masked = own && subject.kind !== 'person';
  const file: SubjectFile = {
    subject,
    legalRepresentative: rep
      ? { identifier: masked ? maskResidentId(rep.identifier) : rep.identifier, name: rep.name }
      : null,
    bindings: own ? ownFileBindings(subject, bindings) : bindings,
    licences,
    records,
    lists: await reads.listListEntries([subject.id]),
    notifications: await reads.listNotifications(subject.id),
    score: null,
  };
  if (own || can(p, 'audit.read')) file.accessLog = await ctx.store.listAuditForSubject(subject.id, 100);
  // The subject sees who acted by role, never an operator's account or machine user name
  // (`GET /v1/me` names sources and relying parties too).
  if (own && file.accessLog)
    file.accessLog = file.accessLog.map((a) =>
      a.role === 'operator'
        ? {
            ...a,
            actor: a.actor.startsWith('system:') ? 'Credence (automatic processing)' : 'Credence operator',
          }
        : a.role === 'auditor'
          ? { ...a, actor: 'Auditor' }
          : a,
    );
  const latest = (await reads.listScores(subject.id, input.policyVersion))[0];
  if (latest) {
    const byId = new Map(records.map((r) => [r.id, r]));
    const factors = JSON.parse(latest.keyFactors) as { record_id: number; points: number }[];
    file.score = {
      score: latest.score,
      grade: latest.grade,
      asOf: latest.asOf,
      policyVersion: latest.policyVersion,
      // Factors drawn from an organization this person represents are not in its own records.
      keyFactors: factors.map((f) => ({
        recordId: f.record_id,
        type: byId.get(f.record_id)?.type ?? 'linked organization record',
        date: byId.get(f.record_id)?.occurredAt ?? '',
        points: f.points,
      })),
    };
  }
  return file;
};

/**
 * The one JSON form of a subject's file (snake_case), shared by `GET /v1/subjects/{id}` and
 * `credence subjects show --json`.
 */
export const subjectFileJson = (f: SubjectFile, typeName: (code: string) => string) => ({
  subject: {
    kind: f.subject.kind,
    identifier: f.subject.identifier,
    name: f.subject.name,
    birth_date: f.subject.birthDate,
    sex: f.subject.sex,
  },
  legal_representative: f.legalRepresentative,
  bindings: f.bindings.map(bindingJson),
  licences: f.licences.map((l) => ({ kind: l.kind, number: l.number })),
  records: f.records.map((r) => ({
    id: r.id,
    type: r.type,
    type_name: typeName(r.type),
    source: r.sourceCode,
    source_record_id: r.sourceRecordId,
    occurred_at: r.occurredAt,
    decided_at: r.decidedAt,
    disclosed_at: r.disclosedAt,
    recorded_at: r.recordedAt,
    amount: r.amount,
    evidence: r.evidence,
    note: r.note,
    status: r.status,
  })),
  lists: f.lists.map((e) => ({
    list: e.listCode,
    status: e.status,
    from: e.from,
    until: e.until,
    reason_code: e.reasonCode,
    reason_records: e.reasonRecords,
    note: e.note,
  })),
  notifications: f.notifications.map((n) => ({
    kind: n.kind,
    list: n.listCode,
    effective: n.effective,
    message: n.message,
  })),
  score: f.score && {
    score: f.score.score,
    grade: f.score.grade,
    as_of: f.score.asOf,
    policy_version: f.score.policyVersion,
    key_factors: f.score.keyFactors.map((k) => ({
      record_id: k.recordId,
      type: k.type,
      date: k.date,
      points: k.points,
    })),
  },
  ...(f.accessLog && {
    access_log: f.accessLog.map((a) => ({
      seq: a.seq,
      leaf_index: a.leafIndex,
      at: a.at,
      actor: a.actor,
      role: a.role,
      purpose: a.purpose,
      action: a.action,
    })),
  }),
});
