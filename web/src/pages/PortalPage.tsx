/**
 * The borrower portal's first half: register the enterprise (the full registry form), verify that
 * the borrower is its registered legal representative (identity check against the registry;
 * contest someone else's claim), authorise data access (what, why, until when), apply, see the
 * decision with its reasons — never the score — and accept the offer, which becomes the line on
 * the borrowing page.
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  acceptOffer,
  application as fetchApplication,
  applyForCredit,
  authorise,
  claimEnterprise,
  contestClaim,
  createEnterprise,
  DATA_SOURCES,
  enterprise as fetchEnterprise,
  products as fetchProducts,
  type Application,
  type Enterprise,
  type EnterpriseInput,
} from '../api-portal';
import { ApiError } from '../api';
import { DataTable } from '../components/DataTable';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { mainFactorsText } from '../feature-values';
import { daysFromToday, INDUSTRIES, industryText, reasonText, sizeText, sourceText, sourceWhy, statusText } from '../portal-text';
import { useAction } from '../components/useAction';

const lastApplicationKey = (enterpriseId: string) => `sprout.application.${enterpriseId}`;

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
  const { busy, error, run } = useAction();
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
  const { busy, error, run } = useAction();
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

function Origination({ enterpriseId, navigate }: { readonly enterpriseId: string; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const firm = useApi(() => fetchEnterprise(enterpriseId), [enterpriseId]);
  const productList = useApi(fetchProducts, []);
  const [authorised, setAuthorised] = useState<{ sources: string[]; expiresOn: string } | null>(null);
  const [expiresOn, setExpiresOn] = useState(daysFromToday(365));
  const [consent, setConsent] = useState(false);
  const [productCode, setProductCode] = useState('MICRO-LINE');
  const [applicationId, setApplicationId] = useState<string | null>(() => localStorage.getItem(lastApplicationKey(enterpriseId)));
  const [current, setCurrent] = useState<Application | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (applicationId === null) return;
    fetchApplication(applicationId).then(setCurrent, () => setCurrent(null));
  }, [applicationId]);


  const grant = () =>
    run(async () => {
      const granted = await authorise(enterpriseId, { sources: [...DATA_SOURCES], purpose: 'credit-assessment', expiresOn });
      setAuthorised({ sources: granted.sources, expiresOn: granted.expiresOn });
    });
  const apply = () =>
    run(async () => {
      const outcome = await applyForCredit({ enterpriseId, productCode });
      localStorage.setItem(lastApplicationKey(enterpriseId), outcome.applicationId);
      setApplicationId(outcome.applicationId);
      setCurrent(await fetchApplication(outcome.applicationId));
    });
  const accept = () =>
    run(async () => {
      await acceptOffer(current!.applicationId);
      setCurrent(await fetchApplication(current!.applicationId));
    });

  const lineProducts = (productList.data ?? []).filter((product) => product.status === 'active');
  const decided = current !== null;

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
            <div className="fact"><dt>{t('regionCode')}</dt><dd>{firm.data.regionCode}</dd></div>
            <div className="fact"><dt>{t('registeredOn')}</dt><dd>{firm.data.registeredOn}</dd></div>
          </dl>
        </div>
      )}

      <ol className="steps">
        <li className={authorised || decided ? 'done' : 'now'}>{t('stepAuthorise')}</li>
        <li className={decided ? 'done' : authorised ? 'now' : ''}>{t('stepApply')}</li>
        <li className={current?.status === 'accepted' ? 'done' : decided ? 'now' : ''}>{t('stepDecision')}</li>
      </ol>

      {!decided && !authorised && (
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

      {!decided && authorised && (
        <div className="panel" data-testid="apply-panel">
          <p className="muted small">
            {t('authorisedUntil')} {authorised.expiresOn}
          </p>
          <h3>{t('stepApply')}</h3>
          <div className="form-grid">
            <label>
              {t('product')}
              <select name="productCode" value={productCode} onChange={(event) => setProductCode(event.target.value)}>
                {lineProducts.map((product) => (
                  <option key={product.code} value={product.code}>
                    {product.name} · {yuan(product.minAmount)} – {yuan(product.maxAmount)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <button type="button" className="primary" disabled={busy} onClick={apply} data-testid="apply">
            {busy ? t('deciding') : t('applyNow')}
          </button>
        </div>
      )}

      {current && (
        <div className={`panel decision ${current.outcome}`} data-testid="decision">
          <div className="panel-head">
            <h3>{t('decisionTitle')}</h3>
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
          {current.status === 'referred' && <p>{t('referredText')}</p>}
          {current.status === 'pending-confirmation' && <p>{t('referredText')}</p>}
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
          {current.status === 'approved' && (
            <button type="button" className="primary" disabled={busy} onClick={accept} data-testid="accept">
              {t('acceptOffer')}
            </button>
          )}
          {current.status === 'accepted' && current.contract && (
            <p className="small" data-testid="contract">
              {t('contractSigned')}: <code>{current.contract.contractNo}</code> · {new Date(current.contract.signedAt).toLocaleString()} ·{' '}
              {current.contract.verified ? `✓ ${t('contractVerified')}` : '✗'}
            </p>
          )}
          {current.status === 'accepted' && (
            <button type="button" className="primary" onClick={() => navigate('/borrow')} data-testid="go-borrow">
              {t('goBorrow')}
            </button>
          )}
          {(current.status === 'declined' || current.status === 'accepted') && (
            <p>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  localStorage.removeItem(lastApplicationKey(enterpriseId));
                  setApplicationId(null);
                  setCurrent(null);
                }}
              >
                {t('applyAgain')}
              </button>
            </p>
          )}
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
