/** Tables of secured and guaranteed lending (`src/collateral/`): the register, valuations, links, guarantors, guarantees, claims, events. */
import type { ColumnType } from 'kysely';
import type { CollateralOwner, CollateralStatus, CollateralType, GuaranteeStatus, GuaranteeType, GuarantorKind, GuarantorStanding, SecurityEventKind, ValuationMethod } from '../../collateral/collateral-terms.js';
import type { DateColumn, MoneyColumn, Timestamp } from './columns.js';

export interface CollateralTable {
  id: string;
  /** The borrower whose credit it secures (the owner may be a third party). */
  enterprise_id: string;
  application_id: string | null;
  type: CollateralType;
  owner: CollateralOwner;
  owner_name: string;
  description: string;
  /** Property certificate number, VIN, invoice number… */
  identifier: string;
  registration_authority: string | null;
  registration_no: string | null;
  registered_on: DateColumn | null;
  /** 1 for a first mortgage (第一顺位), 2 for a second… */
  rank: number | null;
  status: CollateralStatus;
  /** The memo entry holding its current value while registered. */
  memo_entry_id: string | null;
  created_by: string;
  created_at: Timestamp;
  released_on: DateColumn | null;
}

export interface CollateralValuationTable {
  id: string;
  collateral_id: string;
  /** The borrower, its parent's (migration 0071): the distribution column on Citus. */
  enterprise_id: string;
  valued_on: DateColumn;
  value: MoneyColumn;
  method: ValuationMethod;
  appraiser: string;
  haircut_bp: number;
  haircut_version: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface CollateralLinkTable {
  collateral_id: string;
  line_id: string;
  /** The borrower, its parent's (migration 0071): the distribution column on Citus. */
  enterprise_id: string;
  /** Fen of the collateral's eligible value set against this line. */
  allocated: MoneyColumn;
  linked_on: DateColumn;
  released_on: DateColumn | null;
}

export interface GuarantorTable {
  id: string;
  kind: GuarantorKind;
  name: string;
  credit_code: string | null;
  /** A person's resident ID number, whole; shown masked to roles that do not need it. */
  id_number: string | null;
  /** A guarantee company's cap on what it guarantees across the bank, fen. */
  exposure_cap: MoneyColumn | null;
  /** Margin deposit (保证金) the company lodges, basis points of what it guarantees. */
  margin_ratio_bp: number | null;
  rating: string | null;
  created_by: string;
  created_at: Timestamp;
  /** From its latest data check (migration 0030); 'unchecked' until one. */
  standing: ColumnType<GuarantorStanding, GuarantorStanding | undefined, GuarantorStanding>;
  checked_on: DateColumn | null;
}

/** A guarantor's own authorisation to pull its data (migration 0030). */
export interface GuarantorAuthorisationTable {
  id: string;
  guarantor_id: string;
  sources: ColumnType<string[], string, string>;
  granted_on: DateColumn;
  expires_on: DateColumn;
  revoked_at: Timestamp | null;
  evidence: string;
  granted_by: string;
  created_at: Timestamp;
}

/** One pull of a guarantor's data and what it found (migration 0030). */
export interface GuarantorCheckTable {
  id: string;
  guarantor_id: string;
  provider: string;
  sources: ColumnType<string[], string, string>;
  authorisation_id: string;
  as_of: DateColumn;
  records: ColumnType<unknown[], string, string>;
  dishonest_debtor: boolean;
  lawsuits_as_defendant: number;
  standing: 'clear' | 'adverse';
  actor: string;
  pulled_at: Timestamp;
}

export interface GuaranteeTable {
  id: string;
  guarantor_id: string;
  enterprise_id: string;
  line_id: string | null;
  application_id: string | null;
  type: GuaranteeType;
  amount: MoneyColumn;
  start_on: DateColumn;
  end_on: DateColumn;
  status: GuaranteeStatus;
  memo_entry_id: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface GuaranteeClaimTable {
  id: string;
  guarantee_id: string;
  loan_id: string;
  /** The borrower, its parent's (migration 0071): the distribution column on Citus. */
  enterprise_id: string;
  business_date: DateColumn;
  claimed: MoneyColumn;
  recovered: MoneyColumn;
  to_penalty: MoneyColumn;
  to_interest: MoneyColumn;
  to_principal: MoneyColumn;
  created_by: string;
  created_at: Timestamp;
}

export interface SecurityEventTable {
  id: string;
  kind: SecurityEventKind;
  enterprise_id: string;
  line_id: string;
  collateral_id: string;
  business_date: DateColumn;
  ltv_bp: number;
  max_ltv_bp: number;
  created_at: Timestamp;
}

export interface CollateralTables {
  collateral: CollateralTable;
  collateral_valuation: CollateralValuationTable;
  collateral_link: CollateralLinkTable;
  guarantor: GuarantorTable;
  guarantor_authorisation: GuarantorAuthorisationTable;
  guarantor_check: GuarantorCheckTable;
  guarantee: GuaranteeTable;
  guarantee_claim: GuaranteeClaimTable;
  security_event: SecurityEventTable;
}
