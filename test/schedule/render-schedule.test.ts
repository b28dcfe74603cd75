import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleToCsv, scheduleToJson, scheduleToTable } from '../../src/schedule/index.js';
import { schedule } from './helpers.js';

// Two installments of 10000.00 at 3.65% every 14 days, equal principal: interest 14.00 then 7.00.
const TWO = schedule({
  principal: '10000.00', rate: '3.65', periods: 2, every: 14, unit: 'days', daysInYear: '365',
  method: 'equal-principal', disbursed: '2024-01-01',
});

test('scheduleToJson writes money as two-decimal strings', () => {
  assert.deepEqual(scheduleToJson(TWO), {
    installments: [
      { number: 1, dueDate: '2024-01-15', days: 14, principal: '5000.00', interest: '14.00', total: '5014.00', balance: '5000.00' },
      { number: 2, dueDate: '2024-01-29', days: 14, principal: '5000.00', interest: '7.00', total: '5007.00', balance: '0.00' },
    ],
    totalPrincipal: '10000.00',
    totalInterest: '21.00',
    totalRepayment: '10021.00',
  });
});

test('scheduleToCsv is an export: the byte-order mark, a header and one CRLF-terminated line per installment', () => {
  assert.equal(
    scheduleToCsv(TWO),
    '\uFEFFnumber,dueDate,days,principal,interest,total,balance\r\n' +
      '1,2024-01-15,14,5000.00,14.00,5014.00,5000.00\r\n' +
      '2,2024-01-29,14,5000.00,7.00,5007.00,0.00\r\n',
  );
});

test('scheduleToTable aligns columns and ends with a totals row', () => {
  assert.equal(
    scheduleToTable(TWO),
    [
      '#      Due date    Days  Principal  Interest     Total  Balance',
      '-----  ----------  ----  ---------  --------  --------  -------',
      '1      2024-01-15    14    5000.00     14.00   5014.00  5000.00',
      '2      2024-01-29    14    5000.00      7.00   5007.00     0.00',
      '-----  ----------  ----  ---------  --------  --------  -------',
      'Total                     10000.00     21.00  10021.00',
      '',
    ].join('\n'),
  );
});
