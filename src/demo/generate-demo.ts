/**
 * The demo book: from a seed, a simulated population of enterprises and M months of history lived
 * through the service layer, day by day, so every money move is the same balanced journal entry
 * the API would post.
 *
 * The story of one enterprise (all its draws come from `randomFor(seed, creditCode, …)`, so the
 * same seed tells the same story):
 * 1. it is registered (every enterprise, on the first day);
 * 2. a quarter apply, on a business day anywhere in the period: a data authorisation, then the real
 *    decision engine over the simulated provider (approved, declined, or referred — referred
 *    applications stay in the review queue for officers);
 * 3. most approved offers are accepted (a credit line) and drawn at once, 30–90% of the limit,
 *    for 60 to 180 days in one repayment, or in 6 or 12 monthly equal installments;
 * 4. on a due date a healthy borrower repays what was billed on the next business day (a weekend
 *    due date is a day or two late: special mention for a night or two) and, when the loan closes,
 *    often draws again; one in sixteen pays each time 3 to 30 days late; a firm the simulation says defaults never pays, so its loan goes overdue
 *    and is classified down the five categories night by night; a few small and micro borrowers
 *    renew (无还本续贷) instead of repaying at maturity;
 * 5. end of day runs for every calendar day, so accrual, billing, classification, provision and
 *    the portfolio snapshots are the real night's.
 *
 * The database must be empty of enterprises. Afterwards the business date is `endDate` (default:
 * the business date when the demo started), and the history lies in the M months before it.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { addDays, addMonths, daysBetween, parseBusinessDate, toDayNumber, type BusinessDate } from '../calendar/index.js';
import { DATA_SOURCES, grantDataAuthorisation, simulatedDefault, simulatedEnterpriseInput, simulatedPopulation, simulatedProvider, type SimulatedFirm } from '../data/index.js';
import { randomFor, type Random } from '../data/seeded-random.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { acceptOffer, applyForCredit } from '../decision/apply-for-credit.js';
import type { AccountsInput } from '../lines/settlement-accounts.js';
import { secureDemoLine } from './demo-security.js';
import { planDemoSupplyChain } from './demo-supply-chain.js';
import { DEFAULT_DECISION_CONFIG } from '../decision/decide.js';
import { defaultScorecard } from '../decision/default-model.js';
import { createEnterprise } from '../enterprises/enterprises.js';
import { runEod } from '../eod/run-eod.js';
import { ConflictError, ValidationError } from '../errors.js';
import { formatMoney } from '../money/format-money.js';
import type { Minor } from '../money/minor.js';
import { drawdown } from '../servicing/drawdown.js';
import type { RenewalOutcome } from '../servicing/renewal.js';
import { decideRenewal, requestRenewal } from '../servicing/renewal-requests.js';
import { repay } from '../servicing/repayment.js';
import { DEMO_SEED } from './demo-defaults.js';
import { getBusinessDate, setBusinessDate } from '../system/business-date.js';

export { DEFAULT_DEMO_ENTERPRISES, DEFAULT_DEMO_MONTHS, DEMO_SEED } from './demo-defaults.js';

/**
 * A quarter of the enterprises apply during the period: origination (data pull, decision, line,
 * drawdown: about 30 ms each on PGlite) is most of the demo's time (docs/decisions.md).
 */
export const DEFAULT_APPLY_SHARE = 0.25;
/** Bounds: a demo is a demonstration, not a benchmark. */
export const MAX_DEMO_ENTERPRISES = 200_000;
export const MAX_DEMO_MONTHS = 36;

export interface DemoOptions {
  readonly enterprises: number;
  readonly months: number;
  readonly seed?: number | undefined;
  /** Share of enterprises that apply during the period (default 0.25). */
  readonly applyShare?: number | undefined;
  /** The last day of the history is the day before this (default: the current business date). */
  readonly endDate?: string | undefined;
  readonly onProgress?: ((progress: DemoProgress) => void) | undefined;
}

