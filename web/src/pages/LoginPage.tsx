import { useState, type FormEvent } from 'react';
import { logIn, type Session } from '../api';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useAction } from '../components/useAction';

/** Roles offered as one-click demo logins (the server prints all of them at start). */
const DEMO_ROLES = ['management', 'risk-officer', 'account-manager', 'borrower'] as const;

export function LoginPage({ onLoggedIn, onRegister }: { readonly onLoggedIn: (session: Session) => void; readonly onRegister?: () => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      onLoggedIn(await logIn(username.trim(), password));
    });
  }

  return (
    <main className="login">
      <div className="login-top">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <h1 id="login-title">{t('appName')}</h1>
            <p className="muted">{t('tagline')}</p>
          </div>
        </div>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required maxLength={64} />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required maxLength={256} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </button>
        {onRegister && (
          <p className="muted small">
            {t('noAccountYet')}{' '}
            <a href="/register" data-testid="register-link" onClick={(event) => { event.preventDefault(); onRegister(); }}>
              {t('registerBorrower')}
            </a>
          </p>
        )}
        <div className="demo">
          <p className="muted">{t('demoHint')}</p>
          <div className="chips">
            {DEMO_ROLES.map((role) => (
              <button
                type="button"
                key={role}
                className="chip"
                onClick={() => {
                  setUsername(role);
                  setPassword(`${role}-demo`);
                }}
              >
                {role}
              </button>
            ))}
          </div>
        </div>
      </form>
    </main>
  );
}
