/**
 * The policy check (GET /v1/console/policy-check), as `credence policy check` runs it: each policy
 * file in force with its errors and warnings, then the proportionality of every measure under a
 * jurisdiction profile (product rule 4: a measure may not reach beyond its trigger's domain unless
 * its legal basis links them; the EU profile forbids cross-domain measures outright).
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorNote, Loading } from '../ui';
import { Panel, useCount, useTitle } from './parts';

const PROFILES = ['', 'cn', 'eu'] as const;

type Finding = { path: string | null; line: number | null; message: string };

const Findings = ({ items, level }: { items: Finding[]; level: 'error' | 'warning' }) => {
  const { t } = useTranslation('console');
  if (items.length === 0) return null;
  return (
    <ul className={`findings ${level}`}>
      {items.map((f) => (
        <li key={`${f.path}-${f.line}-${f.message}`}>
          <span className={`tag ${level === 'error' ? 'bad' : 'warn'}`}>{t(`policy.${level}`)}</span>{' '}
          {f.path && <code>{f.path}</code>}
          {f.line !== null && <span className="muted"> ({t('policy.line', { line: f.line })})</span>}{' '}
          {f.message}
        </li>
      ))}
    </ul>
  );
};

export const PolicyCheck = () => {
  const { t } = useTranslation('console');
  useTitle(t('nav.policy'));
  const count = useCount();
  const [profile, setProfile] = useState<string>('');
  const selectId = useId();
  const check = useQuery({
    queryKey: ['console', 'policy-check', profile],
    queryFn: () =>
      unwrap(api.GET('/v1/console/policy-check', { params: { query: profile ? { profile } : {} } })),
  });
  const c = check.data;
  return (
    <>
      <h1>{t('policy.title')}</h1>
      <p>{t('policy.intro')}</p>
      <div className="row queue-filter">
        <label htmlFor={selectId}>{t('policy.profile')}</label>
        <select id={selectId} value={profile} onChange={(e) => setProfile(e.target.value)}>
          {PROFILES.map((p) => (
            <option key={p} value={p}>
              {t(`policy.profiles.${p || 'default'}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="secondary"
          onClick={() => void check.refetch()}
          disabled={check.isFetching}
        >
          {t('policy.run_again')}
        </button>
      </div>
      {check.isPending && <Loading />}
      {check.error && <ErrorNote error={check.error} />}
      {c && (
        <>
          <p className={`verdict ${c.ok ? 'ok' : 'bad'}`} role="status" data-testid="policy-verdict">
            {c.ok ? t('policy.ok', { profile: c.profile }) : t('policy.not_ok', { profile: c.profile })}
          </p>
          <Panel title={t('policy.proportionality')}>
            {c.proportionality.checked ? (
              <p>
                {c.proportionality.ok ? t('policy.prop_ok') : t('policy.prop_bad')}{' '}
                {t('policy.counts', {
                  errors: count(c.proportionality.errors),
                  warnings: count(c.proportionality.warnings),
                })}
              </p>
            ) : (
              <p>{t('policy.prop_not_checked')}</p>
            )}
          </Panel>
          <div className="table-wrap">
            <table className="stack-on-phone" data-testid="policy-files">
              <caption className="visually-hidden">{t('policy.files')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('policy.file')}</th>
                  <th scope="col">{t('policy.result')}</th>
                  <th scope="col">{t('policy.findings')}</th>
                </tr>
              </thead>
              <tbody>
                {c.files.map((f) => (
                  <tr key={f.file}>
                    <td data-label={t('policy.file')}>
                      <code className="nowrap">{f.file}</code>
                      {f.kind && (
                        <div className="muted">{t(`policy.kinds.${f.kind}`, { defaultValue: f.kind })}</div>
                      )}
                    </td>
                    <td data-label={t('policy.result')}>
                      <span className={`tag ${f.ok ? 'good' : 'bad'}`}>
                        {f.ok ? t('policy.valid') : t('policy.invalid')}
                      </span>
                      {f.summary && <div className="muted summary">{f.summary}</div>}
                    </td>
                    <td data-label={t('policy.findings')}>
                      {f.errors.length === 0 && f.warnings.length === 0 ? (
                        <span className="muted">{t('policy.none')}</span>
                      ) : (
                        <>
                          <Findings items={f.errors} level="error" />
                          <Findings items={f.warnings} level="warning" />
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
};