export interface DemoProgress {
  readonly phase: 'register' | 'history';
  readonly done: number;
  readonly total: number;
  /** The business date being lived (history phase). */
  readonly date?: BusinessDate;
}

export interface DemoSummary {
  readonly seed: number;
  readonly enterprises: number;
  readonly months: number;
  readonly from: BusinessDate;
  readonly to: BusinessDate;
  readonly eodRuns: number;
  readonly applications: { readonly approved: number; readonly declined: number; readonly referred: number };
  readonly lines: number;
  readonly drawdowns: number;
  readonly repayments: number;
  readonly renewals: number;
  readonly loans: { readonly active: number; readonly closed: number; readonly renewed: number; readonly overdue: number; readonly nonPerforming: number };
  /** A demo enterprise with an open line and a loan on the books, for the demo borrower login. */
  readonly showcaseEnterpriseId: string | null;
  /** The first core enterprise of the demo's supply chain (src/demo/demo-supply-chain.ts), for the core-enterprise login; null when the book is too small for one. */
  readonly coreEnterpriseId: string | null;
  readonly seconds: number;
  /** Where the time went: registration, origination (decisions, lines, first drawdowns), servicing (repayments, redraws, renewals), end of day. */
  readonly phaseSeconds: { readonly register: number; readonly originate: number; readonly service: number; readonly supplyChain: number; readonly endOfDay: number };
}

/** One enterprise's plan, drawn once from the seed. */
interface Plan {
  readonly firm: SimulatedFirm;
  enterpriseId: string;
  readonly applyOn: BusinessDate | null;
  readonly productCode: string;
  /** Never repays: the simulation's default draw. */
  readonly defaults: boolean;
  /** Pays each due amount this many days late (0: on the next business day). */
  readonly lateDays: number;
  readonly renews: boolean;
  readonly random: Random;
  lineId: string | null;
}

const TERMS_DAYS = [60, 90, 90, 120, 180];
/** Borrowers who pay, but 3 to 30 days late: special mention (关注) for a while, then normal again. */
const LATE_PAYER_SHARE = 0.06;
const REGISTER_BATCH = 100;

/**
 * Generates the demo into an empty database.
 *
 * @example
 * const summary = await generateDemo(db, { enterprises: 2000, months: 6 });
 */
