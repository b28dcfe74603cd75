/**
 * A borrower opens an account (POST /v1/registrations) and is logged in at once; the enterprise is
 * registered and verified next, in the portal. The server answers a taken username exactly as a
 * free one (no enumeration), so a failed login right after says the name was taken.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, logIn, type Session } from '../api';
import { register } from '../api-portal';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useI18n } from '../i18n';
import { usePortalAction } from '../portal-errors';

export function RegisterPage({ onLoggedIn, onBack }: { readonly onLoggedIn: (session: Session) => void; readonly onBack: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ username: '', displayName: '', password: '', phone: '' });
  const { busy, error, run } = usePortalAction();
  const [takenMaybe, setTakenMaybe] = useState(false);
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTakenMaybe(false);
    await run(async () => {
      await register({ username: form.username.trim(), displayName: form.displayName.trim(), password: form.password, ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) });
      try {
        onLoggedIn(await logIn(form.username.trim(), form.password));
      } catch (error) {
        // The server answers a taken name as a free one; a failed login right after is how that shows.
        if (error instanceof ApiError && error.status === 401) setTakenMaybe(true);
        else throw error;
      }
    });
  }

  return (
    <main className="login">
      <div className="login-top">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} aria-labelledby="register-title" data-testid="register-form">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <h1 id="register-title">{t('registerBorrower')}</h1>
            <p className="muted">{t('registerIntro')}</p>
          </div>
        </div>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" value={form.username} onChange={set('username')} required minLength={3} maxLength={64} />
        </label>
        <label>
          {t('displayName')}
          <input name="displayName" value={form.displayName} onChange={set('displayName')} required maxLength={100} />
        </label>
        <label>
          {t('phone')}
          <input name="phone" type="tel" inputMode="tel" autoComplete="tel" value={form.phone} onChange={set('phone')} maxLength={20} />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} required minLength={12} maxLength={128} />
          <span className="small">{t('passwordRule')}</span>
        </label>
        {(error || takenMaybe) && (
          <p className="error" role="alert">
            {takenMaybe ? t('registeredNowLogIn') : error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('loading') : t('createAccount')}
        </button>
        <p className="muted small">
          <a href="/login" onClick={(event) => { event.preventDefault(); onBack(); }}>
            {t('backToLogin')}
          </a>
        </p>
      </form>
    </main>
  );
}
