/**
 * Keyword library matching (DOMAIN §2): an absolute block list (illegal, porn, gambling: always
 * rejected, never released, never whitelisted) plus per-account keyword groups (e.g. high-risk
 * finance), with whitelisted harmless phrases that contain a keyword (百万超市 contains 百万).
 *
 * Runs on every message (10,000 msg/s), so the whole library compiles into ONE Aho–Corasick
 * automaton and a check is a single pass over the text, whatever the number of keywords.
 *
 * Pure functions, no I/O.
 */

/** A keyword library as configured by operators. */
export interface KeywordLibrary {
  /** Always blocked, whatever the account or whitelist. */
  absolute: string[];
  /** Named groups an account can enable, e.g. `finance_high_risk`. */
  groups: Record<string, string[]>;
  /** Harmless phrases masked before group matching (a group keyword inside them does not hit). */
  whitelistPhrases: string[];
}

/** Outcome of {@link KeywordMatcher.check}. */
export type KeywordCheckResult =
  | { ok: true }
  | { ok: false; code: 'KEYWORD_BLOCKED' | 'KEYWORD_GROUP_HIT'; keyword: string; group?: string };

/** A compiled keyword library. Immutable and safe to share. */
export interface KeywordMatcher {
  /**
   * Check a text. The absolute list always applies; group keywords only for `enabledGroups`
   * (unknown names are ignored: see {@link KeywordMatcher.groups} to validate account settings).
   *
   * An absolute hit wins over any group hit. Otherwise the first group hit (by end position) that
   * does not overlap a whitelisted phrase is reported, with the first of its groups that is enabled.
   */
  check(text: string, enabledGroups: readonly string[]): KeywordCheckResult;
  /** Group names in the library. */
  readonly groups: readonly string[];
}

interface Pattern {
  /** Keyword as written in the library (reported back to the caller). */
  keyword: string;
  /** Length of the normalised pattern, to find where a match starts. */
  length: number;
  absolute: boolean;
  whitelist: boolean;
  /** Groups this keyword belongs to, in library order. */
  groups: string[];
}

const OK: KeywordCheckResult = Object.freeze({ ok: true });

/**
 * Text and keywords are compared after NFKC (full-width Ａ/１ → A/1) and lower-casing, so trivial
 * width/case variants of Latin keywords cannot slip through. Applied identically to both sides, so
 * match positions stay consistent even where NFKC changes a length.
 */
function normalise(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/**
 * Compile a keyword library into a single matcher. Compile once per library version and reuse it.
 * Blank entries are ignored; the same keyword may appear in several lists.
 */
export function compileKeywords(lib: KeywordLibrary): KeywordMatcher {
  const patterns: Pattern[] = [];
  const byText = new Map<string, Pattern>();
  const add = (raw: string): Pattern | null => {
    const keyword = raw.trim();
    const norm = normalise(keyword);
    if (norm === '') return null;
    let p = byText.get(norm);
    if (!p) {
      p = { keyword, length: norm.length, absolute: false, whitelist: false, groups: [] };
      byText.set(norm, p);
      patterns.push(p);
    }
    return p;
  };
  for (const k of lib.absolute) {
    const p = add(k);
    if (p) p.absolute = true;
  }
  for (const [group, words] of Object.entries(lib.groups)) {
    for (const k of words) {
      const p = add(k);
      if (p && !p.groups.includes(group)) p.groups.push(group);
    }
  }
  for (const k of lib.whitelistPhrases) {
    const p = add(k);
    if (p) p.whitelist = true;
  }

  const automaton = buildAutomaton([...byText.keys()]);
  const groups = Object.freeze(Object.keys(lib.groups));

  return Object.freeze({
    groups,
    check(text: string, enabledGroups: readonly string[]): KeywordCheckResult {
      const t = normalise(text);
      const { next, fail, out } = automaton;
      // Flat arrays, allocated only on a hit: most messages hit nothing.
      let whitelisted: number[] | null = null; // [start, end, start, end, …]
      let candidates: number[] | null = null; // [start, end, patternIndex, …]
      let state = 0;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        let to = next[state].get(c);
        while (to === undefined && state !== 0) {
          state = fail[state];
          to = next[state].get(c);
        }
        state = to ?? 0;
        const hits = out[state];
        if (hits === null) continue;
        for (const pi of hits) {
          const p = patterns[pi];
          // Absolute terms are matched on the unmasked text: a whitelist can never release them.
          if (p.absolute) return { ok: false, code: 'KEYWORD_BLOCKED', keyword: p.keyword };
          const start = i + 1 - p.length;
          if (p.whitelist) (whitelisted ??= []).push(start, i + 1);
          if (p.groups.length > 0 && enabledGroups.length > 0) (candidates ??= []).push(start, i + 1, pi);
        }
      }
      if (candidates === null) return OK;

      // Masking semantics: a group keyword that overlaps any whitelisted occurrence is ignored;
      // the same keyword standing alone elsewhere in the text still hits.
      for (let k = 0; k < candidates.length; k += 3) {
        const start = candidates[k];
        const end = candidates[k + 1];
        if (whitelisted !== null && overlapsAny(start, end, whitelisted)) continue;
        const p = patterns[candidates[k + 2]];
        const group = p.groups.find((g) => enabledGroups.includes(g));
        if (group !== undefined) return { ok: false, code: 'KEYWORD_GROUP_HIT', keyword: p.keyword, group };
      }
      return OK;
    },
  });
}

function overlapsAny(start: number, end: number, intervals: number[]): boolean {
  for (let k = 0; k < intervals.length; k += 2) {
    if (start < intervals[k + 1] && intervals[k] < end) return true;
  }
  return false;
}

interface Automaton {
  /** Goto function: per state, UTF-16 code unit → next state. */
  next: Map<number, number>[];
  /** Failure link: longest proper suffix of the state that is also a trie prefix. */
  fail: Int32Array;
  /** Pattern indexes ending at each state, failure-chain outputs merged in; null when none. */
  out: (number[] | null)[];
}

/** Classic Aho–Corasick over UTF-16 code units; pattern i ends at the states listing i. */
function buildAutomaton(words: string[]): Automaton {
  const next: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  words.forEach((w, wi) => {
    let s = 0;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      let to = next[s].get(c);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        own.push([]);
        next[s].set(c, to);
      }
      s = to;
    }
    own[s].push(wi);
  });

  const fail = new Int32Array(next.length);
  const out: (number[] | null)[] = new Array(next.length).fill(null);
  // Breadth-first, so a state's failure target is complete before the state itself.
  const queue: number[] = [];
  for (const to of next[0].values()) queue.push(to);
  out[0] = own[0].length ? own[0] : null;
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q];
    const inherited = out[fail[s]];
    out[s] = own[s].length || inherited ? [...own[s], ...(inherited ?? [])] : null;
    for (const [c, to] of next[s]) {
      let f = fail[s];
      while (f !== 0 && !next[f].has(c)) f = fail[f];
      const target = next[f].get(c);
      fail[to] = target !== undefined && target !== to ? target : 0;
      queue.push(to);
    }
  }
  return { next, fail, out };
}
