/**
 * Post-lending monitoring and early warning (issue 16): the versioned early-warning rules, when
 * each source was last pulled for each borrower, the nightly monitoring run with its resumable
 * cursor, warnings with their life, the automatic actions they took, and the tasks they gave.
 *
 * - `early_warning_rules`: approved versions of the rule set (JSON, `monitoring/rule-set.ts`); the
 *   highest is active; a change is a `warning-rules.change` maker-checker request until approved.
 * - `monitoring_source`: per enterprise and source, the business date of its last monitoring pull,
 *   so each source is pulled on its own cadence.
 * - `monitoring_run`: one per business date; `cursor` is the last enterprise id done, so a run
 *   killed half way resumes after it (each batch commits its work and its cursor together).
 * - `early_warning`: one open (or acknowledged) warning per enterprise and rule at most; resolved
 *   with a finding or dismissed with a reason.
 * - `warning_action`: each automatic action with the rule, version and inputs that fired it, what
 *   it changed (`before`/`after`), and whether it was undone (by maker-checker).
 * - `monitoring_task`: follow-ups for the account manager and escalations to the risk officer.
 * - `loan.watch_since`: a loan an early warning moved to special mention (关注); end of day keeps
 *   it at least special mention while set.
 * - `credit_line.renewal_hold`: an early warning stopped renewal eligibility.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('early_warning_rules')
    .addColumn('version', 'integer', (c) => c.primaryKey().check(sql`version > 0`))
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('made_by', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('early_warning_rules_checker_not_maker', sql`checked_by <> made_by`)
    .execute();

  await db.schema
    .createTable('monitoring_source')
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('pulled_on', 'date', (c) => c.notNull())
    .addColumn('pull_id', 'uuid')
    .addPrimaryKeyConstraint('monitoring_source_pk', ['enterprise_id', 'source'])
    .execute();

  await db.schema
    .createTable('monitoring_run')
    .addColumn('business_date', 'date', (c) => c.primaryKey())
    .addColumn('rules_version', 'integer', (c) => c.notNull())
    .addColumn('cursor', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done')`))
    .addColumn('enterprises', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pulls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('early_warning')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('blue', 'yellow', 'orange', 'red')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'acknowledged', 'resolved', 'dismissed')`))
    .addColumn('rules_version', 'integer', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('inputs', 'jsonb', (c) => c.notNull())
    .addColumn('raised_on', 'date', (c) => c.notNull())
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_on', 'date')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('early_warning_enterprise_idx').on('early_warning').columns(['enterprise_id', 'rule_id', 'status']).execute();
  await db.schema.createIndex('early_warning_status_idx').on('early_warning').columns(['status', 'raised_on']).execute();

  await db.schema
    .createTable('warning_action')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('warning_id', 'uuid', (c) => c.notNull().references('early_warning.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('line_id', 'uuid', (c) => c.references('credit_line.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('freeze', 'cut-limit', 'stop-renewal', 'special-mention', 'task', 'escalate')`))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('rules_version', 'integer', (c) => c.notNull())
    .addColumn('inputs', 'jsonb', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('business_date', 'date', (c) => c.notNull())
    .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'undone')`))
    .addColumn('undone_by', 'text')
    .addColumn('undone_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('warning_action_enterprise_idx').on('warning_action').columns(['enterprise_id', 'kind', 'status']).execute();
  await db.schema.createIndex('warning_action_warning_idx').on('warning_action').column('warning_id').execute();

  await db.schema
    .createTable('monitoring_task')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('warning_id', 'uuid', (c) => c.notNull().references('early_warning.id'))
    .addColumn('enterprise_id', 'uuid', (c) => c.notNull().references('enterprise.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('follow-up', 'escalation')`))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'done')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('monitoring_task_status_idx').on('monitoring_task').columns(['status', 'due_on']).execute();

  await db.schema.alterTable('loan').addColumn('watch_since', 'date').execute();
  await db.schema.alterTable('credit_line').addColumn('renewal_hold', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}
