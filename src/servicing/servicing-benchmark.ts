/**
 * `sprout bench servicing`: month end, when thousands of borrowers repay at once. The book is the
 * synthetic one of the end-of-day benchmark (src/eod/synthetic-book.ts), one borrower login per
 * enterprise; every borrower repays once through the real HTTP server with an Idempotency-Key,
 * every tenth (from the fourth) sends its repayment again with the same key (a client that timed
 * out), every tenth (from the first) also draws from a credit line. While the money moves, three
 * readers load a borrower's loans, an officer's review queue and the management dashboard.
 *
 * Afterwards, from the database: the ledger reconciles, each borrower's loan has exactly one
 * repayment entry, each drawer exactly one drawdown; and each retry was answered with the first
 * attempt's answer.
 *
 * Logging in costs one scrypt at N = 2^17 (about 0.3 s of a core): 2,800 logins are 15 minutes of
 * CPU on two cores, which no month end pays at once (a borrower stays logged in for the day). So
 * the seed issues each borrower a bearer token in the database, as a login does, and the bench
 * logs in for real through the API a few times before the timed phase ({@link LOGIN_SAMPLE}) and
 * reports their time apart.
 */
import { randomBytes, createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { ConflictError, invariant } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { reconcile } from '../ledger/reconcile.js';
import { openCreditLine } from '../lines/credit-lines.js';
import { getBusinessDate } from '../system/business-date.js';
import { createSyntheticBook } from '../eod/synthetic-book.js';
import { hashPassword } from '../auth/password.js';
import { startPageReaders, type ReadPage } from './page-readers.js';
import { burstCpu, cpuSnapshot, type BurstCpu } from './burst-cpu.js';
import { BENCH_PASSWORD, draws, startLoadClients, type LoadBorrower, type WarmupFigures } from './load-clients.js';

// The clients' process imports none of this module; what the seed and the clients share lives there.
export { BENCH_DRAWDOWN, BENCH_PASSWORD, BENCH_REPAYMENT, draws, LOGIN_SAMPLE, retries } from './load-clients.js';

export type BenchBorrower = LoadBorrower;

export interface ServicingBook {
  /** The timed borrowers. */
  readonly borrowers: readonly BenchBorrower[];
  /** The warm-up's borrowers, who repay before the clock starts (the seed's last enterprises). */
  readonly warmup: readonly BenchBorrower[];
  /** A credit approver (the review queue) and a manager (the dashboard). */
  readonly officerToken: string;
  readonly managerToken: string;
  readonly seedSeconds: number;
}

/**
 * Fills an empty database: the synthetic book of 3 × (`borrowers` + `warmup`) loans (so as many
 * enterprises), each enterprise given at least one loan, a borrower login per enterprise with a
 * token, credit lines for the drawers, and the two staff logins.
 */
export async function seedServicingBook(db: Kysely<Database>, options: { readonly borrowers: number; readonly warmup?: number; readonly seed?: number | undefined }): Promise<ServicingBook> {
  const started = performance.now();
  const timed = options.borrowers;
  const warmup = options.warmup ?? 0;
  invariant(Number.isInteger(warmup) && warmup >= 0, `warmup ${warmup}`);
  const n = timed + warmup;
  invariant(Number.isInteger(timed) && timed >= 1 && n <= 1_000_000, `borrowers ${timed}`);
  const existing = await db.selectFrom('loan').select('id').limit(1).executeTakeFirst();
  if (existing) throw new ConflictError('the benchmark needs a database without loans; use a fresh --data-dir or database');
  const date = await getBusinessDate(db);
  // The k-th enterprise gets the k-th loan, so each has one (the rest of the book is spread at random).
  await createSyntheticBook(db, { loans: 3 * n, seed: options.seed, date, everyEnterpriseBorrows: true });
  const enterprises = await db.selectFrom('enterprise').select('id').orderBy('id').execute();
  invariant(enterprises.length === n, `the synthetic book made ${enterprises.length} enterprises, not ${n}`);
  const loans = await db.selectFrom('loan').select(['id', 'enterprise_id']).orderBy('id').limit(n).execute();
  invariant(new Set(loans.map((loan) => loan.enterprise_id)).size === n, 'the first loans go one to each enterprise');

  // One hash at the server's full cost, shared by every bench login: the sample logins pay a real scrypt.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const now = new Date();
  const expires = new Date(now.getTime() + 24 * 3600 * 1000);
  const borrowers: { username: string; token: string; loanId: string; userId: string; enterpriseId: string; lineId: string | null }[] = loans.map((loan, i) => ({
    username: `bench-borrower-${String(i + 1).padStart(7, '0')}`,
    token: randomBytes(32).toString('base64url'),
    loanId: loan.id,
    userId: uuidv7(),
    enterpriseId: loan.enterprise_id,
    lineId: null,
  }));
  const staff = [
    { username: 'bench-officer', role: 'credit-approver' as const, userId: uuidv7(), token: randomBytes(32).toString('base64url') },
    { username: 'bench-manager', role: 'management' as const, userId: uuidv7(), token: randomBytes(32).toString('base64url') },
  ];
  const BATCH = 1000;
  for (let start = 0; start < borrowers.length; start += BATCH) {
    const batch = borrowers.slice(start, start + BATCH);
    await db
      .insertInto('app_user')
      .values(batch.map((b) => ({ id: b.userId, username: b.username, display_name: b.username, role: 'borrower' as const, password_hash: passwordHash, approval_limit: null, created_at: now })))
      .execute();
    await db.insertInto('user_enterprise').values(batch.map((b) => ({ user_id: b.userId, enterprise_id: b.enterpriseId, bound_at: now, bound_by: 'bench' }))).execute();
    await db.insertInto('api_token').values(batch.map((b) => ({ token_hash: hashToken(b.token), user_id: b.userId, created_at: now, expires_at: expires }))).execute();
  }
  await db
    .insertInto('app_user')
    .values(staff.map((s) => ({ id: s.userId, username: s.username, display_name: s.username, role: s.role, password_hash: passwordHash, approval_limit: null, created_at: now })))
    .execute();
  await db.insertInto('api_token').values(staff.map((s) => ({ token_hash: hashToken(s.token), user_id: s.userId, created_at: now, expires_at: expires }))).execute();
  for (let i = 0; i < borrowers.length; i++) {
    if (!draws(i)) continue;
    const borrower = borrowers[i]!;
    const line = await inTransaction(db, (trx) => openCreditLine(trx, { enterpriseId: borrower.enterpriseId, productCode: 'MICRO-LINE', limit: '300000.00' }, 'bench'));
    borrower.lineId = line.id;
  }
  await sql`analyze`.execute(db);
  const bench = borrowers.map(({ username, token, loanId, lineId }) => ({ username, token, loanId, lineId }));
  return {
    borrowers: bench.slice(0, timed),
    warmup: bench.slice(timed),
    officerToken: staff[0]!.token,
    managerToken: staff[1]!.token,
    seedSeconds: Math.round(performance.now() - started) / 1000,
  };
}

/** As `auth/users.ts` stores a token: its SHA-256, never the token. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ServicingLoad {
  /** Money-moving requests sent: repayments, their retries, drawdowns. */
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Repayments (and their retries) alone, and drawdowns alone: which kind the tail is. */
  readonly repaymentsP99Ms: number;
  readonly drawdownsP99Ms: number;
  readonly errors: number;
  readonly repayments: number;
  readonly retried: number;
  readonly drawdowns: number;
  /** Retries answered with the first attempt's answer (the stored result, replayed). */
  readonly retriesReplayed: number;
  readonly seconds: number;
  readonly reads: number;
  readonly readsP50Ms: number;
  readonly readsP99Ms: number;
  readonly readErrors: number;
  /** Each read page's own figures: the goal's "read pages p99 under 100 ms" is per page. */
  readonly readsByPage: Readonly<Record<ReadPage, PageReads>>;
  readonly logins: number;
  readonly loginP50Ms: number;
  /** The nice value the money clients ran at (0: the bench's own priority; src/servicing/load-clients.ts). */
  readonly loadNice: number;
  /** The warm-up before the clock started (none: its borrowers 0). */
  readonly warmup: WarmupFigures;
  /** Where the burst's CPU went (src/servicing/burst-cpu.ts). */
  readonly cpu: BurstCpu;
  /** The first few errors, for the operator. */
  readonly errorSamples: readonly string[];
}


