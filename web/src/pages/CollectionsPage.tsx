/**
 * The collections worklist (催收工作台, issue 16): overdue loans in days-past-due tabs, mine or
 * everyone's, searched and paged on the server; with `?loan=`, one case — assign (managers), log a
 * contact, record a promise to pay, record a step (legal action: managers) and mark steps done,
 * each shown before it is recorded and recorded only on a confirmation. Restructuring and
 * write-off stay on the staff loan page, linked from the case.
 */
import { Fragment, useState, type FormEvent } from 'react';
import type { Role, User } from '../api';
import {
  assignCollector,
  collectionCase,
  collectionWorklist,
  collectors as fetchCollectors,
  completeStep,
  logContact,
  recordPromise,
  recordStep,
  type CollectionBucket,
  type CollectionCase,
  type ContactChannel,
  type ContactOutcome,
  type StepKind,
  type WorklistQuery,
} from '../api-collections';
import { toFen } from '../api-book';
import { DataTable } from '../components/DataTable';
import { Pager } from '../components/Pager';
import { useAction } from '../components/useAction';
import { useApi } from '../components/useApi';
import { yuan } from '../format';
import { listText, useI18n, type I18n, type MessageKey } from '../i18n';
import { fill } from '../i18n-book';
import { classificationText, roleText } from '../portal-text';
import { Kpi } from '../components/Kpi';

const PAGE = 50;
const BUCKETS = ['1-30', '31-90', '91-180', '181-360', 'over-360'] as const satisfies readonly CollectionBucket[];
const CHANNELS = ['call', 'visit', 'letter'] as const satisfies readonly ContactChannel[];
const OUTCOMES = ['reached', 'promise-made', 'no-answer', 'refused', 'disputed', 'wrong-contact', 'letter-sent'] as const satisfies readonly ContactOutcome[];
/** Who assigns and records legal actions: exactly the roles the routes allow (src/collections/collection-actions.ts). */
const MANAGERS: readonly Role[] = ['risk-officer', 'admin'];
const COLLECTORS: readonly Role[] = ['collector', 'account-manager'];
/** Who opens the staff loan page (GET /v1/book/loans and the servicing routes). */
/** Who opens the enterprise 360 (web/src/routes.ts). */
const ENTERPRISE_VIEWERS: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'admin', 'auditor'];
const LOAN_PAGE_ROLES: readonly Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

/** A code's text: `prefix` + code, the code itself only for a server newer than this page. */
const code = (i18n: I18n, prefix: string, value: string) => {
  const key = `${prefix}${value}` as MessageKey;
  const text = i18n.t(key);
  return text === undefined ? value : text;
};

export function CollectionsPage({ user, params, navigate }: { readonly user: User; readonly params: URLSearchParams; readonly navigate: (to: string) => void }) {
  const loanId = params.get('loan');
  return loanId ? <CasePage id={loanId} user={user} navigate={navigate} /> : <Worklist user={user} navigate={navigate} />;
}

/** A collector's display name (the people who may hold cases), the username until the list arrives. */
function useCollectorNames(): (username: string) => string {
  const people = useApi(() => fetchCollectors(), []);
  return (username) => people.data?.find((person) => person.username === username)?.displayName ?? username;
}

