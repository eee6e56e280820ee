/** Shared fixtures for the lists tests: the shipped catalogue and policies, and record builders. */
import { readFile } from 'node:fs/promises';
import { DEFAULT_CATALOGUE_PATH, loadCatalogueFile } from '../catalogue/index.ts';
import type { EngineRecord, EngineSubject } from '../scoring/index.ts';
import { loadWorkingCalendar } from '../shared/working-days.ts';
import { computeEntries, type ListEntry } from './entries.ts';
import { DEFAULT_LISTS_PATH, parseListPolicy } from './list-policy.ts';
import { DEFAULT_MEASURES_PATH, parseMeasurePolicy } from './measure-policy.ts';

export const catalogue = await loadCatalogueFile(DEFAULT_CATALOGUE_PATH);
export const listsText = await readFile(DEFAULT_LISTS_PATH, 'utf8');
export const measuresText = await readFile(DEFAULT_MEASURES_PATH, 'utf8');
export const lists = parseListPolicy(listsText, DEFAULT_LISTS_PATH);
export const measures = parseMeasurePolicy(measuresText, DEFAULT_MEASURES_PATH);
/** The shipped working calendar (policies/calendar.yaml): public holidays and make-up working days. */
export const calendar = await loadWorkingCalendar();

export { organization, person, record } from '../../test/engine-fixtures.ts';

/** Entries of one subject as of a day under the shipped lists. */
export const entriesOf = (
  subject: EngineSubject,
  records: EngineRecord[],
  asOf: string,
  extra: Partial<Parameters<typeof computeEntries>[0]> = {},
): ListEntry[] => computeEntries({ subject, records, lists, catalogue, calendar, asOf, ...extra });

/** The entries of one list. */
export const on = (entries: ListEntry[], list: string) => entries.filter((e) => e.list === list);

/**
 * A list the platform derives by its own rule, with a grace period and an exit, for the rules of
 * grace (product rule 8). Not shipped: the shipped platform-derived list has no exit.
 */
export const GRACE_LIST_YAML = `
  - code: focus.grace_test
    name: Test list with a grace period
    kind: focus
    reason_code: FOCUS_GRACE_TEST
    legal_basis: A test rule of the platform's own, with a warning before the entry takes effect.
    subject_kinds: [person, organization]
    domains: [judicial]
    decided_by: platform
    entry:
      entered_by: [court.consumption_restriction]
    duration_months: 12
    exit_on: [court.judgment_performed]
    grace_days: 10
`;
export const listsWithGraceList = parseListPolicy(`${listsText.trimEnd()}\n${GRACE_LIST_YAML}`);
