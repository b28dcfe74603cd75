/**
 * The read pages' clients of `sprout bench servicing` (src/servicing/servicing-benchmark.ts), in a
 * thread of their own: a borrower's loans, an officer's review queue and the management dashboard,
 * each asked for every {@link READ_INTERVAL_MS} while the money moves.
 *
 * They were promises on the bench's main thread, beside the 2,800 money clients, and a read's time
 * was taken there: when that thread was busy opening 2,800 requests (360–520 ms once, at the start
 * of every run: docs/benchmarks.md, session 20, s21y) a read answered meanwhile was counted as slow
 * though the server had answered it. A borrower or an officer reading a page is another person's
 * browser, not the thread that sends everyone else's repayments. Here each read is sent and timed by
 * an event loop that does nothing else; the CPU it runs on is still the machine's, shared with the
 * server, PostgreSQL and the money clients, as before, except that the money clients now run in a
 * process of their own at a lower priority (src/servicing/load-clients.ts) and this thread at the
 * bench's.
 *
 * Each page is asked on a fixed schedule, not again as soon as it answers: a reader that waits for
 * its answer asks less while the server is slow, so the slow moments are under-counted (the reads'
 * p99 looks better than what people see), and a faster page is asked more, taking the server's CPU
 * from the money (measured: with the readers in their own thread and asking back to back, 438–707
 * reads a run instead of 347–389, and 9–25 % fewer money requests a second). On a schedule, the
 * reads a second are the same whatever the server does, and a read's time is counted from when it
 * was due, so a read the thread sent late is counted late.
 *
 * Each page is read as a browser would: over at most {@link BROWSER_CONNECTIONS} kept-alive
 * connections, opened before the money starts (a person reading a page has the connection the page
 * came on). A read due while all six are busy waits for one, and that wait is counted. Opened on
 * demand instead, a read's new connection waited in the server's accept queue behind the burst's
 * 2,800, and a connection whose first packet the kernel dropped there was sent again a second later:
 * the reads of 1.0–1.5 s (docs/benchmarks.md, session 20, lead). A person's browser meets that only
 * when it opens a connection during the burst; the money clients, which open theirs at once, are the
 * load, not the people reading.
 *
 * This module is both sides: `startPageReaders` in the bench starts it as a worker, which runs
 * {@link readPages} when it sees its job in `workerData`. The worker imports nothing but Node's own
 * modules, and is started with Sprout's TypeScript loader (bin/typescript.js), which a worker does
 * not inherit from the thread that starts it.
 */
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';

/** The pages the readers load while the money moves: a borrower's loans, an officer's review queue, the dashboard. */
export const READ_PAGES = ['loans', 'queue', 'dashboard'] as const;
export type ReadPage = (typeof READ_PAGES)[number];

/** What the readers read, and as whom. */
export interface PageReadersJob {
  readonly url: string;
  /** The borrowers' bearer tokens: the loans page is read as a different borrower each round. */
  readonly borrowerTokens: readonly string[];
  /** A credit approver (the review queue) and a manager (the dashboard). */
  readonly officerToken: string;
  readonly managerToken: string;
}

/** Every read's time in ms, by page; reads answered with an error or not at all, and the first few of those. */
export interface PageReadersResult {
  readonly pageMs: Record<ReadPage, number[]>;
  readonly readErrors: number;
  readonly errorSamples: readonly string[];
}

/** The running readers. */
export interface PageReaders {
  /** Starts reading (the bench's clock starts with it). */
  start(): void;
  /** Lets the reads in flight answer, then ends the thread; their times. */
  stop(): Promise<PageReadersResult>;
}

/**
 * How often each page is asked: 20 reads a second a page, 60 in all. At 20 ms (150 in all, about
 * what the back-to-back readers made before: 347–389 reads in 2.8–3.2 s) the reads piling up while
 * the server stalled took a fifth of the money requests a second (741–907 against 1,054–1,140);
 * at 50 ms the money figures are those of before (1,103–1,342) and each page still has 50–60
 * reads a run (docs/benchmarks.md, session 20, lead).
 */
export const READ_INTERVAL_MS = 50;

/** The connections a browser keeps to one host (HTTP/1.1): each page's reader has as many. */
export const BROWSER_CONNECTIONS = 6;

/** Marks the worker's `workerData` as this module's job, so no other worker runs it by accident. */
const JOB = 'sprout-page-readers';

type Message = { readonly kind: 'ready' } | { readonly kind: 'result'; readonly result: PageReadersResult };

