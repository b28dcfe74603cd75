/**
 * Lines and loans: a borrower's own (the server filters them); for staff, the loan book (paged,
 * searched, sorted on the server); with `?id=`, the staff loan page and its servicing actions; with
 * `?line=`, the staff credit line page.
 */
import { useEffect, useState } from 'react';
import { lines as fetchLines, loans as fetchLoans, type CreditLine, type LoanSummary, type User } from '../api';
import { DataTable } from '../components/DataTable';
import { percent, yuan } from '../format';
import { useI18n } from '../i18n';
import { errorMessage } from '../error-message';
import { classificationText, lineStatusText } from '../portal-text';
import { LoanBook } from './LoanBook';
import { StaffLinePage } from './StaffLinePage';
import { StaffLoanPage } from './StaffLoanPage';

export function LoansPage({ user, params, navigate }: { readonly user: User; readonly params: URLSearchParams; readonly navigate: (to: string) => void }) {
  const { t } = useI18n();
  const id = params.get('id');
  const lineId = params.get('line');
  if (user.role === 'borrower') return <BorrowerLoans user={user} />;
  if (id) return <StaffLoanPage id={id} user={user} navigate={navigate} />;
  if (lineId) return <StaffLinePage id={lineId} user={user} navigate={navigate} />;
  return (
    <section>
      <div className="page-title">
        <h2>{t('linesAndLoans')}</h2>
      </div>
      <LoanBook navigate={navigate} />
    </section>
  );
}

function BorrowerLoans({ user }: { readonly user: User }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [data, setData] = useState<{ lines: CreditLine[]; loans: LoanSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([fetchLines(), fetchLoans()]).then(([lines, loans]) => setData({ lines, loans }), (caught: unknown) => setError(errorMessage(i18n, caught)));
  }, []);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!data) return <p className="muted">{t('loading')}</p>;
  if (user.role === 'borrower' && user.enterpriseId === null) return <p className="muted">{t('noEnterprise')}</p>;

  return (
    <section>
      <div className="page-title">
        <h2>{t('linesAndLoans')}</h2>
      </div>
      <div className="panel">
        <h3>{t('line')}</h3>
        <DataTable
          testId="lines-table"
          rows={data.lines}
          rowKey={(line) => line.id}
          empty={t('empty')}
          columns={[
            { header: t('line'), cellClassName: 'mono', cell: (line) => line.id.slice(-8) },
            { header: t('limit'), className: 'num', cell: (line) => yuan(line.limit) },
            { header: t('available'), className: 'num', cell: (line) => yuan(line.available) },
            { header: t('rate'), className: 'num', cell: (line) => percent(line.annualRate) },
            { header: t('term'), cell: (line) => <>{line.startOn} – {line.endOn}</> },
            { header: t('status'), cell: (line) => lineStatusText(i18n, line.status) },
          ]}
        />
      </div>
      <div className="panel">
        <h3>{t('loan')}</h3>
        <DataTable
          testId="loans-table"
          rows={data.loans}
          rowKey={(loan) => loan.id}
          empty={t('empty')}
          columns={[
            { header: t('noteNo'), cellClassName: 'mono', cell: (loan) => loan.noteNo },
            { header: t('principal'), className: 'num', cell: (loan) => yuan(loan.principal) },
            { header: t('outstanding'), className: 'num', cell: (loan) => yuan(loan.outstanding) },
            { header: t('rate'), className: 'num', cell: (loan) => percent(loan.annualRate) },
            { header: t('disbursedOn'), cell: (loan) => loan.disbursedOn },
            { header: t('maturityOn'), cell: (loan) => loan.maturityOn },
            { header: t('dpd'), className: 'num', cell: (loan) => loan.daysPastDue },
            { header: t('classification'), cell: (loan) => <span className={`badge ${loan.classification}`}>{classificationText(i18n, loan.classification)}</span> },
          ]}
        />
      </div>
    </section>
  );
}
