/**
 * The officer console's workbench: the pipeline (applications by status), the review queue
 * (paged, searched, with each application's age and service-level flag: `QueuePanel`), the
 * confirmations waiting for a second person with the maker's proposal (`ApprovalsPanel`), pending renewal requests (renewed or
 * refused here by the roles `POST /v1/loans/:id/renewals` allows), and one application's decision record — rules hit with their trace, score, reason codes, cross-checks,
 * the three tables as charts — with approve or decline within the officer's authority.
 */
import { useState } from 'react';
import { type User } from '../api';
import {
  application as fetchApplication,
  APPLICATION_STATUSES,
  dataSeries,
  idempotencyKey,
  RENEWAL_ATTESTATIONS,
  renewalRequests,
  renewLoan,
  review,
  type Application,
  type ApplicationStatus,
  type Review,
  type RenewalAttestation,
  type RenewalOutcome,
  type RenewalRequest,
} from '../api-portal';
import { DataTable } from '../components/DataTable';
import { SeriesCharts } from '../components/SeriesCharts';
import { useApi } from '../components/useApi';
import { percent, yuan } from '../format';
import { useI18n, type MessageKey } from '../i18n';
import { refusalText, roleText, statusText } from '../portal-text';
import { useAction } from '../components/useAction';
import { DecisionRecordHeader, DecisionRecordView } from '../components/DecisionRecordView';
import { applicationBook } from '../api-book';
import { ApprovalsPanel } from './ApprovalsPanel';
import { QueuePanel } from './QueuePanel';
import { REVIEWERS } from '../routes';

/** Roles that renew a loan (POST /v1/loans/:id/renewals allows exactly these). */
export const RENEWERS: readonly User['role'][] = ['credit-approver', 'admin'];

export function ReviewPage({ user, params, navigate }: { readonly user: User; readonly params: URLSearchParams; readonly navigate: (to: string) => void }) {
  const selected = params.get('application');
  return selected ? <ApplicationDetail id={selected} user={user} navigate={navigate} /> : <Workbench user={user} navigate={navigate} />;
}

