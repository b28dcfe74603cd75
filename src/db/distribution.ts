/**
 * Where each table lives on a Citus cluster (docs/scaling.md): the one list that the distribution
 * step reads, and that test/db/distribution.test.ts checks against the migrated schema (every
 * table classified; every distributed table's keys hold the distribution column).
 *
 * - `distributed`: grows with the book; sharded by `enterprise_id` and colocated, so that a
 *   borrower's rows sit on one node and a query naming the borrower goes to one shard.
 * - `reference`: small, shared, read everywhere (products, LPR, chart of accounts, policies,
 *   calendars, users, the borrower register); a copy on every node.
 * - `local`: stays on the coordinator as on a single server (run bookkeeping, audit chains,
 *   idempotency records), or is waiting for its keys to take `enterprise_id` (the reason says).
 *
 * On PostgreSQL without Citus and on PGlite the step does nothing: one schema serves all.
 */
import { sql, type Kysely } from 'kysely';

export type Placement = 'distributed' | 'reference' | 'local';

/** The distribution column of every distributed table. */
export const DISTRIBUTION_COLUMN = 'enterprise_id';

/** Every table of the schema, but `schema_migration` (which is the coordinator's own), and where it goes. */
export const TABLE_PLACEMENT: Readonly<Record<string, Placement>> = {
  // The borrower register: read by nearly every query of every area, written on onboarding only,
  // and referenced from several columns of one row (supply chain: seller and buyer), which
  // colocation cannot serve. A reference table (docs/scaling.md, "The enterprise table").
  enterprise: 'reference',

  // Enterprises' data: sharded by borrower.
  enterprise_profile: 'distributed',
  data_authorisation: 'distributed',
  data_pull: 'distributed',
  data_record_set: 'distributed',
  monitoring_source: 'distributed',
  user_enterprise: 'distributed',
  binding_evidence: 'distributed',
  binding_contest: 'distributed',
  notification: 'distributed',

  // The book: sharded by borrower in design, local until their keys and every writer carry
  // enterprise_id. They reference each other (journal_entry → settlement_account → credit_line;
  // collateral → journal_entry), so they move together (docs/scaling.md, "Not yet distributed").
  // The nightly history: its keys already hold enterprise_id (migration 0070), but end of day and
  // the reports write and join it with loan in one statement; Citus cannot plan those with loan on
  // the coordinator and the history on the workers (docs/scaling.md), so it moves with loan.
  loan_day: 'local',
  borrower_day: 'local',
  new_lending: 'local',
  application: 'local',
  credit_line: 'local',
  credit_contract: 'local',
  loan: 'local',
  loan_installment: 'local',
  loan_repricing: 'local',
  settlement_account: 'local',
  journal_entry: 'local',
  journal_line: 'local',
  collateral: 'local',
  collateral_link: 'local',
  collateral_valuation: 'local',
  security_event: 'local',
  guarantee: 'local',
  guarantee_claim: 'local',
  guarantor: 'local',
  guarantor_authorisation: 'local',
  guarantor_check: 'local',
  collection_assignment: 'local',
  collection_contact: 'local',
  collection_step: 'local',
  promise_to_pay: 'local',
  renewal_request: 'local',
  early_warning: 'local',
  monitoring_task: 'local',
  warning_action: 'local',
  prospect: 'local',
  // Supply chain: a receivable names two enterprises (seller, buyer), a certificate a holder and a
  // core enterprise; no one column places them (docs/scaling.md).
  scf_programme: 'local',
  scf_eligible_supplier: 'local',
  scf_receivable: 'local',
  scf_dilution: 'local',
  scf_certificate: 'local',
  scf_financing: 'local',
  scf_financing_day: 'local',

  // Small shared tables: a copy on every node.
  product: 'reference',
  lpr_rate: 'reference',
  ledger_account: 'reference',
  decision_policy: 'reference',
  early_warning_rules: 'reference',
  holiday_calendar: 'reference',
  regional_indicator: 'reference',
  scorecard_model: 'reference',
  app_user: 'reference',
  api_token: 'reference',
  prospect_batch: 'reference',

  // The coordinator's own: run bookkeeping, bank-wide figures, the audit chains, request records.
  system_state: 'local',
  loan_note_counter: 'local',
  eod_run: 'local',
  eod_chunk: 'local',
  eod_runner: 'local',
  monitoring_run: 'local',
  model_stability: 'local',
  portfolio_snapshot: 'local',
  report_run: 'local',
  approval_request: 'local',
  audit_stream: 'local',
  rate_limit_window: 'local',
  audit_event: 'local',
  idempotency_record: 'local',
  login_throttle: 'local',
};

