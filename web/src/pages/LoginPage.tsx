import { useState, type FormEvent } from 'react';
import { logIn, type Role, type Session } from '../api';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useAction } from '../components/useAction';
import { roleText } from '../portal-text';

/**
 * The login form. In demo mode (the server lists `demoRoles`) it also says what Sprout is and
 * logs in as any demo role in one click, so a newcomer who opens the address sees more than a form.
 */
export function LoginPage({ onLoggedIn, onRegister, demoRoles = [] }: { readonly onLoggedIn: (session: Session) => void; readonly onRegister?: () => void; readonly demoRoles?: readonly Role[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const logInAs = (role: Role) => run(async () => onLoggedIn(await logIn(role, `${role}-demo`)));

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
        {demoRoles.length > 0 && (
          <section className="demo" data-testid="demo-roles" aria-label={t('demoRoles')}>
            <p>{t('demoWhat')}</p>
            <p className="muted small">{t('demoRoles')}</p>
            <div className="chips">
              {demoRoles.map((role) => (
                <button type="button" key={role} className="chip" data-testid={`demo-${role}`} disabled={busy} title={t('demoRoleHint')} onClick={() => void logInAs(role)}>
                  {roleText(i18n, role)}
                </button>
              ))}
            </div>
          </section>
        )}
      </form>
    </main>
  );
}
