import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rows, schedule, totals } from './helpers.js';

test('reference case: 5000.00 at 12% over 18 months rounded to whole yuan', () => {
  // r = 12% / 12 = 1%; A = 5000 × 0.01 / (1 − 1.01^−18) = 50 / 0.163983 = 304.91 → 305.00 (multiple 1.00).
  // Installment 1: interest 5000.00 × 1% = 50.00, principal 305.00 − 50.00 = 255.00, balance 4745.00.
  const s = schedule({ principal: '5000.00', rate: '12', periods: 18, disbursed: '2022-11-01', installmentMultiple: '1.00' });
  const r = rows(s);
  assert.equal(r.length, 18);
  assert.deepEqual(r[0], ['2022-12-01', 30, '255.00', '50.00', '305.00', '4745.00']);
  // Installment 2: 4745.00 × 1% = 47.45; 305.00 − 47.45 = 257.55.
  assert.deepEqual(r[1], ['2023-01-01', 31, '257.55', '47.45', '305.00', '4487.45']);
  // The last pays the remaining 300.22 plus 300.22 × 1% = 3.0022 → 3.00.
  assert.deepEqual(r[17], ['2024-05-01', 30, '300.22', '3.00', '303.22', '0.00']);
  assert.deepEqual(totals(s), ['5000.00', '488.22', '5488.22']);
});

test('equal installments: 12000.00 at 6% over 12 months is 1032.80 a month', () => {
  // r = 0.5%; A = 12000 × 0.005 / (1 − 1.005^−12) = 60 / 0.0580953 = 1032.797 → 1032.80.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r[0], ['2024-02-15', 31, '972.80', '60.00', '1032.80', '11027.20']);
  // 11027.20 × 0.5% = 55.136 → 55.14; 1032.80 − 55.14 = 977.66.
  assert.deepEqual(r[1], ['2024-03-15', 29, '977.66', '55.14', '1032.80', '10049.54']);
  // Last: 1027.64 + 1027.64 × 0.5% (5.1382 → 5.14) = 1032.78, absorbing the rounding.
  assert.deepEqual(r[11], ['2025-01-15', 31, '1027.64', '5.14', '1032.78', '0.00']);
  assert.deepEqual(totals(s), ['12000.00', '393.58', '12393.58']);
});

test('equal principal: 1000.00 a month plus interest on the declining balance', () => {
  // Interest k = (12000 − 1000 (k − 1)) × 0.5% = 60.00, 55.00, … 5.00; total 5 × 78 = 390.00.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, method: 'equal-principal', disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r.map((row) => row[2]), new Array(12).fill('1000.00'));
  assert.deepEqual(r.map((row) => row[3]), ['60.00', '55.00', '50.00', '45.00', '40.00', '35.00', '30.00', '25.00', '20.00', '15.00', '10.00', '5.00']);
  assert.deepEqual(r[0], ['2024-02-15', 31, '1000.00', '60.00', '1060.00', '11000.00']);
  assert.deepEqual(totals(s), ['12000.00', '390.00', '12390.00']);
});

test('equal principal: P ÷ n rounded to the fen in each installment, the last absorbs the remainder', () => {
  // 100.00 / 3 = 33.333 → 33.33, 33.33, and the last 100.00 − 66.66 = 33.34; at 0% there is no interest.
  const s = schedule({ principal: '100.00', rate: '0', periods: 3, method: 'equal-principal', disbursed: '2024-01-15' });
  assert.deepEqual(rows(s).map((row) => row[2]), ['33.33', '33.33', '33.34']);
  assert.deepEqual(totals(s), ['100.00', '0.00', '100.00']);
});

