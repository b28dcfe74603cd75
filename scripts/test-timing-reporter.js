// A node:test reporter that writes, as JSON, how long each test file's top-level tests took
// (milliseconds, summed): scripts/run-tests.js deals files to processes by these times.
export default async function* timingReporter(source) {
  const byFile = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      byFile[event.data.file] = (byFile[event.data.file] ?? 0) + (event.data.details?.duration_ms ?? 0);
    }
  }
  yield `${JSON.stringify(byFile)}\n`;
}
