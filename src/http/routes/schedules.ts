/**
 * `POST /v1/schedules`: a repayment-schedule preview. Nothing is stored; the same engine and the
 * same validation as `sprout schedule`.
 */
import { Type } from '@sinclair/typebox';
import { buildSchedule, parseScheduleRequest, scheduleToJson } from '../../schedule/index.js';
import type { TypedApp } from '../app-context.js';
import { anyUser } from '../access.js';
import { ScheduleSchema } from './servicing-schemas.js';
import { BusinessDateText } from './date-schemas.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const Amount = Type.String({ pattern: '^[0-9]{1,13}(\\.[0-9]{1,2})?$', description: 'yuan as a decimal string, e.g. "5000.00"' });
const Count = Type.Integer({ minimum: 0, maximum: 3650 });
const IsoDate = BusinessDateText;

/** The request body; field names match the `sprout schedule` flags in camelCase. */
export const ScheduleRequestSchema = Type.Object(
  {
    principal: Amount,
    rate: Type.String({ pattern: '^[0-9]{1,4}(\\.[0-9]{1,6})?$', description: 'percent per year, e.g. "4.35"' }),
    periods: Type.Integer({ minimum: 1, maximum: 1200 }),
    every: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    unit: Type.Optional(literals(['days', 'weeks', 'months'])),
    method: Type.Optional(literals(['equal-installments', 'equal-principal', 'interest-only', 'bullet'])),
    interest: Type.Optional(literals(['declining-balance', 'flat'])),
    interestPeriod: Type.Optional(literals(['daily', 'same-as-repayment'])),
    daysInYear: Type.Optional(literals(['actual', '360', '364', '365'])),
    daysInMonth: Type.Optional(literals(['actual', '30'])),
    disbursed: IsoDate,
    firstDue: Type.Optional(IsoDate),
    gracePrincipal: Type.Optional(Count),
    graceInterest: Type.Optional(Count),
    installmentMultiple: Type.Optional(Amount),
    rounding: Type.Optional(literals(['half-even', 'half-up'])),
  },
  { additionalProperties: false },
);

export function scheduleRoutes(app: TypedApp): void {
  app.post(
    '/v1/schedules',
    {
      config: { access: anyUser },
      schema: {
        summary: 'Preview a repayment schedule (nothing is stored)',
        tags: ['schedules'],
        body: ScheduleRequestSchema,
        response: { 200: ScheduleSchema },
      },
    },
    async (request) => scheduleToJson(buildSchedule(parseScheduleRequest(request.body))),
  );
}
