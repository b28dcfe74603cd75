// Measures how much CPU each test file used, inside the test process: scripts/run-tests.js loads
// this with --import into every shard (node --test --test-isolation=none) and deals files to shards
// by what it writes. At exit it writes, to the file named by SPROUT_TEST_CPU_OUT, each file's CPU
// in milliseconds and the process's whole CPU: `{ "cpu": { "/abs/file.test.ts": ms, … }, "totalCpu": ms }`.
//
// With --test-isolation=none the files' tests run one after another in this process, so the CPU
// between the end of one test and the end of the next is the next test's: its own body and hooks,
// and its suite's `before` hooks when it is the suite's first (a demo book filled once for a suite).
// The process's CPU is `process.cpuUsage()` plus that of the child processes it waited for (the
// `sprout` processes some tests start; /proc/self/stat on Linux). What runs outside any test
// (loading node, tsx and the files, the last hooks) is `(process)`.
//
// A reporter cannot take these figures: node:test hands a reporter its events in batches, after the
// tests ran (measured: a file whose suites ran 11 s was charged 24.7 s of CPU, the next one, 215 s
// of wall time, 7.9 s), so the CPU read when a reporter sees an event belongs to other files.
import { afterEach, beforeEach } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';

/** CPU milliseconds of this process and its waited-for children so far. */
function cpuMilliseconds() {
  const { user, system } = process.cpuUsage();
  let children = 0;
  try {
    // Fields after the command's closing parenthesis: state is field 3, cutime and cstime 16 and 17.
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    // Not Linux: the children's CPU is not counted.
  }
  return (user + system) / 1000 + children;
}

const out = process.env.SPROUT_TEST_CPU_OUT;
if (out) {
  const cpu = {};
  let last;
  // The first test's share starts when it does: before it, the process loaded node, tsx and the files.
  beforeEach(() => {
    last ??= cpuMilliseconds();
  });
  afterEach((t) => {
    const now = cpuMilliseconds();
    if (t.filePath) cpu[t.filePath] = (cpu[t.filePath] ?? 0) + now - last;
    last = now;
  });
  process.on('exit', () => {
    const total = cpuMilliseconds();
    cpu['(process)'] = total - Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
    writeFileSync(out, `${JSON.stringify({ cpu, totalCpu: total })}\n`);
  });
}
