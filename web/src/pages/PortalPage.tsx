/**
 * The borrower portal's first half: register the enterprise (the full registry form), verify that
 * the borrower is its registered legal representative (identity check against the registry;
 * contest someone else's claim), authorise data access (what, why, until when), apply, see the
 * decision with its reasons — never the score — and accept the offer, which becomes the line on
 * the borrowing page.
 */
import { useState, type FormEvent } from 'react';
import {
  acceptOffer,
  applicationsOf,
  applyForCredit,
  authorisationsOf,
  authorisationTextOf,
  authorise,
  contractOf,
  linesOf,
  loansOf,
  signedContractUrl,
  withdrawAuthorisation,
  type AuthorisationRow,
  type EnterpriseApplication,
  claimEnterprise,
  contestClaim,
  createEnterprise,
  DATA_SOURCES,
  enterprise as fetchEnterprise,
  products as fetchProducts,
  type Enterprise,
  type EnterpriseInput,
} from '../api-portal';
import { ApiError } from '../api';
import { mainFactorsText } from '../feature-values';
import { DataTable } from '../components/DataTable';
import { NextPayment } from './BorrowPage';
import { useApi } from '../components/useApi';
import { DocumentLinks } from '../components/DocumentLinks';
import { contractPrintUrl } from '../api-operations';
import { percent, productName, yuan } from '../format';
import { fill } from '../error-message';
import { listText, useI18n, type MessageKey } from '../i18n';
import { daysFromToday, INDUSTRIES, industryText, industryCodeText, localTime, regionText, reasonText, sizeText, sourceText, sourceWhy, statusText } from '../portal-text';
import { usePortalAction } from '../portal-errors';

/**
 * The chosen enterprise's origination, or the registry form when the owner has none yet or is
 * registering another (`onCancel` then goes back to the chosen one).
 */
export function PortalPage({
  enterpriseId,
  onCreated,
  onCancel,
  navigate,
}: {
  readonly enterpriseId: string | undefined;
  readonly onCreated: (enterprise: Enterprise) => void;
  readonly onCancel?: (() => void) | undefined;
  readonly navigate: (to: string) => void;
}) {
  const { t } = useI18n();
  return (
    <section>
      <div className="page-title">
        <h2>{t('myEnterprise')}</h2>
      </div>
      {enterpriseId === undefined ? <EnterpriseForm onCreated={onCreated} onCancel={onCancel} /> : <Origination enterpriseId={enterpriseId} navigate={navigate} />}
    </section>
  );
}

const EMPTY_OWNER = { name: '', idNumber: '', phone: '', share: '1.00' };

/** What the verification step starts from: the credit code and the representative typed into the registry form. */
interface ToVerify {
  readonly creditCode: string;
  readonly name: string;
  readonly idNumber: string;
  /** The enterprise was on file already (someone recorded it before). */
  readonly onFile: boolean;
}

function EnterpriseForm({ onCreated, onCancel }: { readonly onCreated: (enterprise: Enterprise) => void; readonly onCancel?: (() => void) | undefined }) {
  const [toVerify, setToVerify] = useState<ToVerify | null>(null);
  if (toVerify !== null) return <VerifyPanel start={toVerify} onVerified={onCreated} onCancel={onCancel} />;
  return <RegistryForm onRecorded={setToVerify} onCancel={onCancel} />;
}

/**
 * The identity check: the borrower's name and ID number against the registry's legal
 * representative (POST /v1/claims). A firm someone else claimed can be contested instead.
 */
