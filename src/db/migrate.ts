/**
 * Versioned migrations, applied in name order at start.
 *
 * Sprout does not use Kysely's `Migrator`: on PostgreSQL it serialises runners with
 * `pg_advisory_xact_lock`, which the portable subset excludes. Here each migration runs in its
 * own transaction together with the insert of its name into `schema_migration`; two processes
 * racing on the same migration collide on that primary key (or on the DDL), one rolls back, and
 * it then finds the migration applied.
 *
 * On a Citus coordinator the run ends by distributing the tables (src/db/distribution.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isUniqueViolation, sqlState } from './sqlstate.js';
import * as foundation from './migrations/0001-foundation.js';
import * as servicing from './migrations/0002-servicing.js';
import * as endOfDay from './migrations/0003-end-of-day.js';
import * as writeOff from './migrations/0004-write-off-restructure.js';
import * as audit from './migrations/0005-audit.js';
import * as originationData from './migrations/0006-origination-data.js';
import * as accessControl from './migrations/0007-access-control.js';
import * as applications from './migrations/0008-applications.js';
import * as originationReview from './migrations/0009-origination-review.js';
import * as borrowersAndPolicies from './migrations/0010-borrowers-and-policies.js';
import * as portfolioSnapshots from './migrations/0011-portfolio-snapshots.js';
import * as renewalRequests from './migrations/0012-renewal-requests.js';
import * as dataRecordSets from './migrations/0013-data-record-sets.js';
import * as creditContracts from './migrations/0014-credit-contracts.js';
import * as identityAndLogins from './migrations/0015-identity-and-logins.js';
import * as regionalIndicators from './migrations/0017-regional-indicators.js';
import * as loanHistoryAndReporting from './migrations/0018-loan-history-and-reporting.js';
import * as collateralAndGuarantees from './migrations/0019-collateral-and-guarantees.js';
import * as officerBook from './migrations/0021-officer-book.js';
import * as holidayCalendar from './migrations/0022-holiday-calendar.js';
import * as monitoring from './migrations/0023-monitoring.js';
import * as collections from './migrations/0025-collections.js';
import * as renewalWindowAndPrepayment from './migrations/0027-renewal-window-and-prepayment.js';
import * as settlementAccounts from './migrations/0028-settlement-accounts.js';
import * as loanHistoryRetention from './migrations/0029-loan-history-retention.js';
import * as loanHistoryBorrower from './migrations/0038-loan-history-borrower.js';
import * as historyRetentionStep from './migrations/0039-history-retention-step.js';
import * as guarantorData from './migrations/0030-guarantor-data.js';
import * as productNames from './migrations/0031-product-names.js';
import * as accountManager from './migrations/0034-account-manager.js';
import * as loanNoteNumbers from './migrations/0032-loan-note-numbers.js';
import * as calendarNamesAndGeneralProvision from './migrations/0048-calendar-names-and-general-provision.js';
import * as eodRunner from './migrations/0049-eod-runner.js';
import * as reportVerdicts from './migrations/0051-report-verdicts.js';
import * as notifications from './migrations/0058-notifications.js';
import * as scfProgrammeSuspension from './migrations/0059-scf-programme-suspension.js';
import * as loanFillFactor from './migrations/0063-loan-fill-factor.js';
import * as installmentDueIndex from './migrations/0064-installment-due-index.js';
import * as recordSetsAsText from './migrations/0061-record-sets-as-text.js';
import * as monitoringSourcePerEnterprise from './migrations/0062-monitoring-source-per-enterprise.js';
import * as rateLimitWindow from './migrations/0065-rate-limit-window.js';
import * as eodChunkIdRange from './migrations/0066-eod-chunk-id-range.js';
import * as scfFinancingDay from './migrations/0060-scf-financing-day.js';
import * as floatingRates from './migrations/0045-floating-rates.js';
import * as supplyChain from './migrations/0040-supply-chain.js';
import * as supplyChainLate from './migrations/0055-supply-chain-late.js';
import * as deployedModels from './migrations/0056-deployed-models.js';
import * as scheduledInterest from './migrations/0057-scheduled-interest.js';
import * as distributionKeys from './migrations/0070-distribution-keys.js';
import * as bookDistributionKeys from './migrations/0071-book-distribution-keys.js';
import * as pullRecordSetsInOneRow from './migrations/0074-pull-record-sets-in-one-row.js';
import * as eodChunkBorrowerHash from './migrations/0075-eod-chunk-borrower-hash.js';
import * as accrualNights from './migrations/0076-accrual-nights.js';
import * as eodCloseSteps from './migrations/0077-eod-close-steps.js';
import * as portfolioSnapshotHalves from './migrations/0078-portfolio-snapshot-halves.js';
import * as eodChunkNplBorrowers from './migrations/0079-eod-chunk-npl-borrowers.js';
import { distributeOnCitus, hasCitus } from './distribution.js';

/** One migration: a unique, sortable name and the change. Migrations are never edited once shipped. */
export interface Migration {
  readonly name: string;
  readonly up: (db: Kysely<unknown>) => Promise<void>;
}

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS: readonly Migration[] = [
  { name: '0001-foundation', up: foundation.up },
  { name: '0002-servicing', up: servicing.up },
  { name: '0003-end-of-day', up: endOfDay.up },
  { name: '0004-write-off-restructure', up: writeOff.up },
  { name: '0005-audit', up: audit.up },
  { name: '0006-origination-data', up: originationData.up },
  { name: '0007-access-control', up: accessControl.up },
  { name: '0008-applications', up: applications.up },
  { name: '0009-origination-review', up: originationReview.up },
  { name: '0010-borrowers-and-policies', up: borrowersAndPolicies.up },
  { name: '0011-portfolio-snapshots', up: portfolioSnapshots.up },
  { name: '0012-renewal-requests', up: renewalRequests.up },
  { name: '0013-data-record-sets', up: dataRecordSets.up },
  { name: '0014-credit-contracts', up: creditContracts.up },
  { name: '0015-identity-and-logins', up: identityAndLogins.up },
  { name: '0017-regional-indicators', up: regionalIndicators.up },
  { name: '0018-loan-history-and-reporting', up: loanHistoryAndReporting.up },
  { name: '0019-collateral-and-guarantees', up: collateralAndGuarantees.up },
  { name: '0021-officer-book', up: officerBook.up },
  { name: '0022-holiday-calendar', up: holidayCalendar.up },
  { name: '0023-monitoring', up: monitoring.up },
  { name: '0025-collections', up: collections.up },
  { name: '0027-renewal-window-and-prepayment', up: renewalWindowAndPrepayment.up },
  { name: '0028-settlement-accounts', up: settlementAccounts.up },
  { name: '0029-loan-history-retention', up: loanHistoryRetention.up },
  { name: '0030-guarantor-data', up: guarantorData.up },
  { name: '0031-product-names', up: productNames.up },
  { name: '0032-loan-note-numbers', up: loanNoteNumbers.up },
  { name: '0034-account-manager', up: accountManager.up },
  { name: '0038-loan-history-borrower', up: loanHistoryBorrower.up },
  { name: '0039-history-retention-step', up: historyRetentionStep.up },
  { name: '0040-supply-chain', up: supplyChain.up },
  { name: '0045-floating-rates', up: floatingRates.up },
  { name: '0048-calendar-names-and-general-provision', up: calendarNamesAndGeneralProvision.up },
  { name: '0049-eod-runner', up: eodRunner.up },
  { name: '0051-report-verdicts', up: reportVerdicts.up },
  { name: '0055-supply-chain-late', up: supplyChainLate.up },
  { name: '0056-deployed-models', up: deployedModels.up },
  { name: '0057-scheduled-interest', up: scheduledInterest.up },
  { name: '0058-notifications', up: notifications.up },
  { name: '0059-scf-programme-suspension', up: scfProgrammeSuspension.up },
  { name: '0060-scf-financing-day', up: scfFinancingDay.up },
  { name: '0061-record-sets-as-text', up: recordSetsAsText.up },
  { name: '0062-monitoring-source-per-enterprise', up: monitoringSourcePerEnterprise.up },
  { name: '0063-loan-fill-factor', up: loanFillFactor.up },
  { name: '0064-installment-due-index', up: installmentDueIndex.up },
  { name: '0065-rate-limit-window', up: rateLimitWindow.up },
  { name: '0066-eod-chunk-id-range', up: eodChunkIdRange.up },
  { name: '0070-distribution-keys', up: distributionKeys.up },
  { name: '0071-book-distribution-keys', up: bookDistributionKeys.up },
  { name: '0074-pull-record-sets-in-one-row', up: pullRecordSetsInOneRow.up },
  { name: '0075-eod-chunk-borrower-hash', up: eodChunkBorrowerHash.up },
  { name: '0076-accrual-nights', up: accrualNights.up },
  { name: '0077-eod-close-steps', up: eodCloseSteps.up },
  { name: '0078-portfolio-snapshot-halves', up: portfolioSnapshotHalves.up },
  { name: '0079-eod-chunk-npl-borrowers', up: eodChunkNplBorrowers.up },
];

