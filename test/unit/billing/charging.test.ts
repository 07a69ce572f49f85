import { describe, expect, it } from 'vitest';
import { billableParts, chargeMillis, classifyReceipt, outcomesFromAttempts, type PartOutcomes } from '../../../src/billing/charging.js';

// 4 parts: one DELIVRD, one UNDELIV, one rejected at submit, one accepted without receipt.
const mixed: PartOutcomes = { parts: 4, submittedOk: 3, delivered: 1, failed: 2, unknown: 1 };
// A blacklist hit: debited at acceptance, never handed to an upstream.
const blocked: PartOutcomes = { parts: 2, submittedOk: 0, delivered: 0, failed: 0, unknown: 0 };

describe('billableParts', () => {
  it('when mode is submit, then every part handed to an upstream is billed, platform-blocked parts are not', () => {
    expect(billableParts('submit', mixed)).toBe(4);
    expect(billableParts('submit', blocked)).toBe(0);
  });

  it('when mode is success, then the parts the upstream accepted at submit are billed', () => {
    expect(billableParts('success', mixed)).toBe(3);
  });

  it('when mode is receipt, then only DELIVRD parts are billed', () => {
    expect(billableParts('receipt', mixed)).toBe(1);
  });

  it('when mode is receipt_half_unknown, then DELIVRD plus half of each no-receipt part is billed, unrounded', () => {
    expect(billableParts('receipt_half_unknown', mixed)).toBe(1.5);
    expect(billableParts('receipt_half_unknown', { parts: 3, submittedOk: 3, delivered: 0, failed: 0, unknown: 3 })).toBe(1.5);
  });

  it('when mode is receipt_full_unknown, then DELIVRD plus every no-receipt part is billed', () => {
    expect(billableParts('receipt_full_unknown', mixed)).toBe(2);
  });

  it('when the counts are impossible, then it throws instead of billing nonsense', () => {
    expect(() => billableParts('submit', { parts: 1, submittedOk: 1, delivered: 1, failed: 1, unknown: 0 })).toThrow(RangeError);
    expect(() => billableParts('submit', { parts: 2, submittedOk: 0, delivered: 1, failed: 0, unknown: 0 })).toThrow(RangeError);
    expect(() => billableParts('submit', { parts: 1, submittedOk: -1, delivered: 0, failed: 0, unknown: 0 })).toThrow(RangeError);
    expect(() => billableParts('submit', { parts: 1.5, submittedOk: 0, delivered: 0, failed: 0, unknown: 0 })).toThrow(RangeError);
  });
});

describe('chargeMillis', () => {
  it('when 140 millis were debited for 4 parts, then each mode keeps its hand-checked share', () => {
    expect(chargeMillis('submit', mixed, 140)).toBe(140);
    expect(chargeMillis('success', mixed, 140)).toBe(105);
    expect(chargeMillis('receipt', mixed, 140)).toBe(35);
    expect(chargeMillis('receipt_half_unknown', mixed, 140)).toBe(52); // 52.5 rounded down for the customer
    expect(chargeMillis('receipt_full_unknown', mixed, 140)).toBe(70);
  });

  it('when half-unknown one-part messages have no receipt, then 1,000 of them keep exactly half the money', () => {
    const one: PartOutcomes = { parts: 1, submittedOk: 1, delivered: 0, failed: 0, unknown: 1 };

    expect(chargeMillis('receipt_half_unknown', one, 36) * 1000).toBe(18_000);
  });

  it('when nothing was debited or there are no parts, then nothing is kept', () => {
    expect(chargeMillis('submit', mixed, 0)).toBe(0);
    expect(chargeMillis('submit', { parts: 0, submittedOk: 0, delivered: 0, failed: 0, unknown: 0 }, 0)).toBe(0);
  });
});

describe('classifyReceipt', () => {
  it('when the stat is DELIVRD, then delivered; final failures are failed; non-final or missing are open', () => {
    expect(classifyReceipt('DELIVRD')).toBe('delivered');
    expect(classifyReceipt('delivrd')).toBe('delivered');
    for (const s of ['UNDELIV', 'EXPIRED', 'REJECTD', 'DELETED', 'XYZ']) expect(classifyReceipt(s)).toBe('failed');
    for (const s of [null, undefined, '', 'ENROUTE', 'ACCEPTD', 'UNKNOWN']) expect(classifyReceipt(s)).toBe('open');
  });
});

describe('outcomesFromAttempts', () => {
  it('when parts have attempts, then the latest attempt of each part decides', () => {
    const { outcomes, openParts } = outcomesFromAttempts(4, [
      { partNo: 1, attempt: 1, submitStatus: 'ok', dlrStat: 'UNDELIV' },
      { partNo: 1, attempt: 2, submitStatus: 'ok', dlrStat: 'DELIVRD' }, // resent on another channel
      { partNo: 2, attempt: 1, submitStatus: 'ok', dlrStat: 'UNDELIV' },
      { partNo: 3, attempt: 1, submitStatus: 'error', dlrStat: null },
      { partNo: 4, attempt: 1, submitStatus: 'ok', dlrStat: null },
    ]);

    expect(outcomes).toEqual(mixed);
    expect(openParts).toEqual([4]);
  });

  it('when no part was ever submitted, then nothing counts as sent and every part is open', () => {
    const { outcomes, openParts } = outcomesFromAttempts(2, []);

    expect(outcomes).toEqual(blocked);
    expect(openParts).toEqual([1, 2]);
  });
});
