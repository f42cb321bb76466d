import { ChatError, type BlocklistEntry } from '@parley/protocol';
import { searchTextOf } from '../search/search-text.js';

/** What a blocklist says of a text: the strongest action matched, and the text masked. */
export interface BlocklistVerdict {
  action: 'block' | 'flag' | 'mask' | null;
  /** The words matched (as the pattern that matched them). */
  matched: string[];
  /** The text with every `mask` match replaced by `***`. */
  masked: string;
}

/**
 * A channel type's blocklist, compiled once. Words are compared as search compares them
 * (search-text.ts: case and accents folded), whole words only; `*` stands for any letters.
 * Patterns become regular expressions of literals and `\p{L}*` only, which cannot
 * backtrack badly, so an operator's list cannot stall the send path.
 */
export class Blocklist {
  private readonly entries: { entry: BlocklistEntry; regex: RegExp }[];

  constructor(entries: readonly BlocklistEntry[]) {
    this.entries = entries.map((entry) => ({ entry, regex: compile(entry.pattern) }));
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  check(text: string): BlocklistVerdict {
    if (this.entries.length === 0) return { action: null, matched: [], masked: text };
    const folded = searchTextOf(text);
    const matched: string[] = [];
    let action: BlocklistVerdict['action'] = null;
    let masked = text;
    for (const { entry, regex } of this.entries) {
      if (!regex.test(folded)) continue;
      matched.push(entry.pattern);
      if (entry.action === 'block') action = 'block';
      else if (entry.action === 'flag' && action !== 'block') action = 'flag';
      else if (entry.action === 'mask') {
        if (action === null) action = 'mask';
        masked = maskWords(masked, regex);
      }
    }
    return { action, matched, masked };
  }
}

/** The regex of a pattern over folded text: whole words, `*` for any letters or digits. */
function compile(pattern: string): RegExp {
  const folded = searchTextOf(pattern).replace(/\s+/g, '');
  const body = folded
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\p{L}\\p{N}]*');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}

/** Replaces each word of `text` whose folded form matches with `***`. */
function maskWords(text: string, regex: RegExp): string {
  return text.replace(/[\p{L}\p{N}*]+/gu, (word) =>
    regex.test(searchTextOf(word)) ? '***' : word,
  );
}

/** The refusal of a text the channel type's blocklist blocks. */
export function blockedText(matched: readonly string[]): ChatError {
  return new ChatError('message_blocked', 'the text contains a blocked word', { matched });
}
