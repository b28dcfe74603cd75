/**
 * The early-warning rule set (预警规则) as data: for each rule its thresholds by level, and for
 * each level the actions it takes. Versioned in the database like the decision policy
 * (`rule-versions.ts`); a change needs a second person (`warning-rules.change`). Pure: no database.
 *
 * A rule's indicator gives a number (a fall as a share, a count, days past due, a utilisation);
 * its level is the highest whose threshold the value reaches (value ≥ threshold). Seed 001
 * §3.1.2(c) (贷后风险控制): watch the firm's operating data after lending, warn early, and act
 * before the loss — freeze or cut the line, stop renewal, and send the account manager.
 *
 * @example
 * levelFor(DEFAULT_RULE_SET.rules['dishonest-debtor'], 1); // 'red'
 */
import { DATA_SOURCES, type DataSource } from '../data/data-records.js';
import { ValidationError } from '../errors.js';

/** Levels, mildest first. */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** A warning's life: open → acknowledged → resolved (finding) or dismissed (false alarm, reason). */
export const WARNING_STATUSES = ['open', 'acknowledged', 'resolved', 'dismissed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

/** What a warning may do automatically. */
export const WARNING_ACTION_KINDS = ['freeze', 'cut-limit', 'stop-renewal', 'special-mention', 'task', 'escalate'] as const;
export type WarningActionKind = (typeof WARNING_ACTION_KINDS)[number];

/** Monitoring tasks: the account manager's follow-up, the risk officer's escalation. */
export const MONITORING_TASK_KINDS = ['follow-up', 'escalation'] as const;
export type MonitoringTaskKind = (typeof MONITORING_TASK_KINDS)[number];

/**
 * The rules, a closed list. `*-mom` month on month, `*-yoy` year on year, `*-vs-approval` against
 * the month before the line was approved; each a fall as a share of the earlier level.
 */
export const WARNING_RULE_IDS = [
  'electricity-mom', 'electricity-yoy', 'electricity-vs-approval',
  'water-mom', 'water-yoy', 'water-vs-approval',
  'sales-mom', 'sales-yoy', 'sales-vs-approval',
  'tax-arrears', 'headcount-fall', 'lawsuit-defendant', 'dishonest-debtor', 'administrative-penalty',
  'bureau-overdue', 'own-overdue', 'utilisation-jump', 'circular-use', 'collateral-value', 'authorisation-missing',
] as const;
export type WarningRuleId = (typeof WARNING_RULE_IDS)[number];

/** One rule's settings. */
export interface RuleConfig {
  readonly enabled: boolean;
  /** The value from which each level applies; a level left out is never given by this rule. */
  readonly thresholds: Readonly<Partial<Record<WarningLevel, number>>>;
  /** From this level on the borrower's loans are held at least special mention (关注); null: never. */
  readonly specialMentionFrom: WarningLevel | null;
}

/** What a level does. */
export interface LevelActions {
  /** Freeze the enterprise's active lines: no drawdowns until a second person unfreezes. */
  readonly freeze: boolean;
  /** Cut each line's limit to this share of today's (basis points), never below what is drawn; null: no cut. */
  readonly cutLimitToBp: number | null;
  /** Stop renewal (无还本续贷) eligibility of the enterprise's lines. */
  readonly stopRenewal: boolean;
  /** A follow-up task for the account manager, due this many days after the warning; null: none. */
  readonly taskDueDays: number | null;
  /** An escalation task for the risk officer. */
  readonly escalate: boolean;
}

/** The whole rule set: cadences, bounds, rules and level actions. */
export interface RuleSet {
  /** A label for people ("EW-2026.1"); the database version number is what warnings record. */
  readonly label: string;
  /** Days between monitoring pulls of each source (tax and power monthly, courts daily…). */
  readonly cadenceDays: Readonly<Record<DataSource, number>>;
  /** Enterprises per batch (one transaction, a few statements). */
  readonly batchSize: number;
  /** Enterprises monitored per run at most; the rest wait for the next night (the cursor). */
  readonly maxEnterprisesPerRun: number;
  /** Utilisation jump: drawn in the last `recentDays` at least `recentShare` of the limit. */
  readonly utilisation: { readonly recentDays: number; readonly recentShare: number };
  /** Circular use: a new loan within `withinDays` of an earlier loan's maturity, of at least `sameShare` of it, in the last `lookbackDays`. */
  readonly circular: { readonly withinDays: number; readonly sameShare: number; readonly lookbackDays: number };
  readonly rules: Readonly<Record<WarningRuleId, RuleConfig>>;
  readonly levels: Readonly<Record<WarningLevel, LevelActions>>;
}

const rule = (thresholds: RuleConfig['thresholds'], specialMentionFrom: WarningLevel | null = null): RuleConfig => ({ enabled: true, thresholds, specialMentionFrom });

/**
 * The shipped rule set. Thresholds are the bank's to tune (the false-alarm rate per rule says
 * where); month-on-month falls are set wider than year-on-year ones because Spring Festival alone
 * takes a third off a factory's February.
 */
export const DEFAULT_RULE_SET: RuleSet = {
  label: 'EW-2026.1',
  cadenceDays: { tax: 30, electricity: 30, water: 30, 'social-security': 30, registration: 7, courts: 1, 'credit-bureau': 30 },
  // 2,000 borrowers a batch: each of a batch's ~20 write statements waits for a turn of the event
  // loop that prepares the next batch, so fewer, larger batches wait less — 100,000 borrowers took
  // 76–80 s in batches of 500 and 42–46 s in batches of 2,000, the same warnings (docs/benchmarks.md).
  batchSize: 2000,
  maxEnterprisesPerRun: 200_000,
  utilisation: { recentDays: 30, recentShare: 0.5 },
  circular: { withinDays: 3, sameShare: 0.9, lookbackDays: 180 },
  rules: {
    'electricity-mom': rule({ yellow: 0.4, orange: 0.6 }),
    'electricity-yoy': rule({ yellow: 0.3, orange: 0.5, red: 0.7 }),
    'electricity-vs-approval': rule({ yellow: 0.3, orange: 0.5, red: 0.7 }, 'red'),
    'water-mom': rule({ blue: 0.5, yellow: 0.7 }),
    'water-yoy': rule({ blue: 0.3, yellow: 0.5 }),
    'water-vs-approval': rule({ blue: 0.3, yellow: 0.5 }),
    'sales-mom': rule({ yellow: 0.5, orange: 0.7 }),
    'sales-yoy': rule({ yellow: 0.3, orange: 0.5, red: 0.7 }),
    'sales-vs-approval': rule({ yellow: 0.3, orange: 0.5, red: 0.7 }, 'red'),
    'tax-arrears': rule({ yellow: 2, red: 3 }, 'red'),
    'headcount-fall': rule({ yellow: 0.3, orange: 0.6 }),
    'lawsuit-defendant': rule({ yellow: 1, orange: 3 }),
    'dishonest-debtor': rule({ red: 1 }, 'red'),
    'administrative-penalty': rule({ blue: 2, yellow: 3, orange: 5 }),
    'bureau-overdue': rule({ yellow: 15, orange: 30, red: 90 }, 'orange'),
    'own-overdue': rule({ blue: 1, yellow: 15, orange: 31, red: 91 }),
    'utilisation-jump': rule({ yellow: 0.95 }),
    'circular-use': rule({ yellow: 2, orange: 4 }),
    'collateral-value': rule({ orange: 1 }),
    'authorisation-missing': rule({ yellow: 1 }),
  },
  levels: {
    blue: { freeze: false, cutLimitToBp: null, stopRenewal: false, taskDueDays: 15, escalate: false },
    yellow: { freeze: false, cutLimitToBp: null, stopRenewal: true, taskDueDays: 7, escalate: false },
    orange: { freeze: false, cutLimitToBp: 5000, stopRenewal: true, taskDueDays: 3, escalate: true },
    red: { freeze: true, cutLimitToBp: null, stopRenewal: true, taskDueDays: 1, escalate: true },
  },
};

/**
 * The level a value reaches under a rule: the highest whose threshold it is at or above; null below all.
 *
 * @example
 * levelFor(rule({ yellow: 0.3, orange: 0.5 }), 0.5); // 'orange'
 */
export function levelFor(config: RuleConfig, value: number): WarningLevel | null {
  let level: WarningLevel | null = null;
  for (const candidate of WARNING_LEVELS) {
    const threshold = config.thresholds[candidate];
    if (threshold !== undefined && value >= threshold) level = candidate;
  }
  return level;
}

/** Rank of a level, 0 (blue) … 3 (red). */
export function levelRank(level: WarningLevel): number {
  return WARNING_LEVELS.indexOf(level);
}

/**
 * Checks a rule set from outside (a maker's proposal): every rule and level present, thresholds
 * rising with the level, cadences 1–366 days, bounds positive. A ValidationError names the field.
 */
export function checkRuleSet(input: unknown): RuleSet {
  const set = input as RuleSet;
  if (typeof set !== 'object' || set === null) throw new ValidationError('rules', 'must be an object');
  if (typeof set.label !== 'string' || set.label.length < 1 || set.label.length > 40) throw new ValidationError('label', 'must be 1 to 40 characters');
  for (const source of DATA_SOURCES) {
    const days = set.cadenceDays?.[source];
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new ValidationError(`cadenceDays.${source}`, 'must be a whole number of days from 1 to 366');
  }
  if (!Number.isInteger(set.batchSize) || set.batchSize < 1 || set.batchSize > 5000) throw new ValidationError('batchSize', 'must be 1 to 5000');
  if (!Number.isInteger(set.maxEnterprisesPerRun) || set.maxEnterprisesPerRun < 1 || set.maxEnterprisesPerRun > 10_000_000) throw new ValidationError('maxEnterprisesPerRun', 'must be 1 to 10,000,000');
  share(set.utilisation?.recentShare, 'utilisation.recentShare');
  days(set.utilisation?.recentDays, 'utilisation.recentDays');
  share(set.circular?.sameShare, 'circular.sameShare');
  days(set.circular?.withinDays, 'circular.withinDays');
  days(set.circular?.lookbackDays, 'circular.lookbackDays');
  for (const id of WARNING_RULE_IDS) {
    const config = set.rules?.[id];
    if (config === undefined || typeof config.enabled !== 'boolean') throw new ValidationError(`rules.${id}`, 'is required, with enabled, thresholds and specialMentionFrom');
    let last = -Infinity;
    for (const level of WARNING_LEVELS) {
      const threshold = config.thresholds?.[level];
      if (threshold === undefined) continue;
      if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) throw new ValidationError(`rules.${id}.thresholds.${level}`, 'must be a number above 0');
      if (threshold <= last) throw new ValidationError(`rules.${id}.thresholds.${level}`, 'must be above the threshold of the milder level');
      last = threshold;
    }
    if (config.specialMentionFrom !== null && !WARNING_LEVELS.includes(config.specialMentionFrom)) throw new ValidationError(`rules.${id}.specialMentionFrom`, `must be null or one of ${WARNING_LEVELS.join(', ')}`);
  }
  for (const level of WARNING_LEVELS) {
    const actions = set.levels?.[level];
    if (actions === undefined) throw new ValidationError(`levels.${level}`, 'is required');
    if (actions.cutLimitToBp !== null && (!Number.isInteger(actions.cutLimitToBp) || actions.cutLimitToBp < 0 || actions.cutLimitToBp >= 10_000)) throw new ValidationError(`levels.${level}.cutLimitToBp`, 'must be null or 0 to 9999 basis points');
    if (actions.taskDueDays !== null && (!Number.isInteger(actions.taskDueDays) || actions.taskDueDays < 0 || actions.taskDueDays > 90)) throw new ValidationError(`levels.${level}.taskDueDays`, 'must be null or 0 to 90 days');
    for (const flag of ['freeze', 'stopRenewal', 'escalate'] as const) if (typeof actions[flag] !== 'boolean') throw new ValidationError(`levels.${level}.${flag}`, 'must be true or false');
  }
  return set;
}

function share(value: unknown, field: string): void {
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw new ValidationError(field, 'must be a share above 0 and at most 1');
}

function days(value: unknown, field: string): void {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 3660) throw new ValidationError(field, 'must be 1 to 3660 days');
}