test('docs/schedules.md: 100,000.00 equal principal over 7 installments at 6%', () => {
  // 100000 / 7 = 14285.714 → 14285.71 six times; the last 100000 − 85714.26 = 14285.74.
  // Interest on the declining balance at 0.5% a month: 500.00, 428.57, 357.14, 285.71, 214.29, 142.86, 71.43.
  const s = schedule({ principal: '100000.00', rate: '6', periods: 7, method: 'equal-principal', disbursed: '2025-01-15' });
  assert.deepEqual(rows(s), [
    ['2025-02-15', 31, '14285.71', '500.00', '14785.71', '85714.29'],
    ['2025-03-15', 28, '14285.71', '428.57', '14714.28', '71428.58'],
    ['2025-04-15', 31, '14285.71', '357.14', '14642.85', '57142.87'],
    ['2025-05-15', 30, '14285.71', '285.71', '14571.42', '42857.16'],
    ['2025-06-15', 31, '14285.71', '214.29', '14500.00', '28571.45'],
    ['2025-07-15', 30, '14285.71', '142.86', '14428.57', '14285.74'],
    ['2025-08-15', 31, '14285.74', '71.43', '14357.17', '0.00'],
  ]);
  assert.deepEqual(totals(s), ['100000.00', '2000.00', '102000.00']);
});

test('equal principal of a few fen over many installments never overpays: the share is clamped to the balance', () => {
  // 0.16 / 10 = 0.016 → 0.02, but nine of those would be 0.18 > 0.16: installments stop at the balance.
  const s = schedule({ principal: '0.16', rate: '0', periods: 10, method: 'equal-principal', disbursed: '2024-01-15' });
  assert.deepEqual(rows(s).map((row) => row[2]), ['0.02', '0.02', '0.02', '0.02', '0.02', '0.02', '0.02', '0.02', '0.00', '0.00']);
  assert.deepEqual(totals(s), ['0.16', '0.00', '0.16']);
});

test('interest-only (先息后本): interest every month, all principal with the last', () => {
  // 12000.00 × 0.5% = 60.00 each month; total 720.00.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, method: 'interest-only', disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r[0], ['2024-02-15', 31, '0.00', '60.00', '60.00', '12000.00']);
  assert.deepEqual(r[10], ['2024-12-15', 30, '0.00', '60.00', '60.00', '12000.00']);
  assert.deepEqual(r[11], ['2025-01-15', 31, '12000.00', '60.00', '12060.00', '0.00']);
  assert.deepEqual(totals(s), ['12000.00', '720.00', '12720.00']);
});

test('bullet over 90 days, daily actual/365: 100000.00 at 4.35% owes 1072.60', () => {
  // 100000 × 4.35% × 90 / 365 = 391500 / 365 = 1072.6027 → 1072.60.
  const s = schedule({
    principal: '100000.00', rate: '4.35', periods: 1, every: 90, unit: 'days', method: 'bullet',
    interestPeriod: 'daily', daysInYear: '365', disbursed: '2024-01-31',
  });
  assert.deepEqual(rows(s), [['2024-04-30', 90, '100000.00', '1072.60', '101072.60', '0.00']]);
});

test('bullet with same-as-repayment interest charges P × r × periods at the end of the term', () => {
  // 12 monthly periods collapse into one installment 12 months later: 12000 × 0.5% × 12 = 720.00.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, method: 'bullet', disbursed: '2024-01-15' });
  assert.deepEqual(rows(s), [['2025-01-15', 366, '12000.00', '720.00', '12720.00', '0.00']]);
});

test('bullet with a firstDue off the period grid counts the first period daily', () => {
  // periods 1, firstDue 2024-03-01 (natural due date 2024-02-15): 46 days in 2024 (leap), ISDA:
  // 12000 × 6% × 46 / 366 = 33120 / 366 = 90.4918 → 90.49.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 1, method: 'bullet', disbursed: '2024-01-15', firstDue: '2024-03-01' });
  assert.deepEqual(rows(s), [['2024-03-01', 46, '12000.00', '90.49', '12090.49', '0.00']]);
  // periods 3 with the same firstDue: due 2024-05-01; 90.49-worth fraction + 2 × 0.5%, rounded once:
  // 12000 × (0.06 × 46/366 + 0.01) = 90.4918 + 120 = 210.4918 → 210.49.
  const three = schedule({ principal: '12000.00', rate: '6', periods: 3, method: 'bullet', disbursed: '2024-01-15', firstDue: '2024-03-01' });
  assert.deepEqual(rows(three), [['2024-05-01', 107, '12000.00', '210.49', '12210.49', '0.00']]);
});

