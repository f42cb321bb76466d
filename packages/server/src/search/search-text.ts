/**
 * Text as search compares it: lower case, accents and other combining marks removed,
 * compatibility forms folded (ﬁ → fi, full-width → ASCII) and every run of white space one
 * space. Stored beside each message (`search_text`) and applied to every query term, so that
 * `cafe` finds `Café` and matching is a plain substring test on both databases.
 */
export function searchTextOf(text: string): string {
  // ASCII text (most messages) needs no Unicode folding: the same result, far cheaper,
  // and it runs for every message stored.
  if (ASCII.test(text)) return text.toLowerCase().replace(/\s+/g, ' ');
  return normalizeWithOffsets(text).text;
}

/** Printable ASCII and its white space (other control characters take the general path). */
const ASCII = /^[\t\n\v\f\r -~]*$/;

/**
 * The normalised text, and for each of its UTF-16 units the offset in `text` of the code
 * point it came from (plus one past the end), so that a match found in the normalised
 * text can be shown as a range of the original.
 */
export function normalizeWithOffsets(text: string): { text: string; offsets: number[] } {
  if (ASCII.test(text)) return asciiWithOffsets(text);
  let out = '';
  const offsets: number[] = [];
  let offset = 0;
  let lastWasSpace = false;
  for (const char of text) {
    const start = offset;
    offset += char.length;
    const folded = foldOf(char);
    if (folded === WHITE_SPACE) {
      if (!lastWasSpace) {
        out += ' ';
        offsets.push(start);
      }
      lastWasSpace = true;
      continue;
    }
    lastWasSpace = false;
    // A mark alone (a lone combining accent) folds to nothing: nothing to search.
    for (let i = 0; i < folded.length; i++) offsets.push(start);
    out += folded;
  }
  offsets.push(offset);
  return { text: out, offsets };
}

/** \t \n \v \f \r and space: the ASCII characters /\s/ matches. */
function isAsciiSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** foldOf's answer for white space (no character folds to NUL). */
const WHITE_SPACE = '\0';

/** Characters outside ASCII folded so far, and at most how many are kept. */
const folds = new Map<string, string>();
const MAX_FOLDS = 20_000;

/**
 * One character (a code point) as search text holds it, or WHITE_SPACE. ASCII is worked
 * out at once; other characters are folded once (NFKD, marks removed, lower case) and
 * remembered: that folding, per character, was most of the time spent on a Chinese or
 * accented message, stored or highlighted, and a text uses few distinct characters.
 */
function foldOf(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) {
    if (isAsciiSpace(code)) return WHITE_SPACE;
    return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
  }
  let folded = folds.get(char);
  if (folded === undefined) {
    folded = /\s/u.test(char)
      ? WHITE_SPACE
      : char.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    if (folds.size < MAX_FOLDS) folds.set(char, folded);
  }
  return folded;
}

/**
 * normalizeWithOffsets for ASCII text (most messages): lower case and white space runs
 * made one space, without the per-character Unicode folding (search highlights every
 * result: a sixth of a search's JavaScript went there).
 */
function asciiWithOffsets(text: string): { text: string; offsets: number[] } {
  const offsets: number[] = [];
  let out = '';
  let runStart = 0;
  let lastWasSpace = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isAsciiSpace(code)) {
      if (!lastWasSpace) {
        out += text.slice(runStart, i).toLowerCase() + ' ';
        offsets.push(i);
      }
      lastWasSpace = true;
      runStart = i + 1;
      continue;
    }
    lastWasSpace = false;
    offsets.push(i);
  }
  out += text.slice(runStart).toLowerCase();
  offsets.push(text.length);
  return { text: out, offsets };
}

/** Han, kana and Hangul: scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2,}/gu;

/**
 * Every pair of CJK characters in a row in a search text, space-separated (`会议室` →
 * `会议 议室`), stored beside it (`search_bigrams`) for an index of its own: a trigram
 * index cannot look up a two-character term, and two characters make a word in Chinese
 * and Japanese. Empty for text without two CJK characters in a row (most messages).
 */
export function cjkBigramsOf(searchText: string): string {
  if (ASCII.test(searchText)) return '';
  const pairs = new Set<string>();
  for (const [run] of searchText.matchAll(CJK_RUN)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i]! + chars[i + 1]!);
  }
  return [...pairs].join(' ');
}

/** True for a term of two CJK characters: the bigram index (cjkBigramsOf) finds it. */
export function isCjkBigram(term: string): boolean {
  const chars = [...term];
  return chars.length === 2 && chars.every((c) => CJK.test(c));
}

/** A parsed query: every term must appear, no excluded one may. Terms are normalised. */
export interface SearchQuery {
  terms: string[];
  excluded: string[];
}

/** Most terms in one query, and the longest query. */
export const MAX_TERMS = 12;

/**
 * Parses `hotel "check in" -cancelled`: words and "quoted phrases" must all appear (as
 * parts of words too: `hot` finds `hotel`), a leading `-` excludes. Null when nothing is
 * left to look for (only exclusions, or only blanks).
 */
export function parseQuery(q: string): SearchQuery | null {
  const terms: string[] = [];
  const excluded: string[] = [];
  for (const match of q.matchAll(/(-?)(?:"([^"]*)"?|(\S+))/gu)) {
    const negated = match[1] === '-';
    const raw = match[2] ?? match[3] ?? '';
    const term = searchTextOf(raw).trim();
    if (term === '' || term === '-') continue;
    (negated ? excluded : terms).push(term);
  }
  if (terms.length === 0) return null;
  return {
    terms: [...new Set(terms)].slice(0, MAX_TERMS),
    excluded: [...new Set(excluded)].slice(0, MAX_TERMS),
  };
}

/** A LIKE pattern that matches `term` anywhere, with `\` escaping LIKE's own characters. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A highlighted range of a message's text: UTF-16 offsets, end exclusive. */
export interface Highlight {
  start: number;
  end: number;
}

/** Where the terms appear in `text`, as merged ranges of the original text. */
export function highlightsOf(text: string, terms: readonly string[]): Highlight[] {
  const normal = normalizeWithOffsets(text);
  const ranges: Highlight[] = [];
  for (const term of terms) {
    let at = normal.text.indexOf(term);
    while (at >= 0) {
      ranges.push({ start: normal.offsets[at]!, end: normal.offsets[at + term.length]! });
      at = normal.text.indexOf(term, at + term.length);
    }
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Highlight[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * How well a text (as searchTextOf normalised it) matches, for `sort=relevance`: whole-word matches count most, then the
 * start of a word, then the middle; more occurrences and a shorter text rank higher. The
 * same on every database, since it is computed here.
 */
export function relevanceOf(normal: string, terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) {
    let at = normal.indexOf(term);
    while (at >= 0) {
      const before = at === 0 || !/[\p{L}\p{N}]/u.test(normal[at - 1]!);
      const afterIndex = at + term.length;
      const after = afterIndex >= normal.length || !/[\p{L}\p{N}]/u.test(normal[afterIndex]!);
      score += before && after ? 3 : before ? 2 : 1;
      at = normal.indexOf(term, afterIndex);
    }
  }
  return score / Math.log2(2 + normal.length / 40);
}
