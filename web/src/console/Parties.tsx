/**
 * Sources and relying parties: who may submit records (GET /v1/sources: kind, legal basis, record
 * types allowed, records sent today) and who may ask whether a measure applies (GET
 * /v1/relying-parties: measures granted, purposes, daily quota and the checks made today).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorNote, Loading } from '../ui';
import { Panel, useCount, useNames, useTitle, When } from './parts';

const Sources = () => {
  const { t } = useTranslation('console');
  const names = useNames();
  const count = useCount();
  const sources = useQuery({
    queryKey: ['console', 'sources'],
    queryFn: () => unwrap(api.GET('/v1/sources')),
  });
  if (sources.isPending) return <Loading />;
  if (sources.error) return <ErrorNote error={sources.error} />;
  return (
    <div className="table-wrap">
      <table className="stack-on-phone" data-testid="sources">
        <thead>
          <tr>
            <th scope="col">{t('parties.source')}</th>
            <th scope="col">{t('parties.kind')}</th>
            <th scope="col">{t('parties.legal_basis')}</th>
            <th scope="col">{t('parties.types')}</th>
            <th scope="col" className="num">
              {t('parties.records_today')}
            </th>
            <th scope="col">{t('parties.registered')}</th>
          </tr>
        </thead>
        <tbody>
          {sources.data.sources.map((s) => (
            <tr key={s.code}>
              <td data-label={t('parties.source')}>
                <strong>{s.name}</strong>
                <br />
                <code>{s.code}</code>
              </td>
              <td data-label={t('parties.kind')}>{names.sourceKind(s.kind)}</td>
              <td data-label={t('parties.legal_basis')} className="basis">
                {s.legal_basis}
              </td>
              <td data-label={t('parties.types')}>
                <details>
                  <summary>
                    {t('parties.types_n', { count: s.types.length, formatted: count(s.types.length) })}
                  </summary>
                  <ul className="plain codes">
                    {s.types.map((c) => (
                      <li key={c}>
                        <code>{c}</code>
                      </li>
                    ))}
                  </ul>
                </details>
              </td>
              <td data-label={t('parties.records_today')} className="num">
                {count(s.records_today)}
              </td>
              <td data-label={t('parties.registered')}>
                <When at={s.created_at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** Today's checks against the daily quota, as a meter with its figures in words. */
const Quota = ({ used, quota }: { used: number; quota: number }) => {
  const { t } = useTranslation('console');
  const count = useCount();
  const text = t('parties.quota_use', { used: count(used), quota: count(quota) });
  return (
    <div className="quota">
      <meter min={0} max={quota} value={used} high={quota * 0.8} optimum={0} aria-label={text} />
      <span>{text}</span>
    </div>
  );
};

const RelyingParties = () => {
  const { t } = useTranslation('console');
  const parties = useQuery({
    queryKey: ['console', 'relying-parties'],
    queryFn: () => unwrap(api.GET('/v1/relying-parties')),
  });
  if (parties.isPending) return <Loading />;
  if (parties.error) return <ErrorNote error={parties.error} />;
  return (
    <div className="table-wrap">
      <table className="stack-on-phone" data-testid="relying-parties">
        <thead>
          <tr>
            <th scope="col">{t('parties.relying_party')}</th>
            <th scope="col">{t('parties.kind')}</th>
            <th scope="col">{t('parties.measures')}</th>
            <th scope="col">{t('parties.purposes')}</th>
            <th scope="col">{t('parties.quota')}</th>
          </tr>
        </thead>
        <tbody>
          {parties.data.relying_parties.map((rp) => (
            <tr key={rp.code}>
              <td data-label={t('parties.relying_party')}>
                <strong>{rp.name}</strong>
                <br />
                <code>{rp.code}</code>
              </td>
              <td data-label={t('parties.kind')}>{t(`rp_kinds.${rp.kind}`, { defaultValue: rp.kind })}</td>
              <td data-label={t('parties.measures')}>
                <ul className="plain codes">
                  {rp.measures.map((m) => (
                    <li key={m}>{t(`measures.${m}`, { defaultValue: m })}</li>
                  ))}
                </ul>
              </td>
              <td data-label={t('parties.purposes')}>
                {rp.purposes.map((p) => (
                  <code key={p} className="code-chip">
                    {p}
                  </code>
                ))}
              </td>
              <td data-label={t('parties.quota')}>
                <Quota used={rp.used_today} quota={rp.daily_quota} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

export const Parties = () => {
  const { t } = useTranslation('console');
  useTitle(t('nav.parties'));
  return (
    <>
      <h1>{t('parties.title')}</h1>
      <p>{t('parties.intro')}</p>
      <Panel title={t('parties.sources')}>
        <Sources />
      </Panel>
      <Panel title={t('parties.relying_parties')}>
        <p className="muted">{t('parties.rp_intro')}</p>
        <RelyingParties />
      </Panel>
    </>
  );
};
