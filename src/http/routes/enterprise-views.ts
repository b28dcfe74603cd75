/**
 * One enterprise seen whole: its power, water and tax by month (for the charts of the officer
 * console and the borrower portal), and its history from the audit trail (staff only).
 */
import { Type } from '@sinclair/typebox';
import { enterpriseDataSeries, enterpriseHistory } from '../../enterprises/enterprise-views.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { personalDataFor } from '../../auth/masking.js';
import { assertCanSee, IdParams } from './servicing-schemas.js';

const STAFF = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'] as const;

export function enterpriseViewRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/enterprises/:id/data-series',
    {
      config: { access: roles('borrower', ...STAFF) },
      schema: {
        summary: 'Monthly electricity (kWh), water (tonnes), invoiced sales and tax paid from the latest data pull, oldest month first',
        tags: ['enterprises'],
        params: IdParams,
        response: {
          200: Type.Object({
            months: Type.Array(Type.String()),
            electricityKwh: Type.Array(Type.Number()),
            waterTonnes: Type.Array(Type.Number()),
            invoicedSales: Type.Array(Type.String()),
            taxPaid: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      assertCanSee(caller(request), request.params.id, `enterprise ${request.params.id}`);
      return enterpriseDataSeries(db, request.params.id);
    },
  );

  app.get(
    '/v1/enterprises/:id/history',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'Audit events about the enterprise and its authorisations, data pulls, applications, lines and loans, newest business date first (at most 200)',
        tags: ['enterprises'],
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({ id: Type.String(), at: Type.String(), businessDate: Type.Union([Type.String(), Type.Null()], { description: 'the business date the event belongs to' }), actor: Type.String(), action: Type.String(), entityType: Type.String(), entityId: Type.String(), after: Type.Unknown() }),
          ),
        },
      },
    },
    async (request) => {
      const { role } = caller(request);
      return (await enterpriseHistory(db, request.params.id)).map((event) => ({ ...event, after: personalDataFor(role, event.after) }));
    },
  );
}
