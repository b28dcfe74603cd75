/** Tables of supply-chain finance (供应链金融, migration 0040; src/supply-chain/). */
import type { ColumnType, Generated } from 'kysely';
import type { Classification } from '../../classification/classification.js';
import type { CertificateStatus, DilutionEffect, DilutionKind, FinancingStatus, InterestPayer, InterestTiming, ProgrammeStatus, ReceivableStatus } from '../../supply-chain/supply-chain-codes.js';
import type { Minor } from '../../money/minor.js';
import type { BusinessDate } from '../../calendar/business-date.js';
import type { LprTenor } from '../../pricing/lpr.js';
import type { RateUnits } from '../../pricing/rate-units.js';
import type { RateUnitsColumn, DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface ScfProgrammeTable {
  id: string;
  core_enterprise_id: string;
  limit_amount: MoneyColumn;
  starts_on: DateColumn;
  ends_on: DateColumn;
  lpr_tenor: LprTenor;
  spread_units: RateUnitsColumn;
  interest_payer: InterestPayer;
  interest_timing: InterestTiming;
  /** Advance rate in basis points of the confirmed amount: 9000 lends 90%. */
  advance_rate_bp: number;
  max_tenor_days: number;
  /** Concentration: financing outstanding to one supplier under this programme. */
  supplier_limit: MoneyColumn;
  /** Concentration: financing outstanding to suppliers of one industry under this programme. */
  industry_limit: MoneyColumn;
  /** Penalty rate ÷ financing rate on financing past due (migration 0055), e.g. "1.5". */
  penalty_multiplier: Generated<string>;
  status: ProgrammeStatus;
  /** Why the programme is suspended (migration 0059); null while active. */
  suspended_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
}

export interface ScfEligibleSupplierTable {
  programme_id: string;
  enterprise_id: string;
  added_by: string;
  added_at: Timestamp;
}

export interface ScfReceivableTable {
  id: string;
  programme_id: string;
  seller_id: string;
  buyer_id: string;
  invoice_no: string;
  amount: MoneyColumn;
  issued_on: DateColumn;
  due_on: DateColumn;
  documents: string;
  status: ReceivableStatus;
  confirmed_amount: ColumnType<Minor | null, Minor | null, Minor | null>;
  confirmed_by: string | null;
  confirmed_on: ColumnType<BusinessDate | null, BusinessDate | null, BusinessDate | null>;
  disputed: Generated<boolean>;
  /** What the pledge-registry check answered at registration (中登网 search reference). */
  registry_reference: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ScfCertificateTable {
  id: string;
  receivable_id: string;
  /** The certificate this part was split or transferred from; null for the one confirmation made. */
  parent_id: string | null;
  programme_id: string;
  core_enterprise_id: string;
  holder_id: string;
  /** 1 for the core enterprise's direct supplier, one more for each transfer down the chain. */
  tier: number;
  face_amount: MoneyColumn;
  due_on: DateColumn;
  status: CertificateStatus;
  warning: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ScfDilutionTable {
  id: string;
  receivable_id: string;
  kind: DilutionKind;
  amount: MoneyColumn;
  business_date: DateColumn;
  note: string;
  effect: DilutionEffect;
  created_by: string;
  created_at: Timestamp;
}

export interface ScfFinancingTable {
  id: string;
  certificate_id: string;
  programme_id: string;
  core_enterprise_id: string;
  supplier_id: string;
  face_amount: MoneyColumn;
  principal: MoneyColumn;
  rate_units: RateUnitsColumn;
  days: number;
  interest: MoneyColumn;
  interest_payer: InterestPayer;
  interest_timing: InterestTiming;
  disbursed: MoneyColumn;
  financed_on: DateColumn;
  due_on: DateColumn;
  status: FinancingStatus;
  dpd: Generated<number>;
  classification: ColumnType<Classification, Classification | undefined, Classification>;
  settled_on: ColumnType<BusinessDate | null, BusinessDate | null | undefined, BusinessDate | null>;
  surplus_paid: ColumnType<Minor | null, Minor | null | undefined, Minor | null>;
  /** Migration 0055: the penalty rate fixed at financing (rate × the programme's multiplier). */
  penalty_rate_units: ColumnType<RateUnits, RateUnits | undefined, RateUnits>;
  /** Penalty accrued by end of day while past due, and the fraction of a fen carried to the next night. */
  penalty_due: ColumnType<Minor, Minor | undefined, Minor>;
  penalty_remainder: ColumnType<bigint, bigint | undefined, bigint>;
  /** Specific provision (专项准备): principal × the category's rate, as a loan's. */
  provision: ColumnType<Minor, Minor | undefined, Minor>;
  /** The last business date end of day processed this financing. */
  last_eod_on: ColumnType<BusinessDate | null, BusinessDate | null | undefined, BusinessDate | null>;
  created_by: string;
  created_at: Timestamp;
}

export interface SupplyChainTables {
  scf_programme: ScfProgrammeTable;
  scf_eligible_supplier: ScfEligibleSupplierTable;
  scf_receivable: ScfReceivableTable;
  scf_certificate: ScfCertificateTable;
  scf_dilution: ScfDilutionTable;
  scf_financing: ScfFinancingTable;
}
