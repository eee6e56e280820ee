/**
 * The audit log (GET /v1/console/audit-status): its latest signed tree head and the latest
 * verification kept; "verify now" (POST /v1/console/audit-verify) recomputes every leaf and the
 * tree from the stored entries, checks every signed head, and keeps the result.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorNote, Loading } from '../ui';
import { type Answer, Panel, useCount, useTitle, When } from './parts';

type Verification = Answer<'/v1/console/audit-verify', 'post'>;

const VerificationView = ({ v }: { v: Verification }) => {
  const { t } = useTranslation('console');
  const count = useCount();
  return (
    <div data-testid="audit-verification">
      <p className={`verdict ${v.ok ? 'ok' : 'bad'}`}>
        {v.ok ? t('audit.intact', { size: count(v.tree_size) }) : t('audit.broken')}
      </p>
      <dl className="facts">
        <dt>{t('audit.verified_at')}</dt>
        <dd>
          <When at={v.at} />
        </dd>
        <dt>{t('audit.verified_by')}</dt>
        <dd>{v.by}</dd>
        <dt>{t('audit.tree_size')}</dt>
        <dd>{count(v.tree_size)}</dd>
        {v.heads !== null && (
          <>
            <dt>{t('audit.heads_checked')}</dt>
            <dd>{count(v.heads)}</dd>
          </>
        )}
        {v.root && (
          <>
            <dt>{t('audit.root')}</dt>
            <dd>
              <code className="hash">{v.root}</code>
            </dd>
          </>
        )}
        {v.first_bad_index !== null && (
          <>
            <dt>{t('audit.first_bad')}</dt>
            <dd>{count(v.first_bad_index)}</dd>
          </>
        )}
        {v.bad_head !== null && (
          <>
            <dt>{t('audit.bad_head')}</dt>
            <dd>{count(v.bad_head)}</dd>
          </>
        )}
        {v.reason && (
          <>
            <dt>{t('audit.reason')}</dt>
            <dd>{v.reason}</dd>
          </>
        )}
      </dl>
    </div>
  );
};

export const Audit = () => {
  const { t } = useTranslation('console');
  useTitle(t('nav.audit'));
  const count = useCount();
  const queries = useQueryClient();
  const status = useQuery({
    queryKey: ['console', 'audit-status'],
    queryFn: () => unwrap(api.GET('/v1/console/audit-status')),
  });
  const verify = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/console/audit-verify')),
    onSuccess: (v) => {
      queries.setQueryData(['console', 'audit-status'], (old: typeof status.data) =>
        old ? { ...old, last_verification: v } : old,
      );
      void queries.invalidateQueries({ queryKey: ['console', 'audit-status'] });
    },
  });
  const s = status.data;
  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      {status.isPending && <Loading />}
      {status.error && <ErrorNote error={status.error} />}
      {s && (
        <>
          <Panel title={t('audit.head')}>
            {s.head ? (
              <dl className="facts" data-testid="audit-head">
                <dt>{t('audit.tree_size')}</dt>
                <dd>{count(s.head.tree_size)}</dd>
                <dt>{t('audit.signed_at')}</dt>
                <dd>
                  <When at={s.head.timestamp} />
                </dd>
                <dt>{t('audit.root')}</dt>
                <dd>
                  <code className="hash">{s.head.root_hash}</code>
                </dd>
                <dt>{t('audit.public_key')}</dt>
                <dd>
                  <code className="hash">{s.head.public_key}</code>
                </dd>
                <dt>{t('audit.checkpoint')}</dt>
                <dd>
                  <details>
                    <summary>{t('audit.show_checkpoint')}</summary>
                    <pre className="checkpoint">{s.head.checkpoint}</pre>
                  </details>
                </dd>
              </dl>
            ) : (
              <p className="muted">{t('audit.no_head')}</p>
            )}
          </Panel>
          <Panel title={t('audit.verification')}>
            <div aria-live="polite">
              {verify.isPending ? (
                <p role="status">{t('audit.verifying')}</p>
              ) : s.last_verification ? (
                <VerificationView v={s.last_verification} />
              ) : (
                <p className="muted">{t('audit.never_verified')}</p>
              )}
            </div>
            {verify.error && <ErrorNote error={verify.error} />}
            <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
              {t('audit.verify_now')}
            </button>
          </Panel>
        </>
      )}
    </>
  );
};
