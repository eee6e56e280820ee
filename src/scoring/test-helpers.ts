/** Shared fixtures for the scoring tests: the shipped catalogue and policy, and record builders. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy } from './policy.ts';

export const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
export const policyText = await readFile(DEFAULT_SCORING_POLICY_PATH, 'utf8');
export const policy = parseScoringPolicy(policyText, catalogue, DEFAULT_SCORING_POLICY_PATH);

export { organization, person, record } from '../../test/engine-fixtures.ts';
