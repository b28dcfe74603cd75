import { useState, type FormEvent } from 'react';
import { logIn, type Role, type Session, type Welcome } from '../api';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useAction } from '../components/useAction';
import { roleText } from '../portal-text';

/**
 * The login form. In demo mode (the server lists `demoRoles`) it also says what Sprout is and
 * logs in as any demo role in one click, so a newcomer who opens the address sees more than a form.
 */
/** How far the demo book has filled, as `GET /v1/auth/welcome` says while it fills. */
export type DemoFilling = NonNullable<NonNullable<Welcome['demo']>['filling']>;

export function LoginPage({
  onLoggedIn,
  onRegister,
  demoRoles = [],
  demoFilling = null,
}: {
  readonly onLoggedIn: (session: Session) => void;
  readonly onRegister?: () => void;
  readonly demoRoles?: readonly Role[];
  readonly demoFilling?: DemoFilling | null;
}) {
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

  if (demoFilling) {
    // The demo logins exist once the book is filled: a form now would only refuse them.
    const percent = Math.floor((demoFilling.done * 100) / Math.max(1, demoFilling.total));
    return (
      <main className="login">
        <div className="login-top">
          <LanguageSwitch />
        </div>
        <section className="login-card" data-testid="demo-filling" aria-labelledby="login-title" aria-busy="true">
          <div className="brand brand-large">
            <img src="/favicon.svg" alt="" width={40} height={40} />
            <div>
              <h1 id="login-title">{t('appName')}</h1>
              <p className="muted">{t('tagline')}</p>
            </div>
          </div>
          <p>{t('demoFillingTitle')}</p>
          <progress max={100} value={percent} aria-label={t('demoFillingTitle')} style={{ width: '100%' }} />
          <p className="muted small" data-testid="demo-filling-phase">
            {t(demoFilling.phase === 'register' ? 'demoFillingRegister' : demoFilling.phase === 'history' ? 'demoFillingHistory' : 'demoFillingLogins')}
            {demoFilling.phase === 'logins' ? '' : ` · ${demoFilling.done}/${demoFilling.total} · ${percent}%`}
          </p>
        </section>
      </main>
    );
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
