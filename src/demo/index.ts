/**
 * Demo capability: a deterministic, believable population (persons, organizations, public bodies
 * and their records from every kind of source) to fill a fresh platform — `credence demo` and
 * `npm start`. The generator is pure; load.ts feeds it through the platform's own verbs.
 */
export { countDemoItems, generateDemo } from './generate.ts';
export {
  DEMO_REGULATOR,
  type DemoInspectionsResult,
  demoInspectorCode,
  demoPeriod,
  loadDemoInspections,
} from './inspections.ts';
export {
  checkDemoOut,
  type DemoLoadProgress,
  type DemoLoadResult,
  loadDemo,
  writeDemoFiles,
} from './load.ts';
export {
  type DemoRatingStep,
  type DemoRatingsPlan,
  type DemoRatingsResult,
  loadDemoRatings,
  planDemoRatings,
} from './ratings.ts';
export { demoSources } from './sources.ts';
export type { DemoItem, DemoOptions, DemoSource, RecordJson, SubjectJson } from './types.ts';