/** One read page's answers during the load. */
export interface PageReads {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Drives `url` with the warm-up's borrowers, untimed, then with `concurrency` clients until every
 * timed borrower has repaid (and retried, drawn): the
 * clients in a process of their own at `loadNice` (src/servicing/load-clients.ts), the readers in
 * a thread of this process (src/servicing/page-readers.ts).
 *
 * @example
 * const load = await driveServicing('http://127.0.0.1:3000', book, { concurrency: 100, loadNice: LOAD_NICE });
 */
export async function driveServicing(
  url: string,
  book: ServicingBook,
  options: { readonly concurrency: number; readonly loadNice: number; readonly serverPid?: number | undefined; readonly database?: Kysely<Database> | undefined },
): Promise<ServicingLoad> {
  const clients = await startLoadClients({
    url,
    borrowers: book.borrowers,
    concurrency: options.concurrency,
    nice: options.loadNice,
    runId: uuidv7(),
    warmup: book.warmup,
    warmupConcurrency: Math.min(options.concurrency, book.warmup.length),
  });
  const readers = await startPageReaders({ url, borrowerTokens: book.borrowers.map((borrower) => borrower.token), officerToken: book.officerToken, managerToken: book.managerToken });
  const sides = { serverPid: options.serverPid, database: options.database };
  const before = await cpuSnapshot(sides);
  readers.start();
  const money = await clients.run();
  const after = await cpuSnapshot(sides);
  const { pageMs, readErrors, errorSamples: readErrorSamples } = await readers.stop();
  const errorSamples = [...money.errorSamples, ...readErrorSamples].slice(0, 5);
  const readMs = [...pageMs.loans, ...pageMs.queue, ...pageMs.dashboard];
  const latencies = [...money.repaymentMs, ...money.drawdownMs];
  const requests = money.repayments + money.retried + money.drawdowns;
  return {
    requests,
    perSecond: Math.round(requests / money.seconds),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    repaymentsP99Ms: percentile(money.repaymentMs, 0.99),
    drawdownsP99Ms: percentile(money.drawdownMs, 0.99),
    errors: money.errors,
    repayments: money.repayments,
    retried: money.retried,
    drawdowns: money.drawdowns,
    retriesReplayed: money.retriesReplayed,
    seconds: Math.round(money.seconds * 1000) / 1000,
    reads: readMs.length,
    readsP50Ms: percentile(readMs, 0.5),
    readsP99Ms: percentile(readMs, 0.99),
    readErrors,
    readsByPage: {
      loans: pageReads(pageMs.loans),
      queue: pageReads(pageMs.queue),
      dashboard: pageReads(pageMs.dashboard),
    },
    logins: clients.loginMs.length,
    loginP50Ms: percentile(clients.loginMs, 0.5),
    loadNice: clients.nice,
    warmup: clients.warmup,
    cpu: burstCpu(before, after, money.cpuSeconds, requests, money.seconds),
    errorSamples,
  };
}

function pageReads(ms: readonly number[]): PageReads {
  return { count: ms.length, p50Ms: percentile(ms, 0.5), p99Ms: percentile(ms, 0.99) };
}

/** Did money move exactly once per key: from the database, after the run. */
export interface MoneyChecks {
  readonly reconciled: boolean;
  /** Every borrower's loan has exactly one repayment entry, and every retry was answered with the first answer. */
  readonly repaidOnce: boolean;
  /** Every drawer's line has exactly one new loan with one drawdown entry. */
  readonly drawnOnce: boolean;
}

export async function checkMoney(db: Kysely<Database>, book: ServicingBook, load: ServicingLoad): Promise<MoneyChecks> {
  const { balanced } = await reconcile(db);
  const repaid = await db.selectFrom('journal_entry').select(['loan_id', 'id']).where('kind', '=', 'repayment').execute();
  const perLoan = new Map<string, number>();
  for (const row of repaid) if (row.loan_id !== null) perLoan.set(row.loan_id, (perLoan.get(row.loan_id) ?? 0) + 1);
  // The warm-up's borrowers repaid too, and its retries were checked by the clients.
  const everyone = [...book.borrowers, ...book.warmup];
  const repaidOnce = repaid.length === everyone.length && everyone.every((b) => perLoan.get(b.loanId) === 1) && load.retriesReplayed === load.retried;
  const lineIds = everyone.flatMap((b) => (b.lineId === null ? [] : [b.lineId]));
  let drawnOnce = true;
  if (lineIds.length > 0) {
    const drawn = await db
      .selectFrom('loan')
      .innerJoin('journal_entry', (join) => join.onRef('journal_entry.loan_id', '=', 'loan.id').onRef('journal_entry.enterprise_id', '=', 'loan.enterprise_id'))
      .select(['loan.line_id', 'journal_entry.id'])
      .where('journal_entry.kind', '=', 'drawdown')
      .where('loan.line_id', 'in', lineIds)
      .execute();
    const perLine = new Map<string, number>();
    for (const row of drawn) if (row.line_id !== null) perLine.set(row.line_id, (perLine.get(row.line_id) ?? 0) + 1);
    drawnOnce = drawn.length === lineIds.length && lineIds.every((id) => perLine.get(id) === 1);
  }
  return { reconciled: balanced, repaidOnce, drawnOnce };
}

/** The nearest-rank percentile, in whole-ish milliseconds (one decimal). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}