/**
 * Starts the readers' thread and waits until it can read.
 *
 * @example
 * const readers = await startPageReaders({ url, borrowerTokens, officerToken, managerToken });
 * readers.start(); …; const { pageMs } = await readers.stop();
 */
export async function startPageReaders(job: PageReadersJob): Promise<PageReaders> {
  const loader = fileURLToPath(new URL('../../bin/typescript.js', import.meta.url));
  const worker = new Worker(new URL(import.meta.url), { workerData: { [JOB]: job }, execArgv: ['--import', loader] });
  const next = (): Promise<Message> => new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the page readers' thread ended (exit code ${code}) before answering`));
    worker.once('message', (message: Message) => {
      worker.off('error', reject).off('exit', onExit);
      resolve(message);
    });
    worker.once('error', reject).once('exit', onExit);
  });
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error(`the page readers' thread said ${ready.kind} before it was ready`);
  return {
    start: () => worker.postMessage('start'),
    stop: async () => {
      const answer = next();
      worker.postMessage('stop');
      const message = await answer;
      await worker.terminate();
      if (message.kind !== 'result') throw new Error(`the page readers' thread said ${message.kind}, not its result`);
      return message.result;
    },
  };
}

/**
 * The worker's side: each page asked every {@link READ_INTERVAL_MS} from 'start' until 'stop',
 * whether or not its last read has answered; then every read's time, posted back.
 */
export async function readPages(job: PageReadersJob, port: MessagePort): Promise<void> {
  const agents: Record<ReadPage, Agent> = {
    loans: new Agent({ keepAlive: true, maxSockets: BROWSER_CONNECTIONS }),
    queue: new Agent({ keepAlive: true, maxSockets: BROWSER_CONNECTIONS }),
    dashboard: new Agent({ keepAlive: true, maxSockets: BROWSER_CONNECTIONS }),
  };
  const base = new URL(job.url);
  /** A GET over `agent`, its time counted from `due`, when it should have been sent. */
  const get = (agent: Agent, path: string, token: string | null, due: number) =>
    new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
      const req = httpRequest({ agent, host: base.hostname, port: base.port, path, method: 'GET', headers: token === null ? {} : { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - due }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  let stopping = false;
  const pageMs: Record<ReadPage, number[]> = { loans: [], queue: [], dashboard: [] };
  const errorSamples: string[] = [];
  let readErrors = 0;
  const read = async (page: ReadPage, path: string, token: string, due: number) => {
    try {
      const answer = await get(agents[page], path, token, due);
      pageMs[page].push(answer.ms);
      if (answer.status !== 200) {
        readErrors++;
        if (errorSamples.length < 5) errorSamples.push(`read ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
      }
    } catch (error) {
      readErrors++;
      if (errorSamples.length < 5) errorSamples.push(`read ${path}: ${(error as Error).message}`);
    }
  };
  /** Asks `path` on the schedule until 'stop'; resolves when the reads it sent have answered. */
  const reader = async (page: ReadPage, path: string, token: (round: number) => string) => {
    const sent: Promise<void>[] = [];
    const first = performance.now();
    for (let round = 0; !stopping; round++) {
      const due = first + round * READ_INTERVAL_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (stopping) break;
      sent.push(read(page, path, token(round), due));
    }
    await Promise.all(sent);
  };
  const someBorrower = (round: number) => job.borrowerTokens[(round * 7919) % job.borrowerTokens.length]!;

  // Each page's connections opened before the clock starts, as a page already on screen has them.
  await Promise.all(READ_PAGES.flatMap((page) => Array.from({ length: BROWSER_CONNECTIONS }, () => get(agents[page], '/health', null, performance.now()))));
  const started = new Promise<void>((resolve) => port.once('message', () => resolve()));
  port.postMessage({ kind: 'ready' } satisfies Message);
  await started;
  port.once('message', () => {
    stopping = true;
  });
  await Promise.all([
    reader('loans', '/v1/loans?limit=20', someBorrower),
    reader('queue', '/v1/book/applications?status=referred&limit=20', () => job.officerToken),
    reader('dashboard', '/v1/reports/portfolio', () => job.managerToken),
  ]);
  for (const agent of Object.values(agents)) agent.destroy();
  port.postMessage({ kind: 'result', result: { pageMs, readErrors, errorSamples } } satisfies Message);
}

if (!isMainThread && parentPort !== null && typeof workerData === 'object' && workerData !== null && JOB in workerData) {
  await readPages((workerData as Record<typeof JOB, PageReadersJob>)[JOB], parentPort);
}
