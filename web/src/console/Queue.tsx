/**
 * One review queue page (objections, repairs, held ratings): a status filter, the items page by page
 * with "more", and a live region announcing each decision. The area names its strings
 * (`<area>.title`, `.intro`, `.filters.*`, `.empty`) and how to read a page.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote, Loading } from '../ui';
import { QueueFilter, useTitle } from './parts';

export const PAGE = 20;

export interface QueueProps<F extends string, T extends { id: number }, C> {
  area: 'objections' | 'repairs' | 'holds';
  filters: readonly F[];
  initial: F;
  testId: string;
  /** One page of the queue under a filter, after a cursor; `next` is the following page's cursor. */
  fetchPage: (filter: F, cursor: C | undefined) => Promise<{ items: T[]; next: C | null | undefined }>;
  card: (item: T, onDone: (message: string) => void) => ReactNode;
}

export function Queue<F extends string, T extends { id: number }, C>({
  area,
  filters,
  initial,
  testId,
  fetchPage,
  card,
}: QueueProps<F, T, C>) {
  const { t } = useTranslation('console');
  useTitle(t(`nav.${area}`));
  const [filter, setFilter] = useState<F>(initial);
  const [message, setMessage] = useState('');
  const queue = useInfiniteQuery({
    queryKey: ['console', area, filter],
    initialPageParam: undefined as C | undefined,
    queryFn: ({ pageParam }) => fetchPage(filter, pageParam as C | undefined),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1>{t(`${area}.title`)}</h1>
      <p>{t(`${area}.intro`)}</p>
      <QueueFilter
        label={t('queue.show')}
        value={filter}
        options={filters.map((f) => ({ value: f, label: t(`${area}.filters.${f}`) }))}
        onChange={(v) => setFilter(v as F)}
      />
      <p role="status" className="done">
        {message}
      </p>
      {queue.isPending && <Loading />}
      {queue.error && <ErrorNote error={queue.error} />}
      {queue.data && items.length === 0 && <p className="muted">{t(`${area}.empty`)}</p>}
      <div className="queue" data-testid={testId}>
        {items.map((item) => (
          <div key={item.id}>{card(item, setMessage)}</div>
        ))}
      </div>
      {queue.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() => void queue.fetchNextPage()}
          disabled={queue.isFetchingNextPage}
        >
          {t('queue.more')}
        </button>
      )}
    </>
  );
}
