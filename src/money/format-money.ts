/**
 * Formats fen as a plain decimal yuan string with exactly two decimals: the inverse of
 * `parseMoney`. No grouping or currency sign, so the output is safe in JSON, CSV and URLs.
 *
 * @example
 * formatMoney(123456n); // "1234.56"
 * formatMoney(-5n);     // "-0.05"
 * formatMoney(0n);      // "0.00"
 */
export function formatMoney(m: bigint): string {
  const negative = m < 0n;
  const abs = negative ? -m : m;
  const fen = abs % 100n;
  // Two-digit fen without padStart: this runs once per cell of every schedule rendered.
  const fenText = fen < 10n ? `0${fen}` : `${fen}`;
  return `${negative ? '-' : ''}${abs / 100n}.${fenText}`;
}