test('weekly installments use 52 periods a year', () => {
  // r = 5.2% / 52 = 0.1%; A = 10000 × 0.001 / (1 − 1.001^−4) = 2506.247 → 2506.25.
  // Interest 3: 5005.00 × 0.1% = 5.005 → an exact half fen, to the even 5.00 (half-even).
  const s = schedule({ principal: '10000.00', rate: '5.2', periods: 4, unit: 'weeks', disbursed: '2024-01-01' });
  assert.deepEqual(rows(s), [
    ['2024-01-08', 7, '2496.25', '10.00', '2506.25', '7503.75'],
    ['2024-01-15', 7, '2498.75', '7.50', '2506.25', '5005.00'],
    ['2024-01-22', 7, '2501.25', '5.00', '2506.25', '2503.75'],
    ['2024-01-29', 7, '2503.75', '2.50', '2506.25', '0.00'],
  ]);
});

test('every 14 days with a 365-day year charges 14/365 of the annual rate', () => {
  // r = 3.65% × 14 / 365 = 0.14%: 10000.00 → 14.00, then 5000.00 → 7.00.
  const s = schedule({
    principal: '10000.00', rate: '3.65', periods: 2, every: 14, unit: 'days', daysInYear: '365',
    method: 'equal-principal', disbursed: '2024-01-01',
  });
  assert.deepEqual(rows(s), [
    ['2024-01-15', 14, '5000.00', '14.00', '5014.00', '5000.00'],
    ['2024-01-29', 14, '5000.00', '7.00', '5007.00', '0.00'],
  ]);
});

test('daily interest with 30-day months and a 360-day year counts 30E/360 days', () => {
  // Disbursed 2024-01-31, due 2024-02-29 and 2024-03-31 (31st anchor).
  // 30E days: 31 Jan → 29 Feb = 30 + (29 − 30) = 29; 29 Feb → 31 Mar = 30 + (30 − 29) = 31.
  // 36000 × 10% × 29/360 = 290.00; × 31/360 = 310.00.
  const s = schedule({
    principal: '36000.00', rate: '10', periods: 2, method: 'interest-only', interestPeriod: 'daily',
    daysInYear: '360', daysInMonth: '30', disbursed: '2024-01-31',
  });
  assert.deepEqual(rows(s), [
    ['2024-02-29', 29, '0.00', '290.00', '290.00', '36000.00'],
    ['2024-03-31', 31, '36000.00', '310.00', '36310.00', '0.00'],
  ]);
  // daysInYear 'actual' with 30-day months means a 360-day year: the same schedule.
  const actualYear = schedule({
    principal: '36000.00', rate: '10', periods: 2, method: 'interest-only', interestPeriod: 'daily',
    daysInMonth: '30', disbursed: '2024-01-31',
  });
  assert.deepEqual(rows(actualYear), rows(s));
});

test('daily interest over actual days with a fixed 360-day year', () => {
  // 36000 × 10% × 29/360 = 290.00 and × 31/360 = 310.00 (actual days happen to match here);
  // from 2024-02-15: 29 days then 31 days, same amounts. Use 2023-01-31: 28 + 31 days.
  // 3600 × 28 / 360 = 280.00, 3600 × 31 / 360 = 310.00.
  const s = schedule({
    principal: '36000.00', rate: '10', periods: 2, method: 'interest-only', interestPeriod: 'daily',
    daysInYear: '360', disbursed: '2023-01-31',
  });
  assert.deepEqual(rows(s).map((row) => [row[1], row[3]]), [[28, '280.00'], [31, '310.00']]);
});

