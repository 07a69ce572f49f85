import type { KeywordLibrary } from './keywords.js';

/**
 * A small starter keyword library for new installations and tests. Operators maintain the real
 * library; this only has to demonstrate each list:
 * - `absolute`: clearly illegal content (gambling, porn, illegal goods/services), never released;
 * - `finance_high_risk`: a group accounts in risky finance verticals get enabled;
 * - `whitelistPhrases`: 百万超市 is a shop name that contains the finance keyword 百万.
 *
 * Frozen because it is shared: callers copy it before editing.
 */
export const DEFAULT_KEYWORD_LIBRARY: Readonly<KeywordLibrary> = Object.freeze({
  absolute: Object.freeze([
    // gambling
    '赌博',
    '博彩',
    '六合彩',
    '网上赌场',
    '百家乐',
    // porn
    '色情',
    '裸聊',
    '约炮',
    // illegal goods and services
    '代开发票',
    '办假证',
    '冰毒',
    '枪支出售',
  ]) as string[],
  groups: Object.freeze({
    finance_high_risk: Object.freeze(['百万', '贷款', '套现', '网贷', '无抵押', '秒批', '信用卡提额', '低息借款']) as string[],
  }) as Record<string, string[]>,
  whitelistPhrases: Object.freeze(['百万超市']) as string[],
});
