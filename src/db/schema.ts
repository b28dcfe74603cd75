/**
 * The database schema as Kysely sees it: one interface per table.
 *
 * Keep it in step with `migrations/`. Money columns are `bigint` (fen) and arrive as JS `bigint`
 * on both backends (see `pglite-backend.ts`, `postgres-backend.ts`).
 */
import type { EcologyTables } from './schema/ecology.js';
import type { ColumnType, Generated } from 'kysely';

/** Timestamps are written as JS Dates and read back as Dates. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface SchemaMigrationTable {
  name: string;
  applied_at: Timestamp;
}

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  /** `scrypt$N$r$p$salt$hash`, see `auth/password.ts`. */
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  /** Largest amount (fen) this user may approve alone; null: no approval authority. */
  approval_limit: bigint | null;
}

export interface ApiTokenTable {
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** Dates are business dates, 'YYYY-MM-DD' strings in both directions. */
type DateColumn = string;

export interface SystemStateTable {
  id: number;
  business_date: DateColumn;
}

export interface LedgerAccountTable {
  code: string;
  name: string;
  name_zh: string;
  type: 'asset' | 'liability' | 'equity' | 'income' | 'expense' | 'off-balance';
  /** What Sprout posts to it (`loans-normal`, `interest-income`…); one account per purpose. */
  purpose: string;
}

export interface JournalEntryTable {
  id: string;
  business_date: DateColumn;
  kind: string;
  description: string;
  loan_id: string | null;
  reverses_id: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface JournalLineTable {
  entry_id: string;
  line_no: number;
  account_code: string;
  /** Fen; debit positive, credit negative. */
  amount: bigint;
}

export interface EnterpriseTable {
  id: string;
  name: string;
  credit_code: string | null;
  size_class: 'large' | 'medium' | 'small' | 'micro';
  created_at: Timestamp;
}

export interface LprRateTable {
  tenor: '1y' | '5y';
  effective_from: DateColumn;
  rate: string;
}

export interface ProductTable {
  id: string;
  code: string;
  name: string;
  kind: 'revolving-line' | 'short-term' | 'term-loan';
  working_capital: boolean;
  min_amount: bigint;
  max_amount: bigint;
  min_term_days: number;
  max_term_days: number;
  schedule: ColumnType<Record<string, unknown>, string, string>;
  lpr_tenor: '1y' | '5y';
  spread: string;
  penalty_multiplier: string;
  compound_overdue_interest: boolean;
  allocation_order: string;
  days_in_year: number;
  status: 'active' | 'retired';
  created_at: Timestamp;
}

export interface CreditLineTable {
  id: string;
  enterprise_id: string;
  product_id: string;
  limit_amount: bigint;
  available: bigint;
  revolving: boolean;
  annual_rate: string;
  start_on: DateColumn;
  end_on: DateColumn;
  status: 'active' | 'frozen' | 'closed';
  created_at: Timestamp;
}

export type Classification = 'normal' | 'special-mention' | 'substandard' | 'doubtful' | 'loss';

export interface LoanTable {
  id: string;
  enterprise_id: string;
  product_id: string;
  line_id: string | null;
  renewed_from_id: string | null;
  shard: number;
  status: 'active' | 'closed' | 'written-off' | 'renewed';
  disbursed_on: DateColumn;
  maturity_on: DateColumn;
  principal: bigint;
  annual_rate: string;
  rate_units: bigint;
  penalty_rate_units: bigint;
  compound_rate_units: bigint;
  days_in_year: number;
  working_capital: boolean;
  allocation_order: string;
  principal_not_due: bigint;
  principal_due: bigint;
  interest_accrued: bigint;
  interest_due: bigint;
  penalty_due: bigint;
  interest_remainder: bigint;
  penalty_remainder: bigint;
  next_due_on: DateColumn | null;
  next_due_principal: bigint;
  overdue_since: DateColumn | null;
  dpd: number;
  classification: Classification;
  provision: bigint;
  last_eod_on: DateColumn | null;
  created_at: Timestamp;
  /** Fen written off (核销) and recovered since; recovered ≤ written_off. */
  written_off: Generated<bigint>;
  recovered: Generated<bigint>;
  /** End of the observation period of a restructured loan: at least special mention until then. */
  restructured_until: DateColumn | null;
}

export interface LoanInstallmentTable {
  loan_id: string;
  number: number;
  due_on: DateColumn;
  principal: bigint;
  interest: bigint;
}

export interface IdempotencyRecordTable {
  key: string;
  operation: string;
  request_hash: string;
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export interface EodRunTable {
  id: string;
  business_date: DateColumn;
  shards_per_chunk: number;
  chunk_count: number;
  rules_version: string;
  status: 'running' | 'done';
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface EodChunkTable {
  run_id: string;
  chunk_no: number;
  /** Shards `shard_from <= shard < shard_to`. */
  shard_from: number;
  shard_to: number;
  status: 'pending' | 'claimed' | 'done';
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  done_at: Timestamp | null;
  loans: number;
  interest: bigint;
  penalty: bigint;
}

export interface AuditStreamTable {
  stream: number;
  position: bigint;
  head_hash: string;
}

export interface AuditEventTable {
  stream: number;
  position: bigint;
  id: string;
  at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
  prev_hash: string;
  hash: string;
}

export interface ApprovalRequestTable {
  id: string;
  kind: string;
  subject_id: string;
  payload: ColumnType<unknown, string, string>;
  maker: string;
  made_at: Timestamp;
  status: 'pending' | 'approved' | 'rejected';
  checker: string | null;
  decided_at: Timestamp | null;
  result: ColumnType<unknown, string | null, string | null>;
}

/** Every table, keyed by its SQL name. */
export interface Database {
  schema_migration: SchemaMigrationTable;
  app_user: AppUserTable;
  api_token: ApiTokenTable;
  system_state: SystemStateTable;
  ledger_account: LedgerAccountTable;
  journal_entry: JournalEntryTable;
  journal_line: JournalLineTable;
  enterprise: EnterpriseTable;
  lpr_rate: LprRateTable;
  product: ProductTable;
  credit_line: CreditLineTable;
  loan: LoanTable;
  loan_installment: LoanInstallmentTable;
  idempotency_record: IdempotencyRecordTable;
  audit_stream: AuditStreamTable;
  audit_event: AuditEventTable;
  approval_request: ApprovalRequestTable;
  eod_run: EodRunTable;
  eod_chunk: EodChunkTable;
}

// ---- 0006-origination-data: the enterprise registry and data sharing ----------------------------
// Declared as interface merges, so this migration's tables stay in one appended block.

/** An owner as stored (`enterprise.owners`); ID numbers are stored as given and never logged. */
export interface EnterpriseOwnerRow {
  name: string;
  idNumber: string;
  /** Mobile number; null when not given (and on records made before phones were kept). */
  phone: string | null;
  role: 'legal-representative' | 'shareholder' | 'actual-controller';
  /** Share of the enterprise, percent, when a shareholder. */
  sharePercent: number | null;
}

export interface EnterpriseTable {
  /** Industry group of the size standard (`IndustryCode` in `enterprises/size-standard.ts`). */
  industry: Generated<string | null>;
  region_code: Generated<string | null>;
  registered_on: Generated<DateColumn | null>;
  employees: Generated<number | null>;
  /** Declared annual operating revenue, fen. */
  revenue: Generated<bigint | null>;
  /** Declared total assets, fen. */
  assets: Generated<bigint | null>;
  owners: ColumnType<EnterpriseOwnerRow[], string | undefined, string>;
}

export interface DataAuthorisationTable {
  id: string;
  enterprise_id: string;
  sources: ColumnType<string[], string, string>;
  purpose: string;
  granted_on: DateColumn;
  expires_on: DateColumn;
  revoked_at: Timestamp | null;
  granted_by: string;
  evidence: string | null;
  created_at: Timestamp;
}

export interface DataPullTable {
  id: string;
  enterprise_id: string;
  purpose: string;
  provider: string;
  sources: ColumnType<string[], string, string>;
  authorisations: ColumnType<Record<string, string>, string, string>;
  as_of: DateColumn;
  months: number;
  record_count: number;
  actor: string;
  pulled_at: Timestamp;
}


export interface Database {
  data_authorisation: DataAuthorisationTable;
  data_pull: DataPullTable;
}

// ---- 0008-applications ----------------------------------------------------------------------

export interface ApplicationTable {
  id: string;
  enterprise_id: string;
  product_id: string;
  business_date: DateColumn;
  /**
   * The decision's outcome; a referral becomes `approved` or `declined` by review, or waits in
   * `pending-confirmation` for a second approver; `accepted` once the offer became a line.
   */
  status: 'approved' | 'declined' | 'referred' | 'accepted' | 'pending-confirmation';
  outcome: 'approved' | 'declined' | 'referred';
  limit_amount: bigint;
  rate_units: bigint | null;
  inputs: ColumnType<unknown, string, string>;
  decision: ColumnType<unknown, string, string>;
  pull_id: string | null;
  line_id: string | null;
  applied_by: string;
  created_at: Timestamp;
  reviewed_by: Generated<string | null>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  review_note: Generated<string | null>;
}

export interface Database {
  application: ApplicationTable;
}

// ---- 0009-origination-review ----------------------------------------------------------------

export type ProspectSource = 'supply-chain' | 'business-district' | 'platform';

export interface ProspectBatchTable {
  id: string;
  source: ProspectSource;
  source_name: string;
  total: number;
  pre_approved: number;
  declined: number;
  invalid: number;
  rules_version: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ProspectTable {
  id: string;
  batch_id: string;
  position: number;
  credit_code: string;
  name: string;
  status: 'pre-approved' | 'declined' | 'invalid';
  indicative_limit: bigint | null;
  reasons: ColumnType<string[], string, string>;
  enterprise_id: string | null;
}

export interface Database {
  prospect_batch: ProspectBatchTable;
  prospect: ProspectTable;
}

// ---- 0010-borrowers-and-policies ----------------------------------------------------------------

/** A borrower's binding to an enterprise it may see and act for (one user, many enterprises). */
export interface UserEnterpriseTable {
  user_id: string;
  enterprise_id: string;
  bound_at: Timestamp;
  bound_by: string;
}

/** An approved version of the decision policy; the highest version is active. */
export interface AppUserTable {
  /** A mainland mobile number given at registration; personal data, masked in views, never logged. */
  phone: Generated<string | null>;
}

export interface DecisionPolicyTable {
  version: number;
  /** `{ policy, bands, limits, pricing }` (see `decision/policy-versions.ts`). */
  config: ColumnType<unknown, string, string>;
  note: string;
  made_by: string;
  checked_by: string;
  activated_at: Timestamp;
}

export interface Database {
  user_enterprise: UserEnterpriseTable;
  decision_policy: DecisionPolicyTable;
}

/** One row per business date closed by end of day and per group (migration 0011). */
export interface PortfolioSnapshotTable {
  business_date: DateColumn;
  dimension: 'total' | 'region' | 'industry' | 'size';
  /** '' for the total; the region code, industry key or size class; 'unknown' when not recorded. */
  key: string;
  loans: bigint;
  borrowers: bigint;
  balance: bigint;
  overdue_balance: bigint;
  npl_balance: bigint;
  provision: bigint;
  /** numeric, read as a decimal string. */
  rate_weighted: ColumnType<string, string, string>;
  new_loans: bigint;
  new_lending: bigint;
}

export interface Database {
  portfolio_snapshot: PortfolioSnapshotTable;
}

// ---- 0012-renewal-requests ------------------------------------------------------------------

export interface RenewalRequestTable {
  id: string;
  loan_id: string;
  enterprise_id: string;
  term_days: number | null;
  installments: number | null;
  note: string;
  status: 'pending' | 'renewed' | 'refused';
  requested_by: string;
  requested_at: Timestamp;
  business_date: DateColumn;
  settled_by: string | null;
  new_loan_id: string | null;
}

export interface Database {
  renewal_request: RenewalRequestTable;
}

// ---- 0013-data-record-sets ------------------------------------------------------------------

/** One element of `data_record_set.records`: a record as `record-fields.ts` encodes it. */
export interface StoredRecord {
  kind: string;
  period: string;
  payload: Record<string, unknown>;
}

/** The records one pull returned for one source. */
export interface DataRecordSetTable {
  pull_id: string;
  source: string;
  enterprise_id: string;
  record_count: number;
  records: ColumnType<StoredRecord[], string, string>;
  pulled_at: Timestamp;
}

export interface Database {
  data_record_set: DataRecordSetTable;
}

// ---- 0014-credit-contracts ------------------------------------------------------------------

/** The signed contract an accepted offer became (`lines/credit-contracts.ts`). */
export interface CreditContractTable {
  id: string;
  contract_no: string;
  application_id: string;
  enterprise_id: string;
  line_id: string;
  terms: ColumnType<unknown, string, string>;
  signed_by: string;
  signed_at: Timestamp;
  digest: string;
}

export interface Database {
  credit_contract: CreditContractTable;
}

export interface Database extends EcologyTables {}
