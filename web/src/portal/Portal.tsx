/**
 * The citizen portal (mounted nested at /me): a citizen signed in with the subject's credential sees
 * its own file, files objections and follows them, applies for repair, rates a service it received,
 * reads how it was rated and its notifications. Without a credential it goes to the sign-in page.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { ApiError, session } from '../api/client';
import { addNamespace } from '../i18n';
import en from '../locales/en/portal.json';
import fr from '../locales/fr/portal.json';
import zh from '../locales/zh/portal.json';
import { MyFile } from './MyFile';
import { Notifications } from './Notifications';
import { Objections } from './Objections';
import { useNotifications, useOwnFile } from './queries';
import { RateService, RatingsOfMe } from './Ratings';
import { Repairs } from './Repairs';
import { NS } from './words';
import './portal.css';

addNamespace(NS, { zh, en, fr });

const Tab = ({ href, children }: { href: string; children: React.ReactNode }) => {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' || location === '' : location.startsWith(href);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
};

const PortalNav = () => {
  const { t } = useTranslation(NS);
  const [, navigate] = useLocation();
  const client = useQueryClient();
  const notes = useNotifications();
  const file = useOwnFile();
  // Ratings are of licensed professionals, organizations and public bodies: a tab only for them.
  const rated = !!file.data && (file.data.licences.length > 0 || file.data.subject.kind !== 'person');
  const unread = notes.data?.filter((n) => !n.read_at).length ?? 0;
  const signOut = () => {
    session.signOut();
    client.removeQueries({ queryKey: ['portal'] });
    navigate('~/signin');
  };
  return (
    <div className="portal-bar">
      <nav aria-label={t('nav.label')} className="portal-nav">
        <Tab href="/">{t('nav.file')}</Tab>
        <Tab href="/objections">{t('nav.objections')}</Tab>
        <Tab href="/repairs">{t('nav.repairs')}</Tab>
        <Tab href="/rate">{t('nav.rate')}</Tab>
        {rated && <Tab href="/ratings">{t('nav.ratings')}</Tab>}
        {notes.data !== null && (
          <Tab href="/notifications">
            {t('nav.notifications')}
            {unread > 0 && (
              <>
                {' '}
                <span className="badge" aria-hidden="true">
                  {unread}
                </span>
                <span className="visually-hidden">{t('nav.unread', { count: unread })}</span>
              </>
            )}
          </Tab>
        )}
      </nav>
      <button type="button" className="secondary" onClick={signOut} data-testid="sign-out">
        {t('sign_out')}
      </button>
    </div>
  );
};

/** Signed in with something else than a subject's credential, or with one no longer valid. */
const NotSubject = ({ error }: { error: ApiError }) => {
  const { t } = useTranslation(NS);
  const [, navigate] = useLocation();
  const client = useQueryClient();
  useEffect(() => {
    if (error.status === 401) {
      session.signOut();
      client.removeQueries({ queryKey: ['portal'] });
      navigate('~/signin?next=/me', { replace: true });
    }
  }, [error, navigate, client]);
  return (
    <section className="narrow">
      <h1>{t('title')}</h1>
      <p role="alert">{t('not_subject')}</p>
      <Link href="~/signin?next=/me">{t('sign_in_again')}</Link>
    </section>
  );
};

const SignedIn = () => {
  const file = useOwnFile();
  const e = file.error;
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return <NotSubject error={e} />;
  return (
    <div className="portal">
      <PortalNav />
      <Switch>
        <Route path="/" component={MyFile} />
        <Route path="/objections" component={Objections} />
        <Route path="/repairs" component={Repairs} />
        <Route path="/rate" component={RateService} />
        <Route path="/ratings" component={RatingsOfMe} />
        <Route path="/notifications" component={Notifications} />
        <Route>
          <Redirect to="/" />
        </Route>
      </Switch>
    </div>
  );
};

export default function Portal() {
  if (!session.token()) return <Redirect to="~/signin?next=/me" replace />;
  return <SignedIn />;
}
