'use client';
import { Fragment, memo, useEffect, type ReactNode } from 'react';
import type { User } from '../types.js';
import { loadLinkifier, useLinkifier } from './linkifier.js';

/** What `MessageText` takes. */
export interface MessageTextProps {
  text: string;
  /** The members the message mentions: `@name` / `@id` of each is highlighted. */
  mentioned?: readonly Pick<User, 'id' | 'name'>[];
  /** The viewer's id: mentions of them are marked `parley-mention-me`. */
  me?: string | undefined;
}

/**
 * A message's text as React text nodes — never HTML from the text — with http(s) links
 * (found by linkifyjs, loaded on first use) made clickable and mentions of members
 * highlighted.
 */
export const MessageText = memo(function MessageText({ text, mentioned, me }: MessageTextProps) {
  const find = useLinkifier();
  // A link has a dot (a domain) or a colon (a scheme); other texts need no linkifier.
  const linkable = /[.:]/.test(text);
  useEffect(() => {
    if (linkable && find === null) void loadLinkifier();
  }, [linkable, find]);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const link of linkable && find !== null ? find(text, 'url') : []) {
    // linkifyjs also finds bare domains (given http://); other schemes stay text.
    if (!/^https?:\/\//i.test(link.href)) continue;
    parts.push(...withMentions(text.slice(at, link.start), mentioned, me, parts.length));
    parts.push(
      <a
        key={`l${link.start}`}
        className="parley-link"
        href={link.href}
        target="_blank"
        rel="noopener noreferrer nofollow"
      >
        {link.value}
      </a>,
    );
    at = link.end;
  }
  parts.push(...withMentions(text.slice(at), mentioned, me, parts.length));
  return <>{parts}</>;
});

function withMentions(
  text: string,
  mentioned: readonly Pick<User, 'id' | 'name'>[] | undefined,
  me: string | undefined,
  key: number,
): ReactNode[] {
  if (text === '') return [];
  const names = new Map<string, string>();
  for (const user of mentioned ?? []) {
    names.set(user.id, user.id);
    if (user.name !== null && user.name.trim() !== '') names.set(user.name, user.id);
  }
  if (names.size === 0) return [<Fragment key={`t${key}`}>{text}</Fragment>];
  // Longest first, so "@Ana Lima" wins over "@Ana"; a mention ends at a non-word character.
  const pattern = [...names.keys()]
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  const mention = new RegExp(`@(${pattern})(?![\\p{L}\\p{N}_])`, 'gu');
  const parts: ReactNode[] = [];
  let at = 0;
  for (const match of text.matchAll(mention)) {
    const start = match.index;
    if (start > at) parts.push(text.slice(at, start));
    const id = names.get(match[1]!);
    parts.push(
      <span
        key={`m${key}-${start}`}
        className={`parley-mention${id === me ? ' parley-mention-me' : ''}`}
        data-user-id={id}
      >
        {match[0]}
      </span>,
    );
    at = start + match[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return [<Fragment key={`t${key}`}>{parts}</Fragment>];
}
