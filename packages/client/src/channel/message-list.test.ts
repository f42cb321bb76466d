import { plainMessageFields } from '@parley/protocol/codes';
import type { Message, User } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { sent } from './message-list.js';

const AT = '2026-11-25T10:00:00.000Z';

const user = (fields: Partial<User> = {}): User => ({
  id: 'ben',
  name: 'Ben',
  image: null,
  role: 'user',
  data: { team: 'blue' },
  created_at: AT,
  updated_at: AT,
  last_active: AT,
  online: true,
  ...fields,
});

const message = (seq: number, author: User): Message => ({
  id: `m${seq}`,
  cid: 'team:x',
  seq,
  type: 'regular',
  user_id: author.id,
  user: author,
  text: `text ${seq}`,
  data: {},
  created_at: AT,
  updated_at: AT,
  ...plainMessageFields(),
});

describe('sent', () => {
  it('shows a stored message as sent, whatever status it came with', () => {
    const shown = sent({ ...message(1, user()), status: 'sending' } as Message);
    expect(shown).toEqual({ ...message(1, user()), status: 'sent' });
  });

  it('shows messages of an unchanged author with one author object', () => {
    const first = sent(message(1, user()));
    const second = sent(message(2, user()));
    expect(second.user).toBe(first.user);
    expect(second.user).toEqual(user());
  });

  it('shows an author whose fields or custom data changed as they are now', () => {
    const before = sent(message(1, user({ id: 'cy' })));
    const renamed = sent(message(2, user({ id: 'cy', name: 'Cyrus' })));
    expect(renamed.user).not.toBe(before.user);
    expect(renamed.user?.name).toBe('Cyrus');
    const recoloured = sent(message(3, user({ id: 'cy', name: 'Cyrus', data: { team: 'red' } })));
    expect(recoloured.user?.data).toEqual({ team: 'red' });
    const offline = sent(
      message(4, user({ id: 'cy', name: 'Cyrus', data: { team: 'red' }, online: false })),
    );
    expect(offline.user?.online).toBe(false);
  });
});
