/**
 * The `sprout` command line: one binary for operators and analysts. Each command lives in its
 * own `*-command.ts` and calls the same domain code the API calls; program.ts puts them together.
 */
import { PROCESS_IO } from './io.js';
import { runSprout } from './program.js';

process.exitCode = await runSprout(process.argv.slice(2), PROCESS_IO);
