/**
 * `sprout schedule`: print a repayment schedule. The flags are a contract other tools rely on
 * (issue #2); do not rename them.
 */
import { Command, Option } from 'commander';
import { ValidationError } from '../errors.js';
import { buildSchedule, parseScheduleRequest, scheduleToCsv, scheduleToJson, scheduleToTable } from '../schedule/index.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface ScheduleFlags {
  principal: string;
  rate: string;
  periods: string;
  every?: string;
  unit?: string;
  method?: string;
  interest?: string;
  interestPeriod?: string;
  daysInYear?: string;
  daysInMonth?: string;
  disbursed: string;
  firstDue?: string;
  gracePrincipal?: string;
  graceInterest?: string;
  installmentMultiple?: string;
  rounding?: string;
  format: string;
}

export function scheduleCommand(): Command {
  return new Command('schedule')
    .description('print a repayment schedule (nothing is stored)')
    .requiredOption('--principal <D>', 'amount lent, yuan, e.g. 5000.00')
    .requiredOption('--rate <PERCENT_PER_YEAR>', 'nominal annual rate in percent, e.g. 4.35')
    .requiredOption('--periods <N>', 'number of installments')
    .option('--every <N>', 'repayment every N units (default 1)')
    .addOption(new Option('--unit <unit>', 'unit of the repayment period (default months)').choices(['days', 'weeks', 'months']))
    .addOption(
      new Option('--method <method>', 'amortization (default equal-installments)').choices(['equal-installments', 'equal-principal', 'interest-only', 'bullet']),
    )
    .addOption(new Option('--interest <method>', 'interest method (default declining-balance)').choices(['declining-balance', 'flat']))
    .addOption(new Option('--interest-period <period>', 'interest calculation period (default same-as-repayment)').choices(['daily', 'same-as-repayment']))
    .addOption(new Option('--days-in-year <days>', 'days in year (default actual)').choices(['actual', '360', '364', '365']))
    .addOption(new Option('--days-in-month <days>', 'days in month (default actual)').choices(['actual', '30']))
    .requiredOption('--disbursed <YYYY-MM-DD>', 'disbursement date')
    .option('--first-due <YYYY-MM-DD>', 'first due date (default one period after disbursement)')
    .option('--grace-principal <N>', 'first N installments pay interest only')
    .option('--grace-interest <N>', 'first N installments pay nothing; their interest is due with the next')
    .option('--installment-multiple <D>', 'round the installment to a multiple of this amount, e.g. 1.00')
    .addOption(new Option('--rounding <mode>', 'rounding of amounts (default half-even)').choices(['half-even', 'half-up']))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(
      runCommand((flags: ScheduleFlags) => {
        const schedule = buildSchedule(
          parseScheduleRequest({
            principal: flags.principal,
            rate: flags.rate,
            periods: integerFlag(flags.periods, 'periods'),
            every: optionalInteger(flags.every, 'every'),
            unit: flags.unit,
            method: flags.method,
            interest: flags.interest,
            interestPeriod: flags.interestPeriod,
            daysInYear: flags.daysInYear,
            daysInMonth: flags.daysInMonth,
            disbursed: flags.disbursed,
            firstDue: flags.firstDue,
            gracePrincipal: optionalInteger(flags.gracePrincipal, 'gracePrincipal'),
            graceInterest: optionalInteger(flags.graceInterest, 'graceInterest'),
            installmentMultiple: flags.installmentMultiple,
            rounding: flags.rounding,
          }),
        );
        const output =
          flags.format === 'json' ? `${JSON.stringify(scheduleToJson(schedule))}\n` : flags.format === 'csv' ? scheduleToCsv(schedule) : scheduleToTable(schedule);
        cliIo().stdout.write(output);
      }),
    );
}

function integerFlag(text: string, field: string): number {
  if (!/^[0-9]{1,6}$/.test(text)) throw new ValidationError(field, `must be a whole number, got "${text}"`);
  return Number(text);
}

function optionalInteger(text: string | undefined, field: string): number | undefined {
  return text === undefined ? undefined : integerFlag(text, field);
}
