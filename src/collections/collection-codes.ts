/**
 * The closed lists of collections (催收): how a borrower was contacted, what came of it, what a
 * promise to pay became, and the steps a case can take. Published as enums through
 * src/http/api-codes.ts; the web app has a Chinese and an English text for each.
 */

/** How the borrower was contacted: a call (电话催收), a visit (上门催收), a letter (催收函). */
export const CONTACT_CHANNELS = ['call', 'visit', 'letter'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/**
 * What came of a contact. `promise-made` goes with a promise to pay recorded with it;
 * `letter-sent` is the outcome of a letter (nobody answers a letter on the day).
 */
export const CONTACT_OUTCOMES = ['reached', 'promise-made', 'no-answer', 'refused', 'disputed', 'wrong-contact', 'letter-sent'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** A promise to pay (还款承诺): open until end of day finds it kept or broken. */
export const PROMISE_STATUSES = ['open', 'kept', 'broken'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/**
 * A step on a collections case: a follow-up for the collector, an escalation to the risk officer,
 * or a legal action (起诉 / 支付令 / 仲裁, recorded with its reference). Restructuring and write-off
 * are not steps here: they are the servicing actions of the staff loan page, and the enterprise
 * timeline shows them when they happen.
 */
export const COLLECTION_STEP_KINDS = ['follow-up', 'escalation', 'legal-action'] as const;
export type CollectionStepKind = (typeof COLLECTION_STEP_KINDS)[number];

/** Why a step exists: end of day raised it on a broken promise, or a person recorded it. */
export const COLLECTION_STEP_REASONS = ['promise-broken', 'staff'] as const;
export type CollectionStepReason = (typeof COLLECTION_STEP_REASONS)[number];

export const COLLECTION_STEP_STATUSES = ['open', 'done'] as const;
export type CollectionStepStatus = (typeof COLLECTION_STEP_STATUSES)[number];
