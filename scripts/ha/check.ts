/**
 * The failover drill's proof (scripts/ha/drill.sh): given the load's record and the moment the
 * primary was killed, checks the promoted database holds every acknowledged request, and counts
 * the answers around the switch.
 *
 * Every 2xx answer must be found: its idempotency record (written in the same transaction as the
 * money it moved) under the operator's key, holding the very answer the client got; a drawdown's
 * loan too. Every answer other than 2xx must be a 503 with Retry-After or a business refusal (4xx),
 * never a 500. Recovery is from the kill to the first 2xx answered after the last 503.
 *
 * Usage: node --import tsx scripts/ha/check.ts LOAD_JSON KILLED_AT_MS PROMOTED_AT_MS DATABASE_URL
 * Prints a JSON summary on stdout; exits 1 when the proof fails.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { kyselyOverPostgres } from '../../src/db/postgres-backend.js';

const [file = 'load.json', killedText = '0', promotedText = '0', url = ''] = process.argv.slice(2);
const killedAt = Number(killedText);
const promotedAt = Number(promotedText);

interface Answer { at: number; kind: string; key: string; status: number | 'network'; retryAfter?: string; code?: string }
interface Acknowledged { at: number; kind: string; key: string; attempts: number; body: Record<string, unknown> }
const load = JSON.parse(readFileSync(file, 'utf8')) as { answers: Answer[]; acknowledged: Acknowledged[] };

/**
 * The answer is the stored response as the API serialised it: every field the client got has the
 * stored value (the response schema may leave out fields the stored record keeps).
 */
function answeredFrom(answer: unknown, stored: unknown): boolean {
  if (answer !== null && typeof answer === 'object' && !Array.isArray(answer)) {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
    return Object.entries(answer).every(([key, value]) => answeredFrom(value, (stored as Record<string, unknown>)[key]));
  }
  if (Array.isArray(answer)) return Array.isArray(stored) && answer.length === stored.length && answer.every((value, i) => answeredFrom(value, stored[i]));
  return isDeepStrictEqual(answer, stored);
}

const db = kyselyOverPostgres(url);
try {
  const operator = await db.selectFrom('app_user').select('id').where('username', '=', 'operator').executeTakeFirstOrThrow();
  const records = await db.selectFrom('idempotency_record').select(['key', 'operation', 'response']).where('key', 'like', `${operator.id}/%`).execute();
  const stored = new Map(records.map((row) => [`${row.operation} ${row.key}`, row.response]));
  const loanIds = new Set((await db.selectFrom('loan').select('id').execute()).map((row) => row.id));
  let found = 0;
  const missing: string[] = [];
  const different: string[] = [];
  for (const ack of load.acknowledged) {
    const response = stored.get(`${ack.kind} ${operator.id}/${ack.key}`);
    const loanOk = ack.kind !== 'drawdown' || loanIds.has(String(ack.body.loanId));
    if (response === undefined || !loanOk) missing.push(`${ack.kind} ${ack.key}`);
    else if (!answeredFrom(ack.body, typeof response === 'string' ? JSON.parse(response) : response)) different.push(`${ack.kind} ${ack.key}`);
    else found++;
  }
  const afterKill = load.answers.filter((answer) => answer.at >= killedAt);
  const unavailable = load.answers.filter((answer) => answer.status === 503);
  // The outage as clients saw it: from the first answer that was not a 2xx after the kill to the
  // last; recovered at the first 2xx after the last 503 (a 2xx just after the kill may be a request
  // that committed before it, so the first 2xx after the kill is not the recovery).
  const failedAfterKill = load.answers.filter((answer) => answer.at >= killedAt && answer.status !== 200 && answer.status !== 201).sort((a, b) => a.at - b.at);
  const lastFailure = failedAfterKill.at(-1)?.at ?? killedAt;
  const firstAckAfterKill = load.acknowledged.filter((ack) => ack.at > lastFailure).sort((a, b) => a.at - b.at)[0];
  const statuses: Record<string, number> = {};
  for (const answer of load.answers) statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
  const serverErrors = load.answers.filter((answer) => typeof answer.status === 'number' && answer.status >= 500 && answer.status !== 503).length;
  const summary = {
    requestsAnswered: load.answers.length,
    statuses,
    acknowledged: load.acknowledged.length,
    acknowledgedBeforeKill: load.acknowledged.filter((ack) => ack.at < killedAt).length,
    acknowledgedAfterKill: load.acknowledged.filter((ack) => ack.at >= killedAt).length,
    foundAfterFailover: found,
    missing,
    answeredDifferently: different,
    unavailable503: unavailable.length,
    unavailableWithRetryAfter: unavailable.filter((answer) => answer.retryAfter !== undefined).length,
    unavailableCodes: [...new Set(unavailable.map((answer) => answer.code))],
    answersAfterKill: afterKill.length,
    serverErrorsOtherThan503: serverErrors,
    retriedToSuccess: load.acknowledged.filter((ack) => ack.attempts > 1).length,
    secondsKillToPromote: (promotedAt - killedAt) / 1000,
    firstUnavailableSecondsAfterKill: failedAfterKill[0] === undefined ? null : (failedAfterKill[0].at - killedAt) / 1000,
    lastUnavailableSecondsAfterKill: failedAfterKill.at(-1) === undefined ? null : (lastFailure - killedAt) / 1000,
    recoverySeconds: firstAckAfterKill === undefined ? null : (firstAckAfterKill.at - killedAt) / 1000,
    recoverySecondsAfterPromote: firstAckAfterKill === undefined ? null : (firstAckAfterKill.at - promotedAt) / 1000,
  };
  process.stdout.write(`${JSON.stringify(summary, null, 1)}\n`);
  const ok = missing.length === 0 && different.length === 0 && serverErrors === 0 && unavailable.every((answer) => answer.retryAfter !== undefined) && firstAckAfterKill !== undefined;
  process.exitCode = ok ? 0 : 1;
} finally {
  await db.destroy();
}