export async function generateDemo(db: Kysely<Database>, options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const seed = options.seed ?? DEMO_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ValidationError('seed', 'must be a whole number ≥ 0');
  if (!Number.isInteger(options.enterprises) || options.enterprises < 1 || options.enterprises > MAX_DEMO_ENTERPRISES) throw new ValidationError('enterprises', `must be 1 to ${MAX_DEMO_ENTERPRISES}`);
  if (!Number.isInteger(options.months) || options.months < 1 || options.months > MAX_DEMO_MONTHS) throw new ValidationError('months', `must be 1 to ${MAX_DEMO_MONTHS}`);
  const applyShare = options.applyShare ?? DEFAULT_APPLY_SHARE;
  if (!(applyShare >= 0 && applyShare <= 1)) throw new ValidationError('applyShare', 'must be 0 to 1');
  const any = await db.selectFrom('enterprise').select('id').limit(1).executeTakeFirst();
  if (any) throw new ConflictError('the database already has enterprises; the demo fills an empty database only (use a new --data-dir)');

  const to = parseBusinessDate(options.endDate ?? (await getBusinessDate(db)), 'endDate');
  const from = addMonths(to, -options.months);
  await setBusinessDate(db, from);

  const provider = simulatedProvider({ seed });
  const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
  const businessDays = datesBetween(from, to).filter(isWeekday);
  const plans = simulatedPopulation({ seed, size: options.enterprises }).map((firm): Plan => {
    const random = randomFor(seed, firm.creditCode, 'demo');
    const applies = random.uniform() < applyShare;
    return {
      firm,
      enterpriseId: '',
      applyOn: applies && businessDays.length > 0 ? businessDays[random.below(businessDays.length)]! : null,
      // The micro line is for small and micro firms (小微); a medium firm borrows working capital short-term.
      productCode: random.uniform() < 0.7 && (firm.sizeClass === 'small' || firm.sizeClass === 'micro') ? 'MICRO-LINE' : 'SHORT-TERM',
      defaults: simulatedDefault(firm.creditCode, seed).defaulted,
      lateDays: random.uniform() < LATE_PAYER_SHARE ? 3 + random.below(28) : 0,
      renews: random.uniform() < 0.15,
      random,
      lineId: null,
    };
  });

  const phases = { register: 0, originate: 0, service: 0, supplyChain: 0, endOfDay: 0 };
  const timed = async (phase: keyof typeof phases, work: () => Promise<void>) => {
    const t0 = performance.now();
    await work();
    phases[phase] += (performance.now() - t0) / 1000;
  };

  // 1. Registration, a batch of enterprises per transaction.
  const registerStarted = performance.now();
  for (let i = 0; i < plans.length; i += REGISTER_BATCH) {
    const batch = plans.slice(i, i + REGISTER_BATCH);
    await inTransaction(db, async (trx) => {
      for (const plan of batch) plan.enterpriseId = (await createEnterprise(trx, simulatedEnterpriseInput(plan.firm), 'demo')).id;
    });
    options.onProgress?.({ phase: 'register', done: Math.min(plans.length, i + REGISTER_BATCH), total: plans.length });
    await yieldToRequests();
  }
  phases.register = (performance.now() - registerStarted) / 1000;
  const byEnterprise = new Map(plans.map((plan) => [plan.enterpriseId, plan]));
  const applicantsByDay = new Map<BusinessDate, Plan[]>();
  for (const plan of plans) if (plan.applyOn !== null) applicantsByDay.set(plan.applyOn, [...(applicantsByDay.get(plan.applyOn) ?? []), plan]);

  // Supply-chain finance among firms that never borrow nor default: two core enterprises, three tiers of suppliers.
  const supplyChain = await planDemoSupplyChain(
    db,
    seed,
    plans.filter((plan) => plan.applyOn === null && !plan.defaults).map((plan) => ({ enterpriseId: plan.enterpriseId, creditCode: plan.firm.creditCode, medium: plan.firm.sizeClass === 'medium' })),
    businessDays,
    async (exclude) => {
      const performing = new Set(await performingBorrowers(db));
      return plans.find((plan) => performing.has(plan.enterpriseId) && !plan.defaults && !exclude.has(plan.enterpriseId))?.enterpriseId ?? null;
    },
  );
  const counts = { approved: 0, declined: 0, referred: 0, lines: 0, drawdowns: 0, repayments: 0, renewals: 0, eodRuns: 0 };
  const days = datesBetween(from, to);
  for (const [index, date] of days.entries()) {
    if (isWeekday(date)) {
      const now = new Date(`${date}T02:00:00.000Z`); // 10:00 in China
      await timed('originate', async () => {
        for (const plan of applicantsByDay.get(date) ?? []) await originate(db, plan, date, now, { provider, config }, counts, seed);
      });
      await timed('service', async () => {
        await repayDue(db, byEnterprise, date, counts);
        await renewMaturing(db, byEnterprise, date, now, counts);
      });
      if (supplyChain) await timed('supplyChain', () => supplyChain.onWeekday(date, businessDays.indexOf(date)));
    }
    await timed('endOfDay', async () => {
      // Post-lending monitoring on the last night, so the book shows its warnings and actions.
      const last = index === days.length - 1;
      await runEod(db, { createdBy: 'demo', monitoring: last ? { provider, now: new Date(`${date}T14:00:00.000Z`) } : undefined });
    });
    counts.eodRuns++;
    options.onProgress?.({ phase: 'history', done: index + 1, total: days.length, date });
    await yieldToRequests();
  }

  const loans = await loanCounts(db);
  const showcase = await showcaseEnterprise(db, byEnterprise, supplyChain?.supplierEnterpriseId() ?? null);
  if (supplyChain) await timed('supplyChain', () => supplyChain.finish(to, showcase));
  return {
    seed,
    enterprises: plans.length,
    months: options.months,
    from,
    to,
    eodRuns: counts.eodRuns,
    applications: { approved: counts.approved, declined: counts.declined, referred: counts.referred },
    lines: counts.lines,
    drawdowns: counts.drawdowns,
    repayments: counts.repayments,
    renewals: counts.renewals,
    loans,
    showcaseEnterpriseId: showcase,
    coreEnterpriseId: supplyChain?.coreEnterpriseId ?? null,
    seconds: (performance.now() - started) / 1000,
    phaseSeconds: { register: round1(phases.register), originate: round1(phases.originate), service: round1(phases.service), supplyChain: round1(phases.supplyChain), endOfDay: round1(phases.endOfDay) },
  };
}

