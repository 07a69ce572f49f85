import { describe, expect, it } from 'vitest';
import { DEFAULT_KEYWORD_LIBRARY } from '../../../src/content/default-keywords.js';
import { compileKeywords, type KeywordLibrary } from '../../../src/content/keywords.js';

const FINANCE = ['finance_high_risk'];

describe('compileKeywords with the default library', () => {
  const matcher = compileKeywords(DEFAULT_KEYWORD_LIBRARY);

  it('when the text is harmless, then it passes', () => {
    expect(matcher.check('【云信科技】您的验证码是123456，5分钟内有效。', FINANCE)).toEqual({ ok: true });
  });

  it('when the text has an absolute term, then KEYWORD_BLOCKED even with no group enabled', () => {
    // Act
    const result = matcher.check('【某某】线上百家乐，注册即送', []);

    // Assert
    expect(result).toEqual({ ok: false, code: 'KEYWORD_BLOCKED', keyword: '百家乐' });
  });

  it('when the text has a finance keyword and the group is enabled, then KEYWORD_GROUP_HIT names it', () => {
    expect(matcher.check('【某某】无需审核，贷款当天到账', FINANCE)).toEqual({
      ok: false,
      code: 'KEYWORD_GROUP_HIT',
      keyword: '贷款',
      group: 'finance_high_risk',
    });
  });

  it('when the text has a finance keyword but the group is not enabled, then it passes', () => {
    expect(matcher.check('【某某】无需审核，贷款当天到账', [])).toEqual({ ok: true });
  });

  it('when 百万 only appears inside the whitelisted 百万超市, then it passes', () => {
    expect(matcher.check('【百万超市】会员日全场八折，拒收请回复R', FINANCE)).toEqual({ ok: true });
  });

  it('when 百万超市 is present and 百万 also stands alone elsewhere, then the standalone one hits', () => {
    // Act
    const result = matcher.check('【百万超市】抽奖赢取百万大奖', FINANCE);

    // Assert
    expect(result).toMatchObject({ ok: false, code: 'KEYWORD_GROUP_HIT', keyword: '百万' });
  });

  it('when the group list names an unknown group, then it is ignored and the known groups are listed', () => {
    expect(matcher.check('贷款', ['no_such_group'])).toEqual({ ok: true });
    expect(matcher.groups).toEqual(['finance_high_risk']);
  });
});

describe('compileKeywords semantics', () => {
  it('when a whitelisted phrase contains an absolute term, then the absolute term still blocks', () => {
    // Arrange
    const lib: KeywordLibrary = { absolute: ['赌博'], groups: {}, whitelistPhrases: ['反赌博宣传周'] };

    // Act
    const result = compileKeywords(lib).check('反赌博宣传周开始了', []);

    // Assert
    expect(result).toEqual({ ok: false, code: 'KEYWORD_BLOCKED', keyword: '赌博' });
  });

  it('when both an absolute term and a group keyword are present, then the absolute term wins', () => {
    const lib: KeywordLibrary = { absolute: ['赌场'], groups: { g: ['贷款'] }, whitelistPhrases: [] };
    expect(compileKeywords(lib).check('贷款去赌场', ['g'])).toMatchObject({ code: 'KEYWORD_BLOCKED', keyword: '赌场' });
  });

  it('when a keyword overlaps a whitelisted phrase only partly, then it is masked like the phrase', () => {
    // Arrange: 超市场 overlaps the tail of 百万超市 in "百万超市场" (masking hides 超市 from it)
    const lib: KeywordLibrary = { absolute: [], groups: { g: ['超市场'] }, whitelistPhrases: ['百万超市'] };

    // Act / Assert
    expect(compileKeywords(lib).check('百万超市场', ['g'])).toEqual({ ok: true });
    expect(compileKeywords(lib).check('大超市场', ['g'])).toMatchObject({ ok: false, keyword: '超市场' });
  });

  it('when patterns share suffixes, then the failure links still find every keyword', () => {
    // Arrange: classic Aho–Corasick set (he, she, his, hers)
    const lib: KeywordLibrary = { absolute: [], groups: { g: ['he', 'she', 'his', 'hers'] }, whitelistPhrases: [] };
    const m = compileKeywords(lib);

    // Act / Assert
    expect(m.check('ushers', ['g'])).toMatchObject({ ok: false, keyword: 'she' });
    expect(m.check('ahishe', ['g'])).toMatchObject({ ok: false, keyword: 'his' });
    expect(m.check('usxrs', ['g'])).toEqual({ ok: true });
  });

  it('when a keyword is in several groups, then the first enabled group is reported', () => {
    const lib: KeywordLibrary = { absolute: [], groups: { a: ['套现'], b: ['套现'] }, whitelistPhrases: [] };
    expect(compileKeywords(lib).check('信用卡套现', ['b'])).toMatchObject({ keyword: '套现', group: 'b' });
  });

  it('when Latin text differs from a keyword in case or width, then it still matches', () => {
    const lib: KeywordLibrary = { absolute: ['casino'], groups: {}, whitelistPhrases: [] };
    expect(compileKeywords(lib).check('Play at ＣＡＳＩＮＯ now', [])).toMatchObject({ code: 'KEYWORD_BLOCKED' });
  });

  it('when library entries are blank, then they are ignored instead of matching everything', () => {
    const lib: KeywordLibrary = { absolute: ['', '  '], groups: { g: [''] }, whitelistPhrases: [''] };
    expect(compileKeywords(lib).check('任何内容', ['g'])).toEqual({ ok: true });
  });

  it('when an emoji keyword is configured, then surrogate pairs match as a whole', () => {
    const lib: KeywordLibrary = { absolute: ['🎰'], groups: {}, whitelistPhrases: [] };
    expect(compileKeywords(lib).check('来玩🎰', [])).toMatchObject({ code: 'KEYWORD_BLOCKED', keyword: '🎰' });
  });
});

describe('compileKeywords performance', () => {
  it('when 10,000 checks of a 70-char text run over 1,000 keywords, then they finish well under a second', () => {
    // Arrange: deterministic pseudo-random 2–4 char CJK keywords, a text that hits none of them
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const cjk = (): string => String.fromCharCode(0x4e00 + rand(2000));
    const absolute: string[] = [];
    const groupA: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const word = Array.from({ length: 2 + rand(3) }, cjk).join('');
      (i % 2 === 0 ? absolute : groupA).push(word);
    }
    const matcher = compileKeywords({ absolute, groups: { a: groupA }, whitelistPhrases: ['百万超市'] });
    const text = '【云信科技】尊敬的会员：\n本周六 全场八折（部分商品除外），详情请见门店公告或官网 www.example.com/sale 。拒收请回复R';
    const enabled = ['a'];

    // Act
    let failures = 0;
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) if (!matcher.check(text, enabled).ok) failures++;
    const elapsedMs = performance.now() - started;

    // Assert: a generous bound (typically a few tens of ms) so a loaded CI machine does not make it flaky
    expect(text).toHaveLength(70);
    expect(failures === 0 || failures === 10_000).toBe(true);
    expect(elapsedMs).toBeLessThan(1000);
    expect(matcher.check(text + absolute[absolute.length - 1], enabled)).toMatchObject({ ok: false, code: 'KEYWORD_BLOCKED' });
  });
});
