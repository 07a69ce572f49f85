import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatSmppAddress, messageIdOf, parseSmppAddress, partMessageId } from '../../../src/smpp-server/smpp-report-address.js';
import { SubmitAssembler, type ExpiredMessage } from '../../../src/smpp-server/submit-assembler.js';
import { messageState, receiptStat, smppTime } from '../../../src/smpp-server/smpp-message-state.js';
import type { DecodedSubmit } from '../../../src/smpp-server/submit-decoder.js';

const submit = (text: string, receipts = 1): DecodedSubmit => ({ to: '+8613800138000', from: '1069', text, receipts, scheduledAt: null });

describe('SMPP report addresses and message ids', () => {
  it('when an address is formatted, then parsing it gives back every field, odd system ids included', () => {
    const a = { systemId: 'a/b?c', parts: 3, receipts: [1, 0, 0], source: 'Acme Ltd' };
    expect(parseSmppAddress(formatSmppAddress(a))).toEqual(a);
    expect(parseSmppAddress('smpp://x/')).toEqual({ systemId: 'x', parts: 1, receipts: [1], source: '' });
    expect(parseSmppAddress('https://example.com/')).toBeUndefined();
  });

  it('when ids are answered, then they carry no underscore and map back to the platform id', () => {
    expect(partMessageId('msg_0abc', 1, 1)).toBe('0abc');
    expect(partMessageId('msg_0abc', 2, 3)).toBe('0abc-2');
    expect(messageIdOf('0abc-2')).toBe('msg_0abc');
    expect(messageIdOf('0abc')).toBe('msg_0abc');
  });
});

describe('receipt stat and message_state', () => {
  it('when a message ends, then the stat follows status, upstream stat and platform code', () => {
    expect(receiptStat('delivered', null)).toBe('DELIVRD');
    expect(receiptStat('failed', 'DLR_FAILED', 'EXPIRED')).toBe('EXPIRED');
    expect(receiptStat('failed', 'DLR_UNDELIV')).toBe('UNDELIV');
    expect(receiptStat('failed', 'DLR_FAILED')).toBe('UNDELIV');
    expect(receiptStat('failed', 'BLACKLISTED')).toBe('REJECTD');
    expect(receiptStat('cancelled', 'CANCELLED')).toBe('DELETED');
    expect(receiptStat('unknown', null)).toBe('UNKNOWN');
  });

  it('when a message is still on its way, then query_sm says ENROUTE', () => {
    expect(messageState('queued', null)).toBe(1);
    expect(messageState('submitted', null)).toBe(1);
    expect(messageState('delivered', null)).toBe(2);
    expect(messageState('failed', 'KEYWORD_BLOCKED')).toBe(8);
  });

  it('when a date is written for SMPP, then it is the absolute UTC form', () => {
    expect(smppTime(new Date('2026-12-01T05:06:07Z'))).toBe('261201050607000+');
  });
});

describe('SubmitAssembler', () => {
  afterEach(() => vi.useRealTimers());

  it('when parts arrive out of order, then the message completes once, in order, with each part\'s receipt request', () => {
    const a = new SubmitAssembler<string>(60_000, () => 'msg_1', () => undefined);
    expect(a.add('sys', 'o', submit('world', 0), { ref: 7, total: 2, seq: 2 })).toEqual({ kind: 'part', messageId: 'msg_1' });
    expect(a.add('sys', 'o', submit('world', 0), { ref: 7, total: 2, seq: 2 })).toEqual({ kind: 'duplicate', messageId: 'msg_1' });
    const done = a.add('sys', 'o', submit('hello ', 1), { ref: 7, total: 2, seq: 1 });
    expect(done).toMatchObject({ kind: 'complete', messageId: 'msg_1', parts: 2, partReceipts: [1, 0] });
    expect(done.kind === 'complete' && done.submit.text).toBe('hello world');
    expect(a.pending).toBe(0);
  });

  it('when the same reference comes from two system ids, then they are two messages', () => {
    let n = 0;
    const a = new SubmitAssembler<string>(60_000, () => `msg_${++n}`, () => undefined);
    expect(a.add('a', 'o', submit('x'), { ref: 1, total: 2, seq: 1 }).messageId).toBe('msg_1');
    expect(a.add('b', 'o', submit('x'), { ref: 1, total: 2, seq: 1 }).messageId).toBe('msg_2');
  });

  it('when the last part never comes, then after the timeout the received parts go out, naming the missing ones', () => {
    vi.useFakeTimers();
    const expired: ExpiredMessage<string>[] = [];
    const a = new SubmitAssembler<string>(1_000, () => 'msg_9', (m) => expired.push(m));
    a.add('sys', 'owner', submit('first '), { ref: 3, total: 3, seq: 1 });
    a.add('sys', 'owner', submit('third'), { ref: 3, total: 3, seq: 3 });
    vi.advanceTimersByTime(1_001);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ owner: 'owner', messageId: 'msg_9', missing: [2], partReceipts: [1, 0, 1] });
    expect(expired[0].submit.text).toBe('first third');
  });
});
