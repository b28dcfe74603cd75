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
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

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

  // The book: sharded by borrower and colocated (migration 0071 gave every table enterprise_id in
  // its keys, and its foreign keys between book tables match on it). The journal carries "the
  // bank" (the nil UUID) on entries of no one borrower (src/ledger/post-entry.ts).
  application: 'distributed',
  credit_line: 'distributed',
  credit_contract: 'distributed',
  loan: 'distributed',
  loan_installment: 'distributed',
  loan_repricing: 'distributed',
  settlement_account: 'distributed',
  journal_entry: 'distributed',
  journal_line: 'distributed',
  collateral: 'distributed',
  collateral_link: 'distributed',
  collateral_valuation: 'distributed',
  security_event: 'distributed',
  guarantee: 'distributed',
  guarantee_claim: 'distributed',
  collection_assignment: 'distributed',
  collection_contact: 'distributed',
  collection_step: 'distributed',
  promise_to_pay: 'distributed',
  renewal_request: 'distributed',
  early_warning: 'distributed',
  monitoring_task: 'distributed',
  warning_action: 'distributed',
  // The nightly history: end of day writes it joined with loan, colocated.
  loan_day: 'distributed',
  borrower_day: 'distributed',
  new_lending: 'distributed',
  // A guarantor guarantees several borrowers (its exposure cap is bank-wide): a register like
  // the enterprise one, read where its guarantees are (docs/decisions.md).
  guarantor: 'reference',
  guarantor_authorisation: 'local',
  guarantor_check: 'local',
  // A prospect of a batch may match no enterprise yet (enterprise_id null): the batch pre-screen
  // stays on the coordinator; its application id is written by the code that made the application.
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
  eod_close_step: 'local',
  eod_runner: 'local',
  monitoring_run: 'local',
  model_stability: 'local',
  portfolio_snapshot: 'local',
  portfolio_snapshot_half: 'local',
  report_run: 'local',
  approval_request: 'local',
  audit_stream: 'local',
  rate_limit_window: 'local',
  audit_event: 'local',
  idempotency_record: 'local',
  login_throttle: 'local',
};

/**
 * Locks the loans `where` selects, for a statement that reads them next without FOR UPDATE, when
 * `citus` is true; otherwise does nothing (the statement's own FOR UPDATE locks them). Citus refuses
 * a locking read that is not single-shard ("could not run distributed query with FOR UPDATE/SHARE
 * commands"), and end of day's statements pick loans by shard range or rule, not by borrower; an
 * UPDATE that changes nothing runs on every shard and takes the same row locks, so the statement
 * that follows, in the same transaction, reads rows nobody else can change (docs/scaling.md).
 */
export async function lockLoansOnCitus(trx: Kysely<Database>, citus: boolean, where: RawBuilder<unknown>): Promise<void> {
  if (citus) await sql`update loan set last_eod_on = last_eod_on where ${where}`.execute(trx);
}

/** {@link lockLoansOnCitus} for the credit lines `where` selects (monitoring's batch of borrowers). */
export async function lockLinesOnCitus(trx: Kysely<Database>, citus: boolean, where: RawBuilder<unknown>): Promise<void> {
  if (citus) await sql`update credit_line set status = status where ${where}`.execute(trx);
}

/**
 * The statement's own lock: `for update` (of the subquery `of`, when given: the rows of its tables),
 * or nothing when {@link lockLoansOnCitus} took it.
 */
export function forUpdateUnlessCitus(citus: boolean, of?: string): RawBuilder<unknown> {
  return citus ? sql`` : of === undefined ? sql`for update` : sql`for update of ${sql.ref(of)}`;
}

/**
 * The borrower of the book row `id` of `table`, or undefined: read before a row is locked by id, so
 * that the lock names the distribution column (`… where id = $1 and enterprise_id = $2 for update`),
 * the single-shard form Citus runs. One indexed read more on a single server.
 */
