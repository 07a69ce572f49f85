import { describe, expect, it } from 'vitest';
import { UNSUBSCRIBE_SUFFIX, checkMarketingSuffix } from '../../../src/content/marketing-suffix.js';

const BODY = '【百万超市】会员日全场八折，';

describe('checkMarketingSuffix', () => {
  it('when the constant is read, then it is exactly 拒收请回复R', () => {
    expect(UNSUBSCRIBE_SUFFIX).toBe('拒收请回复R');
  });

  it('when the text ends with 拒收请回复R, then it passes unchanged in both modes', () => {
    // Arrange
    const text = `${BODY}拒收请回复R`;

    // Act / Assert
    expect(checkMarketingSuffix(text, 'reject')).toEqual({ ok: true, text });
    expect(checkMarketingSuffix(text, 'append')).toEqual({ ok: true, text });
  });

  it('when the suffix is followed by trailing whitespace, then the whitespace is trimmed and it passes', () => {
    expect(checkMarketingSuffix(`${BODY}拒收请回复R \n\t`, 'reject')).toEqual({ ok: true, text: `${BODY}拒收请回复R` });
  });

  it('when the suffix is missing and the mode is reject, then MARKETING_SUFFIX_MISSING', () => {
    // Act
    const result = checkMarketingSuffix(BODY, 'reject');

    // Assert
    expect(result).toMatchObject({ ok: false, code: 'MARKETING_SUFFIX_MISSING' });
  });

  it.each([['退订回T'], ['回TD退订'], ['退订回TD'], ['回T退订'], ['退订请回复T'], ['（退订回T）'], ['回N退订']])(
    'when the text ends with the old variant %s and the mode is reject, then it is rejected and named',
    (old) => {
      // Act
      const result = checkMarketingSuffix(BODY + old, 'reject');

      // Assert
      expect(result).toMatchObject({ ok: false, code: 'MARKETING_SUFFIX_MISSING' });
      if (!result.ok) expect(result.message).toContain(old);
    },
  );

  it.each([['拒收请回复r'], ['拒收请回复Ｒ'], ['拒收回复R'], ['拒收请回复R。']])(
    'when the text ends with the near miss %s, then reject mode rejects it',
    (nearMiss) => {
      expect(checkMarketingSuffix(BODY + nearMiss, 'reject')).toMatchObject({ ok: false });
    },
  );

  it('when the suffix appears mid-text only, then it does not count', () => {
    expect(checkMarketingSuffix('拒收请回复R 会员日全场八折', 'reject')).toMatchObject({ ok: false });
  });

  it('when the suffix is missing and the mode is append, then it is appended directly after CJK text', () => {
    expect(checkMarketingSuffix(BODY, 'append')).toEqual({ ok: true, text: `${BODY}拒收请回复R` });
  });

  it('when the text ends with a link and the mode is append, then a space keeps the link intact', () => {
    // Arrange
    const text = '【百万超市】会员日详情 https://t.cn/Ab12';

    // Act
    const result = checkMarketingSuffix(text, 'append');

    // Assert
    expect(result).toEqual({ ok: true, text: `${text} 拒收请回复R` });
  });

  it.each([
    ['退订回T', `${BODY}拒收请回复R`],
    ['回TD退订', `${BODY}拒收请回复R`],
    [' (退订回T) ', `${BODY}拒收请回复R`],
    ['拒收请回复r', `${BODY}拒收请回复R`],
    ['拒收请回复R。', `${BODY}拒收请回复R`],
  ])('when the text ends with %s and the mode is append, then the old tail is replaced', (tail, expected) => {
    expect(checkMarketingSuffix(BODY + tail, 'append')).toEqual({ ok: true, text: expected });
  });

  it('when an old variant is mid-text and the mode is append, then it is kept and the suffix appended', () => {
    // Arrange
    const text = '【百万超市】以前的退订回T已停用，现在';

    // Act / Assert
    expect(checkMarketingSuffix(text, 'append')).toEqual({ ok: true, text: `${text}拒收请回复R` });
  });
});
