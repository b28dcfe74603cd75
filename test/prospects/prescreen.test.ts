import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusinessDate } from '../../src/calendar/index.js';
import type { DataRecord } from '../../src/data/index.js';
import { minor } from '../../src/money/index.js';
import { DEFAULT_PRESCREEN_POLICY, prescreen } from '../../src/prospects/prescreen.js';

const AS_OF = '2025-06-30' as BusinessDate;
const d = (text: string) => text as BusinessDate;
const penalty = (date: string): DataRecord => ({ source: 'registration', kind: 'administrative-penalty', date: d(date), authority: '市场监督管理局', reason: '虚假宣传', amount: minor(5_000_00n) });
const suit = (status: 'pending' | 'closed', role: 'plaintiff' | 'defendant' = 'defendant'): DataRecord => ({ source: 'courts', kind: 'lawsuit', date: d('2025-01-10'), caseNumber: '(2025)浙0106民初1号', role, cause: '买卖合同纠纷', amount: minor(80_000_00n), status });
const change = (date: string, item: string): DataRecord => ({ source: 'registration', kind: 'registration-change', date: d(date), item });
const listing = (removedOn: string | null): DataRecord => ({ source: 'courts', kind: 'dishonest-debtor', date: d('2024-11-01'), removedOn: removedOn === null ? null : d(removedOn), court: '杭州市西湖区人民法院', caseNumber: '(2024)浙0106执1号', amount: minor(30_000_00n) });
const screen = (records: DataRecord[], options: { source?: 'supply-chain' | 'business-district' | 'platform'; registeredOn?: string } = {}) =>
  prescreen({ source: options.source ?? 'supply-chain', records, registeredOn: options.registeredOn === undefined ? null : d(options.registeredOn), asOf: AS_OF }, DEFAULT_PRESCREEN_POLICY);

describe('pre-screening a prospect on public records', () => {
  it('a clean record is pre-approved at the indicative limit of its source', () => {
    assert.deepEqual(screen([]), { status: 'pre-approved', indicativeLimit: 500_000_00n, reasons: [] });
    assert.equal(screen([], { source: 'business-district' }).indicativeLimit, 200_000_00n);
    assert.equal(screen([], { source: 'platform' }).indicativeLimit, 300_000_00n);
    // A suit the firm brought, or one that is closed, is no finding.
    assert.deepEqual(screen([suit('closed'), suit('pending', 'plaintiff'), change('2025-03-01', 'address')]).reasons, []);
  });

  it('one penalty or one pending suit as defendant halves the limit and says why', () => {
    assert.deepEqual(screen([penalty('2024-09-01')]), { status: 'pre-approved', indicativeLimit: 250_000_00n, reasons: ['ADMINISTRATIVE_PENALTY'] });
    assert.deepEqual(screen([suit('pending')], { source: 'platform' }), { status: 'pre-approved', indicativeLimit: 150_000_00n, reasons: ['PENDING_LAWSUIT'] });
  });

  it('knock-outs: listed as a dishonest debtor now, two penalties, two pending suits, control changing twice in a year, under a year old', () => {
    assert.deepEqual(screen([listing(null)]), { status: 'declined', indicativeLimit: null, reasons: ['DISHONEST_DEBTOR'] });
    assert.equal(screen([listing('2025-03-01')]).status, 'pre-approved', 'removed from the list before the date');
    assert.deepEqual(screen([penalty('2024-01-01'), penalty('2025-02-01')]).reasons, ['ADMINISTRATIVE_PENALTIES']);
    assert.deepEqual(screen([suit('pending'), suit('pending')]).reasons, ['PENDING_LAWSUITS']);
    assert.deepEqual(screen([change('2024-12-01', 'legal-representative'), change('2025-05-01', 'shareholders')]).reasons, ['UNSTABLE_CONTROL']);
    assert.equal(screen([change('2024-06-01', 'legal-representative'), change('2025-05-01', 'shareholders')]).status, 'pre-approved', 'one change falls outside the 12 months');
    assert.deepEqual(screen([], { registeredOn: '2024-07-01' }).reasons, ['TOO_YOUNG']);
    assert.equal(screen([], { registeredOn: '2024-06-30' }).status, 'pre-approved', 'exactly a year is enough');
  });
});
