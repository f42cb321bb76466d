import type { User } from '@parley/protocol';

/**
 * A stand-in with only the id, for a user the client has no record of yet: the author of
 * pending messages before `connection.ok`, a member a view names before it is loaded.
 */
export function placeholderUser(id: string): User {
  return {
    id,
    name: null,
    image: null,
    role: 'user',
    data: {},
    created_at: '',
    updated_at: '',
    last_active: null,
    online: false,
  };
}
