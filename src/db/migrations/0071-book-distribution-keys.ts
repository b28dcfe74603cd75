/**
 * Issue 22 (Sprout on Citus): the book (applications, lines, contracts, loans and their schedule,
 * the journal, collateral and guarantees, collections, warnings, the nightly history) gets the
 * keys Citus needs to distribute it by `enterprise_id` and colocate it, on every backend (one
 * schema for a single server and a cluster; docs/scaling.md, docs/decisions.md):
 *
 * - the tables without `enterprise_id` take it, filled from the row they belong to, then NOT NULL;
 *   a journal entry of no borrower (end of day's per-chunk entries, the general provision, manual
 *   entries) carries "the bank", the nil UUID (src/ledger/post-entry.ts, `BANK_ENTERPRISE_ID`);
 * - every primary key takes `enterprise_id` after its old columns (lookups by id use it as before);
 * - unique keys take it: a contract number and a note number are unique per borrower to the
 *   database, and bank-wide by construction (made from the serialised `loan_note_counter`);
 * - foreign keys between book tables become `(x_id, enterprise_id) → (id, enterprise_id)`: a row
 *   and the row it names belong to one borrower;
 * - two foreign keys Citus cannot keep (distributed → local) go: `journal_entry → scf_certificate`
 *   (the supply chain posts the entry in the transaction that reads the certificate) and
 *   `prospect → application` (prospects stay on the coordinator: a prospect may match no enterprise
 *   yet). `guarantee → guarantor` stays: the guarantor register becomes a reference table.
 */
import { sql, type Kysely } from 'kysely';

/** The nil UUID: the enterprise id of the bank's own journal entries. */
const BANK = '00000000-0000-0000-0000-000000000000';

/** Tables keyed by `id` alone, whose primary key becomes `(id, enterprise_id)`. */
const KEYED_BY_ID = [
  'application', 'credit_line', 'credit_contract', 'loan', 'loan_repricing', 'settlement_account', 'journal_entry',
  'collateral', 'collateral_valuation', 'security_event', 'guarantee', 'guarantee_claim', 'collection_contact',
  'collection_step', 'promise_to_pay', 'renewal_request', 'early_warning', 'monitoring_task', 'warning_action',
];

