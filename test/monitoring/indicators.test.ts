import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBusinessDate } from '../../src/calendar/business-date.js';
import { parseMonth, type DataRecord } from '../../src/data/data-records.js';
import { monitoringIndicators, type LoanFacts } from '../../src/monitoring/indicators.js';
import { checkRuleSet, DEFAULT_RULE_SET, levelFor, WARNING_LEVELS, WARNING_RULE_IDS, type WarningRuleId } from '../../src/monitoring/rule-set.js';
import { minor } from '../../src/money/minor.js';

const m = (text: string) => parseMonth(text);
const d = (text: string) => parseBusinessDate(text, 'date');
const NO_LOANS: LoanFacts = { maxDpd: 0, limit: 0n, drawn: 0n, recentDrawn: 0n, circularLoans: 0, ltvBreaches: 0, unauthorisedSources: [] };
const base = { asOf: d('2026-03-10'), approvedOn: d('2025-09-15'), recentShare: 0.5 };

describe('early-warning thresholds', () => {
  it('every rule gives no level just below its mildest threshold and each level exactly at its threshold', () => {
    for (const id of WARNING_RULE_IDS) {
      const rule = DEFAULT_RULE_SET.rules[id];
      const levels = WARNING_LEVELS.filter((level) => rule.thresholds[level] !== undefined);
      assert.ok(levels.length > 0, id);
      const mildest = rule.thresholds[levels[0]!]!;
      assert.equal(levelFor(rule, mildest - 1e-9), null, id);
      for (const level of levels) assert.equal(levelFor(rule, rule.thresholds[level]!), level, `${id} at ${rule.thresholds[level]}`);
    }
  });

  it('the shipped thresholds, rule by rule', () => {
    const table = Object.fromEntries(WARNING_RULE_IDS.map((id) => [id, DEFAULT_RULE_SET.rules[id].thresholds]));
    assert.deepEqual(table, {
      'electricity-mom': { yellow: 0.4, orange: 0.6 },
      'electricity-yoy': { yellow: 0.3, orange: 0.5, red: 0.7 },
      'electricity-vs-approval': { yellow: 0.3, orange: 0.5, red: 0.7 },
      'water-mom': { blue: 0.5, yellow: 0.7 },
      'water-yoy': { blue: 0.3, yellow: 0.5 },
      'water-vs-approval': { blue: 0.3, yellow: 0.5 },
      'sales-mom': { yellow: 0.5, orange: 0.7 },
      'sales-yoy': { yellow: 0.3, orange: 0.5, red: 0.7 },
      'sales-vs-approval': { yellow: 0.3, orange: 0.5, red: 0.7 },
      'tax-arrears': { yellow: 2, red: 3 },
      'headcount-fall': { yellow: 0.3, orange: 0.6 },
      'lawsuit-defendant': { yellow: 1, orange: 3 },
      'dishonest-debtor': { red: 1 },
      'administrative-penalty': { blue: 2, yellow: 3, orange: 5 },
      'bureau-overdue': { yellow: 15, orange: 30, red: 90 },
      'own-overdue': { blue: 1, yellow: 15, orange: 31, red: 91 },
      'utilisation-jump': { yellow: 0.95 },
      'circular-use': { yellow: 2, orange: 4 },
      'collateral-value': { orange: 1 },
      'authorisation-missing': { yellow: 1 },
    });
  });

  it('a proposed rule set must keep thresholds rising with the level', () => {
    const bad = { ...DEFAULT_RULE_SET, rules: { ...DEFAULT_RULE_SET.rules, 'tax-arrears': { enabled: true, thresholds: { yellow: 2, orange: 2 }, specialMentionFrom: null } } };
    assert.throws(() => checkRuleSet(bad), { code: 'VALIDATION', field: 'rules.tax-arrears.thresholds.orange' });
    assert.throws(() => checkRuleSet({ ...DEFAULT_RULE_SET, cadenceDays: { ...DEFAULT_RULE_SET.cadenceDays, courts: 0 } }), { field: 'cadenceDays.courts' });
    assert.equal(checkRuleSet(DEFAULT_RULE_SET), DEFAULT_RULE_SET);
  });
});

