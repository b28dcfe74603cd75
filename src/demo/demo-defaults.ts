/**
 * The demo book's defaults, in a file of their own so that the commands showing them in their help
 * (`sprout serve`, `sprout demo`) do not load the demo's generator to do so.
 */

/** The seed `sprout serve` and the API's simulated provider use. */
export const DEMO_SEED = 2025;
/** Enterprises in the demo book `sprout serve --mode demo` fills on an empty database. */
export const DEFAULT_DEMO_ENTERPRISES = 2000;
/** Months of history the demo book lives through. */
export const DEFAULT_DEMO_MONTHS = 6;