/** Foreign keys between book tables: [table, constraint, column, parent]. */
const BOOK_REFERENCES: readonly (readonly [string, string, string, string])[] = [
  ['application', 'application_line_id_fkey', 'line_id', 'credit_line'],
  ['collateral', 'collateral_application_id_fkey', 'application_id', 'application'],
  ['collateral', 'collateral_memo_entry_id_fkey', 'memo_entry_id', 'journal_entry'],
  ['collateral_link', 'collateral_link_collateral_id_fkey', 'collateral_id', 'collateral'],
  ['collateral_link', 'collateral_link_line_id_fkey', 'line_id', 'credit_line'],
  ['collateral_valuation', 'collateral_valuation_collateral_id_fkey', 'collateral_id', 'collateral'],
  ['collection_assignment', 'collection_assignment_loan_id_fkey', 'loan_id', 'loan'],
  ['collection_contact', 'collection_contact_loan_id_fkey', 'loan_id', 'loan'],
  ['collection_step', 'collection_step_loan_id_fkey', 'loan_id', 'loan'],
  ['collection_step', 'collection_step_promise_id_fkey', 'promise_id', 'promise_to_pay'],
  ['credit_contract', 'credit_contract_application_id_fkey', 'application_id', 'application'],
  ['credit_contract', 'credit_contract_line_id_fkey', 'line_id', 'credit_line'],
  ['guarantee', 'guarantee_application_id_fkey', 'application_id', 'application'],
  ['guarantee', 'guarantee_line_id_fkey', 'line_id', 'credit_line'],
  ['guarantee', 'guarantee_memo_entry_id_fkey', 'memo_entry_id', 'journal_entry'],
  ['guarantee_claim', 'guarantee_claim_guarantee_id_fkey', 'guarantee_id', 'guarantee'],
  ['guarantee_claim', 'guarantee_claim_loan_id_fkey', 'loan_id', 'loan'],
  ['journal_entry', 'journal_entry_account_id_fkey', 'account_id', 'settlement_account'],
  ['journal_entry', 'journal_entry_reverses_id_fkey', 'reverses_id', 'journal_entry'],
  ['journal_line', 'journal_line_entry_id_fkey', 'entry_id', 'journal_entry'],
  ['loan', 'loan_line_id_fkey', 'line_id', 'credit_line'],
  ['loan', 'loan_renewed_from_id_fkey', 'renewed_from_id', 'loan'],
  ['loan_installment', 'loan_installment_loan_id_fkey', 'loan_id', 'loan'],
  ['loan_repricing', 'loan_repricing_loan_id_fkey', 'loan_id', 'loan'],
  ['monitoring_task', 'monitoring_task_warning_id_fkey', 'warning_id', 'early_warning'],
  ['promise_to_pay', 'promise_to_pay_contact_id_fkey', 'contact_id', 'collection_contact'],
  ['promise_to_pay', 'promise_to_pay_loan_id_fkey', 'loan_id', 'loan'],
  ['renewal_request', 'renewal_request_loan_id_fkey', 'loan_id', 'loan'],
  ['security_event', 'security_event_collateral_id_fkey', 'collateral_id', 'collateral'],
  ['security_event', 'security_event_line_id_fkey', 'line_id', 'credit_line'],
  ['settlement_account', 'settlement_account_line_id_fkey', 'line_id', 'credit_line'],
  ['warning_action', 'warning_action_line_id_fkey', 'line_id', 'credit_line'],
  ['warning_action', 'warning_action_warning_id_fkey', 'warning_id', 'early_warning'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const run = (statement: string) => sql.raw(statement).execute(db);

  // The columns, filled from the row each belongs to.
  for (const table of ['loan_installment', 'loan_repricing', 'collection_assignment', 'guarantee_claim', 'collateral_link', 'collateral_valuation', 'journal_entry', 'journal_line']) {
    await run(`alter table ${table} add column enterprise_id uuid`);
  }
  for (const table of ['loan_installment', 'loan_repricing', 'collection_assignment']) {
    await run(`update ${table} t set enterprise_id = l.enterprise_id from loan l where l.id = t.loan_id`);
  }
  await run(`update guarantee_claim t set enterprise_id = g.enterprise_id from guarantee g where g.id = t.guarantee_id`);
  await run(`update collateral_link t set enterprise_id = c.enterprise_id from collateral c where c.id = t.collateral_id`);
  await run(`update collateral_valuation t set enterprise_id = c.enterprise_id from collateral c where c.id = t.collateral_id`);
  // A journal entry: its loan's borrower, else its settlement account's, else the collateral's or
  // guarantee's it holds on memo, else the certificate holder's; a reversal its original's; else the bank.
  await run(`update journal_entry e set enterprise_id = l.enterprise_id from loan l where l.id = e.loan_id`);
  await run(`update journal_entry e set enterprise_id = a.enterprise_id from settlement_account a where e.enterprise_id is null and a.id = e.account_id`);
  await run(`update journal_entry e set enterprise_id = c.enterprise_id from collateral c where e.enterprise_id is null and c.memo_entry_id = e.id`);
  await run(`update journal_entry e set enterprise_id = g.enterprise_id from guarantee g where e.enterprise_id is null and g.memo_entry_id = e.id`);
  await run(`update journal_entry e set enterprise_id = c.holder_id from scf_certificate c where e.enterprise_id is null and c.id = e.certificate_id`);
  await run(`update journal_entry e set enterprise_id = o.enterprise_id from journal_entry o where e.enterprise_id is null and o.id = e.reverses_id`);
  await run(`update journal_entry set enterprise_id = '${BANK}' where enterprise_id is null`);
  await run(`update journal_line t set enterprise_id = e.enterprise_id from journal_entry e where e.id = t.entry_id`);
  for (const table of ['loan_installment', 'loan_repricing', 'collection_assignment', 'guarantee_claim', 'collateral_link', 'collateral_valuation', 'journal_entry', 'journal_line']) {
    await run(`alter table ${table} alter column enterprise_id set not null`);
  }

  // Foreign keys Citus cannot keep, and the book's own, dropped before the keys they rest on.
  await run(`alter table journal_entry drop constraint journal_entry_certificate_id_fkey`);
  await run(`alter table prospect drop constraint prospect_application_id_fkey`);
  for (const [table, constraint] of BOOK_REFERENCES) await run(`alter table ${table} drop constraint ${constraint}`);

  // Primary keys.
  for (const table of KEYED_BY_ID) {
    await run(`alter table ${table} drop constraint ${table}_pkey`);
    await run(`alter table ${table} add constraint ${table}_pkey primary key (id, enterprise_id)`);
  }
  await run(`alter table loan_installment drop constraint loan_installment_pk`);
  await run(`alter table loan_installment add constraint loan_installment_pk primary key (loan_id, number, enterprise_id)`);
  await run(`alter table journal_line drop constraint journal_line_pk`);
  await run(`alter table journal_line add constraint journal_line_pk primary key (entry_id, line_no, enterprise_id)`);
  await run(`alter table collateral_link drop constraint collateral_link_pk`);
  await run(`alter table collateral_link add constraint collateral_link_pk primary key (collateral_id, line_id, enterprise_id)`);
  await run(`alter table collection_assignment drop constraint collection_assignment_pkey`);
  await run(`alter table collection_assignment add constraint collection_assignment_pkey primary key (loan_id, enterprise_id)`);

  // Unique keys, each with the borrower last.
  for (const [table, constraint, columns] of [
    ['credit_contract', 'credit_contract_application_id_key', 'application_id'],
    ['credit_contract', 'credit_contract_contract_no_key', 'contract_no'],
    ['credit_contract', 'credit_contract_line_id_key', 'line_id'],
    ['guarantee_claim', 'guarantee_claim_guarantee_id_key', 'guarantee_id'],
    ['journal_entry', 'journal_entry_reverses_id_key', 'reverses_id'],
    ['loan_repricing', 'loan_repricing_once', 'loan_id, repriced_on'],
  ] as const) {
    await run(`alter table ${table} drop constraint ${constraint}`);
    await run(`alter table ${table} add constraint ${constraint} unique (${columns}, enterprise_id)`);
  }
  await run(`drop index loan_note_no`);
  await run(`create unique index loan_note_no on loan (note_no, enterprise_id)`);
  await run(`drop index settlement_account_current`);
  await run(`create unique index settlement_account_current on settlement_account (line_id, purpose, enterprise_id) where superseded_at is null`);
  await run(`drop index collection_step_promise_idx`);
  await run(`create unique index collection_step_promise_idx on collection_step (promise_id, enterprise_id)`);

  // The book's foreign keys, composite.
  for (const [table, constraint, column, parent] of BOOK_REFERENCES) {
    await run(`alter table ${table} add constraint ${constraint} foreign key (${column}, enterprise_id) references ${parent} (id, enterprise_id)`);
  }
}
