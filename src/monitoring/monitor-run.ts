/**
 * Post-lending monitoring (贷后监测): for every borrower with exposure, pull each data source on
 * its cadence under the enterprise's `post-lending-monitoring` authorisation, compute the
 * indicators, raise warnings by the active rule set, and take the actions their levels name.
 *
 * As a step of end of day it runs in batches of enterprises in id order; each batch commits its
 * pulls, warnings, actions and the run's cursor together, so a run killed half way resumes after
 * the last batch it committed, and at most `maxEnterprisesPerRun` are done a night (the rest the
 * next). A batch is a fixed handful of statements whatever its size: reads of the batch's lines,
 * loans, grants, source dates and open warnings; then one insert each for pulls (each holding its
 * record sets in its own row), warnings, actions and tasks, and one update each for freezes, limit cuts, renewal holds and
 * special-mention holds. The provider is asked in memory between them.
 *
 * A missing or expired authorisation is not a silent gap: the sources it leaves unpulled raise the
 * `authorisation-missing` warning.
 *
 * @example
 * const summary = await runMonitoring(db, { provider: simulatedProvider({ seed: 2025 }), now: new Date() });
 * summary.warnings; // new or raised warnings this run
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-trail.js';
import { hasCitus, lockLinesOnCitus } from '../db/distribution.js';
import { addDays, daysBetween, parseBusinessDate, type BusinessDate } from '../calendar/index.js';
import { authorisationsCoveringFrom, DataNotAuthorisedError, type GrantInForce } from '../data/authorisations.js';
import type { DataProvider } from '../data/data-provider.js';
import { DATA_SOURCES, monthIndex, monthOf, type DataRecord, type DataSource } from '../data/data-records.js';
import { fetchPull, pullWithRecordSets, type StoredPull } from '../data/pull-data.js';
import type { Database, WarningActionTable } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { invariant, NotFoundError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { minor, type Minor } from '../money/minor.js';
import { getBusinessDate } from '../system/business-date.js';
import { enqueueNotices } from '../notifications/outbox.js';
import { monitoringIndicators, type Indicator, type LoanFacts } from './indicators.js';
import { levelFor, levelRank, WARNING_RULE_IDS, type RuleSet, type WarningActionKind, type WarningLevel, type WarningRuleId } from './rule-set.js';
import { activeRuleSet } from './rule-versions.js';

export interface MonitorOptions {
  readonly provider: DataProvider;
  /** The wall clock of the pulls (authorisation revocations are instants). */
  readonly now: Date;
  readonly actor?: string | undefined;
  /** Monitor this enterprise only, every source now whatever its cadence (on demand). */
  readonly enterpriseId?: string | undefined;
  /** Default: the active version (`rule-versions.ts`). */
  readonly ruleSet?: { readonly version: number; readonly rules: RuleSet } | undefined;
  /** Called after each committed batch (crash tests and progress hook in here). */
  readonly afterBatch?: ((enterprisesDone: number) => void | Promise<void>) | undefined;
}

export interface MonitorSummary {
  readonly businessDate: BusinessDate;
  readonly rulesVersion: number;
  readonly enterprises: number;
  readonly pulls: number;
  /** Warnings raised or moved to a higher level. */
  readonly warnings: number;
  readonly actions: number;
  /** The run had already finished for the date; nothing was done. */
  readonly alreadyDone: boolean;
  readonly seconds: number;
}

/**
 * Runs (or resumes) the monitoring step of the current business date, or monitors one enterprise
 * on demand.
 */
