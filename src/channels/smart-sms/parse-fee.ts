/**
 * The smart-SMS parse fee (DOMAIN.md §1): charged only for messages the handset rendered as a card,
 * counted from the provider's aggregate report (it never says which numbers parsed), on top of the
 * text fee each message pays per part. Pure; the ledger debit is the caller's.
 */

/**
 * Parse fee in milli-yuan for `stats.parsed` parses at `pricePerParseMillis` each. Charge the
 * increase since the last charge (SmartSmsService.settleParseFees hands out exactly that), not a
 * running total again.
 */
export function parseFeeFor(stats: { readonly parsed: number }, pricePerParseMillis: number): number {
  if (!Number.isInteger(stats.parsed) || stats.parsed < 0) throw new RangeError(`parsed must be a non-negative integer, got ${stats.parsed}`);
  if (!Number.isInteger(pricePerParseMillis) || pricePerParseMillis < 0) throw new RangeError(`pricePerParseMillis must be a non-negative integer, got ${pricePerParseMillis}`);
  return stats.parsed * pricePerParseMillis;
}
