/**
 * The officer's warning inbox (预警待办): warnings filtered by level, rule, status, region and
 * assignee, each acknowledged, resolved with a finding or dismissed as a false alarm after a
 * confirmation that says what will (and will not) happen; and the open tasks, earliest due first.
 */
import { useState } from 'react';
import { acknowledgeWarning, askUndoAction, completeTask, warningActions, type WarningActionRow, dismissWarning, listTasks, listWarnings, resolveWarning, WARNING_LEVEL_LIST, WARNING_STATUS_LIST, type WarningFilter, type WarningRow } from '../api-monitoring';
import { useApi } from '../components/useApi';
import { useAction } from '../components/useAction';
import { useI18n, type MessageKey } from '../i18n';
import { fill } from '../error-message';
import { roleText } from '../portal-text';

type Pending = { readonly warning: WarningRow; readonly verb: 'acknowledge' | 'resolve' | 'dismiss' };

/** Actions a second person can undo (tasks and escalations are closed, not undone). */
const UNDOABLE: readonly WarningActionRow['kind'][] = ['freeze', 'cut-limit', 'stop-renewal', 'special-mention'];

const RULES = ['electricity-mom', 'electricity-yoy', 'electricity-vs-approval', 'water-mom', 'water-yoy', 'water-vs-approval', 'sales-mom', 'sales-yoy', 'sales-vs-approval', 'tax-arrears', 'headcount-fall', 'lawsuit-defendant', 'dishonest-debtor', 'administrative-penalty', 'bureau-overdue', 'own-overdue', 'utilisation-jump', 'circular-use', 'collateral-value', 'authorisation-missing'] as const satisfies readonly WarningRow['rule'][];