export async function runMonitoring(db: Kysely<Database>, options: MonitorOptions): Promise<MonitorSummary> {
  const started = performance.now();
  const date = await getBusinessDate(db);
  const { version, rules } = options.ruleSet ?? (await activeRuleSet(db));
  const actor = options.actor ?? 'monitoring';
  const totals = { enterprises: 0, pulls: 0, warnings: 0, actions: 0 };
  const add = (batch: BatchTotals) => {
    totals.enterprises += batch.enterprises;
    totals.pulls += batch.pulls;
    totals.warnings += batch.warnings;
    totals.actions += batch.actions;
  };
  const context = { date, version, rules, provider: options.provider, now: options.now, actor };

  if (options.enterpriseId !== undefined) {
    const id = options.enterpriseId;
    const exists = await db.selectFrom('enterprise').select('id').where('id', '=', id).executeTakeFirst();
    if (exists === undefined) throw new NotFoundError(`enterprise ${id}`);
    add(await inTransaction(db, (trx) => monitorBatch(trx, [id], { ...context, force: true })));
    return { businessDate: date, rulesVersion: version, ...totals, alreadyDone: false, seconds: (performance.now() - started) / 1000 };
  }

  await db
    .insertInto('monitoring_run')
    .values({ business_date: date, rules_version: version, cursor: null, status: 'running', started_at: new Date(), finished_at: null })
    .onConflict((oc) => oc.column('business_date').doNothing())
    .execute();
  const first = await db.selectFrom('monitoring_run').select(['status', 'cursor', 'enterprises', 'rules_version']).where('business_date', '=', date).executeTakeFirstOrThrow();
  if (first.status === 'done') return { businessDate: date, rulesVersion: version, ...totals, alreadyDone: true, seconds: (performance.now() - started) / 1000 };
  const batchContext = { ...context, version: first.rules_version, force: false, citus: await hasCitus(db) };
  // The next batch after `cursor`, worked out in memory (nothing written): empty when the run has
  // no one left, or has done its bound for the night.
  const prepareAfter = async (cursor: string | null, enterprisesDone: number): Promise<{ after: string | null; batch: PreparedBatch | null }> => {
    const room = rules.maxEnterprisesPerRun - enterprisesDone;
    const ids = room <= 0 ? [] : await enterprisesWithExposure(db, cursor, Math.min(rules.batchSize, room));
    return { after: cursor, batch: ids.length === 0 ? null : await prepareBatch(db, ids, batchContext) };
  };
  // Pipelined: while the database writes batch k, node prepares batch k + 1 (pulls, indicators,
  // warnings), so the run costs about the larger of the two, not their sum. Each batch commits
  // its writes and the run's cursor together, and only if the cursor is still where the batch
  // began (another process may have moved it): a run killed half way resumes after the last batch
  // it committed, and no batch is written twice.
  let done = first.enterprises;
  let next = handled(prepareAfter(first.cursor, done));
  // Bounded: each pass commits a batch, ends the run, or (another process moved the cursor) starts again after it.
  for (let pass = 0; pass <= 2 * Math.ceil(rules.maxEnterprisesPerRun / rules.batchSize) + 2; pass++) {
    const { after, batch } = await next;
    if (batch !== null) next = handled(prepareAfter(batch.ids[batch.ids.length - 1]!, done + batch.ids.length));
    const outcome = await inTransaction(db, async (trx) => {
      const run = await trx.selectFrom('monitoring_run').selectAll().where('business_date', '=', date).forUpdate().executeTakeFirstOrThrow();
      if (run.status === 'done') return { kind: 'done', alreadyDone: pass === 0 } as const;
      if (run.cursor !== after) return { kind: 'moved', cursor: run.cursor, enterprises: run.enterprises } as const;
      if (batch === null) {
        await trx.updateTable('monitoring_run').set({ status: 'done', finished_at: new Date() }).where('business_date', '=', date).execute();
        await appendAudit(trx, { actor, action: 'monitoring.run', entityType: 'monitoring_run', entityId: date, after: { businessDate: date, rulesVersion: run.rules_version, enterprises: run.enterprises, pulls: run.pulls, warnings: run.warnings } });
        return { kind: 'done', alreadyDone: false } as const;
      }
      if (run.enterprises + batch.ids.length > rules.maxEnterprisesPerRun) return { kind: 'moved', cursor: run.cursor, enterprises: run.enterprises } as const;
      const written = await writeBatch(trx, batch, batchContext);
      await trx
        .updateTable('monitoring_run')
        .set({ cursor: batch.ids[batch.ids.length - 1]!, enterprises: run.enterprises + batch.ids.length, pulls: run.pulls + written.pulls, warnings: run.warnings + written.warnings })
        .where('business_date', '=', date)
        .execute();
      return { kind: 'written', written, enterprises: run.enterprises + batch.ids.length } as const;
    });
    if (outcome.kind === 'done') {
      await next.catch(() => undefined);
      if (outcome.alreadyDone) return { businessDate: date, rulesVersion: version, ...totals, alreadyDone: true, seconds: (performance.now() - started) / 1000 };
      break;
    }
    if (outcome.kind === 'moved') {
      // Another process committed past this batch: what was prepared here is dropped, unwritten.
      await next.catch(() => undefined);
      done = outcome.enterprises;
      next = handled(prepareAfter(outcome.cursor, done));
      continue;
    }
    done = outcome.enterprises;
    add(outcome.written);
    await options.afterBatch?.(totals.enterprises);
  }
  return { businessDate: date, rulesVersion: version, ...totals, alreadyDone: false, seconds: (performance.now() - started) / 1000 };
}