function VerifyPanel({ start, onVerified, onCancel }: { readonly start: ToVerify; readonly onVerified: (enterprise: Enterprise) => void; readonly onCancel?: (() => void) | undefined }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: start.name, idNumber: start.idNumber, note: '' });
  const [claimed, setClaimed] = useState(false);
  const [contested, setContested] = useState(false);
  const { busy, error, run } = usePortalAction();
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  const identity = () => ({ creditCode: start.creditCode, name: form.name.trim(), idNumber: form.idNumber.trim().toUpperCase() });

  async function verify(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      try {
        const claim = await claimEnterprise(identity());
        onVerified(await fetchEnterprise(claim.enterpriseId));
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 409) setClaimed(true);
        throw caught;
      }
    });
  }
  const contest = () =>
    run(async () => {
      await contestClaim({ ...identity(), note: form.note.trim() });
      setContested(true);
    });

  return (
    <form className="panel form" onSubmit={verify} data-testid="verify-form">
      <h3>{t('verifyTitle')}</h3>
      <p className="muted small">{start.onFile ? t('verifyAlreadyOnFile') : t('verifyIntro')}</p>
      <div className="form-grid">
        <label>
          {t('creditCode')}
          <input name="verify-creditCode" className="mono" value={start.creditCode} readOnly />
        </label>
        <label>
          {t('ownerName')}
          <input name="verify-name" value={form.name} onChange={set('name')} required maxLength={50} />
        </label>
        <label>
          {t('idNumber')}
          <input name="verify-idNumber" className="mono" value={form.idNumber} onChange={set('idNumber')} required minLength={18} maxLength={18} />
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {error && <p className="muted small">{t('verifyFailedHelp')}</p>}
      {contested ? (
        <p data-testid="contest-filed">{t('contestFiled')}</p>
      ) : (
        claimed && (
          <div className="form-grid">
            <label>
              {t('contestNote')}
              <input name="contest-note" value={form.note} onChange={set('note')} maxLength={1000} />
            </label>
            <button type="button" className="secondary" disabled={busy || form.note.trim() === ''} onClick={contest} data-testid="contest">
              {t('contestButton')}
            </button>
          </div>
        )
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="verify">
          {busy ? t('loading') : t('verifyButton')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function RegistryForm({ onRecorded, onCancel }: { readonly onRecorded: (next: ToVerify) => void; readonly onCancel?: (() => void) | undefined }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState({ creditCode: '', name: '', industry: 'retail', regionCode: '', registeredOn: '', employees: '', revenue: '', assets: '' });
  const [owners, setOwners] = useState([EMPTY_OWNER]);
  const { busy, error, run } = usePortalAction();
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  const setOwner = (index: number, field: keyof typeof EMPTY_OWNER) => (event: { target: { value: string } }) =>
    setOwners(owners.map((owner, i) => (i === index ? { ...owner, [field]: event.target.value } : owner)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmedOwners = owners.map((owner) => ({ ...owner, name: owner.name.trim(), idNumber: owner.idNumber.trim().toUpperCase(), phone: owner.phone.trim() }));
    const creditCode = form.creditCode.trim().toUpperCase();
    const body: EnterpriseInput = {
      ...form,
      // The select offers only INDUSTRIES.
      industry: INDUSTRIES.find((code) => code === form.industry) ?? 'other',
      creditCode,
      name: form.name.trim(),
      employees: Number(form.employees),
      owners: trimmedOwners,
    };
    const representative = trimmedOwners[0]!;
    await run(async () => {
      try {
        await createEnterprise(body);
        onRecorded({ creditCode, name: representative.name, idNumber: representative.idNumber, onFile: false });
      } catch (caught) {
        // On file already (recorded by someone before): the owner verifies to act for it all the same.
        if (caught instanceof ApiError && caught.status === 409) onRecorded({ creditCode, name: representative.name, idNumber: representative.idNumber, onFile: true });
        else throw caught;
      }
    });
  }

  const field = (name: keyof typeof form, label: MessageKey, props: Record<string, unknown> = {}) => (
    <label>
      {t(label)}
      <input name={name} value={form[name]} onChange={set(name)} required {...props} />
    </label>
  );

  return (
    <form className="panel form" onSubmit={submit} data-testid="enterprise-form">
      <h3>{t('registerEnterprise')}</h3>
      <p className="muted small">{t('registerEnterpriseIntro')}</p>
      <div className="form-grid">
        {field('name', 'enterpriseName', { maxLength: 200 })}
        {field('creditCode', 'creditCode', { minLength: 18, maxLength: 18, pattern: '[0-9A-Za-z]{18}', className: 'mono' })}
        <label>
          {t('industry')}
          <select name="industry" value={form.industry} onChange={set('industry')}>
            {INDUSTRIES.map((industry) => (
              <option key={industry} value={industry}>
                {industryText(i18n, industry)}
              </option>
            ))}
          </select>
        </label>
        {field('regionCode', 'regionCode', { pattern: '[0-9]{6}', inputMode: 'numeric', maxLength: 6 })}
        {field('registeredOn', 'registeredOn', { type: 'date' })}
        {field('employees', 'employees', { type: 'number', min: 0, step: 1 })}
        {field('revenue', 'revenue', { inputMode: 'decimal', pattern: '[0-9]+(\\.[0-9]{1,2})?' })}
        {field('assets', 'assets', { inputMode: 'decimal', pattern: '[0-9]+(\\.[0-9]{1,2})?' })}
      </div>
      <h3>{t('owners')}</h3>
      {owners.map((owner, index) => (
        <div className="form-grid owner" key={index}>
          <label>
            {t('ownerName')}
            <input name={`owner-${index}-name`} value={owner.name} onChange={setOwner(index, 'name')} required maxLength={100} />
          </label>
          <label>
            {t('idNumber')}
            <input name={`owner-${index}-idNumber`} className="mono" value={owner.idNumber} onChange={setOwner(index, 'idNumber')} required minLength={18} maxLength={18} />
          </label>
          <label>
            {t('phone')}
            <input name={`owner-${index}-phone`} type="tel" inputMode="tel" value={owner.phone} onChange={setOwner(index, 'phone')} required maxLength={20} />
          </label>
          <label>
            {t('ownerShare')}
            <input name={`owner-${index}-share`} inputMode="decimal" value={owner.share} onChange={setOwner(index, 'share')} required pattern="0(\.[0-9]{1,4})?|1(\.0{1,4})?" />
          </label>
        </div>
      ))}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setOwners([...owners, { ...EMPTY_OWNER, share: '0.00' }])}>
          {t('addOwner')}
        </button>
        {owners.length > 1 && (
          <button type="button" className="secondary" onClick={() => setOwners(owners.slice(0, -1))}>
            {t('removeOwner')}
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('loading') : t('submitEnterprise')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel} data-testid="cancel-enterprise">
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** An authorisation covering every source an application pulls, for credit assessment, in force today. */
const coversApplication = (grants: readonly AuthorisationRow[]) =>
  DATA_SOURCES.every((source) => grants.some((grant) => grant.inForce && grant.purpose === 'credit-assessment' && grant.sources.includes(source)));

/**
 * The enterprise's origination as the server holds it: its authorisations, its latest application
 * and decision, the contract, its line. Nothing is kept in the browser, so a reload or another
 * device shows the same; only "apply again" is a choice on this screen.
 */
function Origination({ enterpriseId, navigate }: { readonly enterpriseId: string; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const firm = useApi(() => fetchEnterprise(enterpriseId), [enterpriseId]);
  const productList = useApi(fetchProducts, []);
  const grants = useApi(() => authorisationsOf(enterpriseId), [enterpriseId]);
  const apps = useApi(() => applicationsOf(enterpriseId), [enterpriseId]);
  const lines = useApi(() => linesOf(enterpriseId), [enterpriseId]);
  const loans = useApi(() => loansOf(enterpriseId), [enterpriseId]);
  const [startingAnew, setStartingAnew] = useState(false);
  const [expiresOn, setExpiresOn] = useState(daysFromToday(365));
  const [consent, setConsent] = useState(false);
  const [productCode, setProductCode] = useState('MICRO-LINE');
  const { busy, error, run } = usePortalAction();

  const loadError = grants.error ?? apps.error ?? lines.error;
  if (loadError) return <p className="error" role="alert">{loadError}</p>;
  if (!grants.data || !apps.data || !lines.data) return <p className="muted">{t('loading')}</p>;

  const authorised = coversApplication(grants.data);
  const activeLine = lines.data.find((line) => line.status === 'active');
  const latest = startingAnew ? undefined : apps.data[0];
  const lineProducts = (productList.data ?? []).filter((product) => product.status === 'active');

  const grant = () =>
    run(async () => {
      await authorise(enterpriseId, { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn });
      grants.reload();
    });
  const apply = () =>
    run(async () => {
      await applyForCredit({ enterpriseId, productCode });
      setStartingAnew(false);
      apps.reload();
    });

  return (
    <>
      {firm.data && (
        <div className="panel" data-testid="enterprise-card">
          <div className="panel-head">
            <h3>{firm.data.name}</h3>
            <span className="badge normal">{sizeText(i18n, firm.data.sizeClass)}</span>
          </div>
          <dl className="facts">
            <div className="fact"><dt>{t('creditCode')}</dt><dd className="mono">{firm.data.creditCode}</dd></div>
            <div className="fact"><dt>{t('industry')}</dt><dd>{industryText(i18n, firm.data.industry)}</dd></div>
            <div className="fact"><dt>{t('region')}</dt><dd data-testid="firm-region">{regionText(i18n, firm.data)}</dd></div>
            <div className="fact"><dt>{t('industryCode')}</dt><dd data-testid="firm-industry-code">{industryCodeText(i18n, firm.data)}</dd></div>
            <div className="fact"><dt>{t('registeredOn')}</dt><dd>{firm.data.registeredOn}</dd></div>
          </dl>
        </div>
      )}

      <ol className="steps">
        <li className={authorised || activeLine || latest ? 'done' : 'now'}>{t('stepAuthorise')}</li>
        <li className={latest ? 'done' : authorised ? 'now' : ''}>{t('stepApply')}</li>
        <li className={latest?.status === 'accepted' || (activeLine && !latest) ? 'done' : latest ? 'now' : ''}>{t('stepDecision')}</li>
      </ol>

      {activeLine && !startingAnew && (
        <div className="panel" data-testid="have-line">
          <p>{t('haveLine')}</p>
          <p>
            {t('limit')} <strong>{yuan(activeLine.limit)}</strong> · {t('available')} <strong>{yuan(activeLine.available)}</strong> · {activeLine.startOn} – {activeLine.endOn}
          </p>
          <button type="button" className="primary" onClick={() => navigate('/borrow')} data-testid="go-borrow">
            {t('goBorrow')}
          </button>
        </div>
      )}
      {activeLine && loans.data && <NextPayment loanIds={loans.data.filter((row) => row.status === 'active').map((row) => row.id)} />}

      {!latest && !authorised && (
        <div className="panel" data-testid="authorise-panel">
          <h3>{t('authoriseTitle')}</h3>
          <p>{t('authoriseWhy')}</p>
          <DataTable
            rows={DATA_SOURCES}
            rowKey={(source) => source}
            columns={[
              { header: t('dataSource'), cell: (source) => sourceText(i18n, source) },
              { header: t('whatFor'), cellClassName: 'wrap', cell: (source) => sourceWhy(i18n, source) },
            ]}
          />
          <AuthorisationText enterpriseId={enterpriseId} />
          <div className="form-grid">
            <label>
              {t('authoriseUntil')}
              <input type="date" name="expiresOn" value={expiresOn} min={daysFromToday(1)} onChange={(event) => setExpiresOn(event.target.value)} required />
            </label>
          </div>
          <label className="check">
            <input type="checkbox" name="consent" checked={consent} onChange={(event) => setConsent(event.target.checked)} />
            {t('authoriseConsent')}
          </label>
          <button type="button" className="primary" disabled={!consent || busy} onClick={grant} data-testid="authorise">
            {t('authoriseButton')}
          </button>
        </div>
      )}

      {!latest && authorised && (
        <div className="panel" data-testid="apply-panel">
          <h3>{t('stepApply')}</h3>
          <div className="form-grid">
            <label>
              {t('product')}
              <select name="productCode" value={productCode} onChange={(event) => setProductCode(event.target.value)}>
                {lineProducts.map((product) => (
                  <option key={product.code} value={product.code}>
                    {productName(product.name, product.nameEn, i18n.language)} · {yuan(product.minAmount)} – {yuan(product.maxAmount)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={apply} data-testid="apply">
              {busy ? t('deciding') : t('applyNow')}
            </button>
            {startingAnew && (
              <button type="button" className="secondary" onClick={() => setStartingAnew(false)}>
                {t('cancel')}
              </button>
            )}
          </div>
        </div>
      )}

      {latest && (
        <Decision
          application={latest}
          onChanged={() => {
            apps.reload();
            lines.reload();
          }}
          onApplyAgain={() => setStartingAnew(true)}
          navigate={navigate}
          hasLine={activeLine !== undefined}
        />
      )}

      {grants.data.length > 0 && <Authorisations rows={grants.data} onChanged={grants.reload} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** The authorisation's full text, as the server holds it, in the page's language (the Chinese binds). */
function AuthorisationText({ enterpriseId }: { readonly enterpriseId: string }) {
  const { t, language } = useI18n();
  const text = useApi(() => authorisationTextOf(enterpriseId), [enterpriseId]);
  if (!text.data) return null;
  return (
    <details className="legal" data-testid="authorisation-text">
      <summary>
        {t('authorisationText')} · {text.data.title[language]} · {t('contractVersion')} {text.data.version}
      </summary>
      <pre className="legal-text">{text.data[language]}</pre>
    </details>
  );
}

/** The enterprise's authorisations and their withdrawal (撤回), confirmed before it is sent. */
function Authorisations({ rows, onChanged }: { readonly rows: readonly AuthorisationRow[]; readonly onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [asking, setAsking] = useState<string | null>(null);
  const { busy, error, run } = usePortalAction();
  const state = (row: AuthorisationRow) => (row.withdrawnAt !== null ? t('authorisationWithdrawn') : row.inForce ? t('authorisationInForce') : t('authorisationExpired'));
  return (
    <div className="panel" data-testid="authorisations">
      <h3>{t('authorisationsTitle')}</h3>
      <DataTable
        rows={rows}
        rowKey={(row) => row.id}
        rowData={(row) => ({ 'data-testid': 'authorisation-row', 'data-state': row.withdrawnAt !== null ? 'withdrawn' : row.inForce ? 'in-force' : 'expired' })}
        columns={[
          { header: t('authorisedOn'), cell: (row) => row.grantedOn },
          { header: t('authoriseUntil'), cell: (row) => row.expiresOn },
          { header: t('dataSource'), cellClassName: 'wrap', cell: (row) => listText(i18n, row.sources.map((source) => sourceText(i18n, source))) },
          { header: t('status'), cell: (row) => state(row) },
          {
            header: null,
            cell: (row) =>
              row.inForce &&
              (asking === row.id ? (
                <span className="actions">
                  <button type="button" className="secondary danger" disabled={busy} data-testid="withdraw-yes" onClick={() => run(async () => { await withdrawAuthorisation(row.id); setAsking(null); onChanged(); })}>
                    {t('withdrawYes')}
                  </button>
                  <button type="button" className="secondary" onClick={() => setAsking(null)}>
                    {t('cancel')}
                  </button>
                </span>
              ) : (
                <button type="button" className="secondary" data-testid="withdraw" onClick={() => setAsking(row.id)}>
                  {t('withdrawAuthorisation')}
                </button>
              )),
          },
        ]}
      />
      {asking && <p className="muted small" data-testid="withdraw-warning">{t('withdrawConfirm')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** The latest application's decision; an approved offer's contract to read and sign; a signed one to download. */
function Decision({
  application,
  onChanged,
  onApplyAgain,
  navigate,
  hasLine,
}: {
  readonly application: EnterpriseApplication;
  readonly onChanged: () => void;
  readonly onApplyAgain: () => void;
  readonly navigate: (to: string) => void;
  readonly hasLine: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const current = application;
  return (
    <div className={`panel decision ${current.outcome}`} data-testid="decision">
      <div className="panel-head">
        <h3>
          {t('decisionTitle')} <span className="muted small">· {productName(current.productName, current.productNameEn, i18n.language)} · {current.businessDate}</span>
        </h3>
        <span className={`badge outcome-${current.status}`} data-testid="decision-status">
          {statusText(i18n, current.status)}
        </span>
      </div>
      {current.outcome !== 'declined' && (
        <div className="kpis two">
          <div className="kpi">
            <span className="kpi-label">{t('offeredLimit')}</span>
            <span className="kpi-value" data-testid="offer-limit">{yuan(current.limit)}</span>
          </div>
          <div className="kpi">
            <span className="kpi-label">{t('rate')}</span>
            <span className="kpi-value" data-testid="offer-rate">{current.annualRate === null ? '—' : percent(current.annualRate)}</span>
          </div>
        </div>
      )}
      {current.outcome !== 'declined' && current.securityNeeded !== null && (
        <p className="muted" data-testid="security-needed">
          {fill(t('securityNeededOffer'), { amount: yuan(current.securityNeeded) })}
        </p>
      )}
      {(current.status === 'referred' || current.status === 'pending-confirmation') && <p>{t('referredText')}</p>}
      {current.reasonCodes.length > 0 && (
        <>
          <h3>{t('reasons')}</h3>
          <ul data-testid="reasons">
            {current.reasonCodes.map((code) => (
              <li key={code}>{reasonText(i18n, code)}</li>
            ))}
          </ul>
          {current.mainFactors.length > 0 && <p data-testid="main-factors">{mainFactorsText(i18n, current.mainFactors)}</p>}
        </>
      )}
      {(current.status === 'approved' || current.status === 'accepted') && <ContractPanel applicationId={current.applicationId} onSigned={onChanged} />}
      {current.status === 'accepted' && !hasLine && (
        <button type="button" className="primary" onClick={() => navigate('/borrow')} data-testid="go-borrow">
          {t('goBorrow')}
        </button>
      )}
      {(current.status === 'declined' || current.status === 'accepted') && (
        <p>
          <button type="button" className="link-button" onClick={onApplyAgain} data-testid="apply-again">
            {t('applyAgain')}
          </button>
        </p>
      )}
    </div>
  );
}

interface AccountFields {
  readonly bankCode: string;
  readonly bankName: string;
  readonly accountNo: string;
}
const NO_ACCOUNT: AccountFields = { bankCode: '', bankName: '', accountNo: '' };
const filled = (account: AccountFields) => account.bankCode.trim() !== '' && account.bankName.trim() !== '' && account.accountNo.trim() !== '';

/** One settlement account's three fields; the server checks them (12-digit bank code, 8–32-digit number). */
function AccountInputs({ title, prefix, value, onChange }: { title: string; prefix: string; value: AccountFields; onChange: (next: AccountFields) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="form-grid account-fields">
      <legend>{title}</legend>
      <label>
        {t('bankName')}
        <input name={`${prefix}-bankName`} value={value.bankName} onChange={(event) => onChange({ ...value, bankName: event.target.value })} />
      </label>
      <label>
        {t('bankCode')}
        <input name={`${prefix}-bankCode`} inputMode="numeric" value={value.bankCode} onChange={(event) => onChange({ ...value, bankCode: event.target.value })} />
      </label>
      <label>
        {t('accountNo')}
        <input name={`${prefix}-accountNo`} inputMode="numeric" autoComplete="off" value={value.accountNo} onChange={(event) => onChange({ ...value, accountNo: event.target.value })} />
      </label>
    </fieldset>
  );
}

/**
 * The credit contract and the authorisation in full before signing, with an explicit signing step
 * (read, tick, sign: the acceptance names the version read); after signing, the record and the copy.
 */
function ContractPanel({ applicationId, onSigned }: { readonly applicationId: string; readonly onSigned: () => void }) {
  const { t, language } = useI18n();
  const document = useApi(() => contractOf(applicationId), [applicationId]);
  const [read, setRead] = useState(false);
  const [english, setEnglish] = useState(false);
  const [disbursement, setDisbursement] = useState<AccountFields>(NO_ACCOUNT);
  const [repayment, setRepayment] = useState<AccountFields>(NO_ACCOUNT);
  const [same, setSame] = useState(true);
  const { busy, error, run } = usePortalAction();
  if (document.error) return <p className="error" role="alert">{document.error}</p>;
  if (!document.data || document.data.contract === null) return null;
  const { contract, authorisation, signature, state } = document.data;
  const words = (text: { zh: string; en: string }) => (english || language === 'en' ? text.en : text.zh);
  if (state === 'signed' && signature) {
    return (
      <div className="subpanel" data-testid="contract">
        <p className="small">
          {t('contractSigned')}: <code>{document.data.contractNo}</code> · {localTime(signature.signedAt)} · {signature.verified ? `✓ ${t('contractVerified')}` : '✗'}
        </p>
        <details className="legal">
          <summary>
            {contract.title[language]} · {t('contractVersion')} {contract.version}
          </summary>
          <pre className="legal-text">{words(contract)}</pre>
        </details>
        <a className="button secondary" href={signedContractUrl(applicationId)} download data-testid="download-contract">
          {t('downloadContract')}
        </a>{' '}
        <DocumentLinks label="printContract" html={contractPrintUrl(applicationId)} pdf={contractPrintUrl(applicationId, 'pdf')} testId="contract-print-links" />
      </div>
    );
  }
  return (
    <div className="subpanel" data-testid="contract-to-sign">
      <h3>
        {t('contractTitle')} <span className="muted small">{t('contractVersion')} {contract.version}</span>
      </h3>
      {language === 'zh' && (
        <label className="check small">
          <input type="checkbox" checked={english} onChange={(event) => setEnglish(event.target.checked)} />
          {t('showEnglish')}
        </label>
      )}
      <pre className="legal-text" data-testid="contract-text">{words(contract)}</pre>
      <h3>{authorisation.title[language]}</h3>
      <pre className="legal-text">{words(authorisation)}</pre>
      <div className="subpanel" data-testid="accounts-form">
        <h3>{t('accountsTitle')}</h3>
        <p className="muted small">{t('accountsNote')}</p>
        <AccountInputs title={t('disbursementAccount')} prefix="disbursement" value={disbursement} onChange={setDisbursement} />
        <label className="check">
          <input type="checkbox" name="same-account" checked={same} onChange={(event) => setSame(event.target.checked)} />
          {t('sameAccount')}
        </label>
        {!same && <AccountInputs title={t('repaymentAccount')} prefix="repayment" value={repayment} onChange={setRepayment} />}
      </div>
      <label className="check">
        <input type="checkbox" name="contract-read" checked={read} onChange={(event) => setRead(event.target.checked)} />
        {t('contractRead')}
      </label>
      <button
        type="button"
        className="primary"
        disabled={!read || busy || !filled(disbursement) || (!same && !filled(repayment))}
        data-testid="accept"
        onClick={() =>
          run(async () => {
            await acceptOffer(applicationId, contract.version, same ? { disbursement } : { disbursement, repayment });
            document.reload();
            onSigned();
          })
        }
      >
        {t('signContract')}
      </button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