describe('early-warning indicators', () => {
  const series = (kind: 'electricity' | 'water', values: Record<string, number>): DataRecord[] =>
    Object.entries(values).map(([month, v]) => (kind === 'electricity' ? { source: 'electricity', kind: 'electricity-month', month: m(month), kwh: v } : { source: 'water', kind: 'water-month', month: m(month), cubicMetres: v }));

  it('power: month on month, year on year, and against the month before approval', () => {
    // Latest whole month before 2026-03-10 is 2026-02; approval 2025-09-15 compares with 2025-06..08.
    const values = monitoringIndicators({
      ...base,
      loans: NO_LOANS,
      records: { electricity: series('electricity', { '2024-12': 20_000, '2025-01': 20_000, '2025-02': 20_000, '2025-06': 16_000, '2025-07': 16_000, '2025-08': 16_000, '2025-12': 12_000, '2026-01': 12_000, '2026-02': 6_000 }) },
    });
    assert.deepEqual(values['electricity-mom'], { value: 0.5, inputs: { unit: 'kWh', month: '2026-02', latest: 6000, comparedMonth: '2026-01', compared: 12000 } });
    // Three months with three: 30,000 against 60,000 a year before, against 48,000 before approval.
    assert.deepEqual(values['electricity-yoy'], { value: 0.5, inputs: { unit: 'kWh', months: '2025-12..2026-02', latest: 30000, comparedMonths: '2024-12..2025-02', compared: 60000 } });
    assert.equal(values['electricity-vs-approval']!.value, 0.375);
    const rules = DEFAULT_RULE_SET.rules;
    assert.deepEqual([levelFor(rules['electricity-mom'], 0.5), levelFor(rules['electricity-yoy'], 0.5), levelFor(rules['electricity-vs-approval'], 0.375)], ['yellow', 'orange', 'yellow']);
    // A month missing from a quarter: no year-on-year figure rather than a wrong one.
    assert.equal(monitoringIndicators({ ...base, loans: NO_LOANS, records: { electricity: series('electricity', { '2025-02': 1, '2026-01': 1, '2026-02': 1 }) } })['electricity-yoy'], undefined);
  });

  it('water and invoiced sales; a rise is a fall of 0; a month without data gives nothing', () => {
    const tax: DataRecord[] = [
      { source: 'tax', kind: 'tax-month', month: m('2026-01'), invoicedSales: minor(1_000_000n), taxPaid: minor(30_000n) },
      { source: 'tax', kind: 'tax-month', month: m('2026-02'), invoicedSales: minor(590_000n), taxPaid: minor(0n) },
    ];
    const values = monitoringIndicators({ ...base, loans: NO_LOANS, records: { water: series('water', { '2026-01': 100, '2026-02': 130 }), tax } });
    assert.equal(values['water-mom']!.value, 0);
    assert.equal(values['water-yoy'], undefined);
    assert.equal(values['sales-mom']!.value, 0.41);
    // A 41% fall in one month is seasonal noise as often as not (Spring Festival); from 50% it is yellow.
    assert.deepEqual([levelFor(DEFAULT_RULE_SET.rules['sales-mom'], 0.41), levelFor(DEFAULT_RULE_SET.rules['sales-mom'], 0.5)], [null, 'yellow']);
    assert.deepEqual(values['tax-arrears'], { value: 1, inputs: { months: '2026-02', from: '2025-12', to: '2026-02' } });
  });

  it('headcount, lawsuits as defendant in the last 90 days, the dishonest-debtor list, penalties in a year, overdue at other lenders', () => {
    const values = monitoringIndicators({
      ...base,
      loans: NO_LOANS,
      records: {
        'social-security': [
          { source: 'social-security', kind: 'headcount-month', month: m('2025-11'), insuredEmployees: 50 },
          { source: 'social-security', kind: 'headcount-month', month: m('2026-02'), insuredEmployees: 30 },
        ],
        courts: [
          { source: 'courts', kind: 'lawsuit', date: d('2025-12-09'), caseNumber: 'A', role: 'defendant', cause: 'x', amount: minor(1n), status: 'pending' },
          { source: 'courts', kind: 'lawsuit', date: d('2025-12-10'), caseNumber: 'B', role: 'defendant', cause: 'x', amount: minor(1n), status: 'pending' },
          { source: 'courts', kind: 'lawsuit', date: d('2026-01-01'), caseNumber: 'C', role: 'plaintiff', cause: 'x', amount: minor(1n), status: 'pending' },
          { source: 'courts', kind: 'dishonest-debtor', date: d('2025-01-01'), removedOn: d('2025-06-01'), court: 'c', caseNumber: 'E', amount: minor(1n) },
        ],
        registration: [
          { source: 'registration', kind: 'administrative-penalty', date: d('2025-03-10'), authority: 'a', reason: 'r', amount: minor(1n) },
          { source: 'registration', kind: 'administrative-penalty', date: d('2025-03-11'), authority: 'a', reason: 'r', amount: minor(1n) },
        ],
        'credit-bureau': [
          { source: 'credit-bureau', kind: 'bureau-overdue', subject: 'enterprise', month: m('2026-01'), daysPastDue: 35, amount: minor(1n) },
          { source: 'credit-bureau', kind: 'bureau-overdue', subject: 'owner', month: m('2026-02'), daysPastDue: 95, amount: minor(1n) },
          { source: 'credit-bureau', kind: 'bureau-overdue', subject: 'enterprise', month: m('2025-11'), daysPastDue: 120, amount: minor(1n) },
        ],
      },
    });
    assert.equal(values['headcount-fall']!.value, 0.4); // 1 − 30/50: yellow
    assert.deepEqual(values['lawsuit-defendant'], { value: 1, inputs: { since: '2025-12-10', cases: 'B' } }); // A is 91 days back, C the firm sued
    assert.equal(values['dishonest-debtor']!.value, 0); // removed before the date
    assert.equal(values['administrative-penalty']!.value, 1); // 2025-03-10 is 365 days back: out; 03-11 in
    assert.equal(values['bureau-overdue']!.value, 35); // the firm's own report, the last three months only
    assert.equal(levelFor(DEFAULT_RULE_SET.rules['bureau-overdue'], 35), 'orange');
  });

  it("the bank's own facts: overdue, a jump to the limit, circular use, collateral, missing authorisation", () => {
    const loans: LoanFacts = { maxDpd: 31, limit: 100_000_00n, drawn: 95_000_00n, recentDrawn: 50_000_00n, circularLoans: 2, ltvBreaches: 1, unauthorisedSources: ['tax', 'courts'] };
    const values = monitoringIndicators({ ...base, loans, records: {} });
    const rules = DEFAULT_RULE_SET.rules;
    const levels = (['own-overdue', 'utilisation-jump', 'circular-use', 'collateral-value', 'authorisation-missing'] as WarningRuleId[]).map((id) => [id, values[id]!.value, levelFor(rules[id], values[id]!.value)]);
    assert.deepEqual(levels, [
      ['own-overdue', 31, 'orange'],
      ['utilisation-jump', 0.95, 'yellow'],
      ['circular-use', 2, 'yellow'],
      ['collateral-value', 1, 'orange'],
      ['authorisation-missing', 1, 'yellow'],
    ]);
    // Fully drawn long ago is usage, not a jump: under half the limit drawn in the recent days.
    assert.equal(monitoringIndicators({ ...base, loans: { ...loans, recentDrawn: 49_999_99n }, records: {} })['utilisation-jump']!.value, 0);
  });
});
