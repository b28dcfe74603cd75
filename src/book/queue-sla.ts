/**
 * How long a referred application may wait for a person (the queue's service level), as dated,
 * versioned configuration: the bank sets it, the queue flags what has waited longer.
 */
import { daysBetween, type BusinessDate } from '../calendar/index.js';

export interface QueueSla {
  readonly version: string;
  /** Calendar days a referral may wait for its review before it is flagged. */
  readonly referredDays: number;
  /** Days an approval may wait for the second approver's confirmation. */
  readonly confirmationDays: number;
}

/** The credit-factory promise (信贷工厂): a person looks at a referral within three days. */
export const DEFAULT_QUEUE_SLA: QueueSla = { version: 'queue-sla-2026-12', referredDays: 3, confirmationDays: 1 };

/** Days an application has waited in its state, counted from its business date (calendar days). */
export function ageInDays(since: BusinessDate, today: BusinessDate): number {
  return Math.max(0, daysBetween(since, today));
}

/** The days an application in `status` may wait; null for statuses that wait for no one at the bank. */
export function slaDaysFor(sla: QueueSla, status: string): number | null {
  if (status === 'referred') return sla.referredDays;
  if (status === 'pending-confirmation') return sla.confirmationDays;
  return null;
}