/**
 * Milliseconds of preparation between two turns of the event loop. Each of the previous batch's
 * writes (about twenty statements, one after another) waits for the next turn to be sent, so a
 * longer slice stretches the write by a slice a statement; a turn costs microseconds.
 */
const SLICE_MS = 2;

/** `promise`, marked as handled: a batch prepared ahead and then dropped never rejects unhandled. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** What the monitoring run of a business date did over all its calls (null: none started that date). */
export async function monitoringRunTotals(db: Kysely<Database>, date: BusinessDate): Promise<{ readonly enterprises: number; readonly pulls: number; readonly warnings: number; readonly done: boolean } | null> {
  const run = await db.selectFrom('monitoring_run').select(['enterprises', 'pulls', 'warnings', 'status']).where('business_date', '=', date).executeTakeFirst();
  return run === undefined ? null : { enterprises: run.enterprises, pulls: run.pulls, warnings: run.warnings, done: run.status === 'done' };
}

/**
 * The next `limit` enterprises with exposure (an active loan, or an open line) after `cursor`, in id
 * order. Each side walks its enterprise index from the cursor and stops after `limit` distinct
 * enterprises, so a batch costs the same at the start and at the end of the book (an OR of two
 * EXISTS over the enterprise table was planned as a hash of every open line, for every batch).
 */
async function enterprisesWithExposure(db: Kysely<Database>, cursor: string | null, limit: number): Promise<string[]> {
  const after = (column: string) => (cursor === null ? sql`` : sql`and ${sql.ref(column)} > ${cursor}`);
  const result = await sql<{ enterprise_id: string }>`
    select x.enterprise_id from (
      (select distinct l.enterprise_id from loan l where l.status = 'active' ${after('l.enterprise_id')} order by l.enterprise_id limit ${limit})
      union
      (select distinct c.enterprise_id from credit_line c where c.status in ('active', 'frozen') ${after('c.enterprise_id')} order by c.enterprise_id limit ${limit})
    ) x
    order by x.enterprise_id
    limit ${limit}`.execute(db);
  return result.rows.map((row) => row.enterprise_id);
}

interface BatchContext {
  readonly date: BusinessDate;
  readonly version: number;
  readonly rules: RuleSet;
  readonly provider: DataProvider;
  readonly now: Date;
  readonly actor: string;
  /** Pull every source now, whatever its cadence. */
  readonly force: boolean;
  /** The database is a Citus coordinator, when the caller has asked already (a run asks once, not every batch). */
  readonly citus?: boolean | undefined;
}

interface BatchTotals {
  readonly enterprises: number;
  readonly pulls: number;
  readonly warnings: number;
  readonly actions: number;
}

interface LineState {
  readonly id: string;
  readonly enterpriseId: string;
  status: 'active' | 'frozen' | 'closed';
  limit: Minor;
  available: Minor;
  renewalHold: boolean;
  readonly startOn: BusinessDate;
  /** A cut of the limit is in force. */
  cut: boolean;
}

/** A warning to raise (new) or lift to a higher level (existing id). */
interface Raised {
  readonly id: string;
  readonly existing: boolean;
  readonly enterpriseId: string;
  readonly ruleId: WarningRuleId;
  readonly level: WarningLevel;
  readonly indicator: Indicator;
}

/**
 * Monitors a batch of enterprises in the caller's transaction: {@link prepareBatch}, then
 * {@link writeBatch}. `runMonitoring` is the way in.
 */
export async function monitorBatch(trx: Transaction<Database>, ids: readonly string[], context: BatchContext): Promise<BatchTotals> {
  return writeBatch(trx, await prepareBatch(trx, ids, context), context);
}

/** A batch worked out in memory, ready to write: what was pulled and which warnings to raise. */
interface PreparedBatch {
  readonly ids: readonly string[];
  readonly enterprises: readonly { readonly id: string; readonly name: string; readonly account_manager: string | null }[];
  readonly stored: readonly StoredPull[];
  readonly pulled: readonly { pullId: string; enterpriseId: string; sources: readonly DataSource[] }[];
  /** Per enterprise pulled, its sources' new dates (JSON), merged into its `monitoring_source` row. */
  readonly sourceDates: readonly { enterprise_id: string; sources: string }[];
  readonly raised: readonly Raised[];
}

