/**
 * The officer console of supply-chain finance (供应链金融): every core enterprise's programme with
 * its limit, usage, headroom, overdue financing and certificates outstanding
 * (GET /v1/supply-chain/programmes); the balance by core enterprise and tier
 * (GET /v1/supply-chain/balance); one programme's terms, concentration limits, invited suppliers
 * and receivables; and, for the makers of `scf.programme`, a new programme proposed under
 * maker-checker — a second person confirms it in the review queue's confirmations.
 */
import { useState } from 'react';
import type { User } from '../api';
import { fenText, toFen } from '../api-book';
import { searchEnterprises, type EnterpriseRow } from '../api-portal';
import {
  certificateChain, coreProgrammes, previewProgrammeChange, programmes, proposeProgramme, proposeProgrammeChange, receivableCertificates, receivables, resumeProgramme, supplyChainBalance, suspendProgramme,
  type NewProgramme, type ProgrammeChange, type ProgrammeChangePreview, type ProgrammeOverview, type Receivable,
} from '../api-supply-chain';
import { DataTable } from '../components/DataTable';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { DATE_INPUT, scfText, TierBalanceTable } from './supply-chain-parts';
import { Fact, Kpi } from '../components/Kpi';

/** Who proposes a programme (SCF_PROGRAMME.makers). */
const PROGRAMME_MAKERS: readonly User['role'][] = ['risk-officer', 'admin'];

export function SupplyChainPage({ user }: { readonly user: User }) {
  const i18n = useI18n();
  const { t } = i18n;
  const list = useApi(() => programmes(), []);
  const balance = useApi(() => supplyChainBalance(), []);
  const [chosen, setChosen] = useState<string | null>(null);
  if (list.error) return <p className="error" role="alert">{list.error}</p>;
  if (!list.data) return <p className="muted">{t('loading')}</p>;
  const items = list.data.items;
  const total = (pick: (o: ProgrammeOverview) => string) => yuan(fenText(items.reduce((sum, o) => sum + toFen(pick(o)), 0n)));
  const current = items.find((o) => o.programme.id === chosen) ?? null;
  return (
    <>
      <div className="page-title">
        <h2>{t('scfConsole')}</h2>
      </div>
      <div className="kpis fit" data-testid="scf-kpis">
        <Kpi label={t('scfLimit')} value={total((o) => o.limit)} testId="scf-total-limit" />
        <Kpi label={t('scfUsed')} value={total((o) => o.used)} testId="scf-total-used" />
        <Kpi label={t('scfHeadroom')} value={total((o) => o.headroom)} testId="scf-total-headroom" />
        <Kpi label={t('scfOverdue')} value={total((o) => o.overdue)} testId="scf-total-overdue" />
        <Kpi label={t('scfCertificatesOutstanding')} value={total((o) => o.certificatesOutstanding)} testId="scf-total-certificates" />
      </div>
      <div className="panel">
        <h3>{t('scfProgrammes')}</h3>
        <DataTable
          testId="scf-programmes"
          cards
          rows={items}
          rowKey={(o) => o.programme.id}
          rowData={(o) => ({ 'data-core': o.coreEnterpriseName })}
          empty={t('empty')}
          columns={[
            { header: t('scfCoreEnterprise'), cell: (o) => o.coreEnterpriseName },
            { header: t('scfLimit'), className: 'num', cell: (o) => yuan(o.limit) },
            { header: t('scfUsed'), className: 'num', cell: (o) => <span data-field="used">{yuan(o.used)}</span> },
            { header: t('scfHeadroom'), className: 'num', cell: (o) => <span data-field="headroom">{yuan(o.headroom)}</span> },
            { header: t('scfOverdue'), className: 'num', cell: (o) => <span data-field="overdue" className={o.overdue === '0.00' ? '' : 'error'}>{yuan(o.overdue)}</span> },
            { header: t('scfCertificatesOutstanding'), className: 'num', cell: (o) => <span data-field="certificates">{yuan(o.certificatesOutstanding)}</span> },
            { header: t('scfValidity'), cell: (o) => `${o.programme.startsOn} – ${o.programme.endsOn}` },
            {
              header: '',
              cell: (o) => (
                <button type="button" className="secondary" onClick={() => setChosen(o.programme.id === chosen ? null : o.programme.id)} data-testid="scf-open-programme">
                  {o.programme.id === chosen ? t('close') : t('scfDetails')}
                </button>
              ),
            },
          ]}
        />
      </div>
      {current && <ProgrammeDetail key={current.programme.id} overview={current} />}
      {current && PROGRAMME_MAKERS.includes(user.role) && <ProgrammeManagement key={`manage-${current.programme.id}`} overview={current} onChanged={list.reload} />}
      <div className="panel" data-testid="scf-balance">
        <h3>{t('scfByCoreAndTier')}</h3>
        {balance.error && <p className="error" role="alert">{balance.error}</p>}
        {balance.data && <TierBalanceTable rows={balance.data.items} />}
      </div>
      {PROGRAMME_MAKERS.includes(user.role) && <ProgrammeForm />}
    </>
  );
}


