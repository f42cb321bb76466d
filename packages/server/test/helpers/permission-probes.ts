import type { ChannelAction } from '@parley/protocol';
import type { TestServer } from './test-server.js';

/**
 * The cast of the permission matrix, in a channel `<type>:matrix`: an owner, a moderator,
 * a member, an app admin outside the channel, and an outsider; `author` (a member) writes
 * the messages others act on, `bystander` (a member) is the one moderated.
 */
export const MATRIX_ROLES = ['owner', 'moderator', 'member', 'admin', 'outsider'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
export const ACTOR_OF: Record<MatrixRole, string> = {
  owner: 'own',
  moderator: 'mod',
  member: 'mem',
  admin: 'root',
  outsider: 'out',
};

/** What a probe observed: done, or the error code the server answered. */
export type Outcome = 'ok' | string;

/** Creates a channel `type:id` with the matrix cast in their roles. */
export async function castChannel(server: TestServer, type: string, id: string): Promise<void> {
  await server.createChannel(type, id, ['mem', 'author', 'bystander'], 'own');
  const res = await server.api('POST', `/channels/${type}/${id}/members`, {
    body: { user_ids: ['mod'], role: 'moderator' },
  });
  if (res.status !== 200) throw new Error(`castChannel: ${JSON.stringify(res.body)}`);
}

/** Every action, probed by a real call as the actor; each probe uses fresh objects. */
export class PermissionProbes {
  private counter = 0;

  constructor(
    private readonly server: TestServer,
    private readonly type: string,
  ) {}

  get path(): string {
    return `/channels/${this.type}/matrix`;
  }

  async probe(action: ChannelAction, actor: string): Promise<Outcome> {
    const token = await this.server.tokenFor(actor);
    const n = ++this.counter;
    const call = (method: string, path: string, body?: unknown) =>
      this.server.api(method, path, { token, ...(body === undefined ? {} : { body }) });
    let res: { status: number; body: any };
    switch (action) {
      case 'send':
        res = await call('POST', `${this.path}/messages`, { text: `probe ${n}` });
        break;
      case 'reply':
        res = await call('POST', `${this.path}/messages`, {
          text: `reply ${n}`,
          parent_id: await this.authored(),
        });
        break;
      case 'react':
        res = await call('POST', `/messages/${await this.authored()}/reactions`, { type: 'like' });
        break;
      case 'upload':
        res = await this.server.upload(
          `${this.type}:matrix`,
          { bytes: new TextEncoder().encode(`file ${n}\n`), name: 'notes.txt', type: 'text/plain' },
          { token },
        );
        break;
      case 'mention':
        res = await call('POST', `${this.path}/messages`, {
          text: `hey @author ${n}`,
          mentioned_users: ['author'],
        });
        break;
      case 'edit_others':
        res = await call('PATCH', `/messages/${await this.authored()}`, { text: `edited ${n}` });
        break;
      case 'delete_others':
        res = await call('DELETE', `/messages/${await this.authored()}`);
        break;
      case 'hard_delete':
        res = await call('DELETE', `/messages/${await this.authored()}?hard=true`);
        break;
      case 'pin':
        res = await call('PATCH', `/messages/${await this.authored()}`, { pinned: true });
        break;
      case 'add_members':
        await this.server.createUsers(`joiner-${this.type}-${n}`);
        res = await call('POST', `${this.path}/members`, {
          user_ids: [`joiner-${this.type}-${n}`],
        });
        break;
      case 'remove_members': {
        const leaver = `leaver-${this.type}-${n}`;
        await this.server.createUsers(leaver);
        await this.server.api('POST', `${this.path}/members`, { body: { user_ids: [leaver] } });
        res = await call('DELETE', `${this.path}/members`, { user_ids: [leaver] });
        break;
      }
      case 'assign_roles':
        await this.server.createUsers(`promoted-${this.type}-${n}`);
        res = await call('POST', `${this.path}/members`, {
          user_ids: [`promoted-${this.type}-${n}`],
          role: 'moderator',
        });
        break;
      case 'update_channel':
        res = await call('PATCH', this.path, { set: { topic: `topic ${n}` } });
        break;
      case 'delete_channel':
        await castChannel(this.server, this.type, `doomed-${n}`);
        res = await call('DELETE', `/channels/${this.type}/doomed-${n}`);
        break;
      case 'moderate':
        res = await call('POST', '/moderation/mute', {
          target_user_id: 'bystander',
          cid: `${this.type}:matrix`,
        });
        // Lifted by the server, so the next probe starts from the same state.
        await this.server.api('DELETE', '/moderation/mute', {
          body: { target_user_id: 'bystander', cid: `${this.type}:matrix` },
        });
        break;
      case 'skip_slow_mode':
        res = await this.probeSlowMode(call, n);
        break;
    }
    return res.status < 300 ? 'ok' : (res.body?.error?.code ?? `http ${res.status}`);
  }

  /** Two messages in a row under an hour's slow mode: the second passes only with the skip. */
  private async probeSlowMode(
    call: (m: string, p: string, b?: unknown) => Promise<{ status: number; body: any }>,
    n: number,
  ) {
    await this.server.api('PATCH', `/channel-types/${this.type}`, { body: { slow_mode_s: 3600 } });
    try {
      const first = await call('POST', `${this.path}/messages`, { text: `slow ${n}` });
      if (first.status >= 300) return first;
      return await call('POST', `${this.path}/messages`, { text: `slow again ${n}` });
    } finally {
      await this.server.api('PATCH', `/channel-types/${this.type}`, { body: { slow_mode_s: 0 } });
    }
  }

  /** A fresh message by `author`, sent by the server. */
  private async authored(): Promise<string> {
    const res = await this.server.api('POST', `${this.path}/messages`, {
      body: { text: `by author ${this.counter}`, user_id: 'author' },
    });
    if (res.status !== 201) throw new Error(`authored: ${JSON.stringify(res.body)}`);
    return res.body.message.id as string;
  }
}
