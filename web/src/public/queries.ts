/**
 * The public lookup's reads, through the typed client and React Query (cached per query key, so
 * going back to a result list or a page of a list shows it at once).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import createClient from 'openapi-fetch';
import { unwrap } from '../api/client';

// TEMPORARY: planned shapes until src/api/routes/public.ts exists.
export interface ListInForce {
  code: string;
  name: string;
  kind: string;
}
export interface SearchResult {
  identifier: string;
  name: string;
  kind: string;
  grade: string | null;
  lists_in_force: ListInForce[];
}
export interface OrgListEntry {
  list: string;
  name: string;
  kind: string;
  legal_basis: string;
  from: string;
  until: string | null;
  case_reference: string | null;
  reason_code: string;
  reason?: string | null;
}
export interface OrgInspection {
  id: number;
  regulator: string;
  class?: string;
  outcome: string | null;
  inspected_on: string | null;
}
export interface RatingDimension {
  mean: number | null;
  count: number;
  distribution: Record<string, number>;
  published: boolean;
}
export interface Organization {
  identifier: string;
  name: string;
  kind: string;
  grade: string | null;
  lists: OrgListEntry[];
  inspections: OrgInspection[];
  ratings: { min_count: number; professionalism: RatingDimension; honesty: RatingDimension } | null;
}
export interface PublicList {
  code: string;
  name: string;
  kind: string;
  legal_basis: string;
  subject_kinds: string[];
  in_force: number;
}
export interface PublicListEntry {
  subject: { kind: string; identifier: string | null; name: string; masked_id?: string | null };
  from: string;
  until: string | null;
  case_reference: string | null;
  reason_code: string;
}
export interface ListPageData {
  list: PublicList;
  entries: PublicListEntry[];
  page: number;
  limit: number;
  total: number;
}

// biome-ignore lint/suspicious/noExplicitAny: TEMPORARY until the generated types have these paths
const raw = createClient<any>({ baseUrl: window.location.origin });

export const SEARCH_LIMIT = 50;
export const LIST_PAGE_SIZE = 20;

export const useSearchResults = (q: string) =>
  useQuery({
    queryKey: ['public', 'search', q],
    queryFn: () =>
      unwrap<{ results: SearchResult[] }>(
        raw.GET('/v1/public/search', { params: { query: { q, limit: SEARCH_LIMIT } } }),
      ),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });

export const useOrganization = (identifier: string) =>
  useQuery({
    queryKey: ['public', 'organization', identifier],
    queryFn: () =>
      unwrap<Organization>(raw.GET(`/v1/public/organizations/${encodeURIComponent(identifier)}`, {})),
  });

export const useLists = () =>
  useQuery({
    queryKey: ['public', 'lists'],
    queryFn: () => unwrap<{ lists: PublicList[] }>(raw.GET('/v1/public/lists', {})),
  });

export const useListPage = (code: string, page: number) =>
  useQuery({
    queryKey: ['public', 'list', code, page],
    queryFn: () =>
      unwrap<ListPageData>(
        raw.GET(`/v1/public/lists/${encodeURIComponent(code)}`, {
          params: { query: { page, limit: LIST_PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
