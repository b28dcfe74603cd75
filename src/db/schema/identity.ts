/**
 * Tables of migration 0015-identity-and-logins: binding evidence, binding contests, and the login
 * throttle (see the migration for what each holds).
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** How a binding was verified. */
export type BindingMethod = 'identity-check' | 'account-manager' | 'shell';

export interface BindingEvidenceTable {
  user_id: string;
  enterprise_id: string;
  method: BindingMethod;
  /** The identity check's reference, the approval request's id, or who bound it at the shell. */
  reference: string;
  verified_at: Timestamp;
  verified_by: string;
}

export type ContestStatus = 'open' | 'upheld' | 'dismissed';

export interface BindingContestTable {
  id: string;
  enterprise_id: string;
  contested_by: string;
  note: string;
  identity_check: 'verified' | 'mismatch';
  identity_reference: string | null;
  status: ContestStatus;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

export interface LoginThrottleTable {
  username: string;
  address: string;
  failures: number;
  locked_until: Timestamp | null;
  last_failure_at: Timestamp;
}

export interface IdentityTables {
  binding_evidence: BindingEvidenceTable;
  binding_contest: BindingContestTable;
  login_throttle: LoginThrottleTable;
}
