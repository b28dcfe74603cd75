/**
 * The LPR table (贷款市场报价利率): read by staff; a new fixing proposed by an operator, a risk
 * officer or an admin and in force once another confirms it (`lpr.fixing`, maker-checker).
 * Floating-rate loans reprice to it on their repricing dates (src/servicing/repricing.ts).
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { inTransaction } from '../../db/transaction.js';
import { listLprFixings, proposeLprFixing } from '../../servicing/lpr-fixings.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ApprovalRequestSchema } from './approvals.js';

const READERS: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

const Tenor = Type.Union([Type.Literal('1y'), Type.Literal('5y')], { description: '1-year or 5-year LPR' });
const FixingSchema = Type.Object({
  tenor: Tenor,
  effectiveFrom: Type.String({ format: 'date', description: 'in force from this date (the fixing is published on the 20th)' }),
  rate: Type.String({ pattern: '^[0-9]{1,2}\\.[0-9]{2}$', description: 'percent per year, "3.00"' }),
});

export function lprRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/lpr',
    {
      config: { access: roles(...READERS) },
      schema: { summary: 'The LPR table, newest first', tags: ['products'], response: { 200: Type.Object({ fixings: Type.Array(FixingSchema) }) } },
    },
    async () => ({ fixings: await listLprFixings(db) }),
  );

  app.post(
    '/v1/lpr',
    {
      config: { access: roles('operator', 'risk-officer', 'admin') },
      schema: {
        summary: 'Propose a new LPR fixing; in force when a second person approves the lpr.fixing request (202)',
        tags: ['products'],
        body: Type.Object(
          { tenor: Tenor, effectiveFrom: Type.String({ format: 'date', maxLength: 10 }), rate: Type.String({ minLength: 1, maxLength: 5, description: 'percent per year, at most two decimals: "2.90"' }) },
          { additionalProperties: false },
        ),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await inTransaction(db, (trx) => proposeLprFixing(trx, request.body, caller(request)))),
  );
}
