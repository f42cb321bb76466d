import { describe, expect, it } from 'vitest';
import {
  cjkBigramsOf,
  highlightsOf,
  isCjkBigram,
  normalizeWithOffsets,
  parseQuery,
  relevanceOf,
  searchTextOf,
} from './search-text.js';

describe('search text', () => {
  it('folds case, accents, compatibility forms and white space, and keeps CJK and emoji', () => {
    expect(searchTextOf('Café  ÉCOLE\tﬁne')).toBe('cafe ecole fine');
    expect(searchTextOf('会议室在三楼')).toBe('会议室在三楼');
    expect(searchTextOf('👋🏽 Hi')).toContain('👋');
    expect(searchTextOf('Ｆｕｌｌ')).toBe('full');
    // The ASCII fast path folds exactly as the general one.
    expect(searchTextOf('Hello\t\n  World')).toBe('hello world');
    expect(searchTextOf('Hello\t\n  World é')).toBe('hello world e');
  });

  it('parses words, quoted phrases and exclusions, dropping empty ones', () => {
    expect(parseQuery('Hotel "check in" -Cancelled')).toEqual({
      terms: ['hotel', 'check in'],
      excluded: ['cancelled'],
    });
    expect(parseQuery('  ')).toBeNull();
    expect(parseQuery('-only')).toBeNull();
    expect(parseQuery('"unclosed phrase')).toEqual({ terms: ['unclosed phrase'], excluded: [] });
  });

  it('highlights matches as ranges of the original text, even across accents and emoji', () => {
    const text = '👋 Café and CAFE';
    const ranges = highlightsOf(text, ['cafe']);
    expect(ranges.map((r) => text.slice(r.start, r.end))).toEqual(['Café', 'CAFE']);
    // A decomposed é (e + combining accent) is highlighted whole.
    const decomposed = 'cafe\u0301 time';
    const [range] = highlightsOf(decomposed, ['cafe']);
    expect(decomposed.slice(range!.start, range!.end)).toBe('cafe\u0301');
    expect(highlightsOf('hotel hotel', ['hot', 'hotel'])).toEqual([
      { start: 0, end: 5 },
      { start: 6, end: 11 },
    ]);
  });

  it('maps ASCII text to the same normal text and offsets as the general path', () => {
    for (const text of ['Hello\t\n  World', '  lead and trail  ', 'A\vB\fC\rD', 'x', '']) {
      // A trailing é sends the same text down the general (Unicode) path.
      const general = normalizeWithOffsets(`${text}é`);
      const ascii = normalizeWithOffsets(text);
      expect(ascii.text).toBe(general.text.slice(0, -1));
      expect(ascii.offsets.slice(0, -1)).toEqual(general.offsets.slice(0, -2));
      expect(ascii.offsets.at(-1)).toBe(text.length);
    }
  });

  it('folds every character as Unicode folding it alone would, remembered or not', () => {
    // The definition: each code point by itself, NFKD, marks removed, lower case; white
    // space runs one space.
    const reference = (text: string) => {
      let out = '';
      let space = false;
      for (const char of text) {
        if (/\s/u.test(char)) {
          if (!space) out += ' ';
          space = true;
          continue;
        }
        space = false;
        out += char.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
      }
      return out;
    };
    const palette = [...'aZ9 \t\u00a0\u3000é\u0301ÉİßΣς会議ｶＦﬁ👋🏽\x01~'];
    let seed = 7;
    const pick = () => palette[(seed = (seed * 48271) % 2147483647) % palette.length]!;
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 1 + (n % 17) }, pick).join('');
      // Twice: the second time from the remembered folds.
      for (let round = 0; round < 2; round++) {
        const normal = normalizeWithOffsets(text);
        expect(normal.text, JSON.stringify(text)).toBe(reference(text));
        expect(normal.offsets).toHaveLength(normal.text.length + 1);
        expect(normal.offsets.at(-1)).toBe(text.length);
      }
    }
  });

  it('ranks whole words above parts of words, and a short text above a long one', () => {
    const score = (text: string) => relevanceOf(searchTextOf(text), ['hotel']);
    expect(score('the Hotel')).toBeGreaterThan(score('Hotels'));
    expect(score('hotel')).toBeGreaterThan(score(`hotel ${'filler '.repeat(50)}`));
  });

  it('lists the pairs of CJK characters in a row, which the pair index finds two-character terms by', () => {
    expect(cjkBigramsOf('会议室在三楼 ok 会议')).toBe('会议 议室 室在 在三 三楼');
    expect(cjkBigramsOf('カフェで会う')).toBe('カフ フェ ェで で会 会う');
    expect(cjkBigramsOf('cafe 会 x 议')).toBe('');
    expect(cjkBigramsOf('plain ascii')).toBe('');
    expect(isCjkBigram('会议')).toBe(true);
    expect(isCjkBigram('会议室')).toBe(false);
    expect(isCjkBigram('ab')).toBe(false);
    expect(isCjkBigram('a会')).toBe(false);
  });
});