/** One programme: its terms and concentration limits, the suppliers invited, the receivables on the core enterprise. */
function ProgrammeDetail({ overview }: { readonly overview: ProgrammeOverview }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = overview.programme;
  const detail = useApi(() => coreProgrammes(p.coreEnterpriseId), [p.coreEnterpriseId]);
  const list = useApi(() => receivables(p.coreEnterpriseId), [p.coreEnterpriseId]);
  const suppliers = detail.data?.items.find((item) => item.programme.id === p.id)?.suppliers ?? [];
  const [traced, setTraced] = useState<Receivable | null>(null);
  return (
    <div className="panel" data-testid="scf-programme-detail">
      <h3>{overview.coreEnterpriseName}</h3>
      <dl className="facts">
        <Fact label={t('scfPrice')} value={`LPR ${scfText(i18n, 'tenor', p.lprTenor)} + ${p.spread}%`} />
        <Fact label={t('scfAdvanceRate')} value={percent(p.advanceRate)} />
        <Fact label={t('scfMaxTenor')} value={`${p.maxTenorDays} ${t('scfDays')}`} />
        <Fact label={t('scfInterestPayer')} value={scfText(i18n, 'payer', p.interestPayer)} />
        <Fact label={t('scfInterestTiming')} value={scfText(i18n, 'timing', p.interestTiming)} />
        <Fact label={t('scfLimitPerCore')} value={yuan(p.limit)} />
        <Fact label={t('scfLimitPerSupplier')} value={yuan(p.supplierLimit)} />
        <Fact label={t('scfLimitPerIndustry')} value={yuan(p.industryLimit)} />
        <Fact label={t('scfPenaltyMultiplier')} value={`× ${p.penaltyMultiplier}`} />
        <Fact label={t('scfValidity')} value={`${p.startsOn} – ${p.endsOn}`} />
        <Fact label={t('status')} value={scfText(i18n, 'programme', p.status)} testId="scf-programme-status" />
        {p.suspendedReason !== null && <Fact label={t('scfSuspendedBecause')} value={p.suspendedReason} testId="scf-suspended-reason" />}
      </dl>
      <h4>{t('scfSuppliers')}</h4>
      <DataTable
        testId="scf-suppliers"
        rows={suppliers}
        rowKey={(s) => s.enterpriseId}
        empty={t('empty')}
        columns={[
          { header: t('scfSupplier'), cell: (s) => s.name },
          { header: t('scfCreditCode'), cellClassName: 'mono small', cell: (s) => s.creditCode ?? '—' },
          { header: t('scfFinancedOutstanding'), className: 'num', cell: (s) => yuan(s.financed) },
          { header: t('scfLimitLeft'), className: 'num', cell: (s) => yuan(fenText(toFen(p.supplierLimit) - toFen(s.financed))) },
        ]}
      />
      <h4>{t('scfReceivables')}</h4>
      {list.error && <p className="error" role="alert">{list.error}</p>}
      <DataTable
        testId="scf-receivables"
        cards
        rows={list.data?.items ?? []}
        rowKey={(r) => r.id}
        empty={list.data ? t('empty') : t('loading')}
        columns={[
          { header: t('scfInvoice'), cellClassName: 'mono small', cell: (r) => r.invoiceNo },
          { header: t('scfSupplier'), cell: (r) => r.sellerName },
          { header: t('scfAmount'), className: 'num', cell: (r) => yuan(r.amount) },
          { header: t('scfConfirmedAmount'), className: 'num', cell: (r) => (r.confirmedAmount === null ? '—' : yuan(r.confirmedAmount)) },
          { header: t('scfFinanced'), className: 'num', cell: (r) => yuan(r.financed) },
          { header: t('scfDueOn'), cell: (r) => r.dueOn },
          { header: t('status'), cell: (r) => scfText(i18n, 'receivable', r.status) },
          {
            header: '',
            cell: (r) =>
              r.confirmedAmount === null ? null : (
                <button type="button" className="secondary" onClick={() => setTraced(traced?.id === r.id ? null : r)} data-testid="scf-trace">
                  {traced?.id === r.id ? t('close') : t('scfChain')}
                </button>
              ),
          },
        ]}
        rowData={(r) => ({ 'data-invoice': r.invoiceNo })}
      />
      {traced && <CertificateTree key={traced.id} receivable={traced} />}
    </div>
  );
}

