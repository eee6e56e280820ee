/** Shared fixtures for the scoring tests: the shipped catalogue and policy, and record builders. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
// The scoring policy refers to the lists whose entries its direct grades follow (one calendar).
import { loadListPolicy } from '../lists/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, parseScoringPolicy } from './policy.ts';

export const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
export const lists = await loadListPolicy();
export const policyText = await readFile(DEFAULT_SCORING_POLICY_PATH, 'utf8');
export const policy = parseScoringPolicy(policyText, catalogue, DEFAULT_SCORING_POLICY_PATH, lists);

export { organization, person, record } from '../../test/engine-fixtures.ts';
