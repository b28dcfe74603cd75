/**
 * End of day run by the server itself (`sprout serve --eod-at 23:30`): at the cut-off time every
 * server tries to take the lease (one row, table `eod_runner`); exactly one wins, closes every
 * date through the day just ended (runEodUntil, so a night the servers were down is caught up
 * too), and records the outcome the operations page shows. The lease expires, so a runner that
 * died mid-run is replaced at the next cut-off, which resumes its unfinished date. A row and a
 * conditional UPDATE, not an advisory lock: the portable subset has none (docs/decisions.md).
 *
 * @example
 * const stop = startEodSchedule(db, { at: '23:30', timezone: 'Asia/Shanghai', holder: 'web-1:4242' });
 */
import { Cron } from 'croner';
import { sql, type Kysely } from 'kysely';
import { addDays, parseBusinessDate, type BusinessDate } from '../calendar/business-date.js';
import type { Database } from '../db/schema.js';
import { ValidationError } from '../errors.js';
import { runEodUntil } from './catch-up.js';
import type { EodOptions } from './run-eod.js';

/** A runner's lease: long enough for a night's run, renewed after each date it closes. */
export const RUNNER_LEASE_SECONDS = 1800;

/** The last scheduled run, as the operations page shows it. */
export interface EodRunnerStatus {
  readonly holder: string | null;
  readonly leaseUntil: Date | null;
  readonly lastStartedAt: Date | null;
  readonly lastFinishedAt: Date | null;
  readonly lastOutcome: 'running' | 'done' | 'failed' | null;
  readonly lastFrom: BusinessDate | null;
  readonly lastUntil: BusinessDate | null;
  readonly lastDatesClosed: number;
  readonly lastMessage: string;
}

/** What one scheduled attempt did. */
export type ScheduledRun =
  | { readonly ran: false; readonly heldBy: string }
  | { readonly ran: true; readonly outcome: 'done' | 'failed'; readonly datesClosed: number; readonly message: string };

/**
 * Takes the lease for `holder` when nobody holds it or its holder's lease ran out; true when taken.
 * One conditional UPDATE decides a race between servers.
 */