/**
 * The certificates made from one confirmed receivable, depth first (every split and transfer), and
 * for the one picked its chain of holders from the confirmation, root first (GET …/chain).
 */
function CertificateTree({ receivable }: { readonly receivable: Receivable }) {
  const i18n = useI18n();
  const { t } = i18n;
  const tree = useApi(() => receivableCertificates(receivable.id), [receivable.id]);
  const [picked, setPicked] = useState<string | null>(null);
  const chain = useApi(() => (picked === null ? Promise.resolve(null) : certificateChain(picked)), [picked]);
  const tier = (n: number) => `${t('scfTierPrefix')}${n}${t('scfTierSuffix')}`;
  if (tree.error) return <p className="error" role="alert">{tree.error}</p>;
  if (!tree.data) return <p className="muted">{t('loading')}</p>;
  return (
    <div className="confirm-box" data-testid="scf-certificate-tree">
      <h4>
        {t('scfTreeOf')} · <span className="mono small">{receivable.invoiceNo}</span>
      </h4>
      <DataTable
        testId="scf-tree"
        cards
        rows={tree.data.items}
        rowKey={(c) => c.id}
        rowData={(c) => ({ 'data-certificate': c.id, 'data-status': c.status })}
        empty={t('empty')}
        columns={[
          { header: t('scfTier'), className: 'num', cell: (c) => tier(c.tier) },
          { header: t('scfHolder'), cell: (c) => c.holderName },
          { header: t('scfFace'), className: 'num', cell: (c) => yuan(c.faceAmount) },
          { header: t('status'), cell: (c) => scfText(i18n, 'certificate', c.status) },
          {
            header: '',
            cell: (c) => (
              <button type="button" className="secondary" onClick={() => setPicked(c.id === picked ? null : c.id)} data-testid="scf-chain-open">
                {c.id === picked ? t('close') : t('scfChain')}
              </button>
            ),
          },
        ]}
      />
      {chain.error && <p className="error" role="alert">{chain.error}</p>}
      {picked !== null && chain.data && (
        <div data-testid="scf-chain">
          <h4>{t('scfChainOf')}</h4>
          <ol>
            {chain.data.items.map((c) => (
              <li key={c.id} data-field="link" data-holder={c.holderName}>
                {tier(c.tier)} · {c.holderName} · {yuan(c.faceAmount)} · {scfText(i18n, 'certificate', c.status)}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

type Term = ProgrammeChangePreview['changes'][number]['term'];
const TERM_LABELS: Record<Term, MessageKey> = {
  limit: 'scfLimitPerCore', endsOn: 'scfEndsOn', spread: 'scfSpread', advanceRate: 'scfAdvanceRate', maxTenorDays: 'scfMaxTenor',
  supplierLimit: 'scfLimitPerSupplier', industryLimit: 'scfLimitPerIndustry', penaltyMultiplier: 'scfPenaltyMultiplier',
};
const MONEY_TERMS: readonly Term[] = ['limit', 'supplierLimit', 'industryLimit'];

/**
 * For the makers of `scf.programme`: suspend or resume the programme at once (a reason, and a
 * confirmation saying what stops and what runs on), and change its terms going forward — the
 * changes previewed term by term from the server (POST …/change-preview) before they are proposed
 * for a second person (`scf.programme-change`).
 */
function ProgrammeManagement({ overview, onChanged }: { readonly overview: ProgrammeOverview; readonly onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = overview.programme;
  const suspending = p.status === 'active';
  const [reason, setReason] = useState('');
  const [checkingStatus, setCheckingStatus] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const initial: ProgrammeChange = {
    limit: p.limit, endsOn: p.endsOn, spread: p.spread, advanceRate: p.advanceRate, maxTenorDays: p.maxTenorDays,
    supplierLimit: p.supplierLimit, industryLimit: p.industryLimit, penaltyMultiplier: p.penaltyMultiplier, reason: '',
  };
  const [terms, setTerms] = useState<ProgrammeChange>(initial);
  const [preview, setPreview] = useState<ProgrammeChangePreview | null>(null);
  const [sent, setSent] = useState(false);
  const status = useAction();
  const change = useAction();
  const setTerm = <K extends keyof ProgrammeChange>(key: K, value: ProgrammeChange[K]) => {
    setPreview(null);
    setSent(false);
    setTerms((before) => ({ ...before, [key]: value }));
  };
  const shown = (term: Term, value: string) =>
    MONEY_TERMS.includes(term) ? yuan(value) : term === 'advanceRate' ? percent(value) : term === 'spread' ? `${value}%` : term === 'maxTenorDays' ? `${value} ${t('scfDays')}` : term === 'penaltyMultiplier' ? `× ${value}` : value;
  const input = (key: Exclude<keyof ProgrammeChange, 'reason'>, label: MessageKey, type = 'text') => (
    <label>
      {t(label)}
      <input
        name={`change-${key}`}
        {...(type === 'date' ? DATE_INPUT : { type })}
        value={String(terms[key] ?? '')}
        onChange={(event) => setTerm(key, (key === 'maxTenorDays' ? Number(event.target.value) : event.target.value) as never)}
      />
    </label>
  );
  const flip = () =>
    status.run(async () => {
      await (suspending ? suspendProgramme(p.id, reason) : resumeProgramme(p.id, reason));
      setDone(t(suspending ? 'scfSuspendDone' : 'scfResumeDone'));
      setCheckingStatus(false);
      setReason('');
      onChanged();
    });
  const review = () => change.run(async () => setPreview(await previewProgrammeChange(p.id, terms)));
  const propose = () =>
    change.run(async () => {
      await proposeProgrammeChange(p.id, terms);
      setPreview(null);
      setSent(true);
    });
  return (
    <div className="panel" data-testid="scf-programme-manage">
      <h3>
        {t('scfManage')} · {overview.coreEnterpriseName}
      </h3>
      <p className="muted small">{t('scfManageHint')}</p>
      <h4>{t(suspending ? 'scfSuspend' : 'scfResume')}</h4>
      <div className="form-grid">
        <label>
          {t('scfReason')}
          <input name="status-reason" maxLength={200} value={reason} onChange={(event) => { setReason(event.target.value); setCheckingStatus(false); setDone(null); }} />
        </label>
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={status.busy || reason.trim() === ''} onClick={() => setCheckingStatus(true)} data-testid="scf-status-check">
          {t(suspending ? 'scfSuspendReview' : 'scfResumeReview')}
        </button>
      </div>
      {checkingStatus && (
        <div className="confirm-box" data-testid="scf-status-confirm">
          <p>{t(suspending ? 'scfSuspendConfirmText' : 'scfResumeConfirmText')}</p>
          <dl className="facts">
            <Fact label={t('scfCoreEnterprise')} value={overview.coreEnterpriseName} />
            <Fact label={t('status')} value={`${scfText(i18n, 'programme', p.status)} → ${scfText(i18n, 'programme', suspending ? 'suspended' : 'active')}`} testId="scf-status-change" />
            <Fact label={t('scfOutstandingRunsOn')} value={yuan(overview.used)} />
            <Fact label={t('scfCertificatesOutstanding')} value={yuan(overview.certificatesOutstanding)} />
            <Fact label={t('scfReason')} value={reason.trim()} />
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={status.busy} onClick={flip} data-testid="scf-status-confirm-button">
              {t(suspending ? 'scfSuspendConfirm' : 'scfResumeConfirm')}
            </button>
            <button type="button" className="secondary" disabled={status.busy} onClick={() => setCheckingStatus(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {done && <p className="ok" data-testid="scf-status-done">{done}</p>}
      {status.error && <p className="error" role="alert">{status.error}</p>}

      <h4>{t('scfChangeTerms')}</h4>
      <div className="form-grid">
        {input('limit', 'scfLimitYuan')}
        {input('endsOn', 'scfEndsOn', 'date')}
        {input('spread', 'scfSpread')}
        {input('advanceRate', 'scfAdvanceRatePercent')}
        {input('maxTenorDays', 'scfMaxTenorDays', 'number')}
        {input('supplierLimit', 'scfLimitPerSupplierYuan')}
        {input('industryLimit', 'scfLimitPerIndustryYuan')}
        {input('penaltyMultiplier', 'scfPenaltyMultiplier')}
        <label>
          {t('scfReason')}
          <input name="change-reason" maxLength={200} value={terms.reason} onChange={(event) => setTerm('reason', event.target.value)} />
        </label>
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={change.busy} onClick={review} data-testid="scf-change-check">
          {t('scfChangeReview')}
        </button>
      </div>
      {preview && (
        <div className="confirm-box" data-testid="scf-change-confirm">
          <p>{t('scfChangeConfirmText')}</p>
          <DataTable
            testId="scf-change-terms"
            cards
            rows={preview.changes}
            rowKey={(c) => c.term}
            rowData={(c) => ({ 'data-term': c.term })}
            empty={t('empty')}
            columns={[
              { header: t('scfTerm'), cell: (c) => t(TERM_LABELS[c.term]) },
              { header: t('scfTermNow'), className: 'num', cell: (c) => shown(c.term, c.from) },
              { header: t('scfTermNext'), className: 'num', cell: (c) => <strong data-field="to">{shown(c.term, c.to)}</strong> },
            ]}
          />
          <div className="actions">
            <button type="button" className="primary" disabled={change.busy} onClick={propose} data-testid="scf-change-propose">
              {t('scfPropose')}
            </button>
            <button type="button" className="secondary" disabled={change.busy} onClick={() => setPreview(null)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {sent && <p className="ok" data-testid="scf-change-sent">{t('scfChangeSent')}</p>}
      {change.error && <p className="error" role="alert" data-testid="scf-change-error">{change.error}</p>}
    </div>
  );
}

const EMPTY_PROGRAMME: NewProgramme = {
  coreEnterpriseId: '', limit: '', startsOn: '', endsOn: '', lprTenor: '1y', spread: '0.50', interestPayer: 'supplier', interestTiming: 'discounted',
  advanceRate: '90', maxTenorDays: 180, supplierLimit: '', industryLimit: '',
};

/** A new programme, shown whole before it is proposed; a second person confirms it (scf.programme). */
function ProgrammeForm() {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = useState<NewProgramme>(EMPTY_PROGRAMME);
  const [core, setCore] = useState<EnterpriseRow | null>(null);
  const [checking, setChecking] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const set = <K extends keyof NewProgramme>(key: K, value: NewProgramme[K]) => {
    setChecking(false);
    setForm((before) => ({ ...before, [key]: value }));
  };
  const text = (key: keyof NewProgramme, label: MessageKey, type = 'text') => (
    <label>
      {t(label)}
      <input name={key} {...(type === 'date' ? DATE_INPUT : { type })} value={String(form[key] ?? '')} onChange={(event) => set(key, (key === 'maxTenorDays' ? Number(event.target.value) : event.target.value) as never)} />
    </label>
  );
  const propose = () =>
    run(async () => {
      const made = await proposeProgramme(form);
      setSent(made.id);
      setChecking(false);
    });
  return (
    <div className="panel" data-testid="scf-programme-form">
      <h3>{t('scfNewProgramme')}</h3>
      <p className="muted small">{t('scfNewProgrammeHint')}</p>
      <div className="form-grid">
        <EnterprisePicker
          picked={core}
          onPick={(enterprise) => {
            setCore(enterprise);
            set('coreEnterpriseId', enterprise?.id ?? '');
          }}
        />
        {text('limit', 'scfLimitYuan')}
        {text('startsOn', 'scfStartsOn', 'date')}
        {text('endsOn', 'scfEndsOn', 'date')}
        <label>
          {t('scfLprTenor')}
          <select name="lprTenor" value={form.lprTenor} onChange={(event) => set('lprTenor', event.target.value as NewProgramme['lprTenor'])}>
            <option value="1y">{scfText(i18n, 'tenor', '1y')}</option>
            <option value="5y">{scfText(i18n, 'tenor', '5y')}</option>
          </select>
        </label>
        {text('spread', 'scfSpread')}
        <label>
          {t('scfInterestPayer')}
          <select
            name="interestPayer"
            value={form.interestPayer}
            onChange={(event) => {
              const payer = event.target.value as NewProgramme['interestPayer'];
              set('interestPayer', payer);
              if (payer === 'core-enterprise') set('interestTiming', 'at-maturity');
            }}
          >
            <option value="supplier">{scfText(i18n, 'payer', 'supplier')}</option>
            <option value="core-enterprise">{scfText(i18n, 'payer', 'core-enterprise')}</option>
          </select>
        </label>
        <label>
          {t('scfInterestTiming')}
          <select name="interestTiming" value={form.interestTiming} onChange={(event) => set('interestTiming', event.target.value as NewProgramme['interestTiming'])}>
            <option value="discounted" disabled={form.interestPayer === 'core-enterprise'}>
              {scfText(i18n, 'timing', 'discounted')}
            </option>
            <option value="at-maturity">{scfText(i18n, 'timing', 'at-maturity')}</option>
          </select>
        </label>
        {text('advanceRate', 'scfAdvanceRatePercent')}
        {text('maxTenorDays', 'scfMaxTenorDays', 'number')}
        {text('supplierLimit', 'scfLimitPerSupplierYuan')}
        {text('industryLimit', 'scfLimitPerIndustryYuan')}
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={busy || form.coreEnterpriseId === '' || form.limit === ''} onClick={() => setChecking(true)} data-testid="scf-programme-check">
          {t('scfReview')}
        </button>
      </div>
      {checking && (
        <div className="confirm-box" data-testid="scf-programme-confirm">
          <p>{t('scfProgrammeConfirmText')}</p>
          <dl className="facts">
            <Fact label={t('scfCoreEnterprise')} value={core ? `${core.name} ${core.creditCode ?? ''}`.trim() : '—'} testId="scf-programme-core" />
            <Fact label={t('scfLimitPerCore')} value={yuan(form.limit)} />
            <Fact label={t('scfValidity')} value={`${form.startsOn} – ${form.endsOn}`} />
            <Fact label={t('scfPrice')} value={`LPR ${scfText(i18n, 'tenor', form.lprTenor)} + ${form.spread}%`} />
            <Fact label={t('scfAdvanceRate')} value={percent(form.advanceRate)} />
            <Fact label={t('scfLimitPerSupplier')} value={yuan(form.supplierLimit)} />
            <Fact label={t('scfLimitPerIndustry')} value={yuan(form.industryLimit)} />
          </dl>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={propose} data-testid="scf-programme-propose">
              {t('scfPropose')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setChecking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {sent && (
        <p className="ok" data-testid="scf-programme-sent">
          {t('scfProgrammeSent')}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The core enterprise, found in the registry by part of its name or the start of its credit code (GET /v1/enterprises?q=). */
function EnterprisePicker({ picked, onPick }: { readonly picked: EnterpriseRow | null; readonly onPick: (enterprise: EnterpriseRow | null) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const needle = query.trim();
  const found = useApi(() => (needle === '' ? Promise.resolve([]) : searchEnterprises(needle)), [needle]);
  if (picked)
    return (
      <div className="field" data-testid="scf-core-picked">
        <span className="muted small">{t('scfPickedCore')}</span>
        <p>
          <strong>{picked.name}</strong> <span className="mono small">{picked.creditCode ?? '—'}</span>{' '}
          <button type="button" className="link-button" onClick={() => onPick(null)}>
            {t('scfChange')}
          </button>
        </p>
      </div>
    );
  return (
    <div className="field">
      <label>
        {t('scfPickCore')}
        <input name="core-search" value={query} onChange={(event) => setQuery(event.target.value)} autoComplete="off" data-testid="scf-core-search" />
      </label>
      {needle !== '' && found.data && (
        <div data-testid="scf-core-results">
          {found.data.length === 0 && <p className="muted small">{t('scfNoMatch')}</p>}
          {found.data.slice(0, 8).map((enterprise) => (
            <p key={enterprise.id}>
              <button type="button" className="link-button" onClick={() => onPick(enterprise)} data-testid="scf-core-pick" data-credit-code={enterprise.creditCode ?? ''}>
                {enterprise.name} <span className="mono small">{enterprise.creditCode ?? '—'}</span>
              </button>
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
