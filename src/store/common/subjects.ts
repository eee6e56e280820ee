/**
 * Subjects: found by identifier or id, their licences and records, counts by kind.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { LicenceRow, RecordRow, SubjectKind, SubjectRow } from '../types.ts';
import { toRecordRow } from './records.ts';

type Db = Kysely<Database> | Transaction<Database>;
export const toSubject = (r: Database['subjects'] & { id: number }): SubjectRow => ({
  id: Number(r.id),
  kind: r.kind as SubjectKind,
  identifier: r.identifier,
  name: r.name,
  birthDate: r.birth_date,
  sex: r.sex as SubjectRow['sex'],
  legalRepId: r.legal_rep_id == null ? null : Number(r.legal_rep_id),
  createdAt: r.created_at,
});

export const subjectQueries = {
  async findSubject(db: Db, by: 'identifier' | 'id', value: string | number) {
    const r = await db
      .selectFrom('subjects')
      .selectAll()
      .where(by, '=', value as never)
      .executeTakeFirst();
    return r ? toSubject(r as never) : undefined;
  },

  async listSubjectsByIdentifiers(db: Db, identifiers: string[]) {
    const out: SubjectRow[] = [];
    for (let i = 0; i < identifiers.length; i += 500) {
      const rows = await db
        .selectFrom('subjects')
        .selectAll()
        .where('identifier', 'in', identifiers.slice(i, i + 500))
        .execute();
      for (const r of rows) out.push(toSubject(r as never));
    }
    return out;
  },

  async listLicences(db: Db, subjectId: number): Promise<LicenceRow[]> {
    const rows = await db
      .selectFrom('licences')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('kind')
      .orderBy('number')
      .execute();
    return rows.map((r) => ({ subjectId: Number(r.subject_id), kind: r.kind, number: r.number }));
  },

  async countSubjects(db: Db): Promise<Record<SubjectKind, number>> {
    const rows = await db
      .selectFrom('subjects')
      .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const out: Record<SubjectKind, number> = { person: 0, organization: 0, public_body: 0 };
    for (const r of rows) out[r.kind as SubjectKind] = Number(r.n);
    return out;
  },

  async listRecordsForSubject(db: Db, subjectId: number): Promise<RecordRow[]> {
    const rows = await db
      .selectFrom('records')
      .innerJoin('sources', 'sources.id', 'records.source_id')
      .selectAll('records')
      .select('sources.code as source_code')
      .where('records.subject_id', '=', subjectId)
      .orderBy('records.occurred_at')
      .orderBy('records.id')
      .execute();
    return rows.map(toRecordRow);
  },
};
