/** Tables of access control: users, bearer tokens, borrowers' bindings to enterprises. */
import type { Generated } from 'kysely';
import type { Role } from '../../auth/roles.js';
import type { MoneyColumn, Timestamp } from './columns.js';

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  /** `scrypt$N$r$p$salt$hash`, see `auth/password.ts`. */
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  /** Largest amount (fen) this user may approve alone; null: no approval authority. */
  approval_limit: MoneyColumn | null;
  /** A mainland mobile number given at registration; personal data, masked in views, never logged. */
  phone: Generated<string | null>;
}

export interface ApiTokenTable {
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** A borrower's binding to an enterprise it may see and act for (one user, many enterprises). */
export interface UserEnterpriseTable {
  user_id: string;
  enterprise_id: string;
  bound_at: Timestamp;
  bound_by: string;
}

export interface AccessTables {
  app_user: AppUserTable;
  api_token: ApiTokenTable;
  user_enterprise: UserEnterpriseTable;
}