const round1 = (seconds: number) => Math.round(seconds * 10) / 10;

/**
 * A demo firm's settlement account at a demo bank branch, the same for disbursement and repayment:
 * numbered from a hash of its credit code, not from the demo's random streams, so the book the
 * seed gives is unchanged.
 */
export function demoAccounts(creditCode: string): AccountsInput {
  const digits = BigInt(`0x${createHash('sha256').update(`demo-account:${creditCode}`).digest('hex').slice(0, 15)}`).toString().padStart(19, '0').slice(-15);
  return { disbursement: { bankCode: '102331000013', bankName: '示范银行杭州分行营业部', accountNo: `1202${digits}` } };
}

type Counts = { approved: number; declined: number; referred: number; lines: number; drawdowns: number; repayments: number; renewals: number; eodRuns: number };

/** Authorise, apply, and (approved) accept and draw: each step its own transaction, as through the API. */
/** The username of the demo's account manager (`DEMO_LOGINS`: each demo login is named for its role). */
const DEMO_ACCOUNT_MANAGER = 'account-manager';

async function originate(db: Kysely<Database>, plan: Plan, date: BusinessDate, now: Date, deps: Pick<Parameters<typeof applyForCredit>[2], 'provider' | 'config'>, counts: Counts, seed: number): Promise<void> {
  const result = await inTransaction(db, async (trx) => {
    await grantDataAuthorisation(trx, { enterpriseId: plan.enterpriseId, sources: [...DATA_SOURCES], purpose: 'credit-assessment', grantedOn: date, expiresOn: addDays(date, 365), evidence: 'demo e-signature' }, 'demo', now);
    return applyForCredit(trx, { enterpriseId: plan.enterpriseId, productCode: plan.productCode }, { ...deps, now }, 'demo');
  });
  counts[result.decision.outcome]++;
  if (result.decision.outcome !== 'approved' || plan.random.uniform() >= 0.9) return;
  const line = await inTransaction(db, async (trx) => {
    // Most borrowers consent to post-lending monitoring when they sign; one in twenty does not,
    // which monitoring reports as a warning rather than a silent gap.
    if (randomFor(seed, plan.firm.creditCode, 'monitoring-consent').uniform() >= 0.05) {
      await grantDataAuthorisation(trx, { enterpriseId: plan.enterpriseId, sources: [...DATA_SOURCES], purpose: 'post-lending-monitoring', grantedOn: date, expiresOn: addDays(date, 730), evidence: 'demo e-signature' }, 'demo', now);
    }
    const accepted = await acceptOffer(trx, result.applicationId, 'demo', undefined, demoAccounts(plan.firm.creditCode));
    // The demo's account manager (the login named for its role, made after the book) looks after
    // four borrowers in five; the others' monitoring follow-ups go to the account managers' pool.
    if (randomFor(seed, plan.firm.creditCode, 'account-manager').uniform() < 0.8) {
      await trx.updateTable('enterprise').set({ account_manager: DEMO_ACCOUNT_MANAGER }).where('id', '=', plan.enterpriseId).where('account_manager', 'is', null).execute();
    }
    return accepted;
  });
  plan.lineId = line.id;
  counts.lines++;
  // Secured or guaranteed, or pure credit, from the firm's own stream (src/demo/demo-security.ts).
  await secureDemoLine(db, seed, plan.firm, plan.enterpriseId, line.id, line.limit, date);
  await drawFromLine(db, plan, line.limit, counts);
}

