/**
 * Signing in with a credential: a subject's credential opens the citizen portal, an operator's or an
 * auditor's the console. The credential is checked with the API before it is kept (sessionStorage).
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearch } from 'wouter';
import { api, session, unwrap } from './api/client';
import { ErrorNote } from './ui';

export default function SignIn() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const next = new URLSearchParams(useSearch()).get('next');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { role } = await unwrap(
        api.GET('/v1/session', { headers: { authorization: `Bearer ${token.trim()}` } }),
      );
      if (role !== 'subject' && role !== 'operator' && role !== 'auditor') {
        setError(new Error(t('signin.wrong_role', { role })));
        return;
      }
      session.signIn(token);
      const home = role === 'subject' ? '/me' : '/console';
      navigate(next?.startsWith(home) ? next : home);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="narrow">
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      <form onSubmit={submit} className="stack">
        <label htmlFor="credential">{t('signin.credential')}</label>
        <input
          id="credential"
          name="credential"
          type="password"
          autoComplete="off"
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" disabled={busy || !token.trim()}>
          {t('signin.submit')}
        </button>
      </form>
      {error !== undefined && <ErrorNote error={error} />}
    </section>
  );
}
