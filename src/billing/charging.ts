/**
 * What a message costs under each charging mode (DOMAIN.md §3). Pure: settlement feeds it a
 * message's part outcomes and the amount debited at submit, and refunds the difference.
 *
 * Every part is billed on its own. Outcome of a part = its latest attempt (a resend on another
 * channel supersedes the first try).
 */
import type { ChargingMode } from '../accounts/account.js';

/**
 * Per-message part counts. Invariants: delivered + failed + unknown <= parts (the rest never left
 * the platform: blocked by a check, or never submitted), delivered + unknown <= submittedOk.
 */
export interface PartOutcomes {
  /** Parts debited at acceptance. */
  parts: number;
  /** Parts the upstream accepted at submit (submit_sm_resp OK). */
  submittedOk: number;
  /** Parts with a DELIVRD receipt. */
  delivered: number;
  /** Parts that failed for good: rejected by the upstream at submit, or a non-DELIVRD final receipt. */
  failed: number;
  /** Parts accepted by the upstream with no final receipt (yet). */
  unknown: number;
}

/**
 * Billable parts. `submit`: every part handed to an upstream (platform-blocked parts, e.g.
 * blacklist hits, are refundable, so they are not billed). `success`: parts the upstream accepted.
 * `receipt`: DELIVRD parts. `receipt_half_unknown`: DELIVRD + half of each no-receipt part; the
 * half is kept exact (the result may end in .5) rather than rounded up per message, so 1,000
 * one-part messages without receipts bill 500 parts, not 1,000. `receipt_full_unknown`: DELIVRD +
 * every no-receipt part.
 */
export function billableParts(mode: ChargingMode, o: PartOutcomes): number {
  assertConsistent(o);
  switch (mode) {
    case 'submit':
      return o.delivered + o.failed + o.unknown;
    case 'success':
      return o.submittedOk;
    case 'receipt':
      return o.delivered;
    case 'receipt_half_unknown':
      return o.delivered + o.unknown / 2;
    case 'receipt_full_unknown':
      return o.delivered + o.unknown;
    default: {
      const never: never = mode;
      throw new RangeError(`unknown charging mode ${String(never)}`);
    }
  }
}

/**
 * The share of `debitedMillis` the customer keeps paying: debited × billable ÷ parts, rounded down to
 * the milli (in the customer's favour). Using what was actually debited, not today's price, keeps a
 * price change between submit and settlement from creating or destroying money.
 */
export function chargeMillis(mode: ChargingMode, o: PartOutcomes, debitedMillis: number): number {
  if (!Number.isInteger(debitedMillis) || debitedMillis < 0) throw new RangeError(`debitedMillis must be a non-negative integer, got ${debitedMillis}`);
  if (o.parts === 0) return 0;
  // billable is a multiple of 0.5; doubling both sides keeps the arithmetic in integers.
  const doubledBillable = billableParts(mode, o) * 2;
  return Math.floor((debitedMillis * doubledBillable) / (o.parts * 2));
}

export type ReceiptClass = 'delivered' | 'failed' | 'open';

/**
 * SMPP/CMPP receipt `stat` → outcome. ENROUTE, ACCEPTD and UNKNOWN are not final; carriers send
 * them while the handset is unreachable, so they count as no receipt.
 */
export function classifyReceipt(stat: string | null | undefined): ReceiptClass {
  const s = (stat ?? '').trim().toUpperCase();
  if (s === '' || s === 'ENROUTE' || s === 'ACCEPTD' || s === 'UNKNOWN') return 'open';
  return s === 'DELIVRD' ? 'delivered' : 'failed';
}

/** One row of message_parts (one part, one attempt). */
export interface PartAttempt {
  partNo: number;
  attempt: number;
  submitStatus: 'ok' | 'error';
  dlrStat: string | null;
}

/**
 * Folds a message's attempts into outcomes, using the latest attempt of each part. `openParts`
 * lists the part numbers with no final outcome (no receipt, or never submitted), in order.
 */
export function outcomesFromAttempts(parts: number, attempts: readonly PartAttempt[]): { outcomes: PartOutcomes; openParts: number[] } {
  const latest = new Map<number, PartAttempt>();
  for (const a of attempts) {
    if (a.partNo < 1 || a.partNo > parts) continue;
    const seen = latest.get(a.partNo);
    if (!seen || a.attempt > seen.attempt) latest.set(a.partNo, a);
  }
  const outcomes: PartOutcomes = { parts, submittedOk: 0, delivered: 0, failed: 0, unknown: 0 };
  const openParts: number[] = [];
  for (let partNo = 1; partNo <= parts; partNo++) {
    const a = latest.get(partNo);
    if (!a) {
      openParts.push(partNo);
      continue;
    }
    if (a.submitStatus === 'error') {
      outcomes.failed++;
      continue;
    }
    outcomes.submittedOk++;
    const c = classifyReceipt(a.dlrStat);
    if (c === 'delivered') outcomes.delivered++;
    else if (c === 'failed') outcomes.failed++;
    else {
      outcomes.unknown++;
      openParts.push(partNo);
    }
  }
  return { outcomes, openParts };
}

function assertConsistent(o: PartOutcomes): void {
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${k} must be a non-negative integer, got ${v}`);
  }
  if (o.delivered + o.failed + o.unknown > o.parts) throw new RangeError('delivered + failed + unknown exceeds parts');
  if (o.submittedOk > o.parts) throw new RangeError('submittedOk exceeds parts');
  if (o.delivered + o.unknown > o.submittedOk) throw new RangeError('delivered + unknown exceeds submittedOk');
}
