/** Tables of post-lending monitoring and early warning (migration 0023, `src/monitoring/`). */
import type { ColumnType } from 'kysely';
import type { DateColumn, JsonColumn, Timestamp } from './columns.js';
import type { WarningActionKind, WarningLevel, WarningStatus } from '../../monitoring/rule-set.js';

/** An approved version of the early-warning rule set; the highest version is active. */
export interface EarlyWarningRulesTable {
  version: number;
  /** The rule set (`monitoring/rule-set.ts` `RuleSet`). */
  config: ColumnType<unknown, string, string>;
  note: string;
  made_by: string;
  checked_by: string;
  activated_at: Timestamp;
}

/** When each source was last pulled for monitoring an enterprise: one row per enterprise (migration 0062). */
export interface MonitoringSourceTable {
  enterprise_id: string;
  /** Source → the business date of its last monitoring pull and that pull (JSON on writes). */
  sources: ColumnType<Readonly<Record<string, { readonly on: string; readonly pull: string | null }>>, string, string>;
}

/** The monitoring step of one business date, with its resumable cursor. */
export interface MonitoringRunTable {
  business_date: DateColumn;
  rules_version: number;
  /** The last enterprise id done; null before the first batch. */
  cursor: string | null;
  status: 'running' | 'done';
  enterprises: ColumnType<number, number | undefined, number>;
  pulls: ColumnType<number, number | undefined, number>;
  warnings: ColumnType<number, number | undefined, number>;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface EarlyWarningTable {
  id: string;
  enterprise_id: string;
  rule_id: string;
  level: WarningLevel;
  status: WarningStatus;
  rules_version: number;
  /** The indicator's value that crossed the threshold, as text ("0.42", "1"). */
  value: string;
  inputs: JsonColumn<Record<string, unknown>>;
  raised_on: DateColumn;
  raised_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  closed_by: string | null;
  closed_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  closed_on: DateColumn | null;
  /** The finding (resolved) or the reason (dismissed). */
  note: string | null;
}

export interface WarningActionTable {
  id: string;
  warning_id: string;
  enterprise_id: string;
  line_id: string | null;
  kind: WarningActionKind;
  rule_id: string;
  level: WarningLevel;
  rules_version: number;
  inputs: JsonColumn<Record<string, unknown>>;
  before: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  after: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  business_date: DateColumn;
  taken_at: Timestamp;
  status: 'applied' | 'undone';
  undone_by: string | null;
  undone_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface MonitoringTaskTable {
  id: string;
  warning_id: string;
  enterprise_id: string;
  kind: 'follow-up' | 'escalation';
  role: string;
  assignee: string | null;
  due_on: DateColumn;
  status: 'open' | 'done';
  created_at: Timestamp;
  done_by: string | null;
  done_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface MonitoringTables {
  early_warning_rules: EarlyWarningRulesTable;
  monitoring_source: MonitoringSourceTable;
  monitoring_run: MonitoringRunTable;
  early_warning: EarlyWarningTable;
  warning_action: WarningActionTable;
  monitoring_task: MonitoringTaskTable;
}
