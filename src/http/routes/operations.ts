/**
 * Operations over HTTP: the business date and end of day. With PGlite the server owns the data
 * directory, so this is how an operator closes the day while it runs.
 */
import { Type } from '@sinclair/typebox';
import { runEod } from '../../eod/index.js';
import { eodRunnerStatus } from '../../eod/eod-scheduler.js';
import { formatMoney } from '../../money/format-money.js';
import { getBusinessDate } from '../../system/business-date.js';
import type { DataProvider } from '../../data/data-provider.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { anyUser, caller, roles } from '../access.js';
import { BusinessDateText } from './date-schemas.js';

export function operationsRoutes(app: TypedApp, context: AppContext, options: { readonly provider: DataProvider }): void {
  app.get(
    '/v1/business-date',
    {
      config: { access: anyUser },
      schema: { summary: "The system's business date", tags: ['operations'], response: { 200: Type.Object({ businessDate: Type.String() }) } },
    },
    async () => ({ businessDate: await getBusinessDate(context.db) }),
  );

  app.get(
    '/v1/eod/runner',
    {
      config: { access: roles('operator', 'admin', 'auditor') },
      schema: {
        summary: 'The scheduled end of day: who holds the runner lease and the last run\'s outcome',
        description: 'Set by `sprout serve --eod-at HH:MM`; one server runs end of day however many share the database. lastOutcome is null before the first scheduled run.',
        tags: ['operations'],
        response: {
          200: Type.Object({
            businessDate: Type.String(),
            holder: Type.Union([Type.String(), Type.Null()]),
            leaseUntil: Type.Union([Type.String(), Type.Null()]),
            lastStartedAt: Type.Union([Type.String(), Type.Null()]),
            lastFinishedAt: Type.Union([Type.String(), Type.Null()]),
            lastOutcome: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed'), Type.Null()]),
            lastFrom: Type.Union([Type.String(), Type.Null()]),
            lastUntil: Type.Union([Type.String(), Type.Null()]),
            lastDatesClosed: Type.Integer(),
            lastMessage: Type.String(),
          }),
        },
      },
    },
    async () => {
      const status = await eodRunnerStatus(context.db);
      const iso = (date: Date | null) => (date === null ? null : new Date(date).toISOString());
      return { ...status, businessDate: await getBusinessDate(context.db), leaseUntil: iso(status.leaseUntil), lastStartedAt: iso(status.lastStartedAt), lastFinishedAt: iso(status.lastFinishedAt) };
    },
  );

  app.post(
    '/v1/eod/runs',
    {
      config: { access: roles('operator', 'admin') },
      schema: {
        summary: 'Close the current business date (end of day) and advance it',
        description: 'Monitors the borrowers with exposure first (post-lending pulls on their cadence, early warnings and their actions), then accrues interest and penalty, bills what falls due, updates days past due, classification and provisions, posts the ledger. Running a closed date again changes nothing.',
        tags: ['operations'],
        body: Type.Object({ date: Type.Optional(BusinessDateText) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            date: Type.String(),
            businessDate: Type.String(),
            loans: Type.Integer(),
            chunks: Type.Integer(),
            interest: Type.String(),
            penalty: Type.String(),
            debtorReclassified: Type.Integer(),
            alreadyDone: Type.Boolean(),
            seconds: Type.Number(),
          }),
        },
      },
    },
    async (request) => {
      const summary = await runEod(context.db, { date: request.body?.date, createdBy: caller(request).username, monitoring: { provider: options.provider, now: new Date() } });
      return {
        date: summary.date,
        businessDate: summary.businessDate,
        loans: summary.loans,
        chunks: summary.chunks,
        interest: formatMoney(summary.interest),
        penalty: formatMoney(summary.penalty),
        debtorReclassified: summary.debtorReclassified,
        alreadyDone: summary.alreadyDone,
        seconds: summary.seconds,
      };
    },
  );
}