/**
 * A drawdown of 30–90% of `available`, rounded down to 1,000 yuan: two in five in 6 or 12 monthly
 * equal installments, the rest one repayment after one of the usual terms.
 */
async function drawFromLine(db: Kysely<Database>, plan: Plan, available: Minor, counts: Counts): Promise<void> {
  if (plan.lineId === null) return;
  const share = BigInt(30 + plan.random.below(61));
  const amount = ((available * share) / 100n / 100_000n) * 100_000n;
  if (amount < 100_000n) return;
  const term = plan.random.uniform() < 0.4 ? { installments: plan.random.uniform() < 0.5 ? 6 : 12 } : { termDays: TERMS_DAYS[plan.random.below(TERMS_DAYS.length)]! };
  await inTransaction(db, (trx) => drawdown(trx, { lineId: plan.lineId!, amount: formatMoney(amount), ...term }, 'demo'));
  counts.drawdowns++;
}

/** Borrowers pay everything billed (late payers once that many days past due); half of those whose loan closes draw again. */
async function repayDue(db: Kysely<Database>, plans: Map<string, Plan>, date: BusinessDate, counts: Counts): Promise<void> {
  const due = await db
    .selectFrom('loan')
    .select(['id', 'enterprise_id', 'dpd', sql<Minor>`principal_due + interest_due + penalty_due`.as('due')])
    .where('status', '=', 'active')
    .where(sql<boolean>`principal_due + interest_due + penalty_due > 0`)
    .orderBy('id')
    .execute();
  for (const loan of due) {
    const plan = plans.get(loan.enterprise_id);
    if (plan === undefined || plan.defaults || loan.dpd < plan.lateDays) continue;
    const result = await inTransaction(db, (trx) => repay(trx, { loanId: loan.id, amount: formatMoney(loan.due) }, 'demo'));
    counts.repayments++;
    if (result.loanStatus === 'closed' && plan.lineId !== null && plan.random.uniform() < 0.5) {
      const line = await db.selectFrom('credit_line').select(['available', 'status', 'end_on']).where('id', '=', plan.lineId).executeTakeFirstOrThrow();
      if (line.status === 'active' && line.end_on > date) await drawFromLine(db, plan, line.available, counts);
    }
  }
}

/** The term and attestation of every demo renewal. */
export const DEMO_RENEWAL = {
  termDays: 90,
  note: '订单回款周期未结束，申请无还本续贷',
  attestation: { lawfulOperation: true, stableOperation: true, goodCredit: true, meetsLendingCriteria: true },
} as const;

/**
 * A demo borrower's renewal, the way the product does it: the borrower files a request (as
 * `POST /v1/loans/:id/renewal-requests` does), then staff decide it with the one service the API's
 * `POST /v1/loans/:id/renewals` calls, which renews and settles the request together.
 *
 * @example
 * const outcome = await demoRenewal(db, loanId, new Date('2025-06-27T02:00:00Z'));
 */
export async function demoRenewal(db: Kysely<Database>, loanId: string, now: Date): Promise<RenewalOutcome> {
  await inTransaction(db, (trx) => requestRenewal(trx, { loanId, termDays: DEMO_RENEWAL.termDays, note: DEMO_RENEWAL.note }, 'demo', now));
  return inTransaction(db, (trx) => decideRenewal(trx, { loanId, termDays: DEMO_RENEWAL.termDays, attestation: DEMO_RENEWAL.attestation }, 'demo'));
}