export function WarningsPage({ navigate }: { readonly navigate: (to: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const code = (key: string) => t(key as MessageKey);
  // People by their display names; a username only for someone no longer on file.
  const person = (name: string | null, username: string | null) => name ?? username;
  const [filter, setFilter] = useState<WarningFilter>({ status: 'open' });
  const warnings = useApi(() => listWarnings(filter), [JSON.stringify(filter)]);
  const tasks = useApi(() => listTasks(), []);
  const [pending, setPending] = useState<Pending | null>(null);
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const [undoFor, setUndoFor] = useState<WarningRow | null>(null);
  const undoable = useApi(() => (undoFor === null ? Promise.resolve([]) : warningActions(undoFor.id)), [undoFor?.id]);
  const [undoPending, setUndoPending] = useState<WarningActionRow | null>(null);
  const [undoReason, setUndoReason] = useState('');
  const [undoSent, setUndoSent] = useState<string[]>([]);
  async function askUndo() {
    if (!undoPending) return;
    await run(async () => {
      await askUndoAction(undoPending.id, undoReason);
      setUndoSent((sent) => [...sent, undoPending.id]);
      setUndoPending(null);
      setUndoReason('');
    });
  }

  const set = (patch: Partial<Record<keyof WarningFilter, string>>) => setFilter((current) => ({ ...current, ...Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === '' ? undefined : v])) }));
  async function confirm() {
    if (!pending) return;
    await run(async () => {
      const { warning, verb } = pending;
      if (verb === 'acknowledge') await acknowledgeWarning(warning.id);
      else if (verb === 'resolve') await resolveWarning(warning.id, note);
      else await dismissWarning(warning.id, note);
      setPending(null);
      setNote('');
      warnings.reload();
    });
  }

  return (
    <section data-testid="warnings-page">
      <h1>{t('warningInbox')}</h1>
      <div className="form-grid filters">
        <label>
          {t('warningLevel')}
          <select name="level" value={filter.level ?? ''} onChange={(e) => set({ level: e.target.value })}>
            <option value="">{t('allOptions')}</option>
            {WARNING_LEVEL_LIST.map((level) => <option key={level} value={level}>{code(`wl_${level}`)}</option>)}
          </select>
        </label>
        <label>
          {t('warningRule')}
          <select name="rule" value={filter.rule ?? ''} onChange={(e) => set({ rule: e.target.value })}>
            <option value="">{t('allOptions')}</option>
            {RULES.map((rule) => <option key={rule} value={rule}>{code(`wr_${rule}`)}</option>)}
          </select>
        </label>
        <label>
          {t('warningStatus')}
          <select name="status" value={filter.status ?? ''} onChange={(e) => set({ status: e.target.value })}>
            <option value="">{t('allOptions')}</option>
            {WARNING_STATUS_LIST.map((status) => <option key={status} value={status}>{code(`ws_${status}`)}</option>)}
          </select>
        </label>
        <label>
          {t('warningRegion')}
          <input name="region" inputMode="numeric" maxLength={6} value={filter.region ?? ''} onChange={(e) => set({ region: /^[0-9]{2,6}$/.test(e.target.value) ? e.target.value : '' })} />
        </label>
        <label>
          {t('warningAssignee')}
          <input name="assignee" maxLength={64} placeholder={t('assigneeHint')} value={filter.assignee ?? ''} onChange={(e) => set({ assignee: e.target.value })} />
        </label>
      </div>
      {warnings.error && <p className="error" role="alert">{warnings.error}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {pending && (
        <div className="confirm" data-testid="warning-confirmation">
          <strong>{code(`wl_${pending.warning.level}`)} · {code(`wr_${pending.warning.rule}`)} · {pending.warning.enterpriseName}</strong>
          <p>{t(pending.verb === 'acknowledge' ? 'confirmAcknowledge' : pending.verb === 'resolve' ? 'confirmResolve' : 'confirmDismiss')}</p>
          {pending.verb !== 'acknowledge' && (
            <label>
              {t(pending.verb === 'resolve' ? 'findingLabel' : 'dismissReasonLabel')}
              <textarea name="note" maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
            </label>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={busy || (pending.verb !== 'acknowledge' && note.trim().length < 2)} onClick={confirm} data-testid="confirm-warning">{t('confirmAction')}</button>
            <button type="button" className="secondary" onClick={() => setPending(null)}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {undoFor && (
        <div className="confirm" data-testid="undo-panel">
          <strong>{t('undoActions')} · {code(`wl_${undoFor.level}`)} · {code(`wr_${undoFor.rule}`)} · {undoFor.enterpriseName}</strong>
          {undoable.data !== undefined && undoable.data.filter((a) => UNDOABLE.includes(a.kind) && a.status === 'applied').length === 0 && <p className="muted">{t('noUndoable')}</p>}
          <ul className="plain">
            {(undoable.data ?? []).filter((a) => UNDOABLE.includes(a.kind) && a.status === 'applied').map((a) => (
              <li key={a.id} data-testid="undoable-action">
                {code(`wa_${a.kind}`)} · {a.businessDate}{' '}
                {undoSent.includes(a.id) ? (
                  <span className="muted" data-testid="undo-requested">{t('undoRequested')}</span>
                ) : (
                  <button type="button" className="secondary" onClick={() => setUndoPending(a)} data-testid={`undo-${a.kind}`}>{t('undoActions')}</button>
                )}
              </li>
            ))}
          </ul>
          {undoPending && (
            <div data-testid="undo-confirmation">
              <p>{fill(t('confirmUndo'), { action: code(`wa_${undoPending.kind}`) })}</p>
              <label>
                {t('undoReasonLabel')}
                <textarea name="undoReason" maxLength={1000} value={undoReason} onChange={(e) => setUndoReason(e.target.value)} />
              </label>
              <div className="actions">
                <button type="button" className="primary" disabled={busy || undoReason.trim().length < 2} onClick={askUndo} data-testid="confirm-undo">{t('askUndo')}</button>
                <button type="button" className="secondary" onClick={() => setUndoPending(null)}>{t('cancel')}</button>
              </div>
            </div>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => { setUndoFor(null); setUndoPending(null); }}>{t('cancel')}</button>
          </div>
        </div>
      )}
      {warnings.data === undefined ? (
        <p className="muted">{t('loading')}</p>
      ) : warnings.data.length === 0 ? (
        <p className="muted">{t('noWarnings')}</p>
      ) : (
        <table className="table cards" data-testid="warning-table">
          <thead>
            <tr>
              <th>{t('warningRaisedOn')}</th>
              <th>{t('warningLevel')}</th>
              <th>{t('warningRule')}</th>
              <th>{t('warningValue')}</th>
              <th>{t('enterprise360')}</th>
              <th>{t('warningStatus')}</th>
              <th>{t('warningAssignee')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {warnings.data.map((w) => (
              <tr key={w.id} className={`level-${w.level}`}>
                <td data-label={t('warningRaisedOn')}>{w.raisedOn}</td>
                <td data-label={t('warningLevel')}><span className={`badge level-${w.level}`}>{code(`wl_${w.level}`)}</span></td>
                <td data-label={t('warningRule')}>{code(`wr_${w.rule}`)}</td>
                <td data-label={t('warningValue')}>{w.value}</td>
                <td data-label={t('enterprise360')}>
                  <a href={`/enterprises?id=${w.enterprise}`} onClick={(e) => { e.preventDefault(); navigate(`/enterprises?id=${w.enterprise}`); }}>{w.enterpriseName}</a>
                </td>
                <td data-label={t('warningStatus')} data-testid="warning-status">
                  {/* One child: the card layout (390 px) spreads a cell's children apart. */}
                  <span>
                    {code(`ws_${w.status}`)}
                    {w.status === 'acknowledged' && w.acknowledgedBy !== null && <span className="muted small"> · {t('acknowledgedByLabel')} {person(w.acknowledgedByName, w.acknowledgedBy)}</span>}
                    {(w.status === 'resolved' || w.status === 'dismissed') && w.closedBy !== null && <span className="muted small"> · {t('closedByLabel')} {person(w.closedByName, w.closedBy)}</span>}
                  </span>
                </td>
                <td data-label={t('warningAssignee')} data-testid="warning-assignee">{person(w.assigneeName, w.assignee) ?? t('assigneePool')}</td>
                <td className="actions">
                  {w.status === 'open' && <button type="button" className="secondary" onClick={() => setPending({ warning: w, verb: 'acknowledge' })}>{t('acknowledge')}</button>}
                  {(w.status === 'open' || w.status === 'acknowledged') && (
                    <>
                      <button type="button" className="secondary" onClick={() => setPending({ warning: w, verb: 'resolve' })}>{t('resolve')}</button>
                      <button type="button" className="secondary" onClick={() => setPending({ warning: w, verb: 'dismiss' })}>{t('dismiss')}</button>
                    </>
                  )}
                  {(w.level === 'orange' || w.level === 'red' || w.level === 'yellow') && <button type="button" className="secondary" onClick={() => { setUndoFor(w); setUndoPending(null); }} data-testid="open-undo">{t('undoActions')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('tasks')}</h2>
      {tasks.data === undefined ? (
        <p className="muted">{tasks.error ?? t('loading')}</p>
      ) : tasks.data.length === 0 ? (
        <p className="muted">{t('noTasks')}</p>
      ) : (
        <table className="table cards" data-testid="task-table">
          <thead>
            <tr>
              <th>{t('taskDue')}</th>
              <th>{t('taskKind')}</th>
              <th>{t('taskRole')}</th>
              <th>{t('warningRule')}</th>
              <th>{t('enterprise360')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tasks.data.map((task) => (
              <tr key={task.id}>
                <td data-label={t('taskDue')}>{task.dueOn}</td>
                <td data-label={t('taskKind')}>{code(`tk_${task.kind}`)}</td>
                <td data-label={t('taskRole')} data-testid="task-assignee">
                  {roleText(i18n, task.role)}
                  {task.assignee !== null && ` · ${person(task.assigneeName, task.assignee)}`}
                </td>
                <td data-label={t('warningRule')}>{code(`wl_${task.level}`)} · {code(`wr_${task.rule}`)}</td>
                <td data-label={t('enterprise360')}>{task.enterpriseName}</td>
                <td className="actions">
                  <button type="button" className="secondary" disabled={busy} onClick={() => run(async () => { await completeTask(task.id); tasks.reload(); })}>{t('markDone')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
