// A node:test reporter that writes, as JSON, how much CPU each test file's top-level tests used
// (milliseconds): scripts/run-tests.js deals files to processes by it and prints where the CPU went.
//
// With --test-isolation=none the tests run in this process, one top-level test at a time, so the
// CPU a file used is the process's CPU (user + system, `process.cpuUsage()`) and that of the child
// processes it waited for (`sprout` commands a test starts; /proc/self/stat on Linux) between each
// of its top-level tests being dequeued and completing. What runs outside a top-level test (loading
// node, tsx and the program, importing the files, the process's last hooks) is `(process)`.
import { readFileSync } from 'node:fs';

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

export default async function* timingReporter(source) {
  const cpu = {};
  const started = new Map();
  for await (const event of source) {
    if (event.data?.nesting !== 0 || !event.data.file) continue;
    const key = `${event.data.file}\0${event.data.name}`;
    if (event.type === 'test:dequeue') started.set(key, cpuMilliseconds());
    else if (event.type === 'test:complete' && started.has(key)) {
      cpu[event.data.file] = (cpu[event.data.file] ?? 0) + cpuMilliseconds() - started.get(key);
      started.delete(key);
    }
  }
  const total = cpuMilliseconds();
  cpu['(process)'] = total - Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
  yield `${JSON.stringify({ cpu, totalCpu: total })}\n`;
}
