/**
 * A credit line's settlement accounts (结算账户: 放款账户 where drawdowns are paid, 还款账户 what
 * repayments are debited from), masked to their last four digits, with a way to change one: fill
 * in the new account, check the change side by side with the account in force, then confirm. A
 * borrower's change takes effect at once (audited); staff's is sent to a checker (maker-checker,
 * `line.account-change`) and takes effect when confirmed — the card says which before anything is
 * sent. Nothing is changed before the confirmation.
 */
import { useState } from 'react';
import { changeAccount, lineAccountsOf, type AccountPurpose, type SettlementAccount } from '../api-portal';
import { bracketText, useI18n, type MessageKey } from '../i18n';
import { usePortalAction } from '../portal-errors';
import { useApi } from './useApi';

const PURPOSES: readonly AccountPurpose[] = ['disbursement', 'repayment'];
const PURPOSE_LABEL: Record<AccountPurpose, MessageKey> = { disbursement: 'disbursementAccount', repayment: 'repaymentAccount' };

/** How the account will read once saved: the number masked as the server masks it ("****0123"). */
function maskTyped(accountNo: string): string {
  const digits = accountNo.replace(/[\s-]/g, '');
  return `****${digits.slice(-4)}`;
}

/**
 * `changer`: 'borrower' changes at once, 'staff' proposes for a checker, null only reads.
 *
 * @example
 * <SettlementAccounts lineId={line.id} changer="borrower" />
 */
export function SettlementAccounts({ lineId, changer }: { readonly lineId: string; readonly changer: 'borrower' | 'staff' | null }) {
  const { t } = useI18n();
  const accounts = useApi(() => lineAccountsOf(lineId), [lineId]);
  const [editing, setEditing] = useState<AccountPurpose | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (accounts.error) return <p className="error" role="alert">{accounts.error}</p>;
  if (!accounts.data) return null;
  const data = accounts.data;
  return (
    <div className="panel" data-testid="settlement-accounts">
      <h3>{t('accountsTitle')}</h3>
      <dl className="facts accounts">
        {PURPOSES.map((purpose) => (
          <div className="fact" key={purpose} data-testid={`account-${purpose}`}>
            <dt>{t(PURPOSE_LABEL[purpose])}</dt>
            <dd>
              <AccountLine account={data[purpose]} />
              {changer !== null && editing === null && (
                <button type="button" className="link-button" data-testid={`change-${purpose}`} onClick={() => { setEditing(purpose); setNotice(null); }}>
                  {t('changeAccount')}
                </button>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {notice && <p className="ok" data-testid="account-notice">{notice}</p>}
      {editing !== null && changer !== null && (
        <ChangeForm
          key={editing}
          lineId={lineId}
          purpose={editing}
          before={data[editing]}
          changer={changer}
          onCancel={() => setEditing(null)}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
            accounts.reload();
          }}
        />
      )}
    </div>
  );
}

function AccountLine({ account }: { readonly account: Pick<SettlementAccount, 'bankName' | 'bankCode' | 'accountNoMasked'> | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (account === null) return <span className="muted">{t('accountNone')}</span>;
  return (
    <span>
      {account.bankName} <span className="mono" data-testid="account-masked">{account.accountNoMasked}</span> <span className="muted small">{bracketText(i18n, account.bankCode)}</span>
    </span>
  );
}

interface Fields {
  readonly bankName: string;
  readonly bankCode: string;
  readonly accountNo: string;
  readonly reason: string;
}

function ChangeForm({
  lineId,
  purpose,
  before,
  changer,
  onCancel,
  onDone,
}: {
  readonly lineId: string;
  readonly purpose: AccountPurpose;
  readonly before: SettlementAccount | null;
  readonly changer: 'borrower' | 'staff';
  readonly onCancel: () => void;
  readonly onDone: (message: string) => void;
}) {
  const { t } = useI18n();
  const [fields, setFields] = useState<Fields>({ bankName: '', bankCode: '', accountNo: '', reason: '' });
  const [checking, setChecking] = useState(false);
  const { busy, error, run } = usePortalAction();
  const set = (key: keyof Fields) => (event: { target: { value: string } }) => {
    setFields({ ...fields, [key]: event.target.value });
    setChecking(false);
  };
  const complete = fields.bankName.trim() !== '' && fields.bankCode.trim() !== '' && fields.accountNo.trim() !== '' && (changer === 'borrower' || fields.reason.trim() !== '');
  const title = t('accountChangeTitle').replace('{purpose}', t(PURPOSE_LABEL[purpose]));

  const submit = () =>
    run(async () => {
      const body = { bankName: fields.bankName, bankCode: fields.bankCode, accountNo: fields.accountNo, ...(changer === 'staff' ? { reason: fields.reason } : {}) };
      await changeAccount(lineId, purpose, body);
      onDone(t(changer === 'borrower' ? 'accountChanged' : 'accountChangeSent'));
    });

  return (
    <div className="subpanel" data-testid="account-change">
      <h3>{title}</h3>
      {!checking ? (
        <form
          className="form-grid account-fields"
          onSubmit={(event) => {
            event.preventDefault();
            if (complete) setChecking(true);
          }}
        >
          <label>
            {t('bankName')}
            <input name="bankName" value={fields.bankName} onChange={set('bankName')} />
          </label>
          <label>
            {t('bankCode')}
            <input name="bankCode" inputMode="numeric" value={fields.bankCode} onChange={set('bankCode')} />
          </label>
          <label>
            {t('accountNo')}
            <input name="accountNo" inputMode="numeric" autoComplete="off" value={fields.accountNo} onChange={set('accountNo')} />
          </label>
          {changer === 'staff' && (
            <label className="wide">
              {t('accountChangeReason')}
              <input name="reason" value={fields.reason} onChange={set('reason')} />
            </label>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={!complete} data-testid="account-next">{t('accountChangeNext')}</button>
            <button type="button" className="secondary" onClick={onCancel}>{t('cancel')}</button>
          </div>
        </form>
      ) : (
        <div data-testid="account-confirm">
          <p className="small">{t('accountChangeCheck')}</p>
          <dl className="facts">
            <div className="fact">
              <dt>{t('accountBefore')}</dt>
              <dd data-testid="account-before"><AccountLine account={before} /></dd>
            </div>
            <div className="fact">
              <dt>{t('accountAfter')}</dt>
              <dd data-testid="account-after"><AccountLine account={{ bankName: fields.bankName.trim(), bankCode: fields.bankCode.trim(), accountNoMasked: maskTyped(fields.accountNo) }} /></dd>
            </div>
            {changer === 'staff' && (
              <div className="fact">
                <dt>{t('accountChangeReason')}</dt>
                <dd>{fields.reason}</dd>
              </div>
            )}
          </dl>
          <p className="muted small" data-testid="account-effect">{t(changer === 'borrower' ? 'accountChangeEffectBorrower' : 'accountChangeEffectStaff')}</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} data-testid="account-confirm-button" onClick={submit}>
              {t(changer === 'borrower' ? 'accountChangeConfirm' : 'accountChangeSubmit')}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setChecking(false)}>{t('accountChangeBack')}</button>
          </div>
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="account-error">{error}</p>}
    </div>
  );
}