test('daily interest actual/actual splits a period that spans New Year into a leap year', () => {
  // 2023-12-15 → 2024-01-15: 17 days over 365 + 14 days over 366.
  // 100000 × 10% × (17 × 366 + 14 × 365) / 133590 = 10000 × 11332 / 133590 = 848.2671 → 848.27.
  const s = schedule({ principal: '100000.00', rate: '10', periods: 1, method: 'bullet', interestPeriod: 'daily', disbursed: '2023-12-15' });
  assert.deepEqual(rows(s), [['2024-01-15', 31, '100000.00', '848.27', '100848.27', '0.00']]);
});

test('daily interest on equal installments keeps the nominal-rate installment', () => {
  // A = 12000 × 0.005 / (1 − 1.005^−3) = 4040.07 (from the nominal rate even though interest is daily).
  // Interest 1: 12000 × 6% × 31/366 = 60.9836 → 60.98; interest 2: 8020.91 × 0.06 × 29/366 = 38.1322 → 38.13.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 3, interestPeriod: 'daily', disbursed: '2024-01-15' });
  assert.deepEqual(rows(s), [
    ['2024-02-15', 31, '3979.09', '60.98', '4040.07', '8020.91'],
    ['2024-03-15', 29, '4001.94', '38.13', '4040.07', '4018.97'],
    // 4018.97 × 0.06 × 31/366 = 20.4242 → 20.42
    ['2024-04-15', 31, '4018.97', '20.42', '4039.39', '0.00'],
  ]);
});

test('grace on principal: interest-only first, the annuity over the remaining periods', () => {
  // Installments 1–2 pay 12000 × 0.5% = 60.00. A over 10: 60 / (1 − 1.005^−10) = 1233.249 → 1233.25.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, gracePrincipal: 2, disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r[0], ['2024-02-15', 31, '0.00', '60.00', '60.00', '12000.00']);
  assert.deepEqual(r[1], ['2024-03-15', 29, '0.00', '60.00', '60.00', '12000.00']);
  assert.deepEqual(r[2], ['2024-04-15', 31, '1173.25', '60.00', '1233.25', '10826.75']);
  // 1227.08 × 0.5% = 6.1354 → 6.14.
  assert.deepEqual(r[11], ['2025-01-15', 31, '1227.08', '6.14', '1233.22', '0.00']);
  assert.deepEqual(totals(s), ['12000.00', '452.47', '12452.47']);
});

test('grace on interest: nothing due, then the deferred interest with the first payment', () => {
  // Installments 1–2 pay nothing; their interest 60.00 + 60.00 is not capitalised and is paid in
  // installment 3 with its own 60.00: 180.00. Principal 12000 / 10 = 1200.00.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, graceInterest: 2, method: 'equal-principal', disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r[0], ['2024-02-15', 31, '0.00', '0.00', '0.00', '12000.00']);
  assert.deepEqual(r[1], ['2024-03-15', 29, '0.00', '0.00', '0.00', '12000.00']);
  assert.deepEqual(r[2], ['2024-04-15', 31, '1200.00', '180.00', '1380.00', '10800.00']);
  assert.deepEqual(r[3], ['2024-05-15', 30, '1200.00', '54.00', '1254.00', '9600.00']);
  // 120.00 deferred + 10 × 1200 × 0.5% × (10 + 9 + … + 1) / 10 = 120 + 330 = 450.00.
  assert.deepEqual(totals(s), ['12000.00', '450.00', '12450.00']);
});

test('grace on interest for equal installments pays the deferred interest on top of the annuity', () => {
  // graceInterest 1: A over 11 = 60 / (1 − 1.005^−11) = 60 / 0.0533851 = 1123.91; installment 2 = A + 60.00 deferred.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, graceInterest: 1, disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r[0], ['2024-02-15', 31, '0.00', '0.00', '0.00', '12000.00']);
  // own interest 60.00 + deferred 60.00; principal = A − own interest = 1123.91 − 60.00 = 1063.91.
  assert.deepEqual(r[1], ['2024-03-15', 29, '1063.91', '120.00', '1183.91', '10936.09']);
});

