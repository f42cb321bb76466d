import type { Member, User } from '../types.js';
import { displayName } from './user-name.js';

/** Most members the autocomplete offers at once. */
export const MAX_SUGGESTIONS = 8;

/** An `@query` being typed: where its `@` is and what follows it up to the caret. */
export interface MentionQuery {
  start: number;
  end: number;
  query: string;
}

/** The `@word` that ends at `caret`, if the caret is in one (after a space or the start). */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([\p{L}\p{N}_.-]*)$/u.exec(before);
  if (match === null) return null;
  const query = match[1]!;
  return { start: caret - query.length - 1, end: caret, query };
}

/** Members other than `me` whose name or id starts (then contains) `query`, case-insensitively. */
export function suggestions(
  members: readonly Member[],
  query: string,
  me: string | undefined,
): User[] {
  const q = query.toLocaleLowerCase();
  const scored: [number, User][] = [];
  for (const member of members) {
    if (member.user_id === me) continue;
    const name = displayName(member.user).toLocaleLowerCase();
    const id = member.user_id.toLocaleLowerCase();
    const score =
      name.startsWith(q) || id.startsWith(q)
        ? 0
        : name.split(/\s+/).some((word) => word.startsWith(q))
          ? 1
          : name.includes(q) || id.includes(q)
            ? 2
            : -1;
    if (score >= 0) scored.push([score, member.user]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || displayName(a[1]).localeCompare(displayName(b[1])))
    .slice(0, MAX_SUGGESTIONS)
    .map(([, user]) => user);
}

/** The text with `query` replaced by `@Name ` and where the caret goes after it. */
export function insertMention(
  text: string,
  query: MentionQuery,
  user: Pick<User, 'id' | 'name'>,
): { text: string; caret: number } {
  const mention = `@${displayName(user)} `;
  return {
    text: text.slice(0, query.start) + mention + text.slice(query.end),
    caret: query.start + mention.length,
  };
}

/** The ids of `picked` users still mentioned in `text` (by `@Name` or `@id`). */
export function mentionedIds(text: string, picked: readonly Pick<User, 'id' | 'name'>[]): string[] {
  return picked
    .filter((user) => text.includes(`@${displayName(user)}`) || text.includes(`@${user.id}`))
    .map((user) => user.id)
    .filter((id, i, all) => all.indexOf(id) === i);
}
