/**
 * The one JSON form of a score report, shared by `credence report --json` and
 * `GET /v1/subjects/{id}/score` so the two can never drift apart.
 */
import { bindingJson } from '../subjects/index.ts';
import type { ScoreReport } from './service.ts';

export const scoreReportJson = (r: ScoreReport, base: number) => ({
  subject: r.identifier,
  name: r.name,
  kind: r.kind,
  score: r.score,
  grade: r.grade,
  domains: r.domains,
  key_factors: r.keyFactors.map((k) => ({
    record_id: k.recordId,
    type: k.type,
    date: k.date,
    points: k.points,
    ...(k.grade ? { grade: { letter: k.grade.letter, binds: k.grade.binds } } : {}),
    text: k.text,
  })),
  breakdown: r.breakdown.map((c) => ({
    record_id: c.recordId,
    type: c.type,
    domain: c.domain,
    date: c.date,
    points: c.points,
    ...(c.directGrade ? { direct_grade: c.directGrade } : {}),
    until: c.until,
    ...(c.note ? { note: c.note } : {}),
  })),
  base,
  policy_version: r.policyVersion,
  as_of: r.asOf,
  history: r.history.map((h) => ({ as_of: h.asOf, score: h.score, grade: h.grade })),
  bindings: r.bindings.map(bindingJson),
});
