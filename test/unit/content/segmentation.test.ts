import { describe, expect, it } from 'vitest';
import {
  EncodingError,
  GSM7_BASIC,
  GSM7_ESCAPE,
  GSM7_EXTENSION,
  countParts,
  detectEncoding,
  segment,
} from '../../../src/content/segmentation.js';

const EMOJI = '😀'; // one code point, a UTF-16 surrogate pair (2 units)

describe('GSM-7 alphabet tables', () => {
  it('when the basic table is read by septet value, then it has 128 entries at their 03.38 positions', () => {
    // Arrange / Act
    const table = GSM7_BASIC;

    // Assert
    expect(table.length).toBe(128);
    expect(table[0x00]).toBe('@');
    expect(table[0x30]).toBe('0');
    expect(table[0x41]).toBe('A');
    expect(table[0x61]).toBe('a');
    expect(table[GSM7_ESCAPE]).toBe('\x1b');
    expect(table[0x7f]).toBe('à');
  });

  it('when the extension table is read, then it maps the ten escape characters to their codes', () => {
    // Arrange / Act
    const ext = GSM7_EXTENSION;

    // Assert
    expect([...ext.keys()].sort().join('')).toBe(['\f', '[', '\\', ']', '^', '{', '|', '}', '~', '€'].sort().join(''));
    expect(ext.get('€')).toBe(0x65);
    expect(ext.get('{')).toBe(0x28);
  });
});

describe('detectEncoding', () => {
  it('when the text is plain ASCII letters and basic punctuation, then it is GSM-7', () => {
    expect(detectEncoding('Your code is 123456. Do not share it!')).toBe('gsm7');
  });

  it('when the text uses only extension-table characters, then it is still GSM-7', () => {
    expect(detectEncoding('€ [ ] { } ^ ~ \\ | \f')).toBe('gsm7');
  });

  it('when the text has a Chinese character, then it is UCS-2', () => {
    expect(detectEncoding('code 123456 验证码')).toBe('ucs2');
  });

  it('when the text has an emoji, then it is UCS-2', () => {
    expect(detectEncoding(`hi ${EMOJI}`)).toBe('ucs2');
  });

  it('when the text has a literal ESC or a backtick, then it is UCS-2 (not in the alphabet)', () => {
    expect(detectEncoding('a\x1bb')).toBe('ucs2');
    expect(detectEncoding('`')).toBe('ucs2');
  });
});

describe('segment: UCS-2 fixtures (DOMAIN §3)', () => {
  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
    [140, 3],
  ])('when the text is %i Chinese characters, then it is %i part(s)', (length, expectedParts) => {
    // Arrange
    const text = '短'.repeat(length);

    // Act
    const result = segment(text);

    // Assert
    expect(result.encoding).toBe('ucs2');
    expect(result.units).toBe(length);
    expect(result.parts).toHaveLength(expectedParts);
    expect(result.parts.join('')).toBe(text);
  });

  it('when a long UCS-2 text is split, then full parts hold 67 units', () => {
    const result = segment('短'.repeat(140));
    expect(result.parts.map((p) => p.length)).toEqual([67, 67, 6]);
  });
});

describe('segment: GSM-7 fixtures', () => {
  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
  ])('when the text is %i GSM characters, then it is %i part(s)', (length, expectedParts) => {
    // Arrange
    const text = 'a'.repeat(length);

    // Act
    const result = segment(text);

    // Assert
    expect(result.encoding).toBe('gsm7');
    expect(result.units).toBe(length);
    expect(result.parts).toHaveLength(expectedParts);
    expect(result.parts.join('')).toBe(text);
  });

  it('when extension characters are used, then each counts two septets', () => {
    // Arrange: 158 + '€' (2) = 160 septets, still one part; one more '[' tips it over
    const fits = 'a'.repeat(158) + '€';
    const over = 'a'.repeat(157) + '€[';

    // Act / Assert
    expect(segment(fits)).toMatchObject({ encoding: 'gsm7', units: 160 });
    expect(segment(fits).parts).toHaveLength(1);
    expect(segment(over).units).toBe(161);
    expect(segment(over).parts).toHaveLength(2);
  });

  it('when an extension character would straddle the 153-septet boundary, then it moves whole to the next part', () => {
    // Arrange: 152 septets, then '€' would need septets 153 and 154
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(20);

    // Act
    const result = segment(text);

    // Assert
    expect(result.units).toBe(174);
    expect(result.parts).toEqual(['a'.repeat(152), '€' + 'b'.repeat(20)]);
  });

  it('when an extension character ends exactly at septet 153, then it stays in the first part', () => {
    const text = 'a'.repeat(151) + '{' + 'b'.repeat(20);
    expect(segment(text).parts).toEqual(['a'.repeat(151) + '{', 'b'.repeat(20)]);
  });

  it('when 306 septets are all extension characters, then the parts still split between escape pairs', () => {
    // Arrange: 153 '€' = 306 septets; 76 fit per part (152 septets), so it takes 3 parts not 2
    const text = '€'.repeat(153);

    // Act
    const result = segment(text);

    // Assert
    expect(result.units).toBe(306);
    expect(result.parts.map((p) => p.length)).toEqual([76, 76, 1]);
  });
});

