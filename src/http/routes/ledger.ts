/**
 * The general ledger, read-only: trial balance and the sub-ledger reconciliation.
 */
import { Type } from '@sinclair/typebox';
import { parseBusinessDate } from '../../calendar/business-date.js';
import { reconcile } from '../../ledger/reconcile.js';
import { trialBalance } from '../../ledger/trial-balance.js';
import { formatMoney } from '../../money/format-money.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { MANUAL_ENTRY } from '../../approvals/checked-actions.js';
import { makeRequest } from '../../approvals/maker-checker.js';
import { parseManualEntry } from '../../ledger/manual-entry.js';
import { once } from '../../servicing/idempotency.js';
import { uuidv7 } from '../../ids.js';
import { ApprovalRequestSchema } from './approvals.js';
import { IdempotencyHeaders } from './servicing-schemas.js';
import { BusinessDateQuery } from './date-schemas.js';

const LEDGER_READERS = roles('risk-officer', 'management', 'operator', 'auditor', 'admin');

export function ledgerRoutes(app: TypedApp, context: AppContext): void {
  app.post(
    '/v1/ledger/entries',
    {
      config: { access: roles(...MANUAL_ENTRY.makers) },
      schema: {
        summary: 'Request a manual journal entry; it is posted when an administrator approves it',
        tags: ['ledger'],
        headers: IdempotencyHeaders,
        body: Type.Object(
          {
            description: Type.String({ minLength: 5, maxLength: 500 }),
            lines: Type.Array(
              Type.Object({ account: Type.String({ maxLength: 64 }), amount: Type.String({ pattern: '^-?[0-9]{1,13}(\\.[0-9]{1,2})?$' }) }, { additionalProperties: false }),
              { minItems: 2, maxItems: 20 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      const made = await once(context.db, 'manual-entry', user.id, request.headers['idempotency-key'], request.body, async (trx) => {
        parseManualEntry(request.body);
        return makeRequest(trx, MANUAL_ENTRY, uuidv7(), request.body, user);
      });
      return reply.status(202).send(made);
    },
  );

  app.get(
    '/v1/ledger/trial-balance',
    {
      config: { access: LEDGER_READERS },
      schema: {
        summary: 'Trial balance as of a business date (all entries when no date)',
        tags: ['ledger'],
        querystring: BusinessDateQuery,
        response: {
          200: Type.Object({
            asOf: Type.Union([Type.String(), Type.Null()]),
            balanced: Type.Boolean(),
            totalDebit: Type.String(),
            totalCredit: Type.String(),
            accounts: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameZh: Type.String(), type: Type.String(), purpose: Type.String(), balance: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      const tb = await trialBalance(context.db, request.query.date === undefined ? null : parseBusinessDate(request.query.date, 'date'));
      return {
        asOf: tb.asOf,
        balanced: tb.balanced,
        totalDebit: formatMoney(tb.totalDebit),
        totalCredit: formatMoney(tb.totalCredit),
        accounts: tb.rows.map((row) => ({ ...row, balance: formatMoney(row.balance) })),
      };
    },
  );

  app.get(
    '/v1/ledger/reconciliation',
    {
      config: { access: LEDGER_READERS },
      schema: {
        summary: 'The loan sub-ledger against the general ledger',
        tags: ['ledger'],
        response: {
          200: Type.Object({
            balanced: Type.Boolean(),
            lines: Type.Array(Type.Object({ purpose: Type.String(), subLedger: Type.String(), generalLedger: Type.String(), difference: Type.String() })),
          }),
        },
      },
    },
    async () => {
      const result = await reconcile(context.db);
      return {
        balanced: result.balanced,
        lines: result.lines.map((line) => ({ purpose: line.purpose, subLedger: formatMoney(line.subLedger), generalLedger: formatMoney(line.generalLedger), difference: formatMoney(line.difference) })),
      };
    },
  );
}
