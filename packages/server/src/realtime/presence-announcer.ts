import type { ServerEvent } from '@parley/protocol';
import type { ServiceContext } from '../services/context.js';
import type { UserService } from '../services/user-service.js';
import { iso } from '../services/wire.js';

/** Tells everyone who shares a channel with a user that the user came online or went offline. */
export class PresenceAnnouncer {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly users: UserService,
  ) {}

  /** Records `last_active` and publishes the user as presence now sees them. */
  async announce(userId: string): Promise<void> {
    await this.ctx.storage.setLastActive(userId, Date.now());
    // Events and pages of messages name the user as kept (AccessControl.userRecords): from
    // now on with this last_active. Other nodes drop theirs when the event below reaches them.
    this.ctx.access.forgetRecord(userId);
    const [user] = await this.ctx.storage.getUsers([userId]);
    if (user === undefined) return;
    const [wireUser] = await this.users.withPresence([user]);
    const contacts = await this.ctx.storage.getContactIds(userId);
    const event: ServerEvent = {
      type: 'user.presence.changed',
      user: wireUser!,
      created_at: iso(Date.now()),
    };
    // Published even to no one: every node drops its copy of the record on seeing it.
    await this.ctx.bus.publish({ kind: 'users', userIds: contacts, event });
  }
}