/**
 * Applies the migrations not yet applied; returns the names it applied.
 *
 * @example
 * const applied = await migrateToLatest(db); // ['0001-foundation'] on an empty database
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  await createMigrationTable(db);
  const applied: string[] = [];
  // One read of what is applied, not one per migration: every open of the database runs this, and
  // a CLI command opens it once (53 statements were ≈ 50–100 ms of CPU per open on PGlite).
  const done = new Set((await db.selectFrom('schema_migration').select('name').execute()).map((row) => row.name));
  for (const migration of MIGRATIONS) {
    if (done.has(migration.name)) continue;
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('schema_migration').values({ name: migration.name, applied_at: new Date() }).execute();
        await migration.up(trx as unknown as Kysely<unknown>);
      });
      applied.push(migration.name);
    } catch (error) {
      // Another process may have applied it while we tried: our insert into schema_migration then
      // waited for its commit and hit the primary key (23505). Only then is the failure harmless.
      if (!isUniqueViolation(error) || !(await isApplied(db, migration.name))) throw error;
    }
  }
  // On a Citus coordinator, tables are then placed as src/db/distribution.ts lists them (a new
  // table when its migration adds it); elsewhere nothing happens. Two processes starting on a new
  // schema would place the same table twice ("table … is already distributed"), so one places at a
  // time: each holds the last migration's row locked while it places (on its own connections), and
  // the next finds everything placed and does nothing.
  if (await hasCitus(db)) {
    const last = MIGRATIONS.at(-1)!.name;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('schema_migration').select('name').where('name', '=', last).forUpdate().execute();
      await distributeOnCitus(db as unknown as Kysely<unknown>);
    });
  }
  return applied;
}

/** duplicate_object (the row type) and duplicate_table. */
const ALREADY_MADE = new Set(['42710', '42P07']);

/**
 * Creates `schema_migration` if it is missing. Two processes opening a new database at once (the
 * workers of `sprout bench decide --workers`) both pass `if not exists` and the second's create then
 * fails on the row type's or the table's unique name: 23505 while the other's create is uncommitted,
 * 42710 ("type already exists") or 42P07 once it has committed. The table is there, made by the
 * other, which is all this asks.
 */
async function createMigrationTable(db: Kysely<Database>): Promise<void> {
  try {
    await sql`create table if not exists schema_migration (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(db);
  } catch (error) {
    if (!(isUniqueViolation(error) || ALREADY_MADE.has(sqlState(error) ?? '')) || !(await migrationTableExists(db))) throw error;
  }
}

async function migrationTableExists(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ made: boolean }>`select to_regclass('schema_migration') is not null as made`.execute(db);
  return rows[0]?.made === true;
}

async function isApplied(db: Kysely<Database>, name: string): Promise<boolean> {
  const row = await db.selectFrom('schema_migration').select('name').where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}