/**
 * The reading and thinking half of a batch: a handful of reads for the whole batch, the pulls from
 * the provider, the indicators and the warnings they raise — nothing written. Reads only what
 * belongs to the batch's enterprises, so the run prepares the next batch while the database writes
 * this one.
 */
async function prepareBatch(db: Kysely<Database>, ids: readonly string[], context: BatchContext): Promise<PreparedBatch> {
  invariant(ids.length > 0 && ids.length <= 5000, `a monitoring batch of ${ids.length} enterprises`);
  const { date, rules } = context;

  // Reads: a handful of statements for the whole batch.
  const enterprises = await db.selectFrom('enterprise').select(['id', 'name', 'credit_code', 'industry', 'account_manager']).where('id', 'in', ids).execute();
  const lineRows = await db.selectFrom('credit_line').select(['enterprise_id', 'start_on', 'limit_amount', 'available']).where('enterprise_id', 'in', ids).where('status', 'in', ['active', 'frozen']).execute();
  const recentFrom = addDays(date, -rules.utilisation.recentDays);
  const loanRows = await db
    .selectFrom('loan')
    .select([
      'enterprise_id',
      sql<number>`max(dpd)`.as('max_dpd'),
      sql<Minor>`cast(sum(case when disbursed_on > cast(${recentFrom} as date) then principal else 0 end) as bigint)`.as('recent'),
      sql<BusinessDate>`min(disbursed_on)`.as('first_on'),
    ])
    .where('enterprise_id', 'in', ids)
    .where('status', '=', 'active')
    .groupBy('enterprise_id')
    .execute();
  const { withinDays, sameShare, lookbackDays } = rules.circular;
  const sameBp = Math.round(sameShare * 10_000);
  const circularRows = await sql<{ enterprise_id: string; n: bigint | number }>`
    select n.enterprise_id, count(distinct n.id) as n
    from loan n join loan o on o.enterprise_id = n.enterprise_id and o.id <> n.id and o.status = 'closed'
    where n.enterprise_id in (${sql.join(ids)})
      and n.disbursed_on > cast(${addDays(date, -lookbackDays)} as date)
      and n.disbursed_on between o.maturity_on - cast(${withinDays} as integer) and o.maturity_on + cast(${withinDays} as integer)
      and n.principal * 10000 >= o.principal * cast(${sameBp} as bigint)
    group by n.enterprise_id`.execute(db);
  const ltvRows = await db
    .selectFrom('security_event')
    .select(['enterprise_id', sql<bigint>`count(*)`.as('n')])
    .where('enterprise_id', 'in', ids)
    // Only a loan-to-value breach is the collateral-value indicator; a later kind of event would be its own rule.
    .where('kind', '=', 'ltv-over-maximum')
    .where('business_date', '>', addDays(date, -30))
    .groupBy('enterprise_id')
    .execute();
  const grantRows = await db
    .selectFrom('data_authorisation')
    .select(['id', 'enterprise_id', 'sources', 'expires_on', 'revoked_at'])
    .where('enterprise_id', 'in', ids)
    .where('purpose', '=', 'post-lending-monitoring')
    .where('granted_on', '<=', date)
    .where('expires_on', '>=', date)
    .execute();
  const pulledRows = context.force ? [] : await db.selectFrom('monitoring_source').select(['enterprise_id', 'sources']).where('enterprise_id', 'in', ids).execute();
  // A warning closed on the very same facts (resolved, or dismissed as a false alarm) is not raised again for them.
  const closedRows = await db
    .selectFrom('early_warning')
    .select(['enterprise_id', 'rule_id', 'value', 'inputs'])
    .where('enterprise_id', 'in', ids)
    .where('status', 'in', ['resolved', 'dismissed'])
    .where('raised_on', '>', addDays(date, -366))
    .execute();
  const closedOn = new Set(closedRows.map((row) => factKey(row.enterprise_id, row.rule_id, row.value, row.inputs)));
  const openRows = await db.selectFrom('early_warning').select(['id', 'enterprise_id', 'rule_id', 'level']).where('enterprise_id', 'in', ids).where('status', 'in', ['open', 'acknowledged']).execute();

  const startsOf = groupBy(lineRows, (row) => row.enterprise_id);
  const loansOf = new Map(loanRows.map((row) => [row.enterprise_id, row]));
  const circularOf = new Map(circularRows.rows.map((row) => [row.enterprise_id, Number(row.n)]));
  const ltvOf = new Map(ltvRows.map((row) => [row.enterprise_id, Number(row.n)]));
  const grantsOf = groupBy(grantRows, (row) => row.enterprise_id);
  const pulledOn = new Map(pulledRows.flatMap((row) => Object.entries(row.sources).map(([source, last]) => [`${row.enterprise_id} ${source}`, parseBusinessDate(last.on, 'sources.on')] as const)));
  const openOf = new Map(openRows.map((row) => [`${row.enterprise_id} ${row.rule_id}`, row]));

  // In memory: pulls, indicators, warnings.
  const stored: StoredPull[] = [];
  const pulled: { pullId: string; enterpriseId: string; sources: readonly DataSource[] }[] = [];
  const sourceDates: { enterprise_id: string; sources: string }[] = [];
  const raised: Raised[] = [];
  let sliceFrom = performance.now();
  for (const enterprise of enterprises) {
    // Let the event loop run between slices of the batch: the previous batch's statements are
    // written meanwhile, each sent as soon as the one before it answers, instead of all waiting
    // behind this whole loop (its provider answers resolve without I/O, so it would never yield).
    if (performance.now() - sliceFrom >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceFrom = performance.now();
    }
    const own = startsOf.get(enterprise.id) ?? [];
    const loan = loansOf.get(enterprise.id);
    const approvedOn = earliest([...own.map((line) => line.start_on), ...(loan === undefined ? [] : [loan.first_on])]) ?? date;
    const due = DATA_SOURCES.filter((source) => {
      if (!context.provider.sources.includes(source)) return false;
      const last = pulledOn.get(`${enterprise.id} ${source}`);
      return last === undefined || daysBetween(last, date) >= rules.cadenceDays[source];
    });
    const grants: GrantInForce[] = (grantsOf.get(enterprise.id) ?? []).map((g) => ({ id: g.id, sources: g.sources, expires_on: g.expires_on, revoked_at: g.revoked_at }));
    let unauthorised: DataSource[] = [];
    let authorisations: Partial<Record<DataSource, string>> = {};
    try {
      authorisations = authorisationsCoveringFrom(grants, enterprise.id, due, 'post-lending-monitoring', context.now);
    } catch (error) {
      if (!(error instanceof DataNotAuthorisedError)) throw error;
      unauthorised = [...error.missing];
      // Pull what is covered; the rest is the warning below.
      const covered = due.filter((s) => !unauthorised.includes(s));
      authorisations = covered.length === 0 ? {} : authorisationsCoveringFrom(grants, enterprise.id, covered, 'post-lending-monitoring', context.now);
    }
    const sources = due.filter((s) => authorisations[s] !== undefined);
    const records: { [S in DataSource]?: readonly DataRecord[] } = {};
    if (sources.length > 0 && enterprise.credit_code !== null) {
      // Enough months for year on year and for the level at approval (at most the provider's five years).
      const months = Math.min(60, Math.max(13, monthIndex(monthOf(date)) - monthIndex(monthOf(approvedOn)) + 2));
      const fetched = await fetchPull({
        enterprise: { id: enterprise.id, creditCode: enterprise.credit_code, industry: enterprise.industry },
        sources,
        purpose: 'post-lending-monitoring',
        provider: context.provider,
        asOf: date,
        months,
        actor: context.actor,
        now: context.now,
        authorisations,
      });
      stored.push(fetched.stored);
      pulled.push({ pullId: fetched.result.pullId, enterpriseId: enterprise.id, sources });
      const dates: Record<string, { on: BusinessDate; pull: string }> = {};
      for (const source of sources) {
        records[source] = fetched.result.sources[source]?.records ?? [];
        dates[source] = { on: date, pull: fetched.result.pullId };
      }
      sourceDates.push({ enterprise_id: enterprise.id, sources: JSON.stringify(dates) });
    }
    const limit = own.reduce((sum, line) => sum + line.limit_amount, 0n);
    const drawn = own.reduce((sum, line) => sum + (line.limit_amount - line.available), 0n);
    const facts: LoanFacts = {
      maxDpd: loan === undefined ? 0 : Number(loan.max_dpd),
      limit,
      drawn,
      recentDrawn: loan === undefined ? 0n : BigInt(loan.recent),
      circularLoans: circularOf.get(enterprise.id) ?? 0,
      ltvBreaches: ltvOf.get(enterprise.id) ?? 0,
      unauthorisedSources: unauthorised,
    };
    const indicators = monitoringIndicators({ asOf: date, approvedOn, records, loans: facts, recentShare: rules.utilisation.recentShare });
    for (const ruleId of WARNING_RULE_IDS) {
      const config = rules.rules[ruleId];
      const indicator = indicators[ruleId];
      if (!config.enabled || indicator === undefined) continue;
      const level = levelFor(config, indicator.value);
      if (level === null) continue;
      const open = openOf.get(`${enterprise.id} ${ruleId}`);
      if (open !== undefined && levelRank(open.level) >= levelRank(level)) continue;
      if (open === undefined && closedOn.has(factKey(enterprise.id, ruleId, String(indicator.value), indicator.inputs))) continue;
      raised.push({ id: open?.id ?? uuidv7(), existing: open !== undefined, enterpriseId: enterprise.id, ruleId, level, indicator });
    }
  }

  return { ids, enterprises, stored, pulled, sourceDates, raised };
}