export async function takeRunnerLease(db: Kysely<Database>, holder: string, leaseSeconds = RUNNER_LEASE_SECONDS): Promise<boolean> {
  await db.insertInto('eod_runner').values({ id: 1 }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const result = await sql`
    update eod_runner set holder = ${holder}, lease_until = now() + ${leaseSeconds} * interval '1 second'
    where id = 1 and (holder is null or lease_until < now())`.execute(db);
  return result.numAffectedRows === 1n;
}

async function renewLease(db: Kysely<Database>, holder: string, leaseSeconds: number): Promise<void> {
  await sql`update eod_runner set lease_until = now() + ${leaseSeconds} * interval '1 second' where id = 1 and holder = ${holder}`.execute(db);
}

/**
 * One scheduled end of day: take the lease or step aside, close every date through `until`,
 * record the outcome, let the lease go. A failure is recorded (and logged by the caller), never
 * thrown: the server keeps serving, and the next cut-off or an operator retries.
 */
export async function runScheduledEod(
  db: Kysely<Database>,
  options: { readonly holder: string; readonly until: BusinessDate; readonly leaseSeconds?: number; readonly eod?: Omit<EodOptions, 'date'> },
): Promise<ScheduledRun> {
  const leaseSeconds = options.leaseSeconds ?? RUNNER_LEASE_SECONDS;
  if (!(await takeRunnerLease(db, options.holder, leaseSeconds))) {
    const row = await db.selectFrom('eod_runner').select('holder').where('id', '=', 1).executeTakeFirst();
    return { ran: false, heldBy: row?.holder ?? '' };
  }
  const from = (await db.selectFrom('system_state').select('business_date').executeTakeFirstOrThrow()).business_date;
  await db.updateTable('eod_runner')
    .set({ last_started_at: new Date(), last_finished_at: null, last_outcome: 'running', last_from: from, last_until: options.until, last_dates_closed: 0, last_message: '' })
    .where('id', '=', 1).execute();
  let closed = 0;
  let outcome: 'done' | 'failed' = 'done';
  let message: string;
  try {
    const summaries = await runEodUntil(db, options.until, {
      ...options.eod,
      createdBy: options.eod?.createdBy ?? 'eod-scheduler',
      onDate: async (summary) => {
        if (!summary.alreadyDone) closed++;
        await renewLease(db, options.holder, leaseSeconds);
      },
    });
    message = summaries.length === 0 ? `nothing to close: the business date ${from} is after ${options.until}` : `closed ${from} to ${options.until}`;
  } catch (error) {
    outcome = 'failed';
    message = error instanceof Error ? error.message : String(error);
  }
  await db.updateTable('eod_runner')
    .set({ holder: null, lease_until: null, last_finished_at: new Date(), last_outcome: outcome, last_dates_closed: closed, last_message: message.slice(0, 2000) })
    .where('id', '=', 1).execute();
  return { ran: true, outcome, datesClosed: closed, message };
}

/**
 * The last scheduled run and who holds the lease now.
 *
 * @example
 * (await eodRunnerStatus(db)).lastOutcome; // "done"
 */
export async function eodRunnerStatus(db: Kysely<Database>): Promise<EodRunnerStatus> {
  const row = await db.selectFrom('eod_runner').selectAll().where('id', '=', 1).executeTakeFirst();
  return {
    holder: row?.holder ?? null,
    leaseUntil: row?.lease_until ?? null,
    lastStartedAt: row?.last_started_at ?? null,
    lastFinishedAt: row?.last_finished_at ?? null,
    lastOutcome: row?.last_outcome ?? null,
    lastFrom: row?.last_from ?? null,
    lastUntil: row?.last_until ?? null,
    lastDatesClosed: row?.last_dates_closed ?? 0,
    lastMessage: row?.last_message ?? '',
  };
}

/**
 * Parses a cut-off time "HH:MM" (24-hour).
 *
 * @example
 * parseCutOff('23:30'); // { hour: 23, minute: 30 }
 */
export function parseCutOff(text: string): { hour: number; minute: number } {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  if (match === null) throw new ValidationError('eod-at', `must be a time written HH:MM (24-hour), e.g. "23:30"; got "${text}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * The business date a cut-off at `now` closes through: the local calendar day in `timezone` for a
 * cut-off in the evening (12:00 or later), the day before for one after midnight (a 01:00 run
 * closes the day that just ended).
 *
 * @example
 * dateToCloseAt(new Date('2025-10-01T15:30:00Z'), 'Asia/Shanghai', 23); // "2025-10-01"
 * dateToCloseAt(new Date('2025-10-01T17:00:00Z'), 'Asia/Shanghai', 1);  // "2025-10-01" (01:00 on 10-02)
 */
export function dateToCloseAt(now: Date, timezone: string, cutOffHour: number): BusinessDate {
  const local = parseBusinessDate(new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now), 'timezone');
  return cutOffHour >= 12 ? local : addDays(local, -1);
}

/**
 * Starts the nightly schedule; returns a function that stops it. `onRun` hears each attempt's
 * outcome (the server logs it).
 */
export function startEodSchedule(
  db: Kysely<Database>,
  options: {
    readonly at: string;
    readonly timezone: string;
    readonly holder: string;
    readonly onRun?: (run: ScheduledRun) => void;
    readonly eod?: Omit<EodOptions, 'date'>;
    /** The clock (tests); default the system's. */
    readonly now?: () => Date;
  },
): () => void {
  const now = options.now ?? (() => new Date());
  const { hour, minute } = parseCutOff(options.at);
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: options.timezone });
  } catch {
    throw new ValidationError('eod-timezone', `unknown time zone "${options.timezone}"`);
  }
  const runUntil = async (until: BusinessDate) => {
    const run = await runScheduledEod(db, { holder: options.holder, until, ...(options.eod === undefined ? {} : { eod: options.eod }) });
    options.onRun?.(run);
  };
  // protect: a night still running when the next minute fires is not started twice in this process.
  const job = new Cron(`${minute} ${hour} * * *`, { timezone: options.timezone, protect: true }, () => runUntil(dateToCloseAt(now(), options.timezone, hour)));
  // A cut-off that passed while no server ran (a restart after it, a server still starting) is not
  // left to the next one: the night it should have closed is closed now, under the same lease.
  const missed = lastCutOffDate(now(), options.timezone, hour, minute);
  void (async () => {
    const open = (await db.selectFrom('system_state').select('business_date').executeTakeFirst())?.business_date;
    if (open !== undefined && open <= missed) await runUntil(missed);
  })().catch((error: unknown) => options.onRun?.({ ran: true, outcome: 'failed', datesClosed: 0, message: error instanceof Error ? error.message : String(error) }));
  return () => job.stop();
}

/**
 * The date the most recent cut-off at or before `now` closed through: today's cut-off once its time
 * has come in `timezone`, else yesterday's.
 *
 * @example
 * lastCutOffDate(new Date('2025-10-01T15:40:00Z'), 'Asia/Shanghai', 23, 30); // "2025-10-01" (23:40 local: tonight's has passed)
 * lastCutOffDate(new Date('2025-10-01T15:20:00Z'), 'Asia/Shanghai', 23, 30); // "2025-09-30" (23:20 local: the last was yesterday's)
 * lastCutOffDate(new Date('2025-10-01T16:30:00Z'), 'Asia/Shanghai', 1, 0);   // "2025-09-30" (00:30 local on 10-02: the 01:00 of 10-01)
 */
export function lastCutOffDate(now: Date, timezone: string, hour: number, minute: number): BusinessDate {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const local = Number(parts.find((part) => part.type === 'hour')?.value) * 60 + Number(parts.find((part) => part.type === 'minute')?.value);
  const passedToday = local >= hour * 60 + minute;
  return dateToCloseAt(passedToday ? now : new Date(now.getTime() - 86_400_000), timezone, hour);
}
