/**
 * Tables of origination: the enterprise registry, data sharing (authorisations, pulls, the records
 * pulled), applications and their decisions, prospect batches, and the decision policy's versions.
 */
import type { ColumnType, Generated } from 'kysely';
import type { BusinessDate } from '../../calendar/business-date.js';
import type { ApplicationStatus, Outcome } from '../../decision/decide.js';
import type { BorrowerType } from '../../enterprises/borrower-type.js';
import type { SizeTier } from '../../enterprises/size-standard.js';
import type { Minor } from '../../money/minor.js';
import type { ProspectSource } from '../../prospects/prescreen.js';
import type { DateColumn, MoneyColumn, RateUnitsColumn, Timestamp } from './columns.js';

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
  id: string;
  name: string;
  credit_code: string | null;
  size_class: SizeTier;
  created_at: Timestamp;
  /** Industry group of the size standard (`IndustryCode` in `enterprises/size-standard.ts`). */
  industry: Generated<string | null>;
  region_code: Generated<string | null>;
  /** The account manager's username (migration 0034); null: none assigned, tasks go to the role's pool. */
  account_manager: Generated<string | null>;
  registered_on: Generated<BusinessDate | null>;
  employees: Generated<number | null>;
  /** Declared annual operating revenue, fen. */
  revenue: Generated<Minor | null>;
  /** Declared total assets, fen. */
  assets: Generated<Minor | null>;
  owners: ColumnType<EnterpriseOwnerRow[], string | undefined, string>;
  /** 企业 / 个体工商户 / 小微企业主 (migration 0018). */
  borrower_type: Generated<BorrowerType>;
  /** GB/T 4754-2017 division, e.g. 'C34' (migration 0018). */
  industry_code: Generated<string | null>;
  /** The date the foreign-trade flag applies from; null: not a foreign-trade firm. */
  foreign_trade_from: Generated<BusinessDate | null>;
  /** Customs registration code or import-export operator record behind the flag. */
  foreign_trade_evidence: Generated<string | null>;
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
  /**
   * All the pull's record sets in its own row (migration 0074): JSON text of `{ source: StoredRecord[] }`,
   * every source pulled present. Null when they are `data_record_set` rows instead.
   */
  record_sets: string | null;
}

/** One element of `data_record_set.records` (a JSON array, stored as text): a record as `record-fields.ts` encodes it. */
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
  /** JSON text of `StoredRecord[]` (migration 0061): read whole and parsed in TypeScript. */
  records: string;
  pulled_at: Timestamp;
}

export interface ApplicationTable {
  id: string;
  enterprise_id: string;
  product_id: string;
  business_date: DateColumn;
  status: ApplicationStatus;
  outcome: Outcome;
  limit_amount: MoneyColumn;
  rate_units: RateUnitsColumn | null;
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

export interface ProspectBatchTable {
  id: string;
  source: ProspectSource;
  source_name: string;
  total: number;
  pre_approved: number;
  declined: number;
  invalid: number;
  /** Prospects that are already customers (migration 0021). */
  existing: Generated<number>;
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
  status: 'pre-approved' | 'declined' | 'invalid' | 'existing-customer';
  indicative_limit: MoneyColumn | null;
  reasons: ColumnType<string[], string, string>;
  enterprise_id: string | null;
  /** The application the prospect was converted into (migration 0021). */
  application_id: Generated<string | null>;
}

/** An approved version of the decision policy; the highest version is active. */
export interface DecisionPolicyTable {
  version: number;
  /** `{ policy, bands, limits, pricing }` (see `decision/policy-versions.ts`). */
  config: ColumnType<unknown, string, string>;
  note: string;
  made_by: string;
  checked_by: string;
  activated_at: Timestamp;
}

/** A scorecard deployed under maker-checker (migration 0056; src/decision/deployed-models.ts). */
export interface ScorecardModelTable {
  id: string;
  version: string;
  role: 'champion' | 'shadow' | 'retired';
  model: string;
  training_scores: ColumnType<unknown, string | null, string | null>;
  deployed_by: string;
  checked_by: string;
  deployed_at: Timestamp;
  retired_at: Timestamp | null;
}

/** One night's population stability of the champion's live scores (migration 0056). */
export interface ModelStabilityTable {
  business_date: DateColumn;
  model_id: string;
  model_version: string;
  decisions: number;
  psi: string;
  level: 'stable' | 'watch' | 'shifted';
  watch_at: string;
  warn_at: string;
  bins: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export interface OriginationTables {
  enterprise: EnterpriseTable;
  data_authorisation: DataAuthorisationTable;
  data_pull: DataPullTable;
  data_record_set: DataRecordSetTable;
  application: ApplicationTable;
  prospect_batch: ProspectBatchTable;
  prospect: ProspectTable;
  decision_policy: DecisionPolicyTable;
  scorecard_model: ScorecardModelTable;
  model_stability: ModelStabilityTable;
}
