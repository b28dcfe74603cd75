/**
 * `sprout calendar load FILE` and `sprout calendar show --year Y`: the holiday calendar a bank
 * loads each November when the State Council publishes the next year (src/calendar/calendar-file.ts;
 * the file for 2025–2026 ships as reference/holidays-cn-2025-2026.csv).
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseCalendarFile } from '../calendar/calendar-file.js';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { calendarYear, loadCalendarYears } from '../system/holiday-calendar.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

export function calendarCommand(): Command {
  const calendar = new Command('calendar').description('the holiday calendar: public holidays and make-up working days');
  calendar
    .command('load')
    .description('replace the years a calendar file covers (CSV: day,kind,name; kind holiday or workday)')
    .argument('<file>', 'the calendar file')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (file: string, flags: { dataDir?: string }) => {
        const parsed = parseCalendarFile(readFileSync(file, 'utf8'));
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const load = await loadCalendarYears(database.db, parsed, cliIo().env.USER ?? 'cli');
          cliIo().stdout.write(`calendar ${load.years.join(', ')}: ${load.holidays} holidays and ${load.workdays} make-up working days loaded (${load.replaced} days replaced)\n`);
        } finally {
          await database.close();
        }
      }),
    );
  calendar
    .command('show')
    .description("one year's holidays and make-up working days")
    .requiredOption('--year <YYYY>', 'the year')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (flags: { year: string; dataDir?: string }) => {
        if (!/^[0-9]{4}$/.test(flags.year)) throw new ValidationError('year', `must be a year written YYYY; got "${flags.year}"`);
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const days = await calendarYear(database.db, Number(flags.year));
          if (days.length === 0) cliIo().stdout.write(`no calendar loaded for ${flags.year}: only weekends are rest days\n`);
          for (const day of days) cliIo().stdout.write(`${day.day} ${day.working ? 'workday' : 'holiday'} ${day.name}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  return calendar;
}
