/**
 * Lookup capability: the public lookup (issue 18) — what Credit China publishes. Search over
 * organizations and public bodies by part of a name or by code (never persons), an organization's
 * published page (grade, list entries in force, inspection results, rating aggregates; audited),
 * and the black and red lists in force, paged, with persons only where a list's policy publishes
 * them and only as the court publishes them. Anonymous callers may use all of it. Its
 * reads go through `store.replica`: a hot standby where one is configured, at most its lag bound behind.
 */

export { maskResidentId } from '../identity/index.ts';
export type { LookupDeps } from './deps.ts';
export { getPublicList, LIST_PAGE_DEFAULT, LIST_PAGE_MAX, listPublicLists } from './lists.ts';
export { getPublicOrganization } from './organization.ts';
export { inForceOn, publishedLists } from './published.ts';
export {
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_QUERY_MAX,
  type SearchResult,
  searchOrganizations,
} from './search.ts';
