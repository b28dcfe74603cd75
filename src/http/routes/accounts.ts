/**
 * The enterprise's settlement accounts under a credit line (放款账户, 还款账户): read masked by
 * anyone who may see the line; changed by the borrower itself (audited at once) or proposed by
 * staff for a checker to confirm (`line.account-change`, maker-checker).
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { inTransaction } from '../../db/transaction.js';
import { getCreditLine } from '../../lines/credit-lines.js';
import { lineAccounts, requestAccountChange, setAccount } from '../../lines/settlement-accounts.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ACCOUNT_PURPOSES, literals } from '../api-codes.js';
import { ApprovalRequestSchema } from './approvals.js';
import { AccountInput, AccountSchema, assertCanSee, IdParams } from './servicing-schemas.js';

const VIEWERS: Role[] = ['borrower', 'account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const LineAccountsSchema = Type.Object({
  disbursement: Type.Union([AccountSchema, Type.Null()], { description: 'where drawdowns are paid; null on a line opened before accounts were asked for' }),
  repayment: Type.Union([AccountSchema, Type.Null()], { description: 'what repayments are debited from' }),
});

export function accountRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/lines/:id/accounts',
    {
      config: { access: roles(...VIEWERS) },
      schema: { summary: "The line's disbursement and repayment accounts, numbers masked to the last four digits", tags: ['lines'], params: IdParams, response: { 200: LineAccountsSchema } },
    },
    async (request) => {
      const line = await getCreditLine(db, request.params.id);
      assertCanSee(caller(request), line.enterpriseId, `credit line ${line.id}`);
      return lineAccounts(db, line.id);
    },
  );

  app.put(
    '/v1/lines/:id/accounts/:purpose',
    {
      config: { access: roles('borrower', 'account-manager', 'operator', 'admin') },
      schema: {
        summary: 'Change the disbursement or repayment account: the borrower at once (200, audited); staff propose it for a checker (202 with the line.account-change request)',
        description: 'The account must be the enterprise\'s own: its name is the registered name, not typed. Drawdowns and repayments after the change go through the new account; those before keep the one they went through.',
        tags: ['lines'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }), purpose: literals(ACCOUNT_PURPOSES) }),
        body: Type.Object({ ...AccountInput.properties, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: "staff: why (the borrower's written request, say); required of staff" })) }, { additionalProperties: false }),
        response: { 200: AccountSchema, 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const line = await getCreditLine(db, request.params.id);
      assertCanSee(user, line.enterpriseId, `credit line ${line.id}`);
      const { reason, ...account } = request.body;
      if (user.role === 'borrower') return reply.status(200).send(await inTransaction(db, (trx) => setAccount(trx, line.id, request.params.purpose, account, user.username, context.now())));
      return reply.status(202).send(await inTransaction(db, (trx) => requestAccountChange(trx, { ...account, lineId: line.id, purpose: request.params.purpose, reason: reason ?? '' }, user)));
    },
  );
}