function Worklist({ user, navigate }: { readonly user: User; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const mineFirst = COLLECTORS.includes(user.role);
  const [text, setText] = useState('');
  const [query, setQuery] = useState<WorklistQuery>(mineFirst ? { collector: 'me' } : {});
  const [offset, setOffset] = useState(0);
  const page = useApi(() => collectionWorklist({ ...query, offset: String(offset), limit: String(PAGE) }), [query, offset]);
  const nameOf = useCollectorNames();
  const change = (next: Partial<WorklistQuery>) => {
    setQuery({ ...query, ...next });
    setOffset(0);
  };
  const open = (id: string) => navigate(`/collections?loan=${id}`);
  const all = page.data?.buckets.reduce((sum, bucket) => sum + bucket.loans, 0);

  return (
    <section data-testid="collections">
      <div className="page-title">
        <h2>{t('collections')}</h2>
      </div>
      <div className="panel">
        <form className="filters" onSubmit={(event: FormEvent) => { event.preventDefault(); change({ q: text.trim() || undefined }); }}>
          <input type="search" name="q" value={text} placeholder={t('searchFirm')} onChange={(event) => setText(event.target.value)} />
          <button type="submit" className="primary">{t('search')}</button>
          <label>
            {t('scope')}
            <select name="collector" value={query.collector ?? ''} onChange={(event) => change({ collector: event.target.value || undefined })}>
              <option value="">{t('scopeAll')}</option>
              <option value="me">{t('scopeMine')}</option>
              <option value="none">{t('scopeUnassigned')}</option>
            </select>
          </label>
        </form>
        <div className="tabs" role="tablist" data-testid="bucket-tabs">
          <button type="button" role="tab" aria-selected={query.bucket === undefined} className={`tab ${query.bucket === undefined ? 'active' : ''}`} onClick={() => change({ bucket: undefined })} data-testid="tab-all">
            {t('bucketAll')} {all !== undefined && `· ${all}`}
          </button>
          {BUCKETS.map((bucket) => {
            const counts = page.data?.buckets.find((row) => row.bucket === bucket);
            return (
              <button key={bucket} type="button" role="tab" aria-selected={query.bucket === bucket} className={`tab ${query.bucket === bucket ? 'active' : ''}`} onClick={() => change({ bucket })} data-testid={`tab-${bucket}`}>
                {code(i18n, 'dpd_', bucket)} {counts && `· ${counts.loans}`}
              </button>
            );
          })}
        </div>
        {page.error && <p className="error" role="alert">{page.error}</p>}
        <DataTable
          testId="worklist"
          cards
          rows={page.data?.items ?? []}
          rowKey={(row) => row.loanId}
          rowData={(row) => ({ 'data-testid': 'worklist-row', 'data-loan': row.loanId })}
          empty={page.data ? t('noRows') : undefined}
          columns={[
            { header: t('firm'), cell: (row) => <a href={`/collections?loan=${row.loanId}`} onClick={(event) => { event.preventDefault(); open(row.loanId); }}>{row.enterpriseName}</a> },
            { header: t('noteNo'), cellClassName: 'mono', cell: (row) => <span data-testid="worklist-note-no">{row.noteNo}</span> },
            { header: t('dpd'), className: 'num', cell: (row) => row.daysPastDue },
            { header: t('overdueAmount'), className: 'num', cell: (row) => yuan(row.overdueAmount) },
            { header: t('outstanding'), className: 'num', cell: (row) => yuan(row.outstanding) },
            { header: t('classification'), cell: (row) => <span className={`badge ${row.classification}`}>{classificationText(i18n, row.classification)}</span> },
            { header: t('collectorCol'), cell: (row) => (row.collector === null ? <span className="muted">{t('unassigned')}</span> : nameOf(row.collector)) },
            { header: t('lastContact'), cell: (row) => (row.lastContact ? `${row.lastContact.on} ${code(i18n, 'cch_', row.lastContact.channel)} · ${code(i18n, 'cout_', row.lastContact.outcome)}` : '—') },
            { header: t('openPromise'), cell: (row) => (row.openPromise ? `${yuan(row.openPromise.amount)} · ${row.openPromise.promisedOn}` : '—') },
            { header: t('nextStep'), cell: (row) => (row.nextStep ? `${code(i18n, 'cstep_', row.nextStep.kind)} · ${row.nextStep.dueOn}` : '—') },
            { header: null, cell: (row) => <button type="button" className="secondary" onClick={() => open(row.loanId)} data-testid="work-case">{t('workCase')}</button> },
          ]}
        />
        {page.data && <Pager offset={page.data.offset} limit={page.data.limit} total={page.data.total} onOffset={setOffset} />}
      </div>
    </section>
  );
}

function CasePage({ id, user, navigate }: { readonly id: string; readonly user: User; readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const found = useApi(() => collectionCase(id), [id]);
  const nameOf = useCollectorNames();
  const data = found.data;
  if (found.error) return <p className="error" role="alert">{found.error}</p>;
  if (!data) return <p className="muted">{t('loading')}</p>;
  const manager = MANAGERS.includes(user.role);
  const mayRecord = manager || (COLLECTORS.includes(user.role) && data.collector === user.username);
  const loan = data.loan;
  return (
    <section data-testid="collection-case">
      <div className="page-title">
        <button type="button" className="link-button" onClick={() => navigate('/collections')}>{t('backToWorklist')}</button>
        <h2 data-testid="case-firm">{data.enterpriseName}</h2>
        <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span>
        {ENTERPRISE_VIEWERS.includes(user.role) && <button type="button" className="link-button" onClick={() => navigate(`/enterprises?id=${loan.enterpriseId}`)}>{t('enterprise360')} →</button>}
      </div>
      <div className="kpis">
        <Kpi label={t('dpd')} value={String(loan.daysPastDue)} testId="case-dpd" />
        <Kpi label={t('overdueAmount')} value={yuan(loan.overdueAmount)} testId="case-overdue" />
        <Kpi label={t('outstanding')} value={yuan(loan.outstanding)} />
        <Kpi label={t('collectorCol')} value={data.collector === null ? t('unassigned') : nameOf(data.collector)} testId="case-collector" />
      </div>
      <p className="muted small">
        {t('noteNo')} <span className="mono" data-testid="case-note-no">{loan.noteNo}</span> · {t('maturityOn')} {loan.maturityOn}
      </p>
      {!mayRecord && <p className="muted" data-testid="not-your-case">{t('notYourCase')}</p>}
      <div className="actions-grid">
        {manager && (
          <div className="panel">
            <h3>{t('assignTitle')}</h3>
            <Assign loanId={loan.id} current={data.collector} onDone={found.reload} />
          </div>
        )}
        {mayRecord && (
          <>
            <div className="panel">
              <h3>{t('logContactTitle')}</h3>
              <LogContact loanId={loan.id} onDone={found.reload} />
            </div>
            <div className="panel">
              <h3>{t('recordPromiseTitle')}</h3>
              <RecordPromise loanId={loan.id} onDone={found.reload} />
            </div>
            <div className="panel">
              <h3>{t('stepTitle')}</h3>
              <RecordStep loanId={loan.id} kinds={manager ? ['legal-action', 'follow-up', 'escalation'] : ['follow-up', 'escalation']} onDone={found.reload} />
            </div>
          </>
        )}
        <div className="panel">
          <h3>{t('workoutTitle')}</h3>
          <p className="muted small">{t('workoutIntro')}</p>
          {LOAN_PAGE_ROLES.includes(user.role) ? (
            <button type="button" className="secondary" onClick={() => navigate(`/loans?id=${loan.id}`)} data-testid="open-loan-page">{t('openLoanPage')}</button>
          ) : (
            <p className="muted small">{fill(t('notYourAction'), { roles: listText(i18n, MANAGERS.map((role) => roleText(i18n, role))) })}</p>
          )}
        </div>
      </div>
      <CaseRecords data={data} mayRecord={mayRecord} nameOf={nameOf} onDone={found.reload} />
    </section>
  );
}

function CaseRecords({ data, mayRecord, nameOf, onDone }: { readonly data: CollectionCase; readonly mayRecord: boolean; readonly nameOf: (username: string) => string; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <>
      <div className="panel">
        <h3>{t('stepsTitle')}</h3>
        <DataTable
          testId="case-steps"
          cards
          rows={data.steps}
          rowKey={(row) => row.id}
          empty={t('empty')}
          columns={[
            { header: t('stepKind'), cell: (row) => code(i18n, 'cstep_', row.kind) },
            { header: t('stepDueOn'), cell: (row) => row.dueOn },
            { header: t('status'), cell: (row) => `${code(i18n, 'css_', row.status)} · ${code(i18n, 'csr_', row.reason)}` },
            { header: t('contactNote'), cellClassName: 'wrap', cell: (row) => (row.reason === 'staff' ? row.note : '—') },
            { header: null, cell: (row) => (row.status === 'open' && mayRecord ? <MarkDone stepId={row.id} onDone={onDone} /> : row.doneOn ?? '') },
          ]}
        />
      </div>
      <div className="panels two">
        <div className="panel">
          <h3>{t('promisesTitle')}</h3>
          <DataTable
            testId="case-promises"
            cards
            rows={data.promises}
            rowKey={(row) => row.id}
            empty={t('empty')}
            columns={[
              { header: t('promiseAmount'), className: 'num', cell: (row) => yuan(row.amount) },
              { header: t('promisedOn'), cell: (row) => row.promisedOn },
              { header: t('status'), cell: (row) => <span data-testid="promise-status">{code(i18n, 'pst_', row.status)}</span> },
              { header: t('repaidSoFar'), className: 'num', cell: (row) => (row.repaid === null ? '—' : yuan(row.repaid)) },
            ]}
          />
        </div>
        <div className="panel">
          <h3>{t('contactsTitle')}</h3>
          <DataTable
            testId="case-contacts"
            cards
            rows={data.contacts}
            rowKey={(row) => row.id}
            empty={t('empty')}
            columns={[
              { header: t('asOf'), cell: (row) => row.contactedOn },
              { header: t('channel'), cell: (row) => code(i18n, 'cch_', row.channel) },
              { header: t('outcome'), cell: (row) => code(i18n, 'cout_', row.outcome) },
              { header: t('contactNote'), cellClassName: 'wrap', cell: (row) => row.note || '—' },
              { header: t('collectorCol'), cell: (row) => nameOf(row.recordedBy) },
            ]}
          />
        </div>
      </div>
    </>
  );
}


/** The confirmation box every write goes through: what will be recorded, then confirm or cancel. */
function Confirm({ rows, confirmLabel, busy, onConfirm, onCancel, testId }: { readonly rows: readonly [string, string][]; readonly confirmLabel: string; readonly busy: boolean; readonly onConfirm: () => void; readonly onCancel: () => void; readonly testId: string }) {
  const { t } = useI18n();
  return (
    <div className="confirm" data-testid={testId}>
      <strong>{t('confirmTitle')}</strong>
      <dl>
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={onConfirm} data-testid={`${testId}-yes`}>{confirmLabel}</button>
        <button type="button" className="secondary" disabled={busy} onClick={onCancel}>{t('cancel')}</button>
      </div>
    </div>
  );
}

function Assign({ loanId, current, onDone }: { readonly loanId: string; readonly current: string | null; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const people = useApi(() => fetchCollectors(), []);
  const [chosen, setChosen] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const person = people.data?.find((row) => row.username === chosen);
  return (
    <div data-testid="assign">
      <label>
        {t('assignTo')}
        <select name="collector" value={chosen} disabled={confirming} onChange={(event) => setChosen(event.target.value)}>
          <option value="">—</option>
          {(people.data ?? []).map((row) => (
            <option key={row.username} value={row.username}>{row.displayName} · {roleText(i18n, row.role)} · {row.loans} {t('loansUnit')}</option>
          ))}
        </select>
      </label>
      {!confirming ? (
        <div className="actions">
          <button type="button" className="secondary" disabled={chosen === '' || chosen === current} onClick={() => setConfirming(true)} data-testid="review-assign">{t('review')}</button>
        </div>
      ) : (
        <Confirm
          testId="confirm-assign"
          rows={[[t('assignTitle'), fill(t('assignChange'), { from: current === null ? t('unassigned') : (people.data?.find((row) => row.username === current)?.displayName ?? current), to: person?.displayName ?? chosen })]]}
          confirmLabel={t('confirmAssign')}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void run(async () => { await assignCollector(loanId, chosen); setConfirming(false); onDone(); })}
        />
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function LogContact({ loanId, onDone }: { readonly loanId: string; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [channel, setChannel] = useState<ContactChannel>('call');
  const [outcome, setOutcome] = useState<ContactOutcome>('reached');
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [promisedOn, setPromisedOn] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const promise = outcome === 'promise-made';
  const valid = !promise || (toFen(amount) > 0n && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(promisedOn));
  const rows: [string, string][] = [
    [t('channel'), code(i18n, 'cch_', channel)],
    [t('outcome'), code(i18n, 'cout_', outcome)],
    [t('contactNote'), note.trim() || '—'],
    ...(promise ? ([[t('promiseAmount'), yuan(amount)], [t('promisedOn'), promisedOn]] as [string, string][]) : []),
  ];
  return (
    <div data-testid="log-contact">
      <div className="form-grid">
        <label>
          {t('channel')}
          <select name="channel" value={channel} disabled={confirming} onChange={(event) => { const next = event.target.value as ContactChannel; setChannel(next); if (next === 'letter') setOutcome('letter-sent'); }}>
            {CHANNELS.map((value) => <option key={value} value={value}>{code(i18n, 'cch_', value)}</option>)}
          </select>
        </label>
        <label>
          {t('outcome')}
          <select name="outcome" value={outcome} disabled={confirming} onChange={(event) => setOutcome(event.target.value as ContactOutcome)}>
            {OUTCOMES.filter((value) => (channel === 'letter') === (value === 'letter-sent')).map((value) => <option key={value} value={value}>{code(i18n, 'cout_', value)}</option>)}
          </select>
        </label>
        {promise && (
          <>
            <label>
              {t('promiseAmount')}
              <input name="contactPromiseAmount" inputMode="decimal" value={amount} disabled={confirming} onChange={(event) => setAmount(event.target.value)} />
            </label>
            <label>
              {t('promisedOn')}
              <input name="contactPromisedOn" type="date" value={promisedOn} disabled={confirming} onChange={(event) => setPromisedOn(event.target.value)} />
            </label>
          </>
        )}
      </div>
      <label className="block">
        {t('contactNote')}
        <input name="contactNote" value={note} maxLength={500} disabled={confirming} onChange={(event) => setNote(event.target.value)} />
      </label>
      {!confirming ? (
        <div className="actions">
          <button type="button" className="secondary" disabled={!valid} onClick={() => { setDone(false); setConfirming(true); }} data-testid="review-contact">{t('review')}</button>
        </div>
      ) : (
        <Confirm
          testId="confirm-contact"
          rows={rows}
          confirmLabel={t('confirmContact')}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void run(async () => {
              await logContact(loanId, { channel, outcome, note: note.trim(), ...(promise ? { promise: { amount: amount.trim(), promisedOn } } : {}) });
              setConfirming(false);
              setNote('');
              setAmount('');
              setDone(true);
              onDone();
            })
          }
        />
      )}
      {done && <p className="ok">{t('recordedOk')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function RecordPromise({ loanId, onDone }: { readonly loanId: string; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [promisedOn, setPromisedOn] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const valid = toFen(amount) > 0n && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(promisedOn);
  return (
    <div data-testid="record-promise">
      <p className="muted small">{t('promiseIntro')}</p>
      <div className="form-grid">
        <label>
          {t('promiseAmount')}
          <input name="promiseAmount" inputMode="decimal" value={amount} disabled={confirming} onChange={(event) => setAmount(event.target.value)} />
        </label>
        <label>
          {t('promisedOn')}
          <input name="promisedOn" type="date" value={promisedOn} disabled={confirming} onChange={(event) => setPromisedOn(event.target.value)} />
        </label>
      </div>
      {!confirming ? (
        <div className="actions">
          <button type="button" className="secondary" disabled={!valid} onClick={() => setConfirming(true)} data-testid="review-promise">{t('review')}</button>
        </div>
      ) : (
        <Confirm
          testId="confirm-promise"
          rows={[[t('promiseAmount'), yuan(amount)], [t('promisedOn'), promisedOn]]}
          confirmLabel={t('confirmPromise')}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void run(async () => { await recordPromise(loanId, { amount: amount.trim(), promisedOn }); setConfirming(false); setAmount(''); setPromisedOn(''); onDone(); })}
        />
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function RecordStep({ loanId, kinds, onDone }: { readonly loanId: string; readonly kinds: readonly StepKind[]; readonly onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [kind, setKind] = useState<StepKind>(kinds[0]!);
  const [note, setNote] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  return (
    <div data-testid="record-step">
      <div className="form-grid">
        <label>
          {t('stepKind')}
          <select name="stepKind" value={kind} disabled={confirming} onChange={(event) => setKind(event.target.value as StepKind)}>
            {kinds.map((value) => <option key={value} value={value}>{code(i18n, 'cstep_', value)}</option>)}
          </select>
        </label>
        <label>
          {t('stepDueOn')}
          <input name="stepDueOn" type="date" value={dueOn} disabled={confirming} onChange={(event) => setDueOn(event.target.value)} />
        </label>
      </div>
      <label className="block">
        {t('stepNote')}
        <input name="stepNote" value={note} maxLength={500} disabled={confirming} onChange={(event) => setNote(event.target.value)} />
      </label>
      {!confirming ? (
        <div className="actions">
          <button type="button" className="secondary" disabled={note.trim() === ''} onClick={() => setConfirming(true)} data-testid="review-step">{t('review')}</button>
        </div>
      ) : (
        <Confirm
          testId="confirm-step"
          rows={[[t('stepKind'), code(i18n, 'cstep_', kind)], [t('stepDueOn'), dueOn || '—'], [t('contactNote'), note.trim()]]}
          confirmLabel={t('confirmStep')}
          busy={busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void run(async () => { await recordStep(loanId, { kind, note: note.trim(), ...(dueOn ? { dueOn } : {}) }); setConfirming(false); setNote(''); setDueOn(''); onDone(); })}
        />
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function MarkDone({ stepId, onDone }: { readonly stepId: string; readonly onDone: () => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  return confirming ? (
    <span className="actions">
      <button type="button" className="primary" disabled={busy} onClick={() => void run(async () => { await completeStep(stepId); setConfirming(false); onDone(); })} data-testid="confirm-done">{t('confirmDone')}</button>
      <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)}>{t('cancel')}</button>
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  ) : (
    <button type="button" className="secondary" onClick={() => setConfirming(true)} data-testid="mark-done">{t('markDone')}</button>
  );
}
