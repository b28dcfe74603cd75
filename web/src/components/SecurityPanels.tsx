/**
 * Secured and guaranteed lending on the pages of others, as self-contained sections: the officer's
 * panel on the enterprise 360 (register collateral and guarantors, record a valuation and the
 * pledge registration, allocate to a line, see loan-to-value), the borrower's "what secures my
 * line" card, and management's split of the book by security.
 */
import { useState, type FormEvent } from 'react';
import {
  addGuarantee,
  callGuarantee,
  checkGuarantor,
  grantGuarantorAuthorisation,
  COLLATERAL_TYPE_LIST,
  createCollateral,
  createGuarantor,
  enterpriseSecurity,
  linkCollateral,
  lineSecurity,
  registerPledge,
  requestCollateralRelease,
  requestGuaranteeRelease,
  securitySplit,
  valueCollateral,
  VALUATION_METHOD_LIST,
  type CollateralItem,
  type EnterpriseSecurity,
  type GuaranteeCallResult,
  type GuarantorStanding,
  type CollateralType,
  type LineSecurity,
  type ValuationMethod,
} from '../api-collateral';
import { fenText, toFen } from '../api-book';
import { idempotencyKey, products, repaymentPreview, type LoanDetail, type RepaymentPreview } from '../api-portal';
import { CODE_TEXT_PREFIX } from '../code-texts';
import { percent, productName, yuan } from '../format';
import { fill } from '../error-message';
import { listText, MESSAGES, punctuationOf, useI18n, type I18n, type MessageKey } from '../i18n';
import { DataTable } from './DataTable';
import { useAction } from './useAction';
import { useApi } from './useApi';

function codeText(i18n: I18n, family: keyof typeof CODE_TEXT_PREFIX, code: string): string {
  const key = `${CODE_TEXT_PREFIX[family]}${code}`;
  return key in MESSAGES.zh ? i18n.t(key as MessageKey) : code;
}

/** A line's product by name in the page's language (the security view sends its code). */
function useProductNames(): (code: string) => string {
  const i18n = useI18n();
  const all = useApi(() => products(), []);
  return (code) => {
    const found = all.data?.find((product) => product.code === code);
    return found ? productName(found.name, found.nameEn, i18n.language) : '…';
  };
}

function LtvBadge({ view }: { readonly view: LineSecurity }) {
  const { t } = useI18n();
  if (view.ltv === null) return <span className="muted">—</span>;
  return (
    <span className={view.overMaximum ? 'badge substandard' : 'badge normal'} data-testid="ltv">
      {percent(view.ltv)} / {t('maxLtv')} {view.maxLtv ? percent(view.maxLtv) : '—'}
      {view.overMaximum ? ` · ${t('ltvOverMaximum')}` : ''}
    </span>
  );
}

