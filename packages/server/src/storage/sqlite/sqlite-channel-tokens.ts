/*
 * Each message's entry in SQLite's FTS5 tables starts with a token of its channel: three
 * private-use characters (U+E000–U+F8FF) made from a hash of its cid, one trigram for the
 * trigram tokenizer and one word for unicode61 (which keeps private-use characters in
 * words). FTS5 cannot look in one channel otherwise: `hot AND tel AND (<channel> OR …)`
 * intersects a term's lists with the lists of a reader's channels inside the index, where
 * testing the rows of 20 channels of 1,000 messages reads all 20,000 of them.
 *
 * The token is computed in SQL from the row's cid alone, so that the triggers give the
 * index exactly what they take back out of it on delete (a contentless table is told the
 * old values), with no other table read: a channel's messages are deleted after the
 * channel itself when it goes. Two channels may share a token: that only makes the index
 * list a few more messages, which the search's channel condition drops.
 */

/** Characters of a cid hashed from its start and from its end: apps' ids differ at both. */
const HEAD = 8;
const TAIL = 24;
/** One multiplier per hashed character (and the cid's length): odd, below 2^24. */
const MULTIPLIERS = [
  9_782_941, 3_301_187, 14_547_611, 6_021_779, 11_872_153, 1_906_327, 15_604_219, 4_498_601,
  8_120_087, 12_990_383, 2_705_141, 10_338_559, 5_567_993, 16_120_931, 7_031_269, 13_664_437,
  795_853, 9_230_171, 3_984_323, 14_003_117, 6_846_989, 11_207_437, 1_452_761, 15_017_963,
  4_950_317, 8_675_213, 12_416_549, 2_231_591, 10_791_007, 5_098_361, 16_567_751, 7_498_559,
  13_155_239,
];
/** Private-use characters a token's characters are taken from. */
const ALPHABET = 6_400;
const FIRST = 0xe000;

/** The SQL sum that hashes the cid `column` (an expression such as `new.cid`). */
function hashSql(column: string): string {
  const chars = [
    ...Array.from({ length: HEAD }, (_, i) => `substr(${column}, ${i + 1}, 1)`),
    ...Array.from({ length: TAIL }, (_, i) => `substr(${column}, ${-(i + 1)}, 1)`),
  ];
  // unicode('') is null: a short cid's missing characters count 0.
  const terms = chars.map((c, i) => `ifnull(unicode(${c}), 0) * ${MULTIPLIERS[i + 1]!}`);
  return [`length(${column}) * ${MULTIPLIERS[0]!}`, ...terms].join(' + ');
}

/**
 * SQL of the channel token of the cid `column` (an expression: `new.cid`, `r.cid`), as a
 * scalar subquery so that the hash is computed once.
 */
export function channelTokenSql(column: string): string {
  const chars = [0, 1, 2].map((i) => `${FIRST} + h / ${ALPHABET ** i} % ${ALPHABET}`);
  return `(SELECT char(${chars.join(', ')}) FROM (SELECT ${hashSql(column)} AS h))`;
}

/** The same token in JavaScript (tests, and a search in one known channel). */
export function channelTokenOf(cid: string): string {
  const codes = [
    ...Array.from({ length: HEAD }, (_, i) => cid.codePointAt(i)),
    ...Array.from({ length: TAIL }, (_, i) => {
      const at = cid.length - 1 - i;
      return at < 0 ? undefined : cid.codePointAt(at);
    }),
  ];
  // Below 2^53: 33 terms, each under 2^24 · 2^21.
  let h = cid.length * MULTIPLIERS[0]!;
  codes.forEach((code, i) => (h += (code ?? 0) * MULTIPLIERS[i + 1]!));
  return String.fromCharCode(
    ...[0, 1, 2].map((i) => FIRST + (Math.floor(h / ALPHABET ** i) % ALPHABET)),
  );
}

/** What the FTS tables index for a row: its channel's token, a space, then `value`. */
export function indexedValueSql(cidColumn: string, value: string): string {
  return `${channelTokenSql(cidColumn)} || ' ' || ${value}`;
}
