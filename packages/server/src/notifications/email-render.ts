import type { EmailChannelDue } from '../storage/notification-store.js';

/** A channel of an email, ready to show. */
export interface EmailSection {
  title: string;
  link: string | null;
  unread: number;
  /** The latest unread messages, oldest first. */
  quotes: { author: string; text: string }[];
}

/** What an unread-messages email says, as text and as HTML (every user string escaped). */
export function renderUnreadEmail(
  recipientName: string | null,
  sections: readonly EmailSection[],
  unsubscribeUrl: string,
): { subject: string; text: string; html: string } {
  const total = sections.reduce((n, s) => n + s.unread, 0);
  const subject =
    sections.length === 1
      ? `${plural(total, 'unread message')} in ${sections[0]!.title}`
      : `${plural(total, 'unread message')} in ${sections.length} conversations`;
  const hello = recipientName ? `Hello ${recipientName},` : 'Hello,';
  const text = [
    hello,
    '',
    `You have ${plural(total, 'unread message')}:`,
    ...sections.flatMap((s) => [
      '',
      `${s.title} (${s.unread} unread)`,
      ...s.quotes.map((q) => `  ${q.author}: ${oneLine(q.text)}`),
      ...(s.unread > s.quotes.length ? [`  …and ${s.unread - s.quotes.length} more`] : []),
      ...(s.link === null ? [] : [`  Open: ${s.link}`]),
    ]),
    '',
    `To stop these emails: ${unsubscribeUrl}`,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>${escapeHtml(hello)}</p>`,
    `<p>You have ${escapeHtml(plural(total, 'unread message'))}:</p>`,
    ...sections.map(
      (s) =>
        `<h3>${escapeHtml(s.title)} (${s.unread} unread)</h3>` +
        s.quotes
          .map(
            (q) =>
              `<blockquote><strong>${escapeHtml(q.author)}</strong>: ${escapeHtml(q.text)}</blockquote>`,
          )
          .join('') +
        (s.unread > s.quotes.length ? `<p>…and ${s.unread - s.quotes.length} more</p>` : '') +
        (s.link === null ? '' : `<p><a href="${escapeHtml(s.link)}">Open the conversation</a></p>`),
    ),
    `<p style="color:#666;font-size:small"><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a> from these emails.</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** The channel's link: its data's `url` (http or https only), else the template's, else none. */
export function channelLink(
  channel: Pick<EmailChannelDue, 'cid' | 'channelData'>,
  template: string | undefined,
): string | null {
  const url = channel.channelData.url;
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) return url;
  if (template === undefined) return null;
  const colon = channel.cid.indexOf(':');
  const values: Record<string, string> = {
    cid: channel.cid,
    type: channel.cid.slice(0, colon),
    id: channel.cid.slice(colon + 1),
  };
  return template.replace(/\{(cid|type|id)\}/g, (_, key: string) =>
    encodeURIComponent(values[key]!),
  );
}

/** The channel's name for people: its data's `name`, else its cid. */
/**
 * A channel's name, else its other members' names (as the React kit shows an unnamed
 * conversation: "Ana", "Ana and Ben", "Ana, Ben and 2 more"), else its cid.
 */
export function channelTitle(
  channel: Pick<EmailChannelDue, 'cid' | 'channelData'>,
  otherMembers: readonly string[] = [],
): string {
  const name = channel.channelData.name;
  if (typeof name === 'string' && name.trim() !== '') return name.trim();
  const [first, second, ...rest] = otherMembers;
  if (first === undefined) return channel.cid;
  if (second === undefined) return first;
  if (rest.length === 0) return `${first} and ${second}`;
  return `${first}, ${second} and ${rest.length} more`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
