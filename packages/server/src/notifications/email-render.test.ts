import { describe, expect, it } from 'vitest';
import { channelLink, channelTitle, renderUnreadEmail } from './email-render.js';

describe('notification email', () => {
  it('takes the link from data.url (http and https only), else from the template', () => {
    const template = 'https://app.example/c/{type}/{id}?cid={cid}';
    expect(
      channelLink({ cid: 'team:a', channelData: { url: 'https://x.example/r/1' } }, template),
    ).toBe('https://x.example/r/1');
    expect(
      channelLink({ cid: 'team:a@b', channelData: { url: 'javascript:alert(1)' } }, template),
    ).toBe('https://app.example/c/team/a%40b?cid=team%3Aa%40b');
    expect(channelLink({ cid: 'team:a', channelData: {} }, undefined)).toBeNull();
    expect(channelTitle({ cid: 'team:a', channelData: { name: '  ' } })).toBe('team:a');
  });

  it('names a channel without a name after its other members, as the kit does', () => {
    const unnamed = { cid: 'request:r1', channelData: {} };
    expect(channelTitle(unnamed, ['Ana'])).toBe('Ana');
    expect(channelTitle(unnamed, ['Ana', 'Ben'])).toBe('Ana and Ben');
    expect(channelTitle(unnamed, ['Ana', 'Ben', 'Cy', 'Dee'])).toBe('Ana, Ben and 2 more');
    expect(channelTitle({ cid: 'team:a', channelData: { name: 'Crew' } }, ['Ana'])).toBe('Crew');
  });

  it('escapes every user string in the HTML part and groups channels', () => {
    const { subject, html, text } = renderUnreadEmail(
      '<Ben>',
      [
        {
          title: 'A & B',
          link: 'https://x.example/?a=1&b="2"',
          unread: 4,
          quotes: [{ author: '<i>Ana</i>', text: '<img src=x onerror=alert(1)>' }],
        },
        { title: 'Other', link: null, unread: 1, quotes: [{ author: 'Ana', text: 'hi' }] },
      ],
      'https://chat.example/notifications/unsubscribe?token=t',
    );
    expect(subject).toBe('5 unread messages in 2 conversations');
    expect(html).not.toMatch(/<img|<i>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('href="https://x.example/?a=1&amp;b=&quot;2&quot;"');
    expect(text).toContain('…and 3 more');
    expect(text).toContain('<img src=x onerror=alert(1)>');
  });
});
