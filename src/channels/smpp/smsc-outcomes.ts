/**
 * What the bundled SMSC simulator does with a submit, decided by the destination's last digit so
 * tests and demos are deterministic, plus the receipt text it writes.
 *
 * Default mapping (override any digit with `outcomes`):
 * | last digit | outcome                                                     |
 * |------------|-------------------------------------------------------------|
 * | 0–6        | accepted, receipt `stat:DELIVRD err:000`                    |
 * | 7          | accepted, receipt `stat:UNDELIV err:001`                    |
 * | 8          | accepted, no receipt ever (tests receipt timeouts)          |
 * | 9          | refused at submit with ESME_RSUBMITFAIL (0x45)              |
 */
import type { ReceiptStat } from '../channel-adapter.js';
import { SmppStatus } from './smpp-types.js';

/** One simulated outcome. */
export type SimOutcome =
  | { kind: 'receipt'; stat: ReceiptStat; err: string }
  | { kind: 'noReceipt' }
  | { kind: 'reject'; status: number };

const delivered: SimOutcome = { kind: 'receipt', stat: 'DELIVRD', err: '000' };

/** The documented default mapping, by last digit. */
export const DEFAULT_OUTCOMES: Readonly<Record<string, SimOutcome>> = Object.freeze({
  '0': delivered,
  '1': delivered,
  '2': delivered,
  '3': delivered,
  '4': delivered,
  '5': delivered,
  '6': delivered,
  '7': { kind: 'receipt', stat: 'UNDELIV', err: '001' },
  '8': { kind: 'noReceipt' },
  '9': { kind: 'reject', status: SmppStatus.ESME_RSUBMITFAIL },
});

/** Outcome for a destination; a destination not ending in a digit is delivered. */
export function outcomeFor(destination: string, table: Readonly<Record<string, SimOutcome | undefined>>): SimOutcome {
  return table[destination.charAt(destination.length - 1)] ?? delivered;
}

/** message_state TLV value for a stat (SMPP 3.4 §5.2.28). */
export const MESSAGE_STATE: Readonly<Record<ReceiptStat, number>> = {
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
};

/** `YYMMDDhhmm` in UTC, the receipt date format. */
export function formatReceiptDate(d: Date): string {
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/**
 * The SMPP 3.4 Appendix B receipt text. The `text:` excerpt is limited to characters that are the
 * same in ASCII and GSM 03.38 so the receipt reads the same whatever the ESME decodes it with.
 */
export function formatReceiptText(r: {
  id: string;
  stat: ReceiptStat;
  err: string;
  submitDate: Date;
  doneDate: Date;
  text: string;
}): string {
  const dlvrd = r.stat === 'DELIVRD' ? '001' : '000';
  const excerpt = r.text.slice(0, 20).replace(/[^A-Za-z0-9 .,:;!?'()+\-/]/g, '.');
  return (
    `id:${r.id} sub:001 dlvrd:${dlvrd} submit date:${formatReceiptDate(r.submitDate)} ` +
    `done date:${formatReceiptDate(r.doneDate)} stat:${r.stat} err:${r.err} text:${excerpt}`
  );
}

/** Receipt requested for this final state? (registered_delivery bits 0–1, SMPP 3.4 §5.2.17) */
export function wantsReceipt(registeredDelivery: number, stat: ReceiptStat): boolean {
  const rd = registeredDelivery & 0x03;
  return rd === 1 || (rd === 2 && stat !== 'DELIVRD') || (rd === 3 && stat === 'DELIVRD');
}