/** Small and micro borrowers chosen to renew do so one to three days before maturity. */
async function renewMaturing(db: Kysely<Database>, plans: Map<string, Plan>, date: BusinessDate, now: Date, counts: Counts): Promise<void> {
  const maturing = await db
    .selectFrom('loan')
    .select(['id', 'enterprise_id'])
    .where('status', '=', 'active')
    .where('maturity_on', '>', date)
    .where('maturity_on', '<=', addDays(date, 3))
    .where('dpd', '=', 0)
    .orderBy('id')
    .execute();
  for (const loan of maturing) {
    const plan = plans.get(loan.enterprise_id);
    if (plan === undefined || !plan.renews || plan.defaults || (plan.firm.sizeClass !== 'small' && plan.firm.sizeClass !== 'micro')) continue;
    const outcome = await demoRenewal(db, loan.id, now);
    if (outcome.decision === 'renewed') counts.renewals++;
  }
}

async function loanCounts(db: Kysely<Database>): Promise<DemoSummary['loans']> {
  const row = await db
    .selectFrom('loan')
    .select([
      sql<number>`cast(sum(case when status = 'active' then 1 else 0 end) as int)`.as('active'),
      sql<number>`cast(sum(case when status = 'closed' then 1 else 0 end) as int)`.as('closed'),
      sql<number>`cast(sum(case when status = 'renewed' then 1 else 0 end) as int)`.as('renewed'),
      sql<number>`cast(sum(case when status = 'active' and dpd > 0 then 1 else 0 end) as int)`.as('overdue'),
      sql<number>`cast(sum(case when status = 'active' and classification in ('substandard', 'doubtful', 'loss') then 1 else 0 end) as int)`.as('non_performing'),
    ])
    .executeTakeFirstOrThrow();
  return { active: row.active ?? 0, closed: row.closed ?? 0, renewed: row.renewed ?? 0, overdue: row.overdue ?? 0, nonPerforming: row.non_performing ?? 0 };
}

/**
 * Enterprises with an active line and a performing (normal) loan on it, by id: the borrowers a
 * demo login is best bound to.
 */
export async function performingBorrowers(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('loan')
    .innerJoin('credit_line', (join) => join.onRef('credit_line.id', '=', 'loan.line_id').onRef('credit_line.enterprise_id', '=', 'loan.enterprise_id'))
    .select('loan.enterprise_id')
    .where('loan.status', '=', 'active')
    .where('loan.classification', '=', 'normal')
    .where('credit_line.status', '=', 'active')
    .distinct()
    .orderBy('loan.enterprise_id')
    .execute();
  return rows.map((row) => row.enterprise_id);
}

/**
 * The supplier that joined the demo's supply chain when it is still a performing borrower (so the
 * demo borrower sees both its loans and its certificates), else the first planned enterprise with
 * an active line and a performing loan on the books, that is not planned to default.
 */
async function showcaseEnterprise(db: Kysely<Database>, plans: Map<string, Plan>, supplier: string | null): Promise<string | null> {
  const candidates = new Set(await performingBorrowers(db));
  if (supplier !== null && candidates.has(supplier)) return supplier;
  for (const [enterpriseId, plan] of plans) if (candidates.has(enterpriseId) && !plan.defaults) return enterpriseId;
  return null;
}

function datesBetween(from: BusinessDate, to: BusinessDate): BusinessDate[] {
  const count = daysBetween(from, to);
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}

/** Monday to Friday (no holiday calendar yet). 1970-01-01, day 0, was a Thursday. */
function isWeekday(date: BusinessDate): boolean {
  const weekday = (((toDayNumber(date) + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday !== 0 && weekday !== 6;
}

/**
 * Lets the server's waiting requests in between a batch and the next: PGlite answers on the same
 * thread and its promises settle as microtasks, so a fill that only awaits queries never returns to
 * the event loop's I/O phase, and `sprout serve` could not answer while the demo fills.
 */
function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