/**
 * The writing half of a batch, in the caller's transaction: the pulls and their record sets, the
 * sources' dates, the warnings, and the actions of their levels on the lines as they are now
 * (read again under lock, so an action never works on a line's stale state). Safe to run again
 * after a rolled-back attempt: it changes nothing it was given.
 */
async function writeBatch(trx: Transaction<Database>, batch: PreparedBatch, context: BatchContext): Promise<BatchTotals> {
  const { date, version } = context;
  const { ids, enterprises, stored, pulled, sourceDates, raised } = batch;
  // Citus refuses a locking read over several borrowers' shards: there the lines are locked first (src/db/distribution.ts).
  const citus = context.citus ?? (await hasCitus<Database>(trx));
  if (ids.length > 0) await lockLinesOnCitus(trx, citus, sql`enterprise_id in (${sql.join(ids)}) and status in ('active', 'frozen')`);
  const lineQuery = trx
    .selectFrom('credit_line')
    .select(['id', 'enterprise_id', 'status', 'limit_amount', 'available', 'renewal_hold', 'start_on'])
    .where('enterprise_id', 'in', ids)
    .where('status', 'in', ['active', 'frozen'])
    .orderBy('id');
  const lineRows = await (citus ? lineQuery : lineQuery.forUpdate()).execute();
  // A line is cut once: a cut in force is not compounded by the next warning (undo it to cut afresh).
  const cutRows = lineRows.length === 0 || raised.length === 0 ? [] : await trx.selectFrom('warning_action').select('line_id').where('line_id', 'in', lineRows.map((row) => row.id)).where('kind', '=', 'cut-limit').where('status', '=', 'applied').execute();
  const alreadyCut = new Set(cutRows.map((row) => row.line_id));
  const lines = lineRows.map((row): LineState => ({ id: row.id, enterpriseId: row.enterprise_id, status: row.status, limit: row.limit_amount, available: row.available, renewalHold: row.renewal_hold, startOn: row.start_on, cut: alreadyCut.has(row.id) }));
  const linesOf = groupBy(lines, (line) => line.enterpriseId);

  // Writes: one statement each.
  if (stored.length > 0) {
    // Each pull with all its record sets in its own row: one row a borrower, not one per source.
    await trx.insertInto('data_pull').values(stored.map(pullWithRecordSets)).execute();
    await trx
      .insertInto('monitoring_source')
      .values([...sourceDates])
      // Merged: the sources pulled now take their new dates, the others keep theirs.
      .onConflict((oc) => oc.column('enterprise_id').doUpdateSet({ sources: sql`monitoring_source.sources || excluded.sources` }))
      .execute();
  }
  const at = new Date();
  const fresh = raised.filter((w) => !w.existing);
  if (fresh.length > 0) {
    await trx
      .insertInto('early_warning')
      .values(
        fresh.map((w) => ({
          id: w.id, enterprise_id: w.enterpriseId, rule_id: w.ruleId, level: w.level, status: 'open' as const, rules_version: version,
          value: String(w.indicator.value), inputs: JSON.stringify(w.indicator.inputs), raised_on: date, raised_at: at,
          acknowledged_by: null, acknowledged_at: null, closed_by: null, closed_at: null, closed_on: null, note: null,
        })),
      )
      .execute();
  }
  // Staff are told of each warning raised (a lift to a higher level is a new notice), with the warning's own transaction.
  const names = new Map(enterprises.map((e) => [e.id, e.name]));
  await enqueueNotices(trx, raised.map((w) => ({
    kind: 'warning' as const,
    dedupeKey: `warning:${w.id}:${w.level}`,
    enterpriseId: w.enterpriseId,
    businessDate: date,
    params: { warningId: w.id, ruleId: w.ruleId, level: w.level, value: String(w.indicator.value), raisedOn: date, enterpriseName: names.get(w.enterpriseId) ?? '' },
  })));
  const lifted = raised.filter((w) => w.existing);
  if (lifted.length > 0) {
    // Each lifted warning takes its new level, value and inputs: one statement over a VALUES list.
    const rows = lifted.map((w) => sql`(${w.id}, ${w.level}, ${String(w.indicator.value)}, ${JSON.stringify(w.indicator.inputs)})`);
    await sql`update early_warning set level = v.level, value = v.value, inputs = cast(v.inputs as jsonb), rules_version = ${version}
      from (values ${sql.join(rows)}) as v(id, level, value, inputs) where early_warning.id = cast(v.id as uuid)`.execute(trx);
  }
  const managers = new Map(enterprises.map((e) => [e.id, e.account_manager]));
  const actions = await takeActions(trx, raised, linesOf, managers, context, at);
  if (pulled.length > 0 || raised.length > 0) {
    await appendAudit(trx, {
      actor: context.actor,
      action: 'monitoring.batch',
      entityType: 'monitoring_run',
      entityId: date,
      after: { businessDate: date, rulesVersion: version, enterprises: ids.length, pulls: pulled, warnings: raised.map((w) => ({ id: w.id, enterpriseId: w.enterpriseId, rule: w.ruleId, level: w.level, value: w.indicator.value })), actions },
    }, at);
  }
  return { enterprises: enterprises.length, pulls: pulled.length, warnings: raised.length, actions: actions.length };
}

