/**
 * Proposing new products and changes to products. Neither takes effect here: each becomes a
 * `product.change` request that a different person confirms with `POST /v1/approvals/{id}/decision`.
 */
import { Type } from '@sinclair/typebox';
import { makeRequest, type Actor } from '../../approvals/maker-checker.js';
import { PRODUCT_CHANGE } from '../../approvals/checked-actions.js';
import { inTransaction } from '../../db/transaction.js';
import { checkProductChange, type ProductChange } from '../../products/product-changes.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ApprovalRequestSchema } from './approvals.js';
import { AmountInput } from './servicing-schemas.js';

const MAKERS = roles(...PRODUCT_CHANGE.makers);

const Terms = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'the Chinese name, the one in the contract' }),
  minAmount: AmountInput,
  maxAmount: AmountInput,
  minTermDays: Type.Integer({ minimum: 1, maximum: 1096 }),
  maxTermDays: Type.Integer({ minimum: 1, maximum: 1096 }),
  spread: Type.String({ pattern: '^[0-9](\\.[0-9]{1,4})?$', description: 'percentage points over the LPR, e.g. "1.35"' }),
  penaltyMultiplier: Type.String({ pattern: '^[0-9](\\.[0-9]{1,2})?$', description: 'overdue rate ÷ contract rate, "1.3" to "1.5"' }),
  compoundOverdueInterest: Type.Boolean(),
};
/** Optional on a new product (the kind's default, 30 days) and on a change. */
const RenewalWindow = { renewalWindowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'days before maturity from which a renewal (续贷) may be asked for; 30 by default' })) };

export function productRoutes(app: TypedApp, context: AppContext): void {
  const propose = (change: ProductChange, subject: string, maker: Actor) =>
    inTransaction(context.db, async (trx) => {
      // Checked now so the maker hears of a mistake at once, and again when confirmed.
      await checkProductChange(trx, change);
      return makeRequest(trx, PRODUCT_CHANGE, subject, change, maker);
    });

  app.post(
    '/v1/products',
    {
      config: { access: MAKERS },
      schema: {
        summary: 'Propose a new product: 202 with the product.change request another person confirms',
        tags: ['products'],
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' }),
            kind: Type.Union([Type.Literal('revolving-line'), Type.Literal('short-term'), Type.Literal('term-loan')]),
            workingCapital: Type.Boolean(),
            lprTenor: Type.Union([Type.Literal('1y'), Type.Literal('5y')]),
            daysInYear: Type.Optional(Type.Union([Type.Literal(360), Type.Literal(365)])),
            allocationOrder: Type.Optional(Type.Array(Type.Union([Type.Literal('penalty'), Type.Literal('interest'), Type.Literal('principal')]), { minItems: 3, maxItems: 3, uniqueItems: true })),
            restDayInterest: Type.Optional(Type.Union([Type.Literal('to-due-date'), Type.Literal('to-payment-date')], { description: 'a due date on a rest day: interest to the contractual date (default) or to the next working day it moves to' })),
            allows: Type.Optional(
              Type.Array(Type.Union([Type.Literal('frequency'), Type.Literal('grace'), Type.Literal('flat-interest'), Type.Literal('installment-rounding'), Type.Literal('floating-rate')]), {
                maxItems: 5,
                description: "the schedule engine's options its loans may take beyond monthly installments at a fixed rate: another frequency, grace periods, flat interest, a rounded installment, a floating rate (LPR + spread)",
              }),
            ),
            ...Terms,
            ...RenewalWindow,
            nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the English name; the Chinese name when left out' })),
          },
          { additionalProperties: false },
        ),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      return reply.status(202).send(await propose({ action: 'create', product: request.body }, request.body.code, user));
    },
  );

  app.patch(
    '/v1/products/:code',
    {
      config: { access: MAKERS },
      schema: {
        summary: "Propose a change to a product's terms (new lines and loans only): 202 with the product.change request another person confirms",
        tags: ['products'],
        params: Type.Object({ code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' }) }),
        body: Type.Partial(Type.Object({ ...Terms, renewalWindowDays: Type.Integer({ minimum: 1, maximum: 365 }), nameEn: Type.String({ minLength: 1, maxLength: 200 }), status: Type.Union([Type.Literal('active'), Type.Literal('retired')]) }), { additionalProperties: false, minProperties: 1 }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => {
      const user = caller(request);
      return reply.status(202).send(await propose({ action: 'update', code: request.params.code, terms: request.body }, request.params.code, user));
    },
  );
}
