/**
 * Notices over HTTP (src/notifications/): staff list the outbox with each notice's delivery status;
 * a borrower reads its own notices (never staff ones, such as warnings about it).
 */
import { Type } from '@sinclair/typebox';
import { NOTICE_AUDIENCES, NOTICE_KINDS, NOTICE_STATUSES } from '../../notifications/notice-kinds.js';
import { listNotices, type NoticeView } from '../../notifications/outbox.js';
import type { AppContext, TypedApp } from '../app-context.js';
import { caller, roles } from '../access.js';
import { literals } from '../api-codes.js';
import { assertCanSee, IdParams } from './servicing-schemas.js';

const STAFF = ['account-manager', 'credit-approver', 'risk-officer', 'management', 'operator', 'auditor', 'admin'] as const;
// Query values are text and never coerced (src/http/app.ts): a limit is digits.
const Limit = Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'at most this many, 1 to 500 (default 100)' }));
const limitOf = (text: string | undefined): number => Math.min(Number(text ?? '100'), 500);

const Text = Type.Object({ title: Type.String(), body: Type.String() });
const NoticeSchema = Type.Object({
  id: Type.String(),
  kind: literals(NOTICE_KINDS),
  audience: literals(NOTICE_AUDIENCES),
  enterpriseId: Type.String(),
  loanId: Type.Union([Type.String(), Type.Null()]),
  businessDate: Type.String(),
  params: Type.Record(Type.String(), Type.String(), { description: 'the figures the texts name: money as decimal strings, dates YYYY-MM-DD' }),
  texts: Type.Object({ zh: Text, en: Text }),
  status: literals(NOTICE_STATUSES),
  attempts: Type.Integer(),
  delivered: Type.Array(Type.String(), { description: 'the channels that have delivered it' }),
  lastError: Type.String({ description: 'why the last attempt failed, per channel; empty when none did' }),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
});

const noticeJson = (notice: NoticeView) => ({ ...notice, delivered: [...notice.delivered], createdAt: notice.createdAt.toISOString(), sentAt: notice.sentAt === null ? null : notice.sentAt.toISOString() });

export function notificationRoutes(app: TypedApp, context: AppContext): void {
  const { db } = context;

  app.get(
    '/v1/notifications',
    {
      config: { access: roles(...STAFF) },
      schema: {
        summary: 'The notification outbox, newest first, with each notice\'s delivery status (pending, sent, failed), attempts and last error',
        description: 'Notices are written with their events (decisions, drawdowns, repayments, warnings, the nightly reminders and overdue notices) and delivered by the worker in `sprout serve` or `sprout notices deliver` (docs/operations.md, "Notices").',
        tags: ['notifications'],
        querystring: Type.Object(
          {
            status: Type.Optional(literals(NOTICE_STATUSES)),
            kind: Type.Optional(literals(NOTICE_KINDS)),
            audience: Type.Optional(literals(NOTICE_AUDIENCES)),
            enterpriseId: Type.Optional(Type.String({ format: 'uuid' })),
            loanId: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(NoticeSchema) },
      },
    },
    async (request) => {
      const { limit, ...filter } = request.query;
      return (await listNotices(db, { ...filter, limit: limitOf(limit) })).map(noticeJson);
    },
  );

  app.get(
    '/v1/enterprises/:id/notifications',
    {
      config: { access: roles('borrower', ...STAFF) },
      schema: {
        summary: "An enterprise's own notices, newest first: reminders, overdue notices, decisions, receipts (a borrower never sees staff notices)",
        tags: ['notifications'],
        params: IdParams,
        querystring: Type.Object({ limit: Limit }, { additionalProperties: false }),
        response: { 200: Type.Array(NoticeSchema) },
      },
    },
    async (request) => {
      const user = caller(request);
      assertCanSee(user, request.params.id, `enterprise ${request.params.id}`);
      return (await listNotices(db, { enterpriseId: request.params.id, ...(user.role === 'borrower' ? { audience: 'borrower' as const } : {}), limit: limitOf(request.query.limit) })).map(noticeJson);
    },
  );
}
