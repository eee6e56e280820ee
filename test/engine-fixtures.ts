/** Subjects and records as the scoring and lists engines take them, for their tests. */
import type { EngineRecord, EngineSubject } from '../src/scoring/index.ts';

export const person = (id = 1, birthDate: string | null = null): EngineSubject => ({
  id,
  kind: 'person',
  legalRepId: null,
  birthDate,
});

export const organization = (id: number, legalRepId: number | null = null): EngineSubject => ({
  id,
  kind: 'organization',
  legalRepId,
  birthDate: null,
});

let nextId = 1;
/** An active record of subject 1, without evidence, known on the day it occurred, unless overridden. */
export const record = (
  type: string,
  occurredAt: string,
  extra: Partial<EngineRecord> = {},
): EngineRecord => ({
  id: nextId++,
  subjectId: 1,
  type,
  occurredAt,
  decidedAt: null,
  recordedAt: `${occurredAt}T00:00:00.000Z`,
  amount: null,
  evidence: null,
  status: 'active',
  ...extra,
});