describe('segment: surrogate pairs', () => {
  it('when an emoji is in a text, then it counts 2 units', () => {
    // Arrange: 68 Chinese chars + one emoji = 70 units, exactly one part
    const text = '字'.repeat(68) + EMOJI;

    // Act / Assert
    expect(segment(text)).toMatchObject({ encoding: 'ucs2', units: 70 });
    expect(countParts(text)).toBe(1);
    expect(countParts('字'.repeat(69) + EMOJI)).toBe(2);
  });

  it('when an emoji would straddle the 67-unit boundary, then it moves whole to the next part', () => {
    // Arrange: 66 units, then the emoji's high surrogate would be unit 67 and its low surrogate unit 68
    const text = '字'.repeat(66) + EMOJI + '字'.repeat(10);

    // Act
    const result = segment(text);

    // Assert
    expect(result.units).toBe(78);
    expect(result.parts).toEqual(['字'.repeat(66), EMOJI + '字'.repeat(10)]);
    for (const part of result.parts) expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('when an emoji ends exactly at unit 67, then it stays in the first part', () => {
    const text = '字'.repeat(65) + EMOJI + '字'.repeat(10);
    expect(segment(text).parts).toEqual(['字'.repeat(65) + EMOJI, '字'.repeat(10)]);
  });

  it('when a lone surrogate is in the text, then it counts as one unit and does not throw', () => {
    expect(segment('a\ud800b')).toMatchObject({ encoding: 'ucs2', units: 3 });
  });
});

describe('segment: everything counts', () => {
  // 【云信科技】 = 6, body = 58 (incl. a newline, spaces, full-width brackets, a link), 拒收请回复R = 6
  const signature = '【云信科技】';
  const body = '尊敬的会员：\n本周六 全场八折（部分商品除外），详情请见门店公告或官网 www.example.com/sale 。';
  const suffix = '拒收请回复R';

  it('when a Chinese marketing text with signature and suffix totals 70, then it is exactly one part', () => {
    // Arrange
    const text = signature + body + suffix;

    // Act
    const result = segment(text);

    // Assert
    expect(result).toMatchObject({ encoding: 'ucs2', units: 70 });
    expect(result.parts).toEqual([text]);
  });

  it('when one more newline is added to that text, then it becomes two parts of 67 and 4', () => {
    // Arrange
    const text = signature + body + '\n' + suffix;

    // Act
    const result = segment(text);

    // Assert
    expect(result.units).toBe(71);
    expect(result.parts.map((p) => p.length)).toEqual([67, 4]);
    expect(result.parts[1]).toBe('请回复R');
  });
});

describe('segment: forced encoding and edge cases', () => {
  it('when UCS-2 is forced on GSM text, then UCS-2 limits apply', () => {
    // Arrange
    const text = 'a'.repeat(71);

    // Act
    const result = segment(text, 'ucs2');

    // Assert
    expect(result).toMatchObject({ encoding: 'ucs2', units: 71 });
    expect(result.parts).toHaveLength(2);
  });

  it('when GSM-7 is forced on text that has a Chinese character, then it throws an EncodingError', () => {
    expect(() => segment('abc 中', 'gsm7')).toThrow(EncodingError);
  });

  it('when the text is empty, then it is one empty part of 0 units', () => {
    expect(segment('')).toEqual({ encoding: 'gsm7', parts: [''], units: 0 });
    expect(countParts('')).toBe(1);
  });
});
