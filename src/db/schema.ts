/**
 * The database schema as Kysely sees it: one interface per table.
 *
 * Keep it in step with `migrations/`. Money columns are `bigint` (fen) and arrive as JS `bigint`
 * on both backends (see `pglite-backend.ts`, `postgres-backend.ts`).
 */
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
  /** Set for borrowers: the one enterprise they may see. */
  enterprise_id: string | null;
  disabled: Generated<boolean>;
  created_at: Timestamp;
}

export interface ApiTokenTable {
  /** SHA-256 of the bearer token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** Every table, keyed by its SQL name. */
export interface Database {
  schema_migration: SchemaMigrationTable;
  app_user: AppUserTable;
  api_token: ApiTokenTable;
}
