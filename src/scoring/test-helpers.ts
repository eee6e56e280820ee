/** Shared fixtures for the scoring tests: the shipped catalogue and policy, and record builders. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy } from './policy.ts';
import type { EngineRecord, EngineSubject } from './types.ts';

export const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
export const policyText = await readFile(DEFAULT_SCORING_POLICY_PATH, 'utf8');
export const policy = parseScoringPolicy(policyText, catalogue, DEFAULT_SCORING_POLICY_PATH);

export const person = (id = 1): EngineSubject => ({ id, kind: 'person', legalRepId: null, birthDate: null });
export const organization = (id: number, legalRepId: number | null): EngineSubject => ({
  id,
  kind: 'organization',
  legalRepId,
  birthDate: null,
});

let nextId = 1;
/** A record known on the day it occurred, active, without evidence, unless overridden. */
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