/**
 * The actions of each raised warning's level, the strongest warning of an enterprise first, so a
 * line is frozen once and attributed to the warning that froze it. Records every action with the
 * rule, level, version and inputs, and its before and after.
 */
async function takeActions(trx: Transaction<Database>, raised: readonly Raised[], linesOf: Map<string, LineState[]>, managers: ReadonlyMap<string, string | null>, context: BatchContext, at: Date): Promise<{ id: string; kind: string; warningId: string }[]> {
  const { date, rules, version } = context;
  const actionRows: Insertable<WarningActionTable>[] = [];
  const taskRows: { id: string; warning_id: string; enterprise_id: string; kind: 'follow-up' | 'escalation'; role: string; assignee: string | null; due_on: BusinessDate; status: 'open'; created_at: Date; done_by: null; done_at: null }[] = [];
  const frozen: string[] = [];
  const cuts = new Map<string, { limit: Minor; available: Minor }>();
  const held: string[] = [];
  const watched = new Set<string>();
  const ordered = [...raised].sort((a, b) => levelRank(b.level) - levelRank(a.level) || (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0));
  const record = (w: Raised, kind: WarningActionKind, lineId: string | null, before: unknown, after: unknown) => {
    const id = uuidv7();
    actionRows.push({
      id, warning_id: w.id, enterprise_id: w.enterpriseId, line_id: lineId, kind, rule_id: w.ruleId, level: w.level, rules_version: version,
      inputs: JSON.stringify({ value: w.indicator.value, ...w.indicator.inputs }), before: before === null ? null : JSON.stringify(before), after: after === null ? null : JSON.stringify(after),
      business_date: date, taken_at: at, status: 'applied', undone_by: null, undone_at: null,
    });
  };
  for (const w of ordered) {
    const actions = rules.levels[w.level];
    const lines = (linesOf.get(w.enterpriseId) ?? []).filter((line) => line.status !== 'closed');
    if (actions.freeze) {
      for (const line of lines.filter((l) => l.status === 'active')) {
        line.status = 'frozen';
        frozen.push(line.id);
        record(w, 'freeze', line.id, { status: 'active' }, { status: 'frozen' });
      }
    }
    if (actions.cutLimitToBp !== null) {
      for (const line of lines.filter((l) => !l.cut)) {
        const drawn = line.limit - line.available;
        // A share of today's limit, never below what is drawn: the borrower owes, the line does not vanish under it.
        const share = (line.limit * BigInt(actions.cutLimitToBp)) / 10_000n;
        const limit = minor(share > drawn ? share : drawn);
        if (limit >= line.limit) continue;
        const before = { limit: line.limit.toString(), available: line.available.toString() };
        line.limit = limit;
        line.available = minor(limit - drawn);
        line.cut = true;
        cuts.set(line.id, { limit: line.limit, available: line.available });
        record(w, 'cut-limit', line.id, before, { limit: line.limit.toString(), available: line.available.toString(), shareBp: actions.cutLimitToBp });
      }
    }
    if (actions.stopRenewal) {
      for (const line of lines.filter((l) => !l.renewalHold)) {
        line.renewalHold = true;
        held.push(line.id);
        record(w, 'stop-renewal', line.id, { renewalHold: false }, { renewalHold: true });
      }
    }
    const from = rules.rules[w.ruleId].specialMentionFrom;
    if (from !== null && levelRank(w.level) >= levelRank(from) && !watched.has(w.enterpriseId)) {
      watched.add(w.enterpriseId);
      record(w, 'special-mention', null, null, { watchSince: date });
    }
    if (actions.taskDueDays !== null) {
      const id = uuidv7();
      // To the firm's account manager; the role's pool only when the firm has none.
      const assignee = managers.get(w.enterpriseId) ?? null;
      taskRows.push({ id, warning_id: w.id, enterprise_id: w.enterpriseId, kind: 'follow-up', role: 'account-manager', assignee, due_on: addDays(date, actions.taskDueDays), status: 'open', created_at: at, done_by: null, done_at: null });
      record(w, 'task', null, null, { taskId: id, role: 'account-manager', assignee, dueOn: addDays(date, actions.taskDueDays) });
    }
    if (actions.escalate) {
      const id = uuidv7();
      const dueOn = addDays(date, Math.min(actions.taskDueDays ?? 1, 1));
      taskRows.push({ id, warning_id: w.id, enterprise_id: w.enterpriseId, kind: 'escalation', role: 'risk-officer', assignee: null, due_on: dueOn, status: 'open', created_at: at, done_by: null, done_at: null });
      record(w, 'escalate', null, null, { taskId: id, role: 'risk-officer', dueOn });
    }
  }
  if (frozen.length > 0) await trx.updateTable('credit_line').set({ status: 'frozen' }).where('id', 'in', frozen).where('status', '=', 'active').execute();
  if (cuts.size > 0) {
    const rows = [...cuts].map(([id, cut]) => sql`(${id}, cast(${cut.limit} as bigint), cast(${cut.available} as bigint))`);
    await sql`update credit_line set limit_amount = v.limit_amount, available = v.available
      from (values ${sql.join(rows)}) as v(id, limit_amount, available) where credit_line.id = cast(v.id as uuid)`.execute(trx);
  }
  if (held.length > 0) await trx.updateTable('credit_line').set({ renewal_hold: true }).where('id', 'in', held).execute();
  if (watched.size > 0) await trx.updateTable('loan').set({ watch_since: date }).where('enterprise_id', 'in', [...watched]).where('status', '=', 'active').where('watch_since', 'is', null).execute();
  if (taskRows.length > 0) await trx.insertInto('monitoring_task').values(taskRows).execute();
  if (actionRows.length > 0) await trx.insertInto('warning_action').values(actionRows).execute();
  return actionRows.map((row) => ({ id: row.id, kind: row.kind, warningId: row.warning_id }));
}

/** The facts a warning was raised on, with the inputs' keys sorted (jsonb does not keep their order). */
function factKey(enterpriseId: string, ruleId: string, value: string, inputs: Readonly<Record<string, unknown>>): string {
  return JSON.stringify([enterpriseId, ruleId, value, Object.keys(inputs).sort().map((key) => [key, inputs[key]])]);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list === undefined) map.set(k, [item]);
    else list.push(item);
  }
  return map;
}

function earliest(dates: readonly BusinessDate[]): BusinessDate | undefined {
  let first: BusinessDate | undefined;
  for (const date of dates) if (first === undefined || date < first) first = date;
  return first;
}
