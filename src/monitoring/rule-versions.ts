/**
 * Versions of the early-warning rule set, like the decision policy's (`decision/policy-versions.ts`):
 * a risk officer proposes (`warning-rules.change`, maker-checker), another risk officer or an
 * admin approves, and it becomes version N+1; the highest is active. Until the first approval the
 * shipped `DEFAULT_RULE_SET` applies, as version 0. Every warning and action records the version.
 *
 * @example
 * const { version, rules } = await activeRuleSet(db); // { version: 0, rules: DEFAULT_RULE_SET } at first
 */
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import type { CheckedAction } from '../approvals/maker-checker.js';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/sqlstate.js';
import { ConflictError } from '../errors.js';
import { checkRuleSet, DEFAULT_RULE_SET, type RuleSet } from './rule-set.js';

/** The subject of every `warning-rules.change` request: one pending change at a time. */
export const WARNING_RULES_SUBJECT = 'early-warning-rules';

/** What a maker proposes: a whole rule set and why. */
export interface RuleSetChange {
  readonly rules: RuleSet;
  readonly note: string;
}

export interface RuleSetVersion {
  readonly version: number;
  readonly rules: RuleSet;
  readonly note: string;
  readonly madeBy: string | null;
  readonly checkedBy: string | null;
  readonly activatedAt: string | null;
}

/** The active rule set and its version (0: the shipped default). */
export async function activeRuleSet(db: Kysely<Database> | Transaction<Database>): Promise<{ version: number; rules: RuleSet }> {
  const row = await db.selectFrom('early_warning_rules').select(['version', 'config']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? { version: 0, rules: DEFAULT_RULE_SET } : { version: row.version, rules: row.config as RuleSet };
}

/** Every version, newest (active) first, ending with the shipped default as version 0. */
export async function listRuleSetVersions(db: Kysely<Database>): Promise<RuleSetVersion[]> {
  const rows = await db.selectFrom('early_warning_rules').selectAll().orderBy('version', 'desc').limit(500).execute();
  return [
    ...rows.map((row) => ({ version: row.version, rules: row.config as RuleSet, note: row.note, madeBy: row.made_by, checkedBy: row.checked_by, activatedAt: new Date(row.activated_at).toISOString() })),
    { version: 0, rules: DEFAULT_RULE_SET, note: 'shipped default', madeBy: null, checkedBy: null, activatedAt: null },
  ];
}

/** Makes an approved change the active version. */
export async function activateRuleSet(trx: Transaction<Database>, change: RuleSetChange, maker: string, checker: string): Promise<{ version: number }> {
  const rules = checkRuleSet(change.rules);
  const latest = await trx.selectFrom('early_warning_rules').select('version').orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
  const version = (latest?.version ?? 0) + 1;
  const activatedAt = new Date();
  try {
    await trx.insertInto('early_warning_rules').values({ version, config: JSON.stringify(rules), note: change.note, made_by: maker, checked_by: checker, activated_at: activatedAt }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new ConflictError(`early-warning rules version ${version} was activated at the same time; decide again`, 'version');
  }
  await appendAudit(trx, { actor: `${maker} (checked by ${checker})`, action: 'warning-rules.activate', entityType: 'early_warning_rules', entityId: WARNING_RULES_SUBJECT, before: { version: latest?.version ?? 0 }, after: { version, note: change.note, rules } }, activatedAt);
  return { version };
}

/** A new early-warning rule set: proposed by a risk officer, confirmed by another or an admin. */
export const WARNING_RULES_CHANGE: CheckedAction<RuleSetChange> = {
  kind: 'warning-rules.change',
  makers: ['risk-officer'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => activateRuleSet(trx, payload, maker, checker),
};
