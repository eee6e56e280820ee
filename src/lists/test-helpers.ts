/** Shared fixtures for the lists tests: the shipped catalogue and policies, and record builders. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import type { EngineRecord, EngineSubject } from '../scoring/index.ts';
import { computeEntries, type ListEntry } from './entries.ts';
import { DEFAULT_LISTS_PATH, parseListPolicy } from './list-policy.ts';
import { DEFAULT_MEASURES_PATH, parseMeasurePolicy } from './measure-policy.ts';

export const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
export const listsText = await readFile(DEFAULT_LISTS_PATH, 'utf8');
export const measuresText = await readFile(DEFAULT_MEASURES_PATH, 'utf8');
export const lists = parseListPolicy(listsText, DEFAULT_LISTS_PATH);
export const measures = parseMeasurePolicy(measuresText, DEFAULT_MEASURES_PATH);

export { organization, person, record } from '../../test/engine-fixtures.ts';

/** Entries of one subject as of a day under the shipped lists. */
export const entriesOf = (
  subject: EngineSubject,
  records: EngineRecord[],
  asOf: string,
  extra: Partial<Parameters<typeof computeEntries>[0]> = {},
): ListEntry[] => computeEntries({ subject, records, lists, catalogue, asOf, ...extra });

/** The entries of one list. */
export const on = (entries: ListEntry[], list: string) => entries.filter((e) => e.list === list);
