/**
 * Lines and loans: a borrower's own (the server filters them), or the latest of the book for
 * staff. Drawing, repaying and the loan detail page come next.
 */
import { useEffect, useState } from 'react';
import { lines as fetchLines, loans as fetchLoans, type CreditLine, type LoanSummary, type User } from '../api';
import { percent, yuan } from '../format';
import { useI18n } from '../i18n';

export function LoansPage({ user }: { readonly user: User }) {
  const { t } = useI18n();
  const [data, setData] = useState<{ lines: CreditLine[]; loans: LoanSummary[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([fetchLines(), fetchLoans()]).then(([lines, loans]) => setData({ lines, loans }), (caught: Error) => setError(caught.message));
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
        <div className="table-scroll">
          <table data-testid="lines-table">
            <thead>
              <tr>
                <th>{t('line')}</th>
                <th className="num">{t('limit')}</th>
                <th className="num">{t('available')}</th>
                <th className="num">{t('rate')}</th>
                <th>{t('term')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.lines.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">{t('empty')}</td>
                </tr>
              )}
              {data.lines.map((line) => (
                <tr key={line.id}>
                  <td className="mono">{line.id.slice(-8)}</td>
                  <td className="num">{yuan(line.limit)}</td>
                  <td className="num">{yuan(line.available)}</td>
                  <td className="num">{percent(line.annualRate)}</td>
                  <td>{line.startOn} – {line.endOn}</td>
                  <td>{line.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="panel">
        <h3>{t('loan')}</h3>
        <div className="table-scroll">
          <table data-testid="loans-table">
            <thead>
              <tr>
                <th>{t('loan')}</th>
                <th className="num">{t('principal')}</th>
                <th className="num">{t('outstanding')}</th>
                <th className="num">{t('rate')}</th>
                <th>{t('disbursedOn')}</th>
                <th>{t('maturityOn')}</th>
                <th className="num">{t('dpd')}</th>
                <th>{t('classification')}</th>
              </tr>
            </thead>
            <tbody>
              {data.loans.length === 0 && (
                <tr>
                  <td colSpan={8} className="muted">{t('empty')}</td>
                </tr>
              )}
              {data.loans.map((loan) => (
                <tr key={loan.id}>
                  <td className="mono">{loan.id.slice(-8)}</td>
                  <td className="num">{yuan(loan.principal)}</td>
                  <td className="num">{yuan(loan.outstanding)}</td>
                  <td className="num">{percent(loan.annualRate)}</td>
                  <td>{loan.disbursedOn}</td>
                  <td>{loan.maturityOn}</td>
                  <td className="num">{loan.daysPastDue}</td>
                  <td>
                    <span className={`badge ${loan.classification}`}>{t(loan.classification)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
