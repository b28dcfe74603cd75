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
import { Agent, request as httpRequest } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
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

/** What each borrower repays, and what a drawer draws. */
export const BENCH_REPAYMENT = '100.00';
export const BENCH_DRAWDOWN = '1000.00';
/** The password of every bench login (a benchmark's own book; never a real one). */
export const BENCH_PASSWORD = 'bench-servicing-password-2026';
/** Real logins through the API before the timed phase. */
export const LOGIN_SAMPLE = 5;

/** Borrower i (0-based) retries its repayment / draws from a line. */
export const retries = (i: number): boolean => i % 10 === 3;
export const draws = (i: number): boolean => i % 10 === 0;

export interface BenchBorrower {
  readonly username: string;
  readonly token: string;
  readonly loanId: string;
  readonly lineId: string | null;
}

export interface ServicingBook {
  readonly borrowers: readonly BenchBorrower[];
  /** A credit approver (the review queue) and a manager (the dashboard). */
  readonly officerToken: string;
  readonly managerToken: string;
  readonly seedSeconds: number;
}

/**
 * Fills an empty database: the synthetic book of 3 × `borrowers` loans (so `borrowers`
 * enterprises), each enterprise given at least one loan, a borrower login per enterprise with a
 * token, credit lines for the drawers, and the two staff logins.
 */
export async function seedServicingBook(db: Kysely<Database>, options: { readonly borrowers: number; readonly seed?: number | undefined }): Promise<ServicingBook> {
  const started = performance.now();
  const n = options.borrowers;
  invariant(Number.isInteger(n) && n >= 1 && n <= 1_000_000, `borrowers ${n}`);
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
  return {
    borrowers: borrowers.map(({ username, token, loanId, lineId }) => ({ username, token, loanId, lineId })),
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
 * Drives `url` with `concurrency` clients until every borrower has repaid (and retried, drawn).
 *
 * @example
 * const load = await driveServicing('http://127.0.0.1:3000', book, { concurrency: 100 });
 */
export async function driveServicing(url: string, book: ServicingBook, options: { readonly concurrency: number }): Promise<ServicingLoad> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency + 8 });
  const base = new URL(url);
  const send = (method: string, path: string, token: string | null, body?: unknown, key?: string) =>
    new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = {};
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      if (key !== undefined) headers['idempotency-key'] = key;
      const started = performance.now();
      const req = httpRequest({ agent, host: base.hostname, port: base.port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });

  // Real logins, before the clock starts.
  const loginMs: number[] = [];
  for (const borrower of book.borrowers.slice(0, LOGIN_SAMPLE)) {
    const answer = await send('POST', '/v1/auth/token', null, { username: borrower.username, password: BENCH_PASSWORD });
    if (answer.status !== 200) throw new Error(`bench login of ${borrower.username} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    loginMs.push(answer.ms);
  }

  const latencies: number[] = [];
  const kindLatencies = { repayment: [] as number[], drawdown: [] as number[] };
  const errorSamples: string[] = [];
  let errors = 0;
  let repayments = 0;
  let retried = 0;
  let drawdowns = 0;
  let retriesReplayed = 0;
  const runId = uuidv7();
  const fail = (what: string, answer: { status: number; body: string } | Error) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(`${what}: ${answer instanceof Error ? answer.message : `${answer.status} ${answer.body.slice(0, 200)}`}`);
  };
  const timed = async (what: string, path: string, token: string, body: unknown, key: string): Promise<{ status: number; body: string } | undefined> => {
    try {
      const answer = await send('POST', path, token, body, key);
      latencies.push(answer.ms);
      kindLatencies[what === 'drawdown' ? 'drawdown' : 'repayment'].push(answer.ms);
      if (answer.status !== 201) {
        fail(what, answer);
        return undefined;
      }
      return answer;
    } catch (error) {
      fail(what, error as Error);
      return undefined;
    }
  };

  let next = 0;
  const client = async () => {
    for (let i = next++; i < book.borrowers.length; i = next++) {
      const borrower = book.borrowers[i]!;
      const key = `bench-${runId}-repay-${i}`;
      const path = `/v1/loans/${borrower.loanId}/repayments`;
      const body = { amount: BENCH_REPAYMENT };
      repayments++;
      const first = await timed('repayment', path, borrower.token, body, key);
      if (retries(i)) {
        retried++;
        const again = await timed('retried repayment', path, borrower.token, body, key);
        if (again !== undefined && first !== undefined && isDeepStrictEqual(JSON.parse(again.body), JSON.parse(first.body))) retriesReplayed++;
      }
      if (borrower.lineId !== null) {
        drawdowns++;
        await timed('drawdown', `/v1/lines/${borrower.lineId}/drawdowns`, borrower.token, { amount: BENCH_DRAWDOWN, termDays: 30 }, `bench-${runId}-draw-${i}`);
      }
    }
  };

  // The readers in a thread of their own (src/servicing/page-readers.ts): a read is timed by an
  // event loop that is not also sending the money clients' requests.
  const readers = await startPageReaders({ url, borrowerTokens: book.borrowers.map((borrower) => borrower.token), officerToken: book.officerToken, managerToken: book.managerToken });
  const started = performance.now();
  readers.start();
  await Promise.all(Array.from({ length: Math.min(options.concurrency, book.borrowers.length) }, client));
  const seconds = (performance.now() - started) / 1000;
  const { pageMs, readErrors, errorSamples: readErrorSamples } = await readers.stop();
  errorSamples.push(...readErrorSamples.slice(0, Math.max(0, 5 - errorSamples.length)));
  const readMs = [...pageMs.loans, ...pageMs.queue, ...pageMs.dashboard];
  agent.destroy();
  const requests = repayments + retried + drawdowns;
  return {
    requests,
    perSecond: Math.round(requests / seconds),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    repaymentsP99Ms: percentile(kindLatencies.repayment, 0.99),
    drawdownsP99Ms: percentile(kindLatencies.drawdown, 0.99),
    errors,
    repayments,
    retried,
    drawdowns,
    retriesReplayed,
    seconds: Math.round(seconds * 1000) / 1000,
    reads: readMs.length,
    readsP50Ms: percentile(readMs, 0.5),
    readsP99Ms: percentile(readMs, 0.99),
    readErrors,
    readsByPage: {
      loans: pageReads(pageMs.loans),
      queue: pageReads(pageMs.queue),
      dashboard: pageReads(pageMs.dashboard),
    },
    logins: loginMs.length,
    loginP50Ms: percentile(loginMs, 0.5),
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
  const repaidOnce = repaid.length === book.borrowers.length && book.borrowers.every((b) => perLoan.get(b.loanId) === 1) && load.retriesReplayed === load.retried;
  const lineIds = book.borrowers.flatMap((b) => (b.lineId === null ? [] : [b.lineId]));
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