test('both graces: principal grace longer than interest grace', () => {
  // graceInterest 1, gracePrincipal 2: 1 pays nothing, 2 pays 60 + 60 deferred, 3 starts the annuity
  // over 10 periods (1233.25).
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, graceInterest: 1, gracePrincipal: 2, disbursed: '2024-01-15' });
  const r = rows(s);
  assert.deepEqual(r.slice(0, 3).map((row) => row.slice(2)), [
    ['0.00', '0.00', '0.00', '12000.00'],
    ['0.00', '120.00', '120.00', '12000.00'],
    ['1173.25', '60.00', '1233.25', '10826.75'],
  ]);
});

test('flat equal installments: every interest is the flat amount, the principal is the installment minus it', () => {
  // Flat interest per month on the original 10000.00: 10000 × 10% / 12 = 83.333 → 83.33; I = 249.99.
  // Installment (10000 + 249.99) / 3 = 3416.663 → 3416.66; principal 3416.66 − 83.33 = 3333.33;
  // the last pays the balance 3333.34 + 83.33 = 3416.67.
  const s = schedule({ principal: '10000.00', rate: '10', periods: 3, interest: 'flat', disbursed: '2024-01-15' });
  assert.deepEqual(rows(s), [
    ['2024-02-15', 31, '3333.33', '83.33', '3416.66', '6666.67'],
    ['2024-03-15', 29, '3333.33', '83.33', '3416.66', '3333.34'],
    ['2024-04-15', 31, '3333.34', '83.33', '3416.67', '0.00'],
  ]);
  assert.deepEqual(totals(s), ['10000.00', '249.99', '10249.99']);
});

test('docs/schedules.md: 100,000.00 over 12 months flat 6%, installments rounded to 10.00', () => {
  // Flat interest 100000 × 6% / 12 = 500.00 every month. Installment (100000 + 6000) / 12 = 8833.33
  // → 8830.00 (a multiple of 10.00); principal 8830.00 − 500.00 = 8330.00; the rounding moves
  // principal only: the last pays 100000 − 11 × 8330 = 8370.00 + 500.00 = 8870.00.
  const s = schedule({ principal: '100000.00', rate: '6', periods: 12, interest: 'flat', installmentMultiple: '10.00', disbursed: '2025-01-15' });
  const r = rows(s);
  assert.deepEqual(r.map((row) => row[3]), new Array(12).fill('500.00'));
  assert.deepEqual(r.slice(0, 11).map((row) => [row[2], row[4]]), new Array(11).fill(['8330.00', '8830.00']));
  assert.deepEqual(r[0], ['2025-02-15', 31, '8330.00', '500.00', '8830.00', '91670.00']);
  assert.deepEqual(r[10], ['2025-12-15', 30, '8330.00', '500.00', '8830.00', '8370.00']);
  assert.deepEqual(r[11], ['2026-01-15', 31, '8370.00', '500.00', '8870.00', '0.00']);
  assert.deepEqual(totals(s), ['100000.00', '6000.00', '106000.00']);
});

test('flat equal installments without a multiple: 100,000.00 over 12 months at 6% is 8833.33, the last 8833.37', () => {
  const s = schedule({ principal: '100000.00', rate: '6', periods: 12, interest: 'flat', disbursed: '2025-01-15' });
  const r = rows(s);
  assert.deepEqual(r.slice(0, 11).map((row) => [row[2], row[3], row[4]]), new Array(11).fill(['8333.33', '500.00', '8833.33']));
  assert.deepEqual(r[11], ['2026-01-15', 31, '8333.37', '500.00', '8833.37', '0.00']);
});

