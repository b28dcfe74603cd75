/**
 * The closed lists of secured and guaranteed lending (抵质押与保证): collateral types, statuses,
 * valuation methods, guarantor kinds and guarantee types. The API publishes each as an enum and
 * the web app has a Chinese and an English text for every member.
 */

/**
 * Collateral types (押品类型), as seed 001 §3.1.1c names them with its "expanded collateral types":
 * residential and commercial real estate, land use rights, plant, equipment and vehicles,
 * inventory, receivables, deposits and certificates, equity, intellectual property.
 */
export const COLLATERAL_TYPES = [
  'residential-real-estate',
  'commercial-real-estate',
  'land-use-right',
  'plant',
  'equipment-vehicles',
  'inventory',
  'receivables',
  'deposits-certificates',
  'equity',
  'intellectual-property',
] as const;
export type CollateralType = (typeof COLLATERAL_TYPES)[number];

/** Who owns the collateral: the borrower itself or a third party (第三方抵押). */
export const COLLATERAL_OWNERS = ['borrower', 'third-party'] as const;
export type CollateralOwner = (typeof COLLATERAL_OWNERS)[number];

/**
 * A piece of collateral is `pending` until its pledge or mortgage is registered (登记) with the
 * authority, `registered` (held: on the memo ledger) after, and `released` (解押) for good once
 * everything it secured is repaid and closed, by maker-checker.
 */
export const COLLATERAL_STATUSES = ['pending', 'registered', 'released'] as const;
export type CollateralStatus = (typeof COLLATERAL_STATUSES)[number];

/** How a value was found: an appraiser's report, a market index applied to the last value, the book value. */
export const VALUATION_METHODS = ['appraisal', 'market-index', 'book-value'] as const;
export type ValuationMethod = (typeof VALUATION_METHODS)[number];

/** A guarantor is a guarantee company (融资担保公司) or a natural person (自然人保证). */
export const GUARANTOR_KINDS = ['company', 'person'] as const;
export type GuarantorKind = (typeof GUARANTOR_KINDS)[number];

/**
 * Joint and several (连带责任保证): the bank may call the guarantor as soon as the borrower
 * defaults. General (一般保证): the guarantor may first insist the bank enforce against the
 * borrower (先诉抗辩权, 民法典 art. 687), so it is called only once enforcement has failed.
 */
export const GUARANTEE_TYPES = ['joint-and-several', 'general'] as const;
export type GuaranteeType = (typeof GUARANTEE_TYPES)[number];

/** A guarantee is `held`, `called` on a default, `released` when the line closes. */
export const GUARANTEE_STATUSES = ['held', 'called', 'released'] as const;
export type GuaranteeStatus = (typeof GUARANTEE_STATUSES)[number];

/** What tells an officer the security stopped covering the credit, for monitoring to read. */
export const SECURITY_EVENT_KINDS = ['ltv-over-maximum'] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

/**
 * A guarantor's standing from its own data (担保人信息核查): `unchecked` until its data is pulled,
 * `clear`, or `adverse` — on the dishonest-debtor list (失信被执行人) or a defendant in a pending
 * court case. An adverse guarantor's guarantees add nothing to a decision's limit or to
 * classification (src/collateral/guarantor-data.ts).
 */
export const GUARANTOR_STANDINGS = ['unchecked', 'clear', 'adverse'] as const;
export type GuarantorStanding = (typeof GUARANTOR_STANDINGS)[number];
