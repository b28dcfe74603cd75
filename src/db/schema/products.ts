/** Tables of products and their pricing reference: the product catalogue and the dated LPR. */
import type { ColumnType, Generated } from 'kysely';
import type { LprTenor } from '../../pricing/lpr.js';
import type { ProductKind } from '../../products/default-products.js';
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface LprRateTable {
  tenor: LprTenor;
  effective_from: DateColumn;
  rate: string;
}

export interface ProductTable {
  id: string;
  code: string;
  /** The Chinese name, the one in the contract. */
  name: string;
  /** The English name. */
  name_en: string;
  kind: ProductKind;
  working_capital: boolean;
  min_amount: MoneyColumn;
  max_amount: MoneyColumn;
  min_term_days: number;
  max_term_days: number;
  schedule: ColumnType<Record<string, unknown>, string, string>;
  lpr_tenor: LprTenor;
  spread: string;
  penalty_multiplier: string;
  compound_overdue_interest: boolean;
  allocation_order: string;
  days_in_year: number;
  status: 'active' | 'retired';
  created_at: Timestamp;
  /** Days before maturity from which a renewal (续贷) may be asked for (migration 0027). */
  renewal_window_days: Generated<number>;
}

export interface ProductsTables {
  lpr_rate: LprRateTable;
  product: ProductTable;
}
