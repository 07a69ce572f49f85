import { describe, expect, it } from 'vitest';
import {
  Gsm7EncodeError,
  dataCodingFor,
  decodeGsm7,
  decodeUcs2,
  encodeGsm7,
  encodeUcs2,
  gsm7Septets,
  isGsm7,
} from '../../../src/channels/smpp/gsm7-codec.js';

describe('gsm7 codec', () => {
  it('when text is plain ASCII letters and digits, then septets equal the ASCII codes', () => {
    expect([...encodeGsm7('Hello 123')]).toEqual([...Buffer.from('Hello 123', 'ascii')]);
  });

  it('when text uses characters that differ from ASCII, then the GSM 03.38 positions are used', () => {
    expect([...encodeGsm7('@£$¥_§¿à\n\r')]).toEqual([0x00, 0x01, 0x02, 0x03, 0x11, 0x5f, 0x60, 0x7f, 0x0a, 0x0d]);
    expect([...encodeGsm7('ΔΦΓΛΩΠΨΣΘΞ')]).toEqual([0x10, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a]);
  });

  it('when text uses extension characters, then each becomes ESC plus its septet', () => {
    expect([...encodeGsm7('€[]{}~\\|^\f')]).toEqual([
      0x1b, 0x65, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x3d, 0x1b, 0x2f, 0x1b, 0x40, 0x1b, 0x14, 0x1b, 0x0a,
    ]);
    expect(gsm7Septets('€uro')).toBe(5);
  });

  it('when every basic and extension character is encoded, then decoding gives the same text back', () => {
    const all =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà' +
      '\f^{}\\[~]|€';
    expect(decodeGsm7(encodeGsm7(all))).toBe(all);
    expect(encodeGsm7(all).every((b) => b < 0x80)).toBe(true);
  });

  it('when a character is not in the alphabet, then encoding throws instead of substituting', () => {
    expect(() => encodeGsm7('naïve')).toThrow(Gsm7EncodeError);
    expect(() => encodeGsm7('ok 😀')).toThrow(/not in the GSM 03.38 alphabet/);
    expect(isGsm7('naïve')).toBe(false);
    expect(gsm7Septets('ç')).toBe(-1);
  });

  it('when ESC is followed by an undefined extension septet, then the basic character is shown', () => {
    expect(decodeGsm7(Uint8Array.from([0x41, 0x1b, 0x41, 0x42]))).toBe('AAB');
    expect(decodeGsm7(Uint8Array.from([0x41, 0x1b]))).toBe('A');
  });

  it('when text has Chinese and emoji, then UCS-2 is UTF-16BE with surrogate pairs', () => {
    const buf = encodeUcs2('你😀');
    expect(buf.toString('hex')).toBe('4f60d83dde00');
    expect(decodeUcs2(buf)).toBe('你😀');
  });

  it('when UCS-2 input has an odd trailing byte, then it is ignored', () => {
    expect(decodeUcs2(Uint8Array.from([0x00, 0x41, 0x00]))).toBe('A');
  });

  it('when asked for data_coding, then GSM-7 is 0 and UCS-2 is 8', () => {
    expect(dataCodingFor('gsm7')).toBe(0);
    expect(dataCodingFor('ucs2')).toBe(8);
  });
});