test('flat equal principal charges interest on the original principal every period', () => {
  // 12000 × 0.5% = 60.00 every month, although the balance falls by 1000.00 a month; 720.00 in all.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 12, method: 'equal-principal', interest: 'flat', disbursed: '2024-01-15' });
  assert.deepEqual(rows(s).map((row) => row[3]), new Array(12).fill('60.00'));
  assert.deepEqual(totals(s), ['12000.00', '720.00', '12720.00']);
});

test('a loan disbursed on the 31st falls due on the last day of short months and the 31st again', () => {
  const s = schedule({ principal: '12000.00', rate: '6', periods: 4, disbursed: '2024-01-31' });
  assert.deepEqual(rows(s).map((row) => [row[0], row[1]]), [
    ['2024-02-29', 29],
    ['2024-03-31', 31],
    ['2024-04-30', 30],
    ['2024-05-31', 31],
  ]);
});

test('firstDue anchors the later due dates and makes an irregular first period daily', () => {
  // Natural first due date 2024-02-10; firstDue 2024-02-25 is 46 days after 2024-01-10:
  // 12000 × 6% × 46 / 366 = 90.4918 → 90.49. Later periods use r = 0.5%: 8050.42 × 0.005 = 40.25.
  const s = schedule({ principal: '12000.00', rate: '6', periods: 3, disbursed: '2024-01-10', firstDue: '2024-02-25' });
  assert.deepEqual(rows(s), [
    ['2024-02-25', 46, '3949.58', '90.49', '4040.07', '8050.42'],
    ['2024-03-25', 29, '3999.82', '40.25', '4040.07', '4050.60'],
    ['2024-04-25', 31, '4050.60', '20.25', '4070.85', '0.00'],
  ]);
});

test('a firstDue one period after disbursement is a regular first period', () => {
  const withFirstDue = schedule({ principal: '12000.00', rate: '6', periods: 12, disbursed: '2024-01-15', firstDue: '2024-02-15' });
  const without = schedule({ principal: '12000.00', rate: '6', periods: 12, disbursed: '2024-01-15' });
  assert.deepEqual(rows(withFirstDue), rows(without));
});

test('an exact half fen rounds to even by default and away from zero with half-up', () => {
  // 50.50 × 1% = 0.505 yuan = 50.5 fen.
  const even = schedule({ principal: '50.50', rate: '12', periods: 1, method: 'bullet', disbursed: '2023-12-15' });
  const up = schedule({ principal: '50.50', rate: '12', periods: 1, method: 'bullet', disbursed: '2023-12-15', rounding: 'half-up' });
  assert.deepEqual(totals(even), ['50.50', '0.50', '51.00']);
  assert.deepEqual(totals(up), ['50.50', '0.51', '51.01']);
});

test('installmentMultiple rounds the level installment with the rounding mode', () => {
  // 12000 at 6% over 12: A = 1032.797; to 10.00 → 1030.00; to 1.00 → 1033.00.
  const tens = schedule({ principal: '12000.00', rate: '6', periods: 12, disbursed: '2024-01-15', installmentMultiple: '10.00' });
  assert.equal(rows(tens)[0]?.[4], '1030.00');
  const ones = schedule({ principal: '12000.00', rate: '6', periods: 12, disbursed: '2024-01-15', installmentMultiple: '1' });
  assert.equal(rows(ones)[0]?.[4], '1033.00');
  // Paying 0.203 more for 11 months (≈ 0.203 × 11.28 with interest = 2.29) leaves a last installment
  // of about 1032.80 − 2.29: exactly 1030.50.
  assert.equal(rows(ones)[11]?.[4], '1030.50');
});

test('a zero rate splits the principal into level installments', () => {
  // 1000.00 / 3 = 333.333 → 333.33, the last takes 333.34.
  const s = schedule({ principal: '1000.00', rate: '0', periods: 3, disbursed: '2024-01-15' });
  assert.deepEqual(rows(s).map((row) => row[4]), ['333.33', '333.33', '333.34']);
});
