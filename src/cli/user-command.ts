/**
 * `sprout user create`: make a user, e.g. the first administrator of a new deployment;
 * `sprout user bind`: bind a borrower to an enterprise at the shell; `sprout user unlock`: forget
 * a login's failed attempts.
 */
import { Command, Option } from 'commander';
import { bindBorrower, createUser, unlockUser } from '../auth/users.js';
import { inTransaction } from '../db/transaction.js';
import { ROLES } from '../auth/roles.js';
import { openCommandDatabase } from './command-database.js';
import { ValidationError } from '../errors.js';
import { formatMoney, parseMoney } from '../money/index.js';
import { runCommand } from './run-command.js';
import { cliIo } from './io.js';

interface CreateFlags {
  username: string;
  name?: string;
  role: string;
  approvalLimit?: string;
  enterprise?: string;
  dataDir?: string;
  format: string;
}

interface BindFlags {
  username: string;
  enterprise: string;
  dataDir?: string;
}

export function userCommand(): Command {
  const user = new Command('user').description('manage users');
  user
    .command('create')
    .description('create a user; the password is read from the SPROUT_PASSWORD environment variable')
    .requiredOption('--username <NAME>', 'login name')
    .option('--name <TEXT>', 'display name (default: the username)')
    .addOption(new Option('--role <ROLE>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--approval-limit <YUAN>', 'approval authority: the largest credit the user may approve alone, e.g. "1000000.00" (default: none)')
    .option('--enterprise <ID>', 'for a borrower: the enterprise it may see and act for (add more with `user bind`)')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      runCommand(async (flags: CreateFlags) => {
        // The password never goes on the command line, where `ps` and shell history would show it.
        const password = cliIo().env.SPROUT_PASSWORD;
        if (password === undefined) throw new ValidationError('SPROUT_PASSWORD', 'set the new user\'s password in this environment variable');
        const approvalLimit = flags.approvalLimit === undefined ? null : parseMoney(flags.approvalLimit, 'approval-limit');
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const created = await createUser(database.db, { username: flags.username, displayName: flags.name ?? flags.username, role: flags.role, password, approvalLimit, enterpriseId: flags.enterprise }, 'cli');
          const authority = approvalLimit === null ? null : formatMoney(approvalLimit);
          cliIo().stdout.write(flags.format === 'json' ? `${JSON.stringify({ ...created, approvalLimit: authority })}\n` : `created ${created.role} ${created.username} (${created.id})${authority === null ? '' : `, approval authority ${authority}`}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  user
    .command('bind')
    .description('bind a borrower to one more enterprise it may see and act for')
    .requiredOption('--username <NAME>', 'the borrower')
    .requiredOption('--enterprise <ID>', 'the enterprise id')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (flags: BindFlags) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const bound = await inTransaction(database.db, (trx) => bindBorrower(trx, flags.username, flags.enterprise, 'cli', '--username'));
          cliIo().stdout.write(`${flags.username} may act for ${bound.length} enterprise(s): ${bound.join(', ')}\n`);
        } finally {
          await database.close();
        }
      }),
    );
  user
    .command('unlock')
    .description('unlock a login: forget its failed logins on every address (lock-outs are per username and address)')
    .requiredOption('--username <NAME>', 'the login to unlock')
    .option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set')
    .action(
      runCommand(async (flags: { username: string; dataDir?: string }) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const cleared = await unlockUser(database.db, flags.username, 'cli');
          cliIo().stdout.write(`unlocked ${flags.username}: failed logins forgotten on ${cleared} address(es)\n`);
        } finally {
          await database.close();
        }
      }),
    );
  return user;
}
