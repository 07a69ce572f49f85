import { describe, expect, it } from 'vitest';
import { encodeGsm7, encodeUcs2 } from '../../../src/channels/smpp/gsm7-codec.js';
import {
  PartTooLongError,
  concatFromElements,
  framePartPayloads,
  splitUdh,
  withConcatUdh,
} from '../../../src/channels/smpp/udh-codec.js';
import { buildMoPayloads } from '../../../src/channels/smpp/smsc-mo.js';

describe('concatenation UDH', () => {
  it('when three GSM parts are framed, then each starts 05 00 03 ref 03 seq', () => {
    const parts = ['a'.repeat(153), 'b'.repeat(153), 'c'.repeat(10)].map(encodeGsm7);
    const out = framePartPayloads(parts, 'gsm7', 0x2a);
    expect(out.map((b) => b.subarray(0, 6).toString('hex'))).toEqual(['0500032a0301', '0500032a0302', '0500032a0303']);
    expect(out[0].length).toBe(159);
    expect(out[2].subarray(6).toString('ascii')).toBe('c'.repeat(10));
  });

  it('when there is a single part, then it is sent bare up to 160 septets', () => {
    const [only] = framePartPayloads([encodeGsm7('x'.repeat(160))], 'gsm7', 1);
    expect(only.length).toBe(160);
    expect(only[0]).toBe(0x78);
  });

  it('when a part exceeds its limit, then framing throws PartTooLongError', () => {
    expect(() => framePartPayloads([encodeGsm7('x'.repeat(161))], 'gsm7', 1)).toThrow(PartTooLongError);
    expect(() => framePartPayloads([encodeGsm7('x'.repeat(154)), encodeGsm7('y')], 'gsm7', 1)).toThrow(/limit is 153/);
    expect(() => framePartPayloads([encodeUcs2('你'.repeat(71))], 'ucs2', 1)).toThrow(/limit is 140/);
    expect(() => framePartPayloads([encodeUcs2('你'.repeat(68)), encodeUcs2('好')], 'ucs2', 1)).toThrow(/limit is 134/);
  });

  it('when the ref is above 255, then only its low byte is used', () => {
    expect(withConcatUdh(Buffer.from('x'), 0x1ff, 2, 1).subarray(0, 6).toString('hex')).toBe('050003ff0201');
  });

  it('when a UDH is split and read, then 8-bit and 16-bit references are found', () => {
    expect(concatFromElements(splitUdh(Buffer.from('0500030a0302', 'hex')))).toEqual({ ref: 10, total: 3, seq: 2 });
    expect(concatFromElements(splitUdh(Buffer.from('060804abcd0201', 'hex')))).toEqual({ ref: 0xabcd, total: 2, seq: 1 });
  });

  it('when other IEs come first or values are invalid, then they are skipped or ignored', () => {
    // port addressing IE (05 04 …) followed by concat IE
    expect(concatFromElements(splitUdh(Buffer.from('0b0504158a00000003070201', 'hex')))).toEqual({ ref: 7, total: 2, seq: 1 });
    expect(concatFromElements(splitUdh(Buffer.from('050003070300', 'hex')))).toBeUndefined();
    expect(splitUdh(Buffer.from('0500037', 'hex'))).toEqual([]);
  });

  it('when an MO is long, then it is split without cutting escapes or surrogate pairs', () => {
    const gsm = buildMoPayloads('x'.repeat(152) + '€' + 'y'.repeat(10), 9);
    expect(gsm.dataCoding).toBe(0);
    expect(gsm.payloads[0].subarray(6).length).toBe(152);
    expect(gsm.payloads[1].subarray(6, 8).toString('hex')).toBe('1b65');
    const ucs = buildMoPayloads('你'.repeat(66) + '😀' + '好'.repeat(10), 9);
    expect(ucs.dataCoding).toBe(8);
    expect(ucs.payloads[0].length - 6).toBe(132);
    expect(ucs.payloads[1].subarray(6, 10).toString('hex')).toBe('d83dde00');
  });
});
