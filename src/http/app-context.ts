/**
 * What every route module receives: the database, the clock, and the server's identity. Routes
 * take it as an argument rather than reaching for globals, so tests build an app on any database
 * with any clock.
 */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Backend } from '../db/database.js';
import type { DataProvider } from '../data/index.js';
import type { DecisionConfig } from '../decision/decide.js';
import type { ReviewPolicy } from '../decision/review-application.js';
import type { Database } from '../db/schema.js';
import type { RateLimits } from './rate-limit.js';
import type { TrustProxy } from './transport-security.js';
import type { IdentityCheck } from '../identity/identity-check.js';
import type { AuditAnchor } from '../audit/audit-anchor.js';
import type { BackupManifest } from '../system/backup.js';

export interface AppContext {
  readonly db: Kysely<Database>;
  /** Where reports and dashboards read (`DATABASE_READ_URL`, a standby); default `db`. Their answers say how far behind it is. */
  readonly readDb?: Kysely<Database>;
  readonly backend: Backend;
  readonly version: string;
  /** The wall clock (token expiry, audit times); business dates come from the database, not here. */
  readonly now: () => Date;
  /** Where applications' data comes from (default: the simulated provider). */
  readonly dataProvider?: DataProvider;
  /** Policy, bands, limits, pricing and scorecard for decisions (default: the shipped ones). */
  readonly decisionConfig?: DecisionConfig;
  /** Review of referrals: the confirmation threshold (default: `DEFAULT_REVIEW_POLICY`, 500,000.00). */
  readonly reviewPolicy?: ReviewPolicy;
  /** Requests per client address per window (default `DEFAULT_RATE_LIMITS`); `'off'` only in tests that exercise other things. */
  readonly rateLimits?: RateLimits | 'off';
  /** Who is a firm's legal representative (default: the registry record of `dataProvider`). */
  readonly identityCheck?: IdentityCheck;
  /** Which reverse proxies' X-Forwarded-* headers to believe (default: none); see transport-security.ts. */
  readonly trustProxy?: TrustProxy;
  /** The built web app (`web/dist`) to serve at `/`; none in API-only tests. */
  readonly webRoot?: string;
  /** The server runs in demo mode (`npm start`): the login page offers the demo roles. */
  readonly demo?: boolean;
  /**
   * How far the demo book has filled, while it fills (null once ready): the server answers at once
   * and the login page shows this instead of a form nobody can log in with yet.
   */
  readonly demoFilling?: () => DemoFilling | null;
  /** The audit key and checkpoint anchor `GET /v1/audit/verification` checks with (default: the process's key, no anchor). */
  readonly audit?: { readonly key: Buffer | undefined; readonly anchor: AuditAnchor | undefined };
  /**
   * Concurrent repayments committed together (src/servicing/repayment-batch.ts) and concurrent
   * drawdowns booked together (src/servicing/drawdown-batch.ts): on unless `'off'`
   * (`SPROUT_REPAYMENT_BATCH=off`), which runs each in its own transaction as before.
   */
  readonly repaymentBatching?: 'on' | 'off';
  /**
   * How long one read of the dashboard (`GET /v1/reports/portfolio`) serves every request for it, in
   * ms (default `DASHBOARD_SHARED_MS`, a second; `SPROUT_DASHBOARD_SHARED_MS`); 0: every request reads.
   */
  readonly dashboardSharedMs?: number;
  /** A consistent backup of the embedded database (`POST /v1/backups`); absent on PostgreSQL, where the route answers CONFLICT. */
  readonly backup?: () => Promise<{ readonly bytes: Buffer; readonly manifest: BackupManifest }>;
}

/** The demo book's filling as the login page shows it: a phase, and how far through it. */
export interface DemoFilling {
  readonly phase: 'register' | 'history' | 'logins';
  readonly done: number;
  readonly total: number;
}

/** A Fastify instance whose route schemas are TypeBox, so handlers see typed bodies. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
