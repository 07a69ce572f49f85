import { describe, expect, it } from 'vitest';
import {
  canonicalStat,
  looksLikeReceiptText,
  parseDeliveryReceipt,
  parseReceiptDate,
  parseReceiptText,
} from '../../../src/channels/smpp/dlr-parser.js';
import { normaliseMessageId } from '../../../src/channels/channel-adapter.js';
import { formatReceiptText } from '../../../src/channels/smpp/smsc-outcomes.js';

const TEXT =
  'id:2684354561 sub:001 dlvrd:001 submit date:2511231350 done date:2511231351 stat:DELIVRD err:000 text:Hello id: stat:x';

describe('delivery receipt parser', () => {
  it('when the text form is parsed, then every field is read and text: keeps the rest verbatim', () => {
    expect(parseReceiptText(TEXT)).toEqual({
      id: '2684354561',
      sub: '001',
      dlvrd: '001',
      submitDate: '2511231350',
      doneDate: '2511231351',
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello id: stat:x',
    });
  });

  it('when keys are capitalised or text is absent, then they are still read', () => {
    expect(parseReceiptText('ID:abc SUB:001 DLVRD:000 Submit Date:2501010000 Done Date:2501010001 Stat:UNDELIV Err:001')).toMatchObject({
      id: 'abc',
      stat: 'UNDELIV',
      err: '001',
      doneDate: '2501010001',
    });
  });

  it('when text has no id and no stat, then it is not a receipt', () => {
    expect(parseReceiptText('hello world')).toBeUndefined();
    expect(looksLikeReceiptText('hello id:5')).toBe(false);
    expect(looksLikeReceiptText(TEXT)).toBe(true);
  });

  it('when only the text form carries a decimal id, then the report id equals the normalised hex resp id', () => {
    const r = parseDeliveryReceipt({ text: TEXT });
    expect(r?.upstreamId).toBe(normaliseMessageId('A0000001'));
    expect(r).toMatchObject({ stat: 'DELIVRD', err: '000', raw: TEXT });
    expect(r?.doneAt?.toISOString()).toBe('2025-11-23T13:51:00.000Z');
  });

  it('when only the text form carries a hex id, then it maps to the same key as a decimal resp id', () => {
    const r = parseDeliveryReceipt({ text: 'id:0A0000001 sub:001 dlvrd:000 submit date:2501010000 done date:2501010001 stat:UNDELIV err:001 text:' });
    expect(r?.upstreamId).toBe(normaliseMessageId('2684354561'));
    expect(r?.stat).toBe('UNDELIV');
  });

  it('when the TLVs are present, then receipted_message_id wins for the id and message_state for the stat', () => {
    const r = parseDeliveryReceipt({ text: TEXT.replace('DELIVRD', 'ENROUTE'), receiptedMessageId: 'A0000001', messageState: 5 });
    expect(r).toMatchObject({ upstreamId: 'a0000001', stat: 'UNDELIV', err: '000' });
    expect(r?.raw).toContain('[receipted_message_id=A0000001 message_state=5]');
  });

  it('when only TLVs are present, then the err comes from network_error_code', () => {
    const r = parseDeliveryReceipt({ receiptedMessageId: '77', messageState: 8, networkErrorCode: Uint8Array.from([3, 0, 11]) });
    expect(r).toMatchObject({ upstreamId: '4d', stat: 'REJECTD', err: '011', doneAt: undefined });
    expect(r?.raw).toBe('receipted_message_id=77 message_state=8 network_error_code=03000b');
  });

  it('when ids are declared opaque, then they are compared verbatim', () => {
    expect(parseDeliveryReceipt({ text: TEXT }, { text: 'opaque' })?.upstreamId).toBe('2684354561');
  });

  it('when there is no id anywhere, then no report is produced', () => {
    expect(parseDeliveryReceipt({ text: 'stat:DELIVRD err:000' })).toBeUndefined();
    expect(parseDeliveryReceipt({ messageState: 2 })).toBeUndefined();
  });

  it('when stats use long or unknown words, then they map to the canonical set', () => {
    expect(canonicalStat('delivered')).toBe('DELIVRD');
    expect(canonicalStat('UNDELIVERABLE')).toBe('UNDELIV');
    expect(canonicalStat('ENROUTE')).toBe('UNKNOWN');
    expect(canonicalStat(undefined)).toBeUndefined();
  });

  it('when dates come in 10, 12 or 14 digits, then they parse as UTC; garbage does not', () => {
    expect(parseReceiptDate('2511231350')?.toISOString()).toBe('2025-11-23T13:50:00.000Z');
    expect(parseReceiptDate('251123135059')?.toISOString()).toBe('2025-11-23T13:50:59.000Z');
    expect(parseReceiptDate('20251123135059')?.toISOString()).toBe('2025-11-23T13:50:59.000Z');
    expect(parseReceiptDate('25112313')).toBeUndefined();
    expect(parseReceiptDate('abc')).toBeUndefined();
  });

  it('when the simulator formats a receipt, then the parser reads it back', () => {
    const text = formatReceiptText({
      id: '42', stat: 'UNDELIV', err: '001', submitDate: new Date(Date.UTC(2025, 0, 2, 3, 4)), doneDate: new Date(Date.UTC(2025, 0, 2, 3, 5)), text: 'Hi {there} €',
    });
    expect(text).toBe('id:42 sub:001 dlvrd:000 submit date:2501020304 done date:2501020305 stat:UNDELIV err:001 text:Hi .there. .');
    expect(parseDeliveryReceipt({ text })).toMatchObject({ upstreamId: '2a', stat: 'UNDELIV', err: '001' });
  });
});
