/**
 * Keyword auto-reply matching (pure). A rule matches a user's text — or, for a suggestion tap, its
 * postback data or the tapped label — by `exact` (whole text), `contains` or `regex`. Text is
 * compared trimmed, NFKC-normalised (full-width letters and digits as half-width) and
 * case-insensitively. The enabled rule with the highest `priority` wins; among equals, the older.
 *
 * Regexes run on the event loop, so a pattern that backtracks catastrophically would stall the
 * process: patterns are at most 100 characters, may not use backreferences, and may not repeat
 * (`*`, `+`, `{n,}`) a group that itself holds a repetition or an alternation (`(a+)+`, `(a|ab)*`);
 * the text they run on is cut to 1,000 characters.
 */
export const MATCH_TYPES = ['exact', 'contains', 'regex'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

export const REGEX_MAX_LENGTH = 100;
const MATCH_TEXT_MAX = 1_000;

export interface MatchableRule {
  id: string;
  matchType: MatchType;
  pattern: string;
  priority: number;
  enabled: boolean;
}

/** What a user sent: a text, or a suggestion tap (its label and postback data). */
export interface InboundText {
  text: string;
  postback?: string | null;
}

const normalise = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** Why a regex is refused, or undefined when it is safe to run. */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (pattern.length > REGEX_MAX_LENGTH) return `at most ${REGEX_MAX_LENGTH} characters`;
  try {
    new RegExp(pattern, 'iu');
  } catch (err) {
    return `not a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // Each open group records whether it holds a repetition or an alternation.
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    const repeats = c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i)));
    if (c === '(') groups.push(false);
    else if (c === ')') {
      const risky = groups.pop() ?? false;
      const next = pattern[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i + 1)));
      if (risky && repeated) return 'a repeated group may not itself hold a repetition or an alternation (catastrophic backtracking)';
      if (groups.length && (risky || repeated)) groups[groups.length - 1] = true;
    } else if ((repeats || c === '|') && groups.length) groups[groups.length - 1] = true;
  }
  return undefined;
}

function matches(rule: MatchableRule, candidate: string): boolean {
  const text = normalise(candidate);
  if (text === '') return false;
  switch (rule.matchType) {
    case 'exact': return text === normalise(rule.pattern);
    case 'contains': return text.includes(normalise(rule.pattern));
    case 'regex': return new RegExp(rule.pattern, 'iu').test(text.slice(0, MATCH_TEXT_MAX));
  }
}

/** Rules in the order they are tried: priority high to low, then oldest first (ids sort by creation). */
export function byPriority<R extends MatchableRule>(rules: readonly R[]): R[] {
  return [...rules].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The rule that answers this input, or undefined. */
export function matchRule<R extends MatchableRule>(rules: readonly R[], input: InboundText): R | undefined {
  const candidates = [input.postback, input.text].filter((s): s is string => typeof s === 'string' && s !== '');
  return byPriority(rules).find((r) => r.enabled && candidates.some((c) => matches(r, c)));
}
