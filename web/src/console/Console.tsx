/**
 * The operator console (a lazy chunk, mounted nested at /console: paths inside are relative). An
 * operator or an auditor signs in with a credential; an auditor sees every page read-only. Pages:
 * the dashboard, subject lookup with a stated purpose, the three review queues, sources and relying
 * parties, the policy check, and the audit log.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { ApiError, api, session, unwrap } from '../api/client';
import { addNamespace } from '../i18n';
import en from '../locales/en/console.json';
import { types as enTypes } from '../locales/en/portal.json';
import fr from '../locales/fr/console.json';
import { types as frTypes } from '../locales/fr/portal.json';
import zh from '../locales/zh/console.json';
import { types as zhTypes } from '../locales/zh/portal.json';
import { ErrorNote, Loading } from '../ui';
import { Audit } from './Audit';
import { Dashboard } from './Dashboard';
import { HoldPage, Holds } from './Holds';
import { Objections } from './Objections';
import { Parties } from './Parties';
import { PolicyCheck } from './PolicyCheck';
import { RoleContext } from './parts';
import { Repairs } from './Repairs';
import { Subjects } from './Subjects';
import './console.css';

// Record types are named as the citizen portal names them (one translation of the catalogue).
addNamespace('console', {
  zh: { ...zh, types: zhTypes },
  en: { ...en, types: enTypes },
  fr: { ...fr, types: frTypes },
});

const PAGES = [
  { href: '/', key: 'dashboard' },
  { href: '/subjects', key: 'subjects' },
  { href: '/objections', key: 'objections' },
  { href: '/repairs', key: 'repairs' },
  { href: '/holds', key: 'holds' },
  { href: '/parties', key: 'parties' },
  { href: '/policy', key: 'policy' },
  { href: '/audit', key: 'audit' },
] as const;

const SubNav = () => {
  const { t } = useTranslation('console');
  const [location] = useLocation();
  return (
    <nav aria-label={t('nav.label')} className="console-nav">
      <ul>
        {PAGES.map((p) => {
          const current = p.href === '/' ? location === '/' : location.startsWith(p.href);
          return (
            <li key={p.key}>
              <Link href={p.href} aria-current={current ? 'page' : undefined}>
                {t(`nav.${p.key}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
};

export default function Console() {
  const { t } = useTranslation('console');
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const token = session.token();
  const who = useQuery({
    queryKey: ['session', token],
    queryFn: () => unwrap(api.GET('/v1/session')),
    enabled: !!token,
    staleTime: Number.POSITIVE_INFINITY,
  });

  // `~` leaves the nested router: the sign-in page is at the root.
  if (!token) return <Redirect to="~/signin?next=/console" replace />;

  const signOut = () => {
    session.signOut();
    queries.clear();
    navigate('~/signin?next=/console');
  };

  if (who.isPending) return <Loading />;
  if (who.error) {
    if (who.error instanceof ApiError && who.error.status === 401) {
      session.signOut();
      return <Redirect to="~/signin?next=/console" replace />;
    }
    return <ErrorNote error={who.error} />;
  }
  const role = who.data.role;
  if (role !== 'operator' && role !== 'auditor')
    return (
      <section className="narrow">
        <h1>{t('title')}</h1>
        <p role="alert">{t('wrong_role', { role })}</p>
        <button type="button" onClick={signOut}>
          {t('sign_out')}
        </button>
      </section>
    );

  return (
    <RoleContext.Provider value={role}>
      <div className="console">
        <div className="console-bar">
          <p className="muted">
            {t('signed_in_as', { role: t(`roles.${role}`) })}
            {role === 'auditor' && <span className="tag">{t('read_only')}</span>}
          </p>
          <button type="button" className="secondary" onClick={signOut}>
            {t('sign_out')}
          </button>
        </div>
        <SubNav />
        <Switch>
          <Route path="/" component={Dashboard} />
          <Route path="/subjects" component={Subjects} />
          <Route path="/objections" component={Objections} />
          <Route path="/repairs" component={Repairs} />
          <Route path="/holds" component={Holds} />
          <Route path="/holds/:id">{(p) => <HoldPage id={Number(p.id)} />}</Route>
          <Route path="/parties" component={Parties} />
          <Route path="/policy" component={PolicyCheck} />
          <Route path="/audit" component={Audit} />
          <Route>
            <h1>{t('not_found')}</h1>
            <Link href="/">{t('nav.dashboard')}</Link>
          </Route>
        </Switch>
      </div>
    </RoleContext.Provider>
  );
}
