import type { SubjectFile } from './index.ts';

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
  bindings: f.bindings.map((b) => ({
    role: b.role,
    identifier: b.identifier,
    name: b.name,
    from: b.from,
    until: b.until,
  })),
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
      at: a.at,
      actor: a.actor,
      role: a.role,
      purpose: a.purpose,
      action: a.action,
    })),
  }),
});
