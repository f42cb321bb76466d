import { describe, expect, it } from 'vitest';
import { configWebhooks, parseWebhookEntry, wantsEvent } from './webhook-endpoints.js';

describe('webhook endpoints', () => {
  it('reads filters after # and refuses what is not an http(s) URL or an event type', () => {
    expect(parseWebhookEntry('https://a.example/hook')).toEqual({
      url: 'https://a.example/hook',
      events: ['*'],
    });
    expect(parseWebhookEntry('http://a.example/h?x=1#message.new+member.*')).toEqual({
      url: 'http://a.example/h?x=1',
      events: ['message.new', 'member.*'],
    });
    expect(() => parseWebhookEntry('ftp://a.example')).toThrow(/http/);
    expect(() => parseWebhookEntry('https://a.example#Message New')).toThrow(/event type/);
  });

  it('matches `*`, a prefix ending in .* and exact types', () => {
    expect(wantsEvent({ events: ['*'] }, 'message.read')).toBe(true);
    expect(wantsEvent({ events: ['message.*'] }, 'message.read')).toBe(true);
    expect(wantsEvent({ events: ['message.*'] }, 'member.added')).toBe(false);
    expect(wantsEvent({ events: ['member.added'] }, 'member.added')).toBe(true);
  });

  it('gives a configured endpoint the same id at every start', () => {
    const a = configWebhooks([{ url: 'https://a.example', events: ['*'] }], 1);
    const b = configWebhooks([{ url: 'https://a.example', events: ['*'] }], 2);
    expect(a[0]!.id).toBe(b[0]!.id);
    expect(
      configWebhooks([{ url: 'https://a.example', events: ['message.new'] }], 1)[0]!.id,
    ).not.toBe(a[0]!.id);
  });
});
