/**
 * What Sprout tells people (通知), and whom: the borrower (a reminder before a due date, an
 * overdue notice, the decision on an application, a receipt for each drawdown and repayment) or
 * the bank's staff (an early warning raised on a borrower). Each notice is a row of the outbox
 * (`outbox.ts`) with the figures its texts are made from (`notice-texts.ts`).
 */

export const NOTICE_KINDS = ['due-reminder', 'overdue', 'decision', 'drawdown-receipt', 'repayment-receipt', 'warning'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_AUDIENCES = ['borrower', 'staff'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];

/** `pending`: not yet delivered by every channel (retried with backoff); `failed`: gave up after MAX_ATTEMPTS. */
export const NOTICE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** Whom each kind is for: warnings are the bank's business, not the borrower's. */
export const NOTICE_AUDIENCE: Readonly<Record<NoticeKind, NoticeAudience>> = {
  'due-reminder': 'borrower',
  overdue: 'borrower',
  decision: 'borrower',
  'drawdown-receipt': 'borrower',
  'repayment-receipt': 'borrower',
  warning: 'staff',
};
