/**
 * What the commands that propose an action under maker-checker share: the maker or checker named
 * by `--by`, and the `approve REQUEST --by USER` subcommand that confirms a request of one kind
 * as `POST /v1/approvals/{id}` does — never by its maker.
 */
import { Command, Option } from 'commander';
import type { Kysely } from 'kysely';
import { CHECKED_ACTIONS } from '../approvals/checked-actions.js';
import { decideRequest, type Actor, type ApprovalKind } from '../approvals/maker-checker.js';
import { openCommandDatabase } from './command-database.js';
import type { Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { NotFoundError } from '../errors.js';
import { cliIo } from './io.js';
import { runCommand } from './run-command.js';

/** The user named on the command line, as maker-checker sees them. */
export async function cliActor(db: Kysely<Database>, username: string): Promise<Actor> {
  const user = await db.selectFrom('app_user').select(['username', 'role']).where('username', '=', username).executeTakeFirst();
  if (user === undefined) throw new NotFoundError(`user ${username}`);
  return { username: user.username, role: user.role };
}

/**
 * `approve <REQUEST> --by <USER>` for requests of `kind`.
 *
 * @example
 * lpr.addCommand(approveCommand('lpr.fixing', 'confirm a proposed fixing (a different person from the maker)'));
 */
export function approveCommand(kind: ApprovalKind, description: string): Command {
  return new Command('approve')
    .description(description)
    .argument('<REQUEST>', `the ${kind} request id`)
    .requiredOption('--by <USERNAME>', 'the checker')
    .addOption(new Option('--data-dir <DIR>', 'PGlite data directory (default ./data); ignored when DATABASE_URL is set'))
    .action(
      runCommand(async (id: string, flags: { by: string; dataDir?: string }) => {
        const database = await openCommandDatabase(flags.dataDir);
        try {
          const checker = await cliActor(database.db, flags.by);
          const request = await database.db.selectFrom('approval_request').select('kind').where('id', '=', id).executeTakeFirst();
          if (request?.kind !== kind) throw new NotFoundError(`${kind} request ${id}`);
          const decided = await inTransaction(database.db, (trx) => decideRequest(trx, CHECKED_ACTIONS, id, 'approve', checker));
          cliIo().stdout.write(`approved: ${JSON.stringify(decided.result)}\n`);
        } finally {
          await database.close();
        }
      }),
    );
}