/** The lines of a borrower with what secures each and its loan-to-value. */
function LineSecurityTable({ lines }: { readonly lines: readonly LineSecurity[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <DataTable
      testId="line-security"
      rows={[...lines]}
      rowKey={(line) => line.lineId}
      empty={t('empty')}
      columns={[
        { header: t('lineCredit'), className: 'num', cell: (line) => yuan(line.credit) },
        { header: t('collateral'), cell: (line) => line.collateral.map((c) => `${codeText(i18n, 'collateralType', c.type)} ${yuan(c.effective)}`).join('；') || '—' },
        { header: t('guarantees'), className: 'num', cell: (line) => (line.guaranteed === '0.00' ? '—' : yuan(line.guaranteed)) },
        { header: t('capacity'), className: 'num', cell: (line) => yuan(line.capacity) },
        { header: t('ltv'), cell: (line) => <LtvBadge view={line} /> },
      ]}
    />
  );
}

/** The officer's panel on the enterprise 360. */
export function OfficerSecurityPanel({ enterpriseId }: { readonly enterpriseId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const security = useApi(() => enterpriseSecurity(enterpriseId), [enterpriseId]);
  const productOf = useProductNames();
  const { busy, error, run } = useAction();
  const [draft, setDraft] = useState({ type: 'residential-real-estate' as CollateralType, owner: 'borrower' as 'borrower' | 'third-party', ownerName: '', description: '', identifier: '' });
  const [guarantee, setGuarantee] = useState({ kind: 'company' as 'company' | 'person', name: '', code: '', cap: '', margin: '1000', rating: '', type: 'joint-and-several' as 'joint-and-several' | 'general', amount: '', startOn: '', endOn: '', lineId: '' });
  const data = security.data;
  const guarantorById = new Map((data?.guarantors ?? []).map((g) => [g.guarantor.id, g]));

  const addCollateral = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await createCollateral({ enterpriseId, ...draft });
      setDraft({ ...draft, description: '', identifier: '' });
      security.reload();
    });
  };
  const addGuaranteeNow = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const guarantor = await createGuarantor(
        guarantee.kind === 'company'
          ? { kind: 'company', name: guarantee.name, creditCode: guarantee.code, exposureCap: guarantee.cap, marginRatioBp: Number(guarantee.margin), ...(guarantee.rating ? { rating: guarantee.rating } : {}) }
          : { kind: 'person', name: guarantee.name, idNumber: guarantee.code },
      );
      await addGuarantee({ guarantorId: guarantor.id, enterpriseId, type: guarantee.type, amount: guarantee.amount, startOn: guarantee.startOn, endOn: guarantee.endOn, ...(guarantee.lineId ? { lineId: guarantee.lineId } : {}) });
      security.reload();
    });
  };

  return (
    <div className="panel" data-testid="security-panel">
      <div className="panel-head">
        <h3>{t('security')}</h3>
        {data && data.ltv !== null && (
          <span className="muted small">
            {t('borrowerLtv')} {percent(data.ltv)} · {t('eligibleValue')} {yuan(data.eligible)} · {t('guarantees')} {yuan(data.guaranteed)}
          </span>
        )}
      </div>
      {security.error && <p className="error">{security.error}</p>}
      {data && <LineSecurityTable lines={data.lines} />}
      <h4>{t('collateral')}</h4>
      <DataTable
        testId="collateral-list"
        rows={data?.collateral ?? []}
        rowKey={(c) => c.id}
        empty={data && data.guarantees.length > 0 ? t('empty') : t('noSecurity')}
        columns={[
          { header: t('collateralType'), cell: (c) => codeText(i18n, 'collateralType', c.type) },
          { header: t('collateralIdentifier'), cellClassName: 'mono', cell: (c) => c.identifier },
          { header: t('collateralOwner'), cell: (c) => `${codeText(i18n, 'collateralOwner', c.owner)} · ${c.ownerName}` },
          { header: t('latestValue'), className: 'num', cell: (c) => (c.latestValuation ? `${yuan(c.latestValuation.value)} (${c.latestValuation.valuedOn})` : '—') },
          { header: t('eligibleValue'), className: 'num', cell: (c) => (c.latestValuation ? `${yuan(c.latestValuation.eligible)} · ${t('haircut')} ${percent(c.latestValuation.haircut)}` : '—') },
          { header: t('registration'), cell: (c) => (c.registration ? `${c.registration.authority} ${c.registration.number} #${c.registration.rank}` : '—') },
          { header: t('collateralStatus'), cell: (c) => codeText(i18n, 'collateralStatus', c.status) },
          { header: '', cell: (c) => <CollateralActions item={c} lines={data?.lines ?? []} onDone={security.reload} /> },
        ]}
      />
      <form className="form-grid" onSubmit={addCollateral} data-testid="collateral-form">
        <label>
          {t('collateralType')}
          <select name="type" value={draft.type} onChange={(event) => setDraft({ ...draft, type: event.target.value as CollateralType })}>
            {COLLATERAL_TYPE_LIST.map((type) => <option key={type} value={type}>{codeText(i18n, 'collateralType', type)}</option>)}
          </select>
        </label>
        <label>
          {t('collateralOwner')}
          <select name="owner" value={draft.owner} onChange={(event) => setDraft({ ...draft, owner: event.target.value as 'borrower' | 'third-party' })}>
            <option value="borrower">{codeText(i18n, 'collateralOwner', 'borrower')}</option>
            <option value="third-party">{codeText(i18n, 'collateralOwner', 'third-party')}</option>
          </select>
        </label>
        <label>{t('collateralOwnerName')}<input name="ownerName" value={draft.ownerName} onChange={(event) => setDraft({ ...draft, ownerName: event.target.value })} /></label>
        <label>{t('collateralDescription')}<input name="description" value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} /></label>
        <label>{t('collateralIdentifier')}<input name="identifier" value={draft.identifier} onChange={(event) => setDraft({ ...draft, identifier: event.target.value })} /></label>
        <button type="submit" className="primary" disabled={busy}>{t('addCollateral')}</button>
      </form>

      <h4>{t('guarantees')}</h4>
      <DataTable
        testId="guarantee-list"
        rows={data?.guarantees ?? []}
        rowKey={(g) => g.id}
        empty={t('empty')}
        columns={[
          { header: t('guarantor'), cell: (g) => guarantorById.get(g.guarantorId)?.guarantor.name ?? '—' },
          { header: t('guarantorCheck'), cell: (g) => <StandingBadge standing={guarantorById.get(g.guarantorId)} /> },
          { header: t('guaranteeType'), cell: (g) => codeText(i18n, 'guaranteeType', g.type) },
          { header: t('guaranteeAmount'), className: 'num', cell: (g) => yuan(g.amount) },
          { header: t('guaranteePeriod'), cell: (g) => `${g.startOn} – ${g.endOn}` },
          { header: t('collateralStatus'), cell: (g) => codeText(i18n, 'guaranteeStatus', g.status) },
          { header: '', cell: (g) => (g.status === 'held' ? <ReleaseRequest what="guarantee" id={g.id} onDone={security.reload} /> : null) },
        ]}
      />
      {data && data.guarantors.length > 0 && <GuarantorsTable guarantors={data.guarantors} onDone={security.reload} />}
      <form className="form-grid" onSubmit={addGuaranteeNow} data-testid="guarantee-form">
        <label>
          {t('guarantorKind')}
          <select name="kind" value={guarantee.kind} onChange={(event) => setGuarantee({ ...guarantee, kind: event.target.value as 'company' | 'person' })}>
            <option value="company">{codeText(i18n, 'guarantorKind', 'company')}</option>
            <option value="person">{codeText(i18n, 'guarantorKind', 'person')}</option>
          </select>
        </label>
        <label>{t('guarantorName')}<input name="guarantorName" value={guarantee.name} onChange={(event) => setGuarantee({ ...guarantee, name: event.target.value })} /></label>
        <label>{guarantee.kind === 'company' ? t('guarantorCreditCode') : t('guarantorIdNumber')}<input name="code" className="mono" value={guarantee.code} onChange={(event) => setGuarantee({ ...guarantee, code: event.target.value })} /></label>
        {guarantee.kind === 'company' && (
          <>
            <label>{t('exposureCap')}<input name="cap" inputMode="decimal" value={guarantee.cap} onChange={(event) => setGuarantee({ ...guarantee, cap: event.target.value })} /></label>
            <label>{t('marginRatio')}<input name="margin" inputMode="numeric" value={guarantee.margin} onChange={(event) => setGuarantee({ ...guarantee, margin: event.target.value })} /></label>
            <label>{t('rating')}<input name="rating" value={guarantee.rating} onChange={(event) => setGuarantee({ ...guarantee, rating: event.target.value })} /></label>
          </>
        )}
        <label>
          {t('guaranteeType')}
          <select name="guaranteeType" value={guarantee.type} onChange={(event) => setGuarantee({ ...guarantee, type: event.target.value as 'joint-and-several' | 'general' })}>
            <option value="joint-and-several">{codeText(i18n, 'guaranteeType', 'joint-and-several')}</option>
            <option value="general">{codeText(i18n, 'guaranteeType', 'general')}</option>
          </select>
        </label>
        <label>{t('guaranteeAmount')}<input name="amount" inputMode="decimal" value={guarantee.amount} onChange={(event) => setGuarantee({ ...guarantee, amount: event.target.value })} /></label>
        <label>{t('guaranteePeriod')}<input name="startOn" type="date" value={guarantee.startOn} onChange={(event) => setGuarantee({ ...guarantee, startOn: event.target.value })} /></label>
        <label>&nbsp;<input name="endOn" type="date" value={guarantee.endOn} onChange={(event) => setGuarantee({ ...guarantee, endOn: event.target.value })} /></label>
        <label>
          {t('allocate')}
          <select name="guaranteeLine" value={guarantee.lineId} onChange={(event) => setGuarantee({ ...guarantee, lineId: event.target.value })}>
            <option value="">—</option>
            {(data?.lines ?? []).map((line) => <option key={line.lineId} value={line.lineId}>{productOf(line.productCode)} {yuan(line.credit)}</option>)}
          </select>
        </label>
        <button type="submit" className="primary" disabled={busy}>{t('addGuarantee')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** Record a valuation, the pledge registration, or an allocation to a line, for one piece. */
function CollateralActions({ item, lines, onDone }: { readonly item: CollateralItem; readonly lines: readonly LineSecurity[]; readonly onDone: () => void }) {
  const i18n = useI18n();
  const productOf = useProductNames();
  const { t } = i18n;
  const { busy, error, run } = useAction();
  const [open, setOpen] = useState<'value' | 'register' | 'allocate' | null>(null);
  const [value, setValue] = useState({ value: '', method: 'appraisal' as ValuationMethod, appraiser: '' });
  const [registration, setRegistration] = useState({ authority: '', number: '', registeredOn: '', rank: '1' });
  const [allocation, setAllocation] = useState({ lineId: lines[0]?.lineId ?? '', allocated: item.latestValuation?.eligible ?? '' });
  if (item.status === 'released') return null;
  const done = () => {
    setOpen(null);
    onDone();
  };
  return (
    <div className="actions">
      <button type="button" className="link-button" onClick={() => setOpen('value')}>{t('uploadValuation')}</button>
      {item.status === 'pending' && <button type="button" className="link-button" onClick={() => setOpen('register')}>{t('recordRegistration')}</button>}
      {lines.length > 0 && item.latestValuation && <button type="button" className="link-button" onClick={() => setOpen('allocate')}>{t('allocate')}</button>}
      {item.status === 'registered' && <ReleaseRequest what="collateral" id={item.id} onDone={onDone} />}
      {open === 'value' && (
        <form className="inline-form" onSubmit={(event) => { event.preventDefault(); void run(async () => { await valueCollateral(item.id, value); done(); }); }}>
          <input name="value" aria-label={t('value')} placeholder={t('value')} inputMode="decimal" value={value.value} onChange={(event) => setValue({ ...value, value: event.target.value })} />
          <select name="method" aria-label={t('valuationMethod')} value={value.method} onChange={(event) => setValue({ ...value, method: event.target.value as ValuationMethod })}>
            {VALUATION_METHOD_LIST.map((method) => <option key={method} value={method}>{codeText(i18n, 'valuationMethod', method)}</option>)}
          </select>
          <input name="appraiser" aria-label={t('appraiser')} placeholder={t('appraiser')} value={value.appraiser} onChange={(event) => setValue({ ...value, appraiser: event.target.value })} />
          <button type="submit" className="primary" disabled={busy}>{t('save')}</button>
        </form>
      )}
      {open === 'register' && (
        <form className="inline-form" onSubmit={(event) => { event.preventDefault(); void run(async () => { await registerPledge(item.id, { ...registration, rank: Number(registration.rank) }); done(); }); }}>
          <input name="authority" aria-label={t('registrationAuthority')} placeholder={t('registrationAuthority')} value={registration.authority} onChange={(event) => setRegistration({ ...registration, authority: event.target.value })} />
          <input name="number" aria-label={t('registrationNumber')} placeholder={t('registrationNumber')} value={registration.number} onChange={(event) => setRegistration({ ...registration, number: event.target.value })} />
          <input name="registeredOn" type="date" aria-label={t('registeredOnDate')} value={registration.registeredOn} onChange={(event) => setRegistration({ ...registration, registeredOn: event.target.value })} />
          <input name="rank" aria-label={t('rank')} inputMode="numeric" value={registration.rank} onChange={(event) => setRegistration({ ...registration, rank: event.target.value })} />
          <button type="submit" className="primary" disabled={busy}>{t('save')}</button>
        </form>
      )}
      {open === 'allocate' && (
        <form className="inline-form" onSubmit={(event) => { event.preventDefault(); void run(async () => { await linkCollateral(item.id, allocation.lineId, allocation.allocated); done(); }); }}>
          <select name="lineId" aria-label={t('allocate')} value={allocation.lineId} onChange={(event) => setAllocation({ ...allocation, lineId: event.target.value })}>
            {lines.map((line) => <option key={line.lineId} value={line.lineId}>{productOf(line.productCode)} {yuan(line.credit)}</option>)}
          </select>
          <input name="allocated" aria-label={t('allocated')} inputMode="decimal" value={allocation.allocated} onChange={(event) => setAllocation({ ...allocation, allocated: event.target.value })} />
          <button type="submit" className="primary" disabled={busy}>{t('save')}</button>
        </form>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** The borrower's "what secures my line"; `staff`: the same card on the staff line page, titled for staff. */
export function LineSecurityCard({ lineId, staff = false }: { readonly lineId: string; readonly staff?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const view = useApi(() => lineSecurity(lineId), [lineId]);
  if (!view.data) return view.error ? <p className="error">{view.error}</p> : null;
  const line = view.data;
  const none = line.collateral.length === 0 && line.guarantees.length === 0;
  return (
    <div className="panel" data-testid="line-security-card">
      <h3>{t(staff ? 'securityOfLineStaff' : 'securityOfLine')}</h3>
      {none ? (
        <p className="muted">{t('noSecurity')}</p>
      ) : (
        <>
          <ul className="plain">
            {line.collateral.map((c) => (
              <li key={c.collateralId}>
                {codeText(i18n, 'collateralType', c.type)} <span className="mono small">{c.identifier}</span> — {t('latestValue')} {yuan(c.value)}, {t('allocated')} {yuan(c.effective)}
              </li>
            ))}
            {line.guarantees.map((g) => (
              <li key={g.guaranteeId}>
                {t('guarantor')} {g.guarantorName} · {codeText(i18n, 'guaranteeType', g.type)} {yuan(g.amount)} ({codeText(i18n, 'guaranteeStatus', g.status)}, → {g.endOn})
              </li>
            ))}
          </ul>
          <p>
            {t('ltv')}: <LtvBadge view={line} />
          </p>
        </>
      )}
    </div>
  );
}

/** Management: the book's balance by security. */
export function SecuritySplitPanel() {
  const { t } = useI18n();
  const split = useApi(() => securitySplit(), []);
  if (!split.data) return split.error ? <p className="error">{split.error}</p> : null;
  const parts = [
    ['secured', split.data.secured],
    ['guaranteed', split.data.guaranteed],
    ['pureCredit', split.data.pureCredit],
  ] as const;
  const total = parts.reduce((sum, [, part]) => sum + Number(part.balance), 0);
  return (
    <div className="panel" data-testid="security-split">
      <h3>{t('bookBySecurity')}</h3>
      <div className="kpis three">
        {parts.map(([key, part]) => (
          <div className="kpi" key={key}>
            <span className="kpi-label">{t(key)}</span>
            <span className="kpi-value" data-testid={`split-${key}`}>{yuan(part.balance)}</span>
            <span className="muted small">
              {part.loans} · {total > 0 ? `${((Number(part.balance) / total) * 100).toFixed(1)}%` : '—'}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}

/** Ask for a release (解押 / 解除保证) under maker-checker: a reason, what will happen, a confirmation with its own key. */
function ReleaseRequest({ what, id, onDone }: { readonly what: 'guarantee' | 'collateral'; readonly id: string; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, error, run } = useAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const label = what === 'guarantee' ? t('requestGuaranteeRelease') : t('requestCollateralRelease');
  const confirm = () =>
    run(async () => {
      if (pending === null) return;
      await (what === 'guarantee' ? requestGuaranteeRelease(id, reason.trim(), pending) : requestCollateralRelease(id, reason.trim(), pending));
      setPending(null);
      setOpen(false);
      setSent(true);
      onDone();
    });
  if (sent) return <span className="ok small" data-testid={`release-requested-${what}`}>{t('releaseRequested')}</span>;
  if (!open) return <button type="button" className="link-button" onClick={() => setOpen(true)} data-testid={`release-${what}`}>{label}</button>;
  return (
    <div className="inline-form" data-testid={`release-form-${what}`}>
      <input name="releaseReason" aria-label={t('releaseReason')} placeholder={t('releaseReason')} value={reason} disabled={pending !== null} onChange={(event) => setReason(event.target.value)} />
      {pending === null ? (
        <>
          <button type="button" className="primary" disabled={busy || reason.trim().length < 2} onClick={() => setPending(idempotencyKey())}>{t('review')}</button>
          <button type="button" className="secondary" onClick={() => setOpen(false)}>{t('cancel')}</button>
        </>
      ) : (
        <div className="confirm" data-testid={`release-confirmation-${what}`}>
          <strong>{t('confirmTitle')}</strong>
          <p className="small">{label}{punctuationOf(i18n).colon}{reason.trim()}</p>
          <p className="small">{t('releaseWhatHappens')}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void confirm()} data-testid={`confirm-release-${what}`}>{t('confirmReleaseRequest')}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setPending(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** The held guarantees that cover one loan, each with its call (the staff loan page). */
export function GuaranteeCallPanel({ loan, onDone }: { readonly loan: LoanDetail; readonly onDone: () => void }) {
  const { t } = useI18n();
  const security = useApi(() => enterpriseSecurity(loan.enterpriseId), [loan.enterpriseId]);
  const covering = (security.data?.guarantees ?? []).filter((g) => g.status === 'held' && (g.lineId === null || g.lineId === loan.lineId));
  if (security.error) return <p className="error">{security.error}</p>;
  return (
    <div data-testid="guarantee-calls">
      <p className="muted small">{t('callGuaranteeIntro')}</p>
      {security.data && covering.length === 0 && <p className="muted small">{t('noGuaranteeToCall')}</p>}
      {covering.map((g) => (
        <GuaranteeCall
          key={g.id}
          guarantee={g}
          loan={loan}
          onDone={() => {
            security.reload();
            onDone();
          }}
        />
      ))}
    </div>
  );
}

type GuaranteeRow = EnterpriseSecurity['guarantees'][number];

/** One call: amount paid → what will move (server's preview of the allocation) → confirm (one key) → the posting. */
function GuaranteeCall({ guarantee, loan, onDone }: { readonly guarantee: GuaranteeRow; readonly loan: LoanDetail; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, error, run } = useAction();
  const [amount, setAmount] = useState('');
  const [exhausted, setExhausted] = useState(false);
  const [pending, setPending] = useState<{ amount: string; key: string; preview: RepaymentPreview } | null>(null);
  const [done, setDone] = useState<GuaranteeCallResult | null>(null);
  const payoff = toFen(loan.balances.payoff);
  const cover = toFen(guarantee.amount);
  const claim = payoff < cover ? payoff : cover;
  const fen = toFen(amount);
  const review = () =>
    run(async () => {
      const preview = await repaymentPreview(loan.id, fenText(fen));
      setDone(null);
      setPending({ amount: fenText(fen), key: idempotencyKey(), preview });
    });
  const confirm = () =>
    run(async () => {
      if (!pending) return;
      const result = await callGuarantee(guarantee.id, { loanId: loan.id, recovered: pending.amount, ...(guarantee.type === 'general' ? { enforcementExhausted: exhausted } : {}) }, pending.key);
      setDone(result);
      setPending(null);
      setAmount('');
      onDone();
    });
  const a = pending?.preview.allocation;
  return (
    <div className="panel" data-testid="guarantee-call">
      <p>
        <strong>{codeText(i18n, 'guaranteeType', guarantee.type)}</strong> {yuan(guarantee.amount)} · {guarantee.startOn} – {guarantee.endOn} · {t('claimAmount')} <span data-testid="claim">{yuan(fenText(claim))}</span>
      </p>
      <div className="form-grid">
        <label>
          {t('recoveredAmount')}
          <input name="recovered" inputMode="decimal" value={amount} disabled={pending !== null} onChange={(event) => setAmount(event.target.value)} />
        </label>
        {guarantee.type === 'general' && (
          <label className="check">
            <input type="checkbox" name="enforcementExhausted" checked={exhausted} disabled={pending !== null} onChange={(event) => setExhausted(event.target.checked)} />
            {t('enforcementExhausted')}
          </label>
        )}
      </div>
      {pending === null ? (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || fen <= 0n || fen > claim || loan.status !== 'active'} onClick={() => void review()} data-testid="review-call">{t('review')}</button>
        </div>
      ) : (
        a && (
          <div className="confirm" data-testid="call-confirmation">
            <strong>{t('confirmTitle')}</strong>
            <dl>
              <dt>{t('guarantorPays')}</dt>
              <dd data-testid="call-amount">{yuan(pending.amount)}</dd>
              <dt>{t('loanPenaltyReduced')}</dt>
              <dd data-testid="call-penalty">{yuan(a.penalty)}</dd>
              <dt>{t('loanInterestReduced')}</dt>
              <dd data-testid="call-interest">{yuan(fenText(toFen(a.interestDue) + toFen(a.interestAccrued)))}</dd>
              <dt>{t('loanPrincipalReduced')}</dt>
              <dd data-testid="call-principal">{yuan(fenText(toFen(a.principalDue) + toFen(a.principalNotDue)))}</dd>
              <dt>{t('payoffAfter')}</dt>
              <dd data-testid="call-payoff-after">{yuan(pending.preview.after.payoff)}{pending.preview.loanStatusAfter === 'closed' && ` · ${t('loanWillClose')}`}</dd>
            </dl>
            <p className="muted small">{t('guaranteeAfterCall')}</p>
            <div className="actions">
              <button type="button" className="primary" disabled={busy} onClick={() => void confirm()} data-testid="confirm-call">{t('confirmCall')}</button>
              <button type="button" className="secondary" disabled={busy} onClick={() => setPending(null)}>{t('cancel')}</button>
            </div>
          </div>
        )
      )}
      {done && (
        <p className="ok" data-testid="call-result">
          {t('callRecorded')} · {t('claimAmount')} {yuan(done.claimed)} · {t('guarantorPays')} {yuan(done.recovered)}{punctuationOf(i18n).colon}{t('loanPenaltyReduced')} {yuan(done.toPenalty)}{punctuationOf(i18n).comma}{t('loanInterestReduced')} {yuan(done.toInterest)}{punctuationOf(i18n).comma}{t('loanPrincipalReduced')} {yuan(done.toPrincipal)}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** A guarantor's standing in words, with the day of its latest check. */
function StandingBadge({ standing }: { readonly standing: GuarantorStanding | undefined }) {
  const i18n = useI18n();
  if (standing === undefined) return <span className="muted">—</span>;
  const code = standing.guarantor.standing;
  const tone = code === 'clear' ? 'badge normal' : code === 'adverse' ? 'badge substandard' : 'badge special-mention';
  return (
    <span className={tone} data-testid="guarantor-standing">
      {codeText(i18n, 'guarantorStanding', code)}
      {standing.guarantor.checkedOn ? ` · ${standing.guarantor.checkedOn}` : ''}
    </span>
  );
}

/** What a guarantor's latest check found, in words. */
function findingsText(i18n: I18n, standing: GuarantorStanding): string {
  const check = standing.latestCheck;
  if (check === null) return '—';
  const parts: string[] = [];
  if (check.dishonestDebtor) parts.push(i18n.t('findingDishonest'));
  if (check.lawsuitsAsDefendant > 0) parts.push(fill(i18n.t('findingLawsuits'), { n: check.lawsuitsAsDefendant }));
  return parts.length === 0 ? i18n.t('findingsNone') : parts.join('；');
}

/** The borrower's guarantors: standing, findings, cap used, authorisation, and the buttons to record an authorisation and to check. */
function GuarantorsTable({ guarantors, onDone }: { readonly guarantors: readonly GuarantorStanding[]; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div data-testid="guarantor-list">
      <h4>{t('standing')}</h4>
      <p className="muted small">{t('countingRule')}</p>
      <DataTable
        testId="guarantor-table"
        cards
        rows={[...guarantors]}
        rowKey={(g) => g.guarantor.id}
        empty={t('empty')}
        columns={[
          { header: t('guarantor'), cell: (g) => <>{g.guarantor.name}<br /><span className="muted small">{codeText(i18n, 'guarantorKind', g.guarantor.kind)} · <span className="mono">{g.guarantor.creditCode ?? g.guarantor.idNumber}</span></span></> },
          { header: t('guarantorCheck'), cell: (g) => <StandingBadge standing={g} /> },
          { header: t('findings'), cell: (g) => <span data-testid="guarantor-findings">{findingsText(i18n, g)}</span> },
          {
            header: t('capUsed'),
            className: 'num',
            cell: (g) => (g.guarantor.exposureCap === null ? '—' : <span data-testid="guarantor-cap">{yuan(g.guaranteed)} / {yuan(g.guarantor.exposureCap)}{g.capUsed ? ` · ${percent(g.capUsed)}` : ''}</span>),
          },
          { header: t('authorisedUntil'), cell: (g) => g.authorisedUntil ?? <span className="muted">{t('notAuthorised')}</span> },
          { header: '', label: t('guarantorActions'), cell: (g) => <GuarantorActions standing={g} onDone={onDone} /> },
        ]}
      />
    </div>
  );
}

const addDaysIso = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Record the guarantor's own authorisation, or check the guarantor: each shows what will happen and asks to confirm. */
function GuarantorActions({ standing, onDone }: { readonly standing: GuarantorStanding; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { busy, error, run } = useAction();
  const kind = standing.guarantor.kind;
  const allowed = kind === 'company' ? (['tax', 'registration', 'courts'] as const) : (['courts'] as const);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const [open, setOpen] = useState<'authorise' | 'check' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [grant, setGrant] = useState({ sources: [...allowed] as string[], grantedOn: today, expiresOn: addDaysIso(addDaysIso(today, 365), -1), evidence: '' });
  const [done, setDone] = useState<string | null>(null);
  const close = () => {
    setOpen(null);
    setConfirming(false);
  };
  const authorise = () =>
    run(async () => {
      await grantGuarantorAuthorisation(standing.guarantor.id, { sources: grant.sources as never, grantedOn: grant.grantedOn, expiresOn: grant.expiresOn, evidence: grant.evidence.trim() });
      close();
      setDone(t('authorisationRecorded'));
      onDone();
    });
  const check = () =>
    run(async () => {
      const result = await checkGuarantor(standing.guarantor.id);
      close();
      setDone(`${t('checkRecorded')}${punctuationOf(i18n).colon}${codeText(i18n, 'guarantorStanding', result.standing)}`);
      onDone();
    });
  return (
    <div className="actions" data-testid="guarantor-actions">
      {open === null && (
        <>
          <button type="button" className="link-button" onClick={() => { setDone(null); setOpen('authorise'); }} data-testid="authorise-guarantor">{t('recordAuthorisation')}</button>
          <button type="button" className="link-button" onClick={() => { setDone(null); setOpen('check'); }} data-testid="check-guarantor">{t('runCheck')}</button>
        </>
      )}
      {open === 'authorise' && (
        <div className="inline-form" data-testid="authorisation-form">
          {kind === 'company' ? (
            <fieldset className="plain">
              <legend className="small">{t('authorisationSources')}</legend>
              {allowed.map((source) => (
                <label key={source} className="check">
                  <input
                    type="checkbox"
                    name={`source-${source}`}
                    checked={grant.sources.includes(source)}
                    disabled={confirming}
                    onChange={(event) => setGrant({ ...grant, sources: event.target.checked ? [...grant.sources, source] : grant.sources.filter((s) => s !== source) })}
                  />
                  {codeText(i18n, 'dataSource', source)}
                </label>
              ))}
            </fieldset>
          ) : (
            <p className="muted small">{t('authorisationPersonSources')}</p>
          )}
          <label className="small">{t('grantedOn')}<input name="grantedOn" type="date" value={grant.grantedOn} disabled={confirming} onChange={(event) => setGrant({ ...grant, grantedOn: event.target.value })} /></label>
          <label className="small">{t('expiresOn')}<input name="expiresOn" type="date" value={grant.expiresOn} disabled={confirming} onChange={(event) => setGrant({ ...grant, expiresOn: event.target.value })} /></label>
          <label className="small">{t('authorisationEvidence')}<input name="evidence" value={grant.evidence} disabled={confirming} onChange={(event) => setGrant({ ...grant, evidence: event.target.value })} /></label>
          {!confirming ? (
            <div className="actions">
              <button type="button" className="primary" disabled={busy || grant.sources.length === 0 || grant.evidence.trim().length < 1} onClick={() => setConfirming(true)} data-testid="review-authorisation">{t('review')}</button>
              <button type="button" className="secondary" onClick={close}>{t('cancel')}</button>
            </div>
          ) : (
            <div className="confirm" data-testid="authorisation-confirmation">
              <strong>{t('confirmTitle')}</strong>
              <p className="small">
                {standing.guarantor.name}{punctuationOf(i18n).colon}{listText(i18n, grant.sources.map((source) => codeText(i18n, 'dataSource', source)))} · {grant.grantedOn} – {grant.expiresOn} · {grant.evidence.trim()}
              </p>
              <p className="small">{t('authorisationWhatHappens')}</p>
              <div className="actions">
                <button type="button" className="primary" disabled={busy} onClick={() => void authorise()} data-testid="confirm-authorisation">{t('confirmAuthorisation')}</button>
                <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>{t('cancel')}</button>
              </div>
            </div>
          )}
        </div>
      )}
      {open === 'check' && (
        <div className="confirm" data-testid="check-confirmation">
          <strong>{t('confirmTitle')}</strong>
          <p className="small">{t('runCheck')}{punctuationOf(i18n).colon}{standing.guarantor.name}</p>
          <p className="small">{kind === 'company' ? t('checkWhatHappensCompany') : t('checkWhatHappensPerson')}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void check()} data-testid="confirm-check">{t('confirmCheck')}</button>
            <button type="button" className="secondary" disabled={busy} onClick={close}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {done && <span className="ok small" data-testid="guarantor-action-done">{done}</span>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
