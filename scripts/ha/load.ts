/**
 * Repayment and drawdown load on a running Sprout, for the failover drill (scripts/ha/drill.sh).
 *
 * Logs in as the demo operator, then WORKERS loops each send a drawdown (on an active line) or a
 * repayment (on an active loan), every request with its own Idempotency-Key. A 503 is retried with
 * the same key after its Retry-After, as a well-behaved client does; every answer is recorded with
 * its time, and every 2xx with its key and body. Runs until the file STOP exists, then writes
 * everything to OUT as JSON.
 *
 * Usage: node --import tsx scripts/ha/load.ts BASE_URL OUT STOP [WORKERS]
 */
import { existsSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const [base = 'http://127.0.0.1:3451', out = 'load.json', stop = 'load.stop', workersText = '4'] = process.argv.slice(2);

interface Answer {
  readonly at: number;
  readonly kind: 'drawdown' | 'repayment';
  readonly key: string;
  readonly status: number | 'network';
  readonly retryAfter?: string | undefined;
  readonly code?: string | undefined;
}
interface Acknowledged {
  readonly at: number;
  readonly kind: 'drawdown' | 'repayment';
  readonly key: string;
  readonly attempts: number;
  readonly body: Record<string, unknown>;
}

const answers: Answer[] = [];
const acknowledged: Acknowledged[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(method: string, path: string, token: string | null, body?: unknown, key?: string): Promise<{ status: number; headers: Headers; json: unknown }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** Reads before the load, retried while the database is unavailable. */
async function patiently<T>(read: () => Promise<{ status: number; json: unknown }>): Promise<T> {
  for (;;) {
    const answer = await read().catch(() => ({ status: 0, json: null }));
    if (answer.status === 200) return answer.json as T;
    if (answer.status !== 503 && answer.status !== 0) throw new Error(`setup read failed: ${answer.status} ${JSON.stringify(answer.json)}`);
    await sleep(1000);
  }
}

/** One money movement, retried with the same key until it is answered other than 503. */
async function once(kind: Answer['kind'], path: string, body: unknown, token: string): Promise<Record<string, unknown> | null> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    let answer: { status: number; headers: Headers; json: unknown };
    try {
      answer = await call('POST', path, token, body, key);
    } catch {
      answers.push({ at: Date.now(), kind, key, status: 'network' });
      // No answer at all (the server is down): counted, and given up once the load is stopped.
      if (existsSync(stop)) return null;
      await sleep(500);
      continue;
    }
    const code = (answer.json as { error?: { code?: string } } | null)?.error?.code;
    answers.push({ at: Date.now(), kind, key, status: answer.status, retryAfter: answer.headers.get('retry-after') ?? undefined, code });
    if (answer.status >= 200 && answer.status < 300) {
      acknowledged.push({ at: Date.now(), kind, key, attempts: attempt, body: answer.json as Record<string, unknown> });
      return answer.json as Record<string, unknown>;
    }
    if (answer.status === 503) {
      const wait = Number(answer.headers.get('retry-after') ?? '1');
      await sleep(Math.min(5, Number.isFinite(wait) ? wait : 1) * 1000);
      continue;
    }
    return null; // refused (a limit, a closed loan): recorded, not retried
  }
}

async function main(): Promise<void> {
  const login = await patiently<{ token: string }>(() => call('POST', '/v1/auth/token', null, { username: 'operator', password: 'operator-demo' }));
  const token = login.token;
  const lines = (await patiently<Array<{ id: string; status: string; available: string }>>(() => call('GET', '/v1/lines?limit=200', token))).filter((line) => line.status === 'active' && Number(line.available) >= 2000);
  const loans = (await patiently<Array<{ id: string; status: string }>>(() => call('GET', '/v1/loans?status=active&limit=200', token))).map((loan) => loan.id);
  if (lines.length === 0 || loans.length === 0) throw new Error(`need active lines and loans: ${lines.length} lines, ${loans.length} loans`);
  process.stderr.write(`load: ${lines.length} lines, ${loans.length} loans, ${workersText} workers on ${base}\n`);
  // The drill waits for this before it starts counting the load's seconds.
  writeFileSync(`${out}.started`, String(Date.now()));
  let turn = 0;
  const worker = async (w: number) => {
    while (!existsSync(stop)) {
      const n = turn++;
      if ((n + w) % 2 === 0) {
        const line = lines[n % lines.length]!;
        const made = await once('drawdown', `/v1/lines/${line.id}/drawdowns`, { amount: '1000.00', termDays: 90 }, token);
        if (made && typeof made.loanId === 'string') loans.push(made.loanId);
      } else {
        const loan = loans[n % loans.length]!;
        await once('repayment', `/v1/loans/${loan}/repayments`, { amount: '10.00' }, token);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(workersText) }, (_, w) => worker(w)));
  writeFileSync(out, JSON.stringify({ answers, acknowledged }, null, 1));
  const by = new Map<string, number>();
  for (const answer of answers) by.set(String(answer.status), (by.get(String(answer.status)) ?? 0) + 1);
  process.stderr.write(`load: ${answers.length} answers (${[...by].map(([status, n]) => `${status}: ${n}`).join(', ')}), ${acknowledged.length} acknowledged\n`);
}

await main();