export async function enterpriseOfRow(db: Kysely<Database>, table: 'loan' | 'collateral' | 'guarantee' | 'application' | 'early_warning' | 'monitoring_task' | 'warning_action' | 'collection_step', id: string): Promise<string | undefined> {
  const { rows } = await sql<{ enterprise_id: string }>`select enterprise_id from ${sql.table(table)} where id = ${id}`.execute(db);
  return rows[0]?.enterprise_id;
}

/**
 * The borrower to name in a lock of the row `id` of `table` ({@link enterpriseOfRow}); for a row
 * that does not exist, the nil UUID, which no borrower has, so the locking read finds nothing as before.
 */
export async function lockedBorrower(db: Kysely<Database>, table: Parameters<typeof enterpriseOfRow>[1], id: string): Promise<string> {
  return (await enterpriseOfRow(db, table, id)) ?? '00000000-0000-0000-0000-000000000000';
}

/** One shard of a distributed table: the range of Citus's hash of the distribution column it holds, bounds included. */
export interface HashRange {
  readonly min: number;
  readonly max: number;
}

/**
 * The shards of the distributed `table`, in hash order, from the coordinator's metadata
 * (`pg_dist_shard`); together they cover every int4 hash, so every borrower is in exactly one.
 */
export async function citusShardRanges(db: Kysely<Database>, table: 'loan'): Promise<HashRange[]> {
  const { rows } = await sql<{ min: string; max: string }>`
    select shardminvalue as min, shardmaxvalue as max from pg_dist_shard
    where logicalrelid = cast(${table} as regclass) order by cast(shardminvalue as integer)`.execute(db);
  return rows.map((row) => ({ min: Number(row.min), max: Number(row.max) }));
}

/**
 * The borrowers whose id Citus hashes into `range` (`worker_hash`, the hash it places rows by):
 * the borrowers of one shard, or of a part of one. Read from `enterprise`, a reference table, so one node answers;
 * a statement that then names them (`enterprise_id = any(…)`) is routed by Citus to that shard alone.
 */
export async function borrowersInHashRange(db: Kysely<Database>, range: HashRange): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from enterprise where worker_hash(id) between ${range.min} and ${range.max} order by id`.execute(db);
  return rows.map((row) => row.id);
}

/**
 * `borrowers` as a uuid[] parameter, for `enterprise_id = any(…)`: Citus prunes the statement to
 * the shards of the borrowers it names (one, when they are one shard's).
 */
export function borrowerArraySql(borrowers: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`cast(string_to_array(${borrowers.join(',')}, ',') as uuid[])`;
}

/** Each Kysely's (or transaction's) answer from {@link hasCitus}. */
const citusByDatabase = new WeakMap<object, Promise<boolean>>();

/**
 * True when the database has the Citus extension (never on PGlite). Asked once per Kysely: the
 * extension is there from the database's creation (scripts/citus/start.sh) or not at all, and
 * asking cost end of day a statement every night. A failed question is asked again next time.
 */
export function hasCitus<DB>(db: Kysely<DB>): Promise<boolean> {
  let found = citusByDatabase.get(db);
  if (found === undefined) {
    found = sql<{ found: boolean }>`select exists (select 1 from pg_extension where extname = 'citus') as found`.execute(db).then(({ rows }) => rows[0]?.found === true);
    citusByDatabase.set(db, found);
    found.catch(() => citusByDatabase.delete(db));
  }
  return found;
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
  // Local tables reference reference tables (eod_chunk, audit, scf_*): after a statement that ran
  // on several shards over parallel connections, Citus refuses to modify such a table in the same
  // transaction ("cannot modify table … because there was a parallel operation on a distributed
  // table"). End of day's chunks do exactly that, so the database runs multi-shard statements over
  // one connection per node (new sessions; docs/scaling.md).
  const { rows: database } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  await sql`alter database ${sql.id(database[0]!.name)} set citus.multi_shard_modify_mode to 'sequential'`.execute(db);
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
