/**
 * The closed lists of supply-chain finance (供应链金融). Published as enums through
 * src/http/api-codes.ts; the web app has a Chinese and an English text for each.
 */

/** Who pays the financing's interest: the supplier (from its proceeds) or the core enterprise (on top of the face amount). */
export const INTEREST_PAYERS = ['supplier', 'core-enterprise'] as const;
export type InterestPayer = (typeof INTEREST_PAYERS)[number];

/** When interest is taken: deducted from the advance at the outset (贴现, 前收息) or paid at maturity (后收息). */
export const INTEREST_TIMINGS = ['discounted', 'at-maturity'] as const;
export type InterestTiming = (typeof INTEREST_TIMINGS)[number];

/** A programme finances new certificates only while active. */
export const PROGRAMME_STATUSES = ['active', 'suspended'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

/** A receivable is registered by its seller, confirmed (确权) or rejected by the core enterprise, and paid at maturity. */
export const RECEIVABLE_STATUSES = ['registered', 'confirmed', 'rejected', 'paid'] as const;
export type ReceivableStatus = (typeof RECEIVABLE_STATUSES)[number];

/**
 * A certificate is `held` until it is split into parts, transferred to a new holder (each makes
 * new certificates and retires this one), financed, or paid at maturity. Only a `held`
 * certificate can be split, transferred or financed: that single state is what makes a double
 * transfer or a double financing impossible.
 */
export const CERTIFICATE_STATUSES = ['held', 'split', 'transferred', 'financed', 'paid'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** Credit notes and returns reduce what the core enterprise owes; a dispute stops financing until resolved. */
export const DILUTION_KINDS = ['credit-note', 'return', 'dispute', 'dispute-resolved'] as const;
export type DilutionKind = (typeof DILUTION_KINDS)[number];

/** What a dilution did: reduced the confirmed amount, raised a warning (too late to reduce), blocked or cleared financing. */
export const DILUTION_EFFECTS = ['reduced', 'warning', 'blocked', 'cleared'] as const;
export type DilutionEffect = (typeof DILUTION_EFFECTS)[number];

/** A financing is active until paid; overdue when the core enterprise has not paid by the due date. */
export const FINANCING_STATUSES = ['active', 'overdue', 'settled'] as const;
export type FinancingStatus = (typeof FINANCING_STATUSES)[number];
