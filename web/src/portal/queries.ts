/**
 * The citizen portal's reads and writes, through the typed client and React Query. Every read of
 * the own file is audited by the platform (and shows in the access log it returns).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, type paths, unwrap } from '../api/client';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { 'application/json': infer T } } }
    ? T
    : R extends { 201: { content: { 'application/json': infer T } } }
      ? T
      : never
  : never;

export type OwnFile = Json<'/v1/me', 'get'>;
export type FileRecord = OwnFile['records'][number];
export type KeyFactor = OwnFile['score']['key_factors'][number];
export type Advice = KeyFactor['advice'][number];
export type AccessEntry = OwnFile['access_log']['accesses']['entries'][number];
export type CheckGroup = OwnFile['access_log']['checks']['groups'][number];
/** A check of the citizen explained and recomputed (GET /v1/checks/{check_id}). */
export type CheckExplanation = Json<'/v1/checks/{check_id}', 'get'>;
export type Objection = Json<'/v1/me/objections', 'get'>['objections'][number];
export type Repair = Json<'/v1/me/repairs', 'get'>['repairs'][number];
export type OwnRatings = Json<'/v1/me/ratings', 'get'>;
export type RatingResult = Json<'/v1/ratings', 'post'>;

/** One day of the score's history (GET /v1/me/history). */
export type HistoryPoint = Json<'/v1/me/history', 'get'>['history'][number];
/** One notification (GET /v1/me/notifications). */
export type Notification = Json<'/v1/me/notifications', 'get'>['notifications'][number];

export const keys = {
  file: ['portal', 'file'] as const,
  access: (page: string | undefined, checks: string | undefined) => ['portal', 'file', page, checks] as const,
  history: ['portal', 'history'] as const,
  objections: ['portal', 'objections'] as const,
  repairs: ['portal', 'repairs'] as const,
  ratings: ['portal', 'ratings'] as const,
  notifications: ['portal', 'notifications'] as const,
  check: (id: string) => ['portal', 'check', id] as const,
};

export const useOwnFile = () => useQuery({ queryKey: keys.file, queryFn: () => unwrap(api.GET('/v1/me')) });

/** An older page of the access log (or of the checks), by the cursors the file gave. */
export const useAccessPage = (accessPage: string | undefined, checksPage: string | undefined) =>
  useQuery({
    queryKey: keys.access(accessPage, checksPage),
    queryFn: () =>
      unwrap(
        api.GET('/v1/me', {
          params: {
            query: {
              ...(accessPage ? { access_page: accessPage } : {}),
              ...(checksPage ? { checks_page: checksPage } : {}),
            },
          },
        }),
      ),
  });

/**
 * One check of the citizen explained, fetched only once asked for (`enabled`): each explanation is
 * audited on the citizen's own trail. A 404 is an answer (a check that cannot be explained), kept.
 */
export const useCheckExplanation = (checkId: string, enabled: boolean) =>
  useQuery({
    queryKey: keys.check(checkId),
    queryFn: () => unwrap(api.GET('/v1/checks/{check_id}', { params: { path: { check_id: checkId } } })),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** A 404 for a whole route: an older server without it. The page then leaves that part out. */
const absent = (e: unknown) => e instanceof ApiError && e.status === 404;

/** The score's history (oldest first, the last point today); `null` when the API does not offer it. */
export const useHistory = () =>
  useQuery({
    queryKey: keys.history,
    queryFn: async (): Promise<HistoryPoint[] | null> => {
      try {
        return (await unwrap(api.GET('/v1/me/history'))).history;
      } catch (e) {
        if (absent(e)) return null;
        throw e;
      }
    },
  });

/** The notifications, newest first; `null` when the API does not offer them. */
export const useNotifications = () =>
  useQuery({
    queryKey: keys.notifications,
    queryFn: async (): Promise<Notification[] | null> => {
      try {
        return (await unwrap(api.GET('/v1/me/notifications'))).notifications;
      } catch (e) {
        if (absent(e)) return null;
        throw e;
      }
    },
  });

export const useMarkRead = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/v1/me/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: keys.notifications }),
  });
};

export const useObjections = () =>
  useQuery({ queryKey: keys.objections, queryFn: () => unwrap(api.GET('/v1/me/objections')) });

export const useRepairs = () =>
  useQuery({ queryKey: keys.repairs, queryFn: () => unwrap(api.GET('/v1/me/repairs')) });

export const useOwnRatings = () =>
  useQuery({ queryKey: keys.ratings, queryFn: () => unwrap(api.GET('/v1/me/ratings')) });

export interface EvidenceInput {
  text?: string | null;
  attachments?: { name: string; media_type: string; content_base64: string }[];
}

/** Filing an objection, appealing, applying for repair: each refreshes the file and its own list. */
export const useFileObjection = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { record_id: number; reason: string; evidence?: EvidenceInput | null }) =>
      unwrap(api.POST('/v1/me/objections', { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.objections });
      void client.invalidateQueries({ queryKey: keys.file });
    },
  });
};

/** Objecting to a binding that names me (POST /v1/me/bindings/{id}/objections). */
export const useFileBindingObjection = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; reason: string; evidence?: EvidenceInput | null }) =>
      unwrap(api.POST('/v1/me/bindings/{id}/objections', { params: { path: { id } }, body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.objections });
      void client.invalidateQueries({ queryKey: keys.file });
    },
  });
};

export const useAppeal = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) =>
      unwrap(api.POST('/v1/me/objections/{id}/appeal', { params: { path: { id } }, body: { reason } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.objections });
      void client.invalidateQueries({ queryKey: keys.file });
    },
  });
};

export const useApplyForRepair = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { record_id: number; commitment: string; evidence: EvidenceInput }) =>
      unwrap(api.POST('/v1/me/repairs', { body })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.repairs });
      void client.invalidateQueries({ queryKey: keys.file });
    },
  });
};

export const useRate = () =>
  useMutation({
    mutationFn: (body: {
      token: string;
      professionalism: number;
      honesty: number;
      comment?: string | null;
    }) => unwrap(api.POST('/v1/ratings', { body })),
  });
