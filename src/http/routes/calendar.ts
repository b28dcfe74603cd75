/**
 * The holiday calendar (src/system/holiday-calendar.ts): a year's public holidays and make-up
 * working days for staff, and a calendar file proposed for loading, in force when a second person
 * approves the `calendar.load` request (`sprout calendar load` does the same from the console).
 */
import { Type } from '@sinclair/typebox';
import type { Role } from '../../auth/roles.js';
import { inTransaction } from '../../db/transaction.js';
import { calendarYear, proposeCalendarLoad } from '../../system/holiday-calendar.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { ApprovalRequestSchema } from './approvals.js';

const READERS: Role[] = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'];

export function calendarRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/calendar/:year',
    {
      config: { access: roles(...READERS) },
      schema: {
        summary: "One year's public holidays and make-up working days (empty: no calendar loaded, only weekends rest)",
        tags: ['operations'],
        params: Type.Object({ year: Type.String({ pattern: '^[0-9]{4}$' }) }),
        response: {
          200: Type.Object({
            year: Type.Integer(),
            days: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), working: Type.Boolean({ description: 'true: a make-up working day on a weekend; false: a public holiday' }), name: Type.String() })),
          }),
        },
      },
    },
    async (request) => {
      const year = Number(request.params.year);
      const days = await calendarYear(db, year);
      return { year, days: days.map((d) => ({ day: d.day, working: d.working, name: d.name })) };
    },
  );

  app.post(
    '/v1/calendar',
    {
      config: { access: roles('operator', 'admin') },
      schema: {
        summary: 'Propose loading a calendar file (CSV day,kind,name); the years it covers are replaced when a second person approves the calendar.load request (202)',
        tags: ['operations'],
        body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
        response: { 202: ApprovalRequestSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await inTransaction(db, (trx) => proposeCalendarLoad(trx, request.body.csv, caller(request)))),
  );
}
