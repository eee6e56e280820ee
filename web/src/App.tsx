/**
 * The shell: a header with the three areas and the language switch, and the routes. The public
 * lookup is in the first load; the citizen portal and the operator console load when opened.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Switch, useLocation } from 'wouter';
import { LANGUAGES } from './i18n';
import { ListPage } from './public/ListPage';
import { Lists } from './public/Lists';
import { Organization } from './public/Organization';
import { Search } from './public/Search';
import { Loading } from './ui';

const Portal = lazy(() => import('./portal/Portal'));
const Console = lazy(() => import('./console/Console'));
const SignIn = lazy(() => import('./SignIn'));

const LanguageSwitch = () => {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang">
      <span>{t('language')}</span>
      <select
        value={LANGUAGES.find((l) => i18n.language?.startsWith(l.code))?.code ?? 'zh'}
        onChange={(e) => void i18n.changeLanguage(e.target.value)}
        data-testid="language"
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.html}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
};

const NavLink = ({ href, children }: { href: string; children: React.ReactNode }) => {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' || location.startsWith('/org') : location.startsWith(href);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
};

export const App = () => {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip" href="#main">
        {t('skip_to_content')}
      </a>
      <header className="top">
        <Link href="/" className="brand">
          {t('brand')}
        </Link>
        <nav aria-label={t('nav.label')}>
          <NavLink href="/">{t('nav.lookup')}</NavLink>
          <NavLink href="/lists">{t('nav.lists')}</NavLink>
          <NavLink href="/me">{t('nav.portal')}</NavLink>
          <NavLink href="/console">{t('nav.console')}</NavLink>
        </nav>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path="/" component={Search} />
            <Route path="/org/:id">{(p) => <Organization id={decodeURIComponent(p.id)} />}</Route>
            <Route path="/lists" component={Lists} />
            <Route path="/lists/:code">{(p) => <ListPage code={decodeURIComponent(p.code)} />}</Route>
            <Route path="/signin" component={SignIn} />
            <Route path="/me" nest>
              <Portal />
            </Route>
            <Route path="/console" nest>
              <Console />
            </Route>
            <Route>
              <h1>{t('not_found')}</h1>
              <Link href="/">{t('nav.lookup')}</Link>
            </Route>
          </Switch>
        </Suspense>
      </main>
      <footer className="foot">
        <p>{t('footer')}</p>
        <a href="/docs">{t('api_docs')}</a>
      </footer>
    </>
  );
};
