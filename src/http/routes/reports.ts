/**
 * Management reports, read-only. The figures are computed in `src/reporting/`; this file only
 * turns fen into decimal strings.
 */
import { Type } from '@sinclair/typebox';
import { formatMoney } from '../../money/format-money.js';
import { formatPercent, portfolioReport, type PortfolioFigures } from '../../reporting/portfolio.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { roles } from '../access.js';
import { Money } from './servicing-schemas.js';

const Percent = Type.String({ description: 'percent, two decimals, e.g. "3.25"' });

const Figures = {
  loans: Type.Integer(),
  balance: Money,
  overdueBalance: Money,
  nplBalance: Money,
  provision: Money,
  overdueRatio: Percent,
  nplRatio: Percent,
  averageRate: Type.String({ description: 'balance-weighted average annual rate, percent' }),
};

const PortfolioSchema = Type.Object({
  asOf: Type.String(),
  totals: Type.Object({ ...Figures, borrowers: Type.Integer() }),
  classification: Type.Array(Type.Object({ category: Type.String(), loans: Type.Integer(), balance: Money, share: Percent })),
  products: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...Figures, share: Percent })),
});

function figuresJson(figures: PortfolioFigures) {
  return {
    loans: figures.loans,
    balance: formatMoney(figures.balance),
    overdueBalance: formatMoney(figures.overdueBalance),
    nplBalance: formatMoney(figures.nplBalance),
    provision: formatMoney(figures.provision),
    overdueRatio: formatPercent(figures.overdueRatio),
    nplRatio: formatPercent(figures.nplRatio),
    averageRate: figures.averageRate,
  };
}

export function reportRoutes(app: TypedApp, context: AppContext): void {
  app.get(
    '/v1/reports/portfolio',
    {
      config: { access: roles('management', 'risk-officer', 'auditor', 'admin') },
      schema: {
        summary: 'The portfolio: balance, five-category distribution, overdue and NPL ratios, average rate, by product',
        description: 'Active loans as of the business date. NPL = substandard + doubtful + loss. Overdue balance = outstanding principal of loans with days past due.',
        tags: ['reports'],
        response: { 200: PortfolioSchema },
      },
    },
    async () => {
      const report = await portfolioReport(context.db);
      return {
        asOf: report.asOf,
        totals: { ...figuresJson(report.totals), borrowers: report.totals.borrowers },
        classification: report.classification.map((row) => ({ category: row.category, loans: row.loans, balance: formatMoney(row.balance), share: formatPercent(row.share) })),
        products: report.products.map((row) => ({ code: row.code, name: row.name, ...figuresJson(row), share: formatPercent(row.share) })),
      };
    },
  );
}
