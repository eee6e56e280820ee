/**
 * The public lookup's reads: the typed client over GET /v1/public/* with React Query (cached per
 * query key, so going back to a result list or a page of a list shows it at once).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const SEARCH_LIMIT = 50;
export const LIST_PAGE_SIZE = 20;

export const useSearchResults = (q: string) =>
  useQuery({
    queryKey: ['public', 'search', q],
    queryFn: () => unwrap(api.GET('/v1/public/search', { params: { query: { q, limit: SEARCH_LIMIT } } })),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });

export const useOrganization = (identifier: string) =>
  useQuery({
    queryKey: ['public', 'organization', identifier],
    queryFn: () =>
      unwrap(api.GET('/v1/public/organizations/{identifier}', { params: { path: { identifier } } })),
  });

export const useLists = () =>
  useQuery({
    queryKey: ['public', 'lists'],
    queryFn: () => unwrap(api.GET('/v1/public/lists')),
  });

export const useListPage = (code: string, page: number) =>
  useQuery({
    queryKey: ['public', 'list', code, page],
    queryFn: () =>
      unwrap(
        api.GET('/v1/public/lists/{code}', {
          params: { path: { code }, query: { page, limit: LIST_PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

// The shapes as the typed client hands them over (derived from the generated paths).
type Data<H extends (...args: never[]) => { data: unknown }> = NonNullable<ReturnType<H>['data']>;
export type SearchResult = Data<typeof useSearchResults>['results'][number];
export type Organization = Data<typeof useOrganization>;
export type RatingDimension = Organization['ratings']['professionalism'];
export type RatingComment = Organization['ratings']['comments'][number];
export type PublicList = Data<typeof useLists>['lists'][number];
export type ListPageData = Data<typeof useListPage>;
export type PublicListEntry = ListPageData['entries'][number];
