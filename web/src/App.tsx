/**
 * The app shell: the session, the language, the header and the page for the current path.
 * Routing is the browser's history API; the server answers every client path with index.html.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { currentSession, logOut, welcome, whenSessionLost, type Role, type Session } from './api';
import { I18nContext, initialLanguage, MESSAGES, rememberLanguage, useI18n as useI18nValue, type I18n, type Language, type MessageKey } from './i18n';
import { EnterpriseSwitch, usePortalEnterprises } from './components/EnterpriseSwitch';
import { LanguageSwitch } from './components/LanguageSwitch';
import { BorrowPage } from './pages/BorrowPage';
import { CollectionsPage } from './pages/CollectionsPage';
import { DashboardPage } from './pages/DashboardPage';
import { EcologyPage } from './pages/EcologyPage';
import { EnterprisePage } from './pages/EnterprisePage';
import { LoansPage } from './pages/LoansPage';
import { LoginPage, type DemoFilling } from './pages/LoginPage';
import { PortalPage } from './pages/PortalPage';
import { ProspectsPage } from './pages/ProspectsPage';
import { RegisterPage } from './pages/RegisterPage';
import { RegulatoryPage } from './pages/RegulatoryPage';
import { ReviewPage } from './pages/ReviewPage';
import { WarningsPage } from './pages/WarningsPage';
import { CertificatesPage } from './pages/CertificatesPage';
import { CoreEnterprisePage } from './pages/CoreEnterprisePage';
import { SupplyChainPage } from './pages/SupplyChainPage';
import { OperationsPage } from './pages/OperationsPage';
import { roleText } from './portal-text';
import { isPage, pagesFor, type Page } from './routes';

const PAGE_TITLES: Record<Page, MessageKey> = {
  '/dashboard': 'dashboard',
  '/regulatory': 'regulatory',
  '/ecology': 'ecology',
  '/loans': 'linesAndLoans',
  '/apply': 'myEnterprise',
  '/borrow': 'borrowAndRepay',
  '/review': 'reviewQueue',
  '/enterprises': 'enterprise360',
  '/prospects': 'prospects',
  '/collections': 'collections',
  '/warnings': 'warningInbox',
  '/supply-chain': 'supplyChain',
  '/certificates': 'myCertificates',
  '/core': 'corePortal',
  '/operations': 'operations',
};

export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [demoRoles, setDemoRoles] = useState<readonly Role[]>([]);
  const [demoFilling, setDemoFilling] = useState<DemoFilling | null>(null);
  const [path, setPath] = useState(window.location.pathname);
  const [search, setSearch] = useState(window.location.search);

  const i18n = useMemo<I18n>(
    () => ({
      language,
      t: (key) => MESSAGES[language][key],
      setLanguage: (next) => {
        rememberLanguage(next);
        setLanguageState(next);
      },
    }),
    [language],
  );

  const navigate = useCallback((to: string) => {
    if (to !== window.location.pathname + window.location.search) window.history.pushState(null, '', to);
    const url = new URL(to, window.location.origin);
    setPath(url.pathname);
    setSearch(url.search);
    window.scrollTo(0, 0);
  }, []);

  const refreshSession = useCallback(() => {
    currentSession().then((next) => next && setSession(next), () => {});
  }, []);

  useEffect(() => {
    rememberLanguage(language);
    const onPop = () => {
      setPath(window.location.pathname);
      setSearch(window.location.search);
    };
    window.addEventListener('popstate', onPop);
    whenSessionLost(() => setSession(null));
    // While the demo book fills (the server answered at once), ask again every second and show how far.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () =>
      welcome().then(
        (answer) => {
          setDemoRoles(answer.demo?.roles ?? []);
          setDemoFilling(answer.demo?.filling ?? null);
          setSession(answer.session);
          if (answer.demo?.filling) timer = setTimeout(ask, 1000);
        },
        () => setSession(null),
      );
    void ask();
    return () => {
      window.removeEventListener('popstate', onPop);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    document.title = MESSAGES[language].appName;
  }, [language]);

  let content;
  if (session === undefined) {
    content = <p className="muted center">{i18n.t('loading')}</p>;
  } else if (session === null && path === '/register') {
    content = (
      <RegisterPage
        onLoggedIn={(next) => {
          setSession(next);
          navigate('/apply');
        }}
        onBack={() => navigate('/login')}
      />
    );
  } else if (session === null) {
    content = (
      <LoginPage
        demoRoles={demoRoles}
        demoFilling={demoFilling}
        onLoggedIn={(next) => {
          setSession(next);
          navigate(pagesFor(next.user.role)[0] ?? '/loans');
        }}
        onRegister={() => navigate('/register')}
      />
    );
  } else {
    const pages = pagesFor(session.user.role);
    const page: Page = isPage(path) && pages.includes(path) ? path : (pages[0] ?? '/loans');
    content = (
      <div className="shell">
        <header className="top">
          <div className="brand">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span className="brand-name">{i18n.t('appName')}</span>
          </div>
          <nav>
            {pages.map((item) => (
              <a
                key={item}
                href={item}
                className={item === page ? 'active' : ''}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(item);
                }}
              >
                {i18n.t(PAGE_TITLES[item])}
              </a>
            ))}
          </nav>
          <div className="who">
            <span className="muted" data-testid="who">
              {session.user.displayName}
              {session.user.role === 'borrower' ? null : ` · ${roleText(i18n, session.user.role)}`}
            </span>
            <LanguageSwitch />
            <button
              type="button"
              className="link-button"
              onClick={() => {
                void logOut().finally(() => {
                  setSession(null);
                  navigate('/login');
                });
              }}
            >
              {i18n.t('logout')}
            </button>
          </div>
        </header>
        <main className="content">
          {page === '/dashboard' && <DashboardPage />}
          {page === '/regulatory' && <RegulatoryPage user={session.user} />}
          {page === '/ecology' && <EcologyPage />}
          {page === '/loans' && <LoansPage key={search} user={session.user} params={new URLSearchParams(search)} navigate={navigate} />}
          {(page === '/apply' || page === '/borrow' || page === '/certificates') && <Portal page={page} username={session.user.username} onEnterpriseChanged={refreshSession} navigate={navigate} />}
          {page === '/review' && <ReviewPage key={search} user={session.user} params={new URLSearchParams(search)} navigate={navigate} />}
          {page === '/enterprises' && <EnterprisePage key={search} params={new URLSearchParams(search)} navigate={navigate} />}
          {page === '/prospects' && <ProspectsPage navigate={navigate} />}
          {page === '/collections' && <CollectionsPage key={search} user={session.user} params={new URLSearchParams(search)} navigate={navigate} />}
          {page === '/warnings' && <WarningsPage navigate={navigate} />}
          {page === '/supply-chain' && <SupplyChainPage user={session.user} />}
          {page === '/core' && <CoreEnterprisePage enterpriseId={session.user.enterpriseIds[0]} />}
          {page === '/operations' && <OperationsPage />}
        </main>
      </div>
    );
  }

  return <I18nContext.Provider value={i18n}>{content}</I18nContext.Provider>;
}

/** The borrower portal's pages, on the enterprise chosen in the switcher above them. */
function Portal({ page, username, onEnterpriseChanged, navigate }: { readonly page: '/apply' | '/borrow' | '/certificates'; readonly username: string; readonly onEnterpriseChanged: () => void; readonly navigate: (to: string) => void }) {
  const { t } = useI18nValue();
  const enterprises = usePortalEnterprises(username);
  const [adding, setAdding] = useState(false);
  if (enterprises.error) return <p className="error" role="alert">{enterprises.error}</p>;
  if (!enterprises.list) return <p className="muted">{t('loading')}</p>;
  const chosen = enterprises.chosen;
  return (
    <>
      <EnterpriseSwitch
        enterprises={enterprises}
        onChoose={(id) => {
          setAdding(false);
          enterprises.choose(id);
        }}
        onAdd={() => {
          setAdding(true);
          navigate('/apply');
        }}
      />
      {page === '/apply' && (
        <PortalPage
          key={adding ? 'new' : chosen}
          enterpriseId={adding ? undefined : chosen}
          onCreated={(created) => {
            setAdding(false);
            enterprises.reload(created.id);
            onEnterpriseChanged();
          }}
          onCancel={adding && chosen !== undefined ? () => setAdding(false) : undefined}
          navigate={navigate}
        />
      )}
      {page === '/borrow' && <BorrowPage key={chosen} enterpriseId={chosen} />}
      {page === '/certificates' && <CertificatesPage key={chosen} enterpriseId={chosen} />}
    </>
  );
}