function Workbench({ user, navigate }: { readonly user: User; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [status, setStatus] = useState<ApplicationStatus>('referred');
  // Counts per status; a status the server does not know yet counts as unknown, not as an error.
  const pipeline = useApi(() => Promise.all(APPLICATION_STATUSES.map((s) => applicationBook({ status: s, limit: '1' }).then((page) => page.total, () => null))), []);
  const canReview = REVIEWERS.includes(user.role);
  // Account managers and auditors read the queue and the records; the confirmations and renewals are the reviewers' work.
  const renewals = useApi(() => (canReview ? renewalRequests('pending').catch(() => []) : Promise.resolve([])), [canReview]);
  const [renewing, setRenewing] = useState<RenewalRequest | null>(null);
  const canRenew = RENEWERS.includes(user.role);

  return (
    <section>
      <div className="page-title">
        <h2>{t('reviewQueue')}</h2>
      </div>
      <div className="kpis five" data-testid="pipeline">
        {APPLICATION_STATUSES.map((s, index) => (
          <button type="button" key={s} className={`kpi as-button${s === status ? ' chosen' : ''}`} onClick={() => setStatus(s)} data-testid={`pipeline-${s}`}>
            <span className="kpi-label">{statusText(i18n, s)}</span>
            <span className="kpi-value">{pipeline.data?.[index] ?? '—'}</span>
          </button>
        ))}
      </div>

      <QueuePanel status={status} title={`${t('applications')} · ${statusText(i18n, status)}`} onOpen={(id) => navigate(`/review?application=${id}`)} />

      {canReview && <ApprovalsPanel navigate={navigate} onDecided={pipeline.reload} />}

      {canReview && (
      <div className="panel" data-testid="renewal-requests">
        <h3>{t('renewalRequests')}</h3>
        {(renewals.data ?? []).length === 0 ? (
          <p className="muted">{t('empty')}</p>
        ) : (
          <DataTable
            rows={renewals.data!}
            rowKey={(request) => request.id}
            rowClassName={(request) => (renewing?.id === request.id ? 'chosen' : '')}
            rowData={(request) => ({ 'data-testid': 'renewal-row', 'data-loan': request.loanId })}
            columns={[
              { header: t('noteNo'), cellClassName: 'mono', cell: (request) => request.loanNoteNo },
              { header: t('term'), cell: (request) => termText(t, request) },
              { header: t('renewalNote'), cellClassName: 'wrap', cell: (request) => request.note },
              { header: t('asOf'), cell: (request) => request.businessDate },
              ...(canRenew
                ? [
                    {
                      header: null,
                      cell: (request: RenewalRequest) => (
                        <button type="button" className="secondary" onClick={() => setRenewing(request)} data-testid="open-renewal">
                          {t('decideRenewal')}
                        </button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
        {canRenew && renewing && <RenewalForm key={renewing.id} request={renewing} navigate={navigate} onDone={renewals.reload} />}
      </div>
      )}
    </section>
  );
}

const termText = (t: ReturnType<typeof useI18n>['t'], term: { readonly termDays: number | null; readonly installments: number | null }) =>
  term.termDays !== null ? `${term.termDays} ${t('daysBullet')}` : term.installments !== null ? `${term.installments} ${t('monthsInstallments')}` : '—';

/** The renewal terms staff may give: the borrower's choices plus what the request asked for. */
const RENEWAL_TERMS = ['d90', 'd180', 'd365', 'm6', 'm12'];

/**
 * Staff decide a renewal request: the term (the borrower's by default) and the four conditions of
 * 金规〔2024〕13号 they attest. The server checks the loan itself (active, before maturity, no
 * arrears, size class); any unmet condition refuses the renewal and closes the request.
 */
export function RenewalForm({ request, navigate, onDone }: { readonly request: RenewalRequest; readonly navigate: (to: string) => void; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const asked = request.termDays !== null ? `d${request.termDays}` : request.installments !== null ? `m${request.installments}` : 'd180';
  const [term, setTerm] = useState(asked);
  const [attestation, setAttestation] = useState<RenewalAttestation>({ lawfulOperation: false, stableOperation: false, goodCredit: false, meetsLendingCriteria: false });
  const [key, setKey] = useState(idempotencyKey);
  const { busy, error, run } = useAction();
  const [outcome, setOutcome] = useState<RenewalOutcome | null>(null);
  // The decision is shown before it is sent: the loan, the term and what the approver attests.
  const [confirming, setConfirming] = useState(false);
  const terms = RENEWAL_TERMS.includes(asked) ? RENEWAL_TERMS : [asked, ...RENEWAL_TERMS];
  const allHold = RENEWAL_ATTESTATIONS.every((name) => attestation[name]);

  async function submit() {
    await run(async () => {
      const count = Number(term.slice(1));
      const answer = await renewLoan(request.loanId, { ...(term.startsWith('d') ? { termDays: count } : { installments: count }), attestation }, key);
      setOutcome(answer);
      setConfirming(false);
      setKey(idempotencyKey());
      onDone();
    });
  }

  return (
    <div className="subpanel" data-testid="renewal-form">
      <h3>
        {t('decideRenewal')} · {t('noteNo')} <span className="mono">{request.loanNoteNo}</span>
      </h3>
      <p className="muted small">{t('renewalPolicyIntro')}</p>
      <div className="form-grid">
        <label>
          {t('term')}
          <select name="renewalTerm" value={term} disabled={outcome !== null || confirming} onChange={(event) => setTerm(event.target.value)}>
            {terms.map((choice) => (
              <option key={choice} value={choice}>
                {choice.slice(1)} {t(choice.startsWith('d') ? 'daysBullet' : 'monthsInstallments')}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="attestations">
        <legend>{t('renewalAttest')}</legend>
        {RENEWAL_ATTESTATIONS.map((name) => (
          <label key={name} className="check">
            <input
              type="checkbox"
              name={name}
              checked={attestation[name]}
              disabled={outcome !== null || confirming}
              onChange={(event) => setAttestation({ ...attestation, [name]: event.target.checked })}
            />
            {t(`attest_${name}`)}
          </label>
        ))}
      </fieldset>
      {!allHold && outcome === null && <p className="muted small">{t('renewalWillBeRefused')}</p>}
      {!confirming ? (
        <div className="actions">
          <button type="button" className="secondary" disabled={busy || outcome !== null} onClick={() => setConfirming(true)} data-testid="review-renewal">
            {t('review')}
          </button>
        </div>
      ) : (
        <div className="confirm" data-testid="renewal-confirmation">
          <strong>{t('confirmTitle')}</strong>
          <dl>
            <dt>{t('noteNo')}</dt>
            <dd className="mono">{request.loanNoteNo}</dd>
            <dt>{t('term')}</dt>
            <dd>{term.slice(1)} {t(term.startsWith('d') ? 'daysBullet' : 'monthsInstallments')}</dd>
            <dt>{t('renewalAttest')}</dt>
            <dd>{RENEWAL_ATTESTATIONS.filter((name) => attestation[name]).length}/{RENEWAL_ATTESTATIONS.length}</dd>
          </dl>
          <p className="muted small">{t(allHold ? 'renewalWillRenew' : 'renewalWillBeRefused')}</p>
          <div className="actions">
            <button type="button" className={allHold ? 'primary' : 'secondary danger'} disabled={busy} onClick={submit} data-testid="renew">
              {t(allHold ? 'renewLoan' : 'refuseRenewal')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)} data-testid="cancel-renewal">{t('cancel')}</button>
          </div>
        </div>
      )}
      {outcome?.decision === 'renewed' && (
        <p className="ok" data-testid="renewal-result" data-new-loan={outcome.newLoanId}>
          {statusText(i18n, 'renewed')} · {t('newLoan')} <span className="mono">{outcome.newNoteNo ?? outcome.newLoanId.slice(-8)}</span> · {yuan(outcome.principal)} · {t('maturityOn')} {outcome.maturityOn}
          {outcome.interestCollected !== '0.00' && ` · ${t('interestCollected')} ${yuan(outcome.interestCollected)}`}
          {' · '}
          <a href={`/enterprises?id=${request.enterpriseId}`} onClick={(event) => { event.preventDefault(); navigate(`/enterprises?id=${request.enterpriseId}`); }}>
            {t('enterprise360')} →
          </a>
        </p>
      )}
      {outcome?.decision === 'refused' && (
        <div className="error" data-testid="renewal-result" role="alert">
          <p>{statusText(i18n, 'refused')}</p>
          <ul data-testid="renewal-refusals">
            {outcome.refusals.map((refusal) => (
              <li key={refusal.code}>
                {refusalText(i18n, refusal.code, refusal.message)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function ApplicationDetail({ id, user, navigate }: { readonly id: string; readonly user: User; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const detail = useApi(() => fetchApplication(id), [id]);
  const enterpriseId = detail.data?.enterpriseId;
  const series = useApi(() => (enterpriseId ? dataSeries(enterpriseId) : Promise.resolve(null)), [enterpriseId]);
  const [reviewed, setReviewed] = useState(false);

  if (detail.error) return <p className="error" role="alert">{detail.error}</p>;
  if (!detail.data) return <p className="muted">{t('loading')}</p>;
  const app = detail.data;
  const record = app.record;

  return (
    <section>
      <div className="page-title">
        <button type="button" className="link-button" onClick={() => navigate('/review')}>
          ← {t('reviewQueue')}
        </button>
        <DecisionRecordHeader app={app} />
        <span className={`badge outcome-${app.status}`} data-testid="application-status">{statusText(i18n, app.status)}</span>
        {enterpriseId && (
          <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${enterpriseId}`)}>
            {t('enterprise360')} →
          </button>
        )}
      </div>

      <div className="kpis five">
        <Kpi label="proposedLimit" value={yuan(app.limit)} testId="proposed-limit" />
        <Kpi label="rate" value={app.annualRate === null ? '—' : percent(app.annualRate)} />
        <Kpi label="score" value={record ? record.decision.score.toFixed(0) : '—'} testId="score" />
        <Kpi label="band" value={record?.decision.band ?? '—'} />
        <Kpi label="probability" value={record ? `${(record.decision.probability * 100).toFixed(2)}%` : '—'} />
      </div>
      {app.regional !== undefined && (
        <p className="muted small" data-testid="regional-factor">
          {t('regionalFactor')}:{' '}
          {app.regional === null
            ? t('regionUnknown')
            : `${app.regional.name} ${app.regional.year} · ${t('ecologyScore')} ${app.regional.score.toFixed(2)} · ${t('ecologyGrade')} ${app.regional.grade} · ${t('spreadAdjustment')} ${app.regional.spreadAdjustment} pp · ${t('limitMultiplier')} ×${app.regional.limitMultiplier}`}
        </p>
      )}

      <h3 className="section-title">{t('threeTables')}</h3>
      {series.data ? <SeriesCharts series={series.data} /> : <p className="muted">{series.error ?? t('loading')}</p>}

      <DecisionRecordView app={app} />

      {REVIEWERS.includes(user.role) ? (
        (app.status === 'referred' || reviewed) && <ReviewForm app={app} user={user} onDone={() => { setReviewed(true); detail.reload(); }} />
      ) : (
        <p className="muted small" data-testid="read-only">{t('readOnlyRecord')}</p>
      )}
    </section>
  );
}

function Kpi({ label, value, testId }: { readonly label: MessageKey; readonly value: string; readonly testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="kpi">
      <span className="kpi-label">{t(label)}</span>
      <span className="kpi-value" data-testid={testId}>{value}</span>
    </div>
  );
}

function ReviewForm({ app, user, onDone }: { readonly app: Application; readonly user: User; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [limit, setLimit] = useState(app.limit);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const [result, setResult] = useState<Review | null>(null);
  const i18n = useI18n();

  async function submit(decision: 'approve' | 'decline') {
    await run(async () => {
      const answer = await review(app.applicationId, decision === 'approve' ? { decision, limit, note: note.trim() } : { decision, note: note.trim() });
      setResult(answer);
      onDone();
    });
  }

  return (
    <div className="panel" data-testid="review-form">
      <h3>{t('reviewDecision')}</h3>
      <p className="muted small">
        {t('reviewAs')} {user.displayName}（{roleText(i18n, user.role)}）
      </p>
      <div className="form-grid">
        <label>
          {t('approvedLimit')}
          <input name="limit" inputMode="decimal" value={limit} onChange={(event) => setLimit(event.target.value)} />
        </label>
        <label className="wide">
          {t('reviewNote')}
          <input name="note" value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
        </label>
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || note.trim() === ''} onClick={() => submit('approve')} data-testid="approve">
          {t('approve')}
        </button>
        <button type="button" className="secondary danger" disabled={busy || note.trim() === ''} onClick={() => submit('decline')} data-testid="decline">
          {t('decline')}
        </button>
      </div>
      {result && (
        <p className="ok" data-testid="review-result">
          {statusText(i18n, result.status)} · {yuan(result.limit)}
          {result.approvalRequestId && ` · ${t('awaitsSecondPerson')}`}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
