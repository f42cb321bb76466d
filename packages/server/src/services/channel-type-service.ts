import { randomUUID } from 'node:crypto';
import {
  ChatError,
  type ChannelTypeSettings,
  type CreateChannelTypeRequest,
  type UpdateChannelTypeRequest,
} from '@parley/protocol';
import {
  applyChange,
  isBuiltIn,
  resolveType,
  toChannelTypeWire,
} from '../permissions/channel-type-settings.js';
import { requireServer } from './access.js';
import { channelTypeSaved } from './app-events.js';
import type { Actor, ServiceContext } from './context.js';

/** Channel types and their settings: created and changed by the app backend. */
export class ChannelTypeService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(): Promise<ChannelTypeSettings[]> {
    const stored = await this.ctx.storage.listChannelTypes();
    const names = new Set(stored.map((r) => r.name));
    const builtIns = ['messaging', 'team'].filter((n) => !names.has(n));
    return [
      ...builtIns.map((name) => toChannelTypeWire(resolveType(name, null))),
      ...stored.map((record) => toChannelTypeWire(resolveType(record.name, record))),
    ].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async get(name: string): Promise<ChannelTypeSettings> {
    const type = resolveType(name, await this.ctx.storage.getChannelType(name));
    if (!type.exists) {
      throw new ChatError('channel_type_not_found', `channel type ${name} does not exist`);
    }
    return toChannelTypeWire(type);
  }

  async create(
    actor: Actor,
    name: string,
    req: CreateChannelTypeRequest,
  ): Promise<ChannelTypeSettings> {
    requireServer(actor);
    if (isBuiltIn(name)) throw exists(name);
    return this.save(name, req, 'create');
  }

  async update(
    actor: Actor,
    name: string,
    req: UpdateChannelTypeRequest,
  ): Promise<ChannelTypeSettings> {
    requireServer(actor);
    return this.save(name, req, 'update');
  }

  private async save(
    name: string,
    req: CreateChannelTypeRequest,
    mode: 'create' | 'update',
  ): Promise<ChannelTypeSettings> {
    const { storage } = this.ctx;
    const current = resolveType(name, await storage.getChannelType(name));
    if (mode === 'update' && !current.exists) {
      throw new ChatError('channel_type_not_found', `channel type ${name} does not exist`);
    }
    const settings = applyChange(mode === 'create' ? resolveType('messaging', null) : current, req);
    const now = Date.now();
    const record = {
      name,
      settings,
      createdAt: current.createdAt ?? now,
      updatedAt: now,
    };
    const wire = toChannelTypeWire(resolveType(name, record));
    const saved = await storage.saveChannelType(
      record,
      mode,
      {
        id: randomUUID(),
        createdAt: now,
        action: mode === 'create' ? 'channel_type.create' : 'channel_type.update',
        actorId: null,
        targetUserId: null,
        cid: null,
        messageId: null,
        reason: null,
        data: { name, change: req },
      },
      channelTypeSaved(mode, wire, now),
    );
    if (!saved) throw exists(name);
    await this.ctx.access.changed('channel-type', name);
    return wire;
  }
}

function exists(name: string): ChatError {
  return new ChatError('channel_type_exists', `channel type ${name} exists; change it with PATCH`);
}