/** True when the database has the Citus extension (never on PGlite). */
export async function hasCitus<DB>(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select exists (select 1 from pg_extension where extname = 'citus') as found`.execute(db);
  return rows[0]?.found === true;
}

/**
 * On a Citus coordinator, makes every table of the current schema what {@link TABLE_PLACEMENT}
 * says it is and returns the tables it changed; elsewhere returns []. A table not in the list stays local. Idempotent: tables already
 * placed are left alone, so it runs after every migration run (a new table is placed when its
 * migration adds it). Reference tables first (distributed tables reference them), each in an
 * order that puts a referenced table before the tables that reference it.
 */
export async function distributeOnCitus(db: Kysely<unknown>): Promise<string[]> {
  if (!(await hasCitus(db))) return [];
  const { rows: tables } = await sql<{ name: string; placed: string | null }>`
    select c.relname as name,
           (select case when p.partmethod = 'h' then 'distributed' when p.repmodel = 't' then 'reference' else 'local' end
              from pg_dist_partition p where p.logicalrelid = c.oid) as placed
      from pg_class c
     where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and c.relname <> 'schema_migration'`.execute(db);
  const { rows: references } = await sql<{ child: string; parent: string; name: string; definition: string }>`
    select child.relname as child, parent.relname as parent, co.conname as name, pg_get_constraintdef(co.oid) as definition
      from pg_constraint co
      join pg_class child on child.oid = co.conrelid
      join pg_class parent on parent.oid = co.confrelid
     where co.contype = 'f' and child.relnamespace = current_schema()::regnamespace`.execute(db);
  // A table missing from the list (test/db/distribution.test.ts fails on one) stays where it is.
  const placed = new Map(tables.map((table) => [table.name, table.placed]));
  const changed: string[] = [];
  // Citus turns a table that references a reference table into a "citus local" table, and will
  // not distribute one that another local table references: foreign keys between two tables to
  // be distributed are dropped first and made again once both are.
  const pending = references.filter(
    ({ child, parent }) =>
      TABLE_PLACEMENT[child] === 'distributed' && TABLE_PLACEMENT[parent] === 'distributed' && (placed.get(child) !== 'distributed' || placed.get(parent) !== 'distributed'),
  );
  for (const { child, name } of pending) await sql`alter table ${sql.id(child)} drop constraint ${sql.id(name)}`.execute(db);
  for (const placement of ['reference', 'distributed'] as const) {
    const wanted = tables.map((table) => table.name).filter((name) => TABLE_PLACEMENT[name] === placement);
    for (const name of parentsFirst(wanted, references)) {
      if (placed.get(name) === placement) continue;
      if (placement === 'reference') await sql`select create_reference_table(${name}::regclass)`.execute(db);
      else await sql`select create_distributed_table(${name}::regclass, ${DISTRIBUTION_COLUMN})`.execute(db);
      changed.push(name);
    }
  }
  for (const { child, name, definition } of pending) await sql`alter table ${sql.id(child)} add constraint ${sql.id(name)} ${sql.raw(definition)}`.execute(db);
  return changed;
}

/** `tables` ordered so that a table comes after the tables of the set it references. */
export function parentsFirst(tables: readonly string[], references: readonly { child: string; parent: string }[]): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (table: string, path: Set<string>): void => {
    if (seen.has(table) || path.has(table)) return;
    path.add(table);
    for (const { child, parent } of references) if (child === table && parent !== table && tables.includes(parent)) visit(parent, path);
    path.delete(table);
    seen.add(table);
    order.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return order;
}
