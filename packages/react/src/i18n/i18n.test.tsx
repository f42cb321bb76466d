// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionBanner } from '../components/connection-banner.js';
import {
  fakeChannel,
  inChannel,
  members,
  message,
} from '../components/fake-channel.test-helper.js';
import { MessageInput } from '../components/message-input.js';
import { MessageList } from '../components/message-list.js';
import { TypingIndicator, typingText } from '../components/typing-indicator.js';
import { en } from './en.js';
import { pt } from './pt.js';
import { ptPT } from './pt-pt.js';
import { createTranslator } from './translator.js';

afterEach(() => cleanup());

describe('translation tables', () => {
  it.each([
    ['pt', pt],
    ['ptPT', ptPT],
  ])('%s has a string for every English key, with the same {values}', (_name, table) => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(table[key], key).toBeTypeOf('string');
      expect(names(table[key]), key).toEqual(names(en[key]));
    }
  });

  it('ptPT writes what is going on as Portugal does', () => {
    const portugal = createTranslator({ locale: 'pt-PT', messages: ptPT });
    expect(typingText([{ id: 'ana', name: 'Ana' }], portugal)).toBe('Ana está a escrever…');
    expect(portugal.t('files.attach')).toBe('Anexar ficheiros');
    expect(portugal.plural('message.replies', 2)).toBe('2 respostas');
  });

  it('fills values, picks plural forms and formats lists in the locale', () => {
    const english = createTranslator({ locale: 'en' });
    expect(english.t('channels.unread', { count: 3 })).toBe('3 unread');
    expect(english.plural('message.replies', 1)).toBe('1 reply');
    expect(english.plural('message.replies', 4)).toBe('4 replies');
    expect(english.list(['Ana', 'Ben', 'Cy'])).toBe('Ana, Ben, and Cy');
    const portuguese = createTranslator({ locale: 'pt-BR', messages: pt });
    expect(portuguese.plural('message.replies', 2)).toBe('2 respostas');
    expect(portuguese.list(['Ana', 'Ben', 'Cy'])).toBe('Ana, Ben e Cy');
    expect(typingText([{ id: 'ana', name: 'Ana' }], portuguese)).toBe('Ana está digitando…');
  });

  it('lets an app replace single strings and keeps English for the rest', () => {
    const custom = createTranslator({ messages: { 'input.send': 'Post' } });
    expect(custom.t('input.send')).toBe('Post');
    expect(custom.t('input.label')).toBe('Message');
  });

  it('formats times and days in the time zone given, and groups days by it', () => {
    const at = new Date('2026-03-01T23:30:00Z');
    const utc = createTranslator({ locale: 'en-GB', timeZone: 'UTC' });
    const tokyo = createTranslator({ locale: 'en-GB', timeZone: 'Asia/Tokyo' });
    expect(utc.time(at)).toBe('23:30');
    expect(tokyo.time(at)).toBe('08:30');
    // ICU versions differ on the comma after the weekday.
    expect(utc.day(at)).toMatch(/^Sunday,? 1 March 2026$/);
    expect(tokyo.day(at)).toMatch(/^Monday,? 2 March 2026$/);
    expect(utc.dayKey(at)).not.toBe(tokyo.dayKey(at));
  });

  it("writes times and full dates in the app's formats when it gives them, the defaults otherwise", () => {
    const at = new Date('2026-03-01T15:05:00Z');
    const app = createTranslator({
      locale: 'en-US',
      timeZone: 'UTC',
      dateFormats: {
        time: { timeStyle: 'short' },
        dateTime: { dateStyle: 'medium', timeStyle: 'short' },
      },
    });
    const page = new Intl.DateTimeFormat('en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    expect(app.dateTime(at)).toBe(page.format(at));
    expect(app.time(at)).toMatch(/^3:05\sPM$/);
    expect(app.day(at)).toMatch(/^Sunday,? March 1,? 2026$/);
    expect(createTranslator({ locale: 'en-US', timeZone: 'UTC' }).time(at)).toMatch(/^03:05\sPM$/);
  });
});

describe('ChatProvider locale, timeZone and messages', () => {
  const state = {
    members: members('ana', 'ben'),
    typing: ['ben'],
    messages: [
      message(0, 'ben', '2026-03-01T22:00:00Z', { text: 'boa noite' }),
      message(1, 'ben', '2026-03-02T00:30:00Z', { text: 'مرحبا بالعالم' }),
    ],
  };

  it('shows every string of a chat in Portuguese with dates in the viewer time zone given', () => {
    const { container } = inChannel(
      fakeChannel(state),
      <>
        <ConnectionBanner />
        <MessageList />
        <TypingIndicator />
        <MessageInput />
      </>,
      { locale: 'pt-BR', timeZone: 'America/Sao_Paulo', messages: pt },
    );
    expect(container.querySelector('.parley')!.getAttribute('lang')).toBe('pt-BR');
    expect(screen.getByRole('log', { name: 'Mensagens' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Mensagem' }).getAttribute('placeholder')).toBe(
      'Escreva uma mensagem…',
    );
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeTruthy();
    expect(screen.getByText('BEN está digitando…')).toBeTruthy();
    // 22:00 and 00:30 UTC are 19:00 and 21:30 the same day in São Paulo: one separator.
    const days = screen.getAllByRole('separator').map((s) => s.textContent);
    expect(days).toEqual(['domingo, 1 de março de 2026']);
    const times = Array.from(container.querySelectorAll('time')).map((t) => t.textContent);
    expect(times).toEqual(['19:00', '21:30']);
  });

  it('splits days where the viewer time zone does', () => {
    inChannel(fakeChannel(state), <MessageList />, { locale: 'en-GB', timeZone: 'UTC' });
    const days = screen.getAllByRole('separator').map((s) => s.textContent);
    expect(days).toHaveLength(2);
    expect(days[0]).toMatch(/^Sunday,? 1 March 2026$/);
    expect(days[1]).toMatch(/^Monday,? 2 March 2026$/);
  });

  it('gives message text dir="auto" so right-to-left text reads correctly', () => {
    inChannel(fakeChannel(state), <MessageList />);
    expect(screen.getByText('مرحبا بالعالم').getAttribute('dir')).toBe('auto');
    expect(screen.getByText('boa noite').getAttribute('dir')).toBe('auto');
  });
});
