import {
  BUILT_IN_CHANNEL_TYPES,
  DEFAULT_PERMISSIONS,
  TEAM_PERMISSIONS,
  channelPermissionsSchema,
  blocklistEntrySchema,
  type BlocklistEntry,
  type ChannelPermissions,
  type ChannelTypeSettings,
  type CreateChannelTypeRequest,
} from '@parley/protocol';
import { z } from 'zod';
import type { ChannelTypeRecord } from '../storage/moderation-records.js';
import { iso } from '../services/wire.js';
import { Blocklist } from './blocklist.js';

/** A channel type ready for checks: its settings with the blocklist compiled. */
export interface ResolvedChannelType {
  name: string;
  permissions: ChannelPermissions;
  maxMessageLength: number | null;
  slowModeS: number;
  blocklistEntries: BlocklistEntry[];
  blocklist: Blocklist;
  builtIn: boolean;
  /** False for a type never created: its channels follow `messaging`. */
  exists: boolean;
  createdAt: number | null;
  updatedAt: number | null;
}

/** What is stored of a type (the wire settings without name and times). */
const storedSettingsSchema = z.object({
  permissions: channelPermissionsSchema.partial(),
  max_message_length: z.number().int().positive().nullable(),
  slow_mode_s: z.number().int().nonnegative(),
  blocklist: z.array(blocklistEntrySchema),
});
type StoredSettings = z.infer<typeof storedSettingsSchema>;

/** `messaging`'s settings: today's rules, the start of every new type. */
export const DEFAULT_SETTINGS: StoredSettings = {
  permissions: DEFAULT_PERMISSIONS,
  max_message_length: null,
  slow_mode_s: 0,
  blocklist: [],
};

/**
 * Built-in types before any change: `messaging` (today's rules) and `team`, an internal
 * team chat where members also add members, change the channel's data and pin. An
 * operator tunes either with PATCH.
 */
const BUILT_IN: Record<string, StoredSettings> = {
  messaging: DEFAULT_SETTINGS,
  team: { ...DEFAULT_SETTINGS, permissions: TEAM_PERMISSIONS },
};

export function isBuiltIn(name: string): boolean {
  return (BUILT_IN_CHANNEL_TYPES as readonly string[]).includes(name);
}

/** The type `name` from its stored record, else its built-in settings, else `messaging`'s. */
export function resolveType(name: string, record: ChannelTypeRecord | null): ResolvedChannelType {
  const builtIn = isBuiltIn(name);
  let settings = BUILT_IN[name] ?? DEFAULT_SETTINGS;
  if (record !== null) {
    const parsed = storedSettingsSchema.safeParse(record.settings);
    if (parsed.success) settings = parsed.data;
  }
  return {
    name,
    permissions: { ...DEFAULT_PERMISSIONS, ...settings.permissions },
    maxMessageLength: settings.max_message_length,
    slowModeS: settings.slow_mode_s,
    blocklistEntries: settings.blocklist,
    blocklist: new Blocklist(settings.blocklist),
    builtIn,
    exists: builtIn || record !== null,
    createdAt: record?.createdAt ?? null,
    updatedAt: record?.updatedAt ?? null,
  };
}

/** A type's settings with a create or change request applied; what is left out stays. */
export function applyChange(
  base: ResolvedChannelType,
  change: CreateChannelTypeRequest,
): StoredSettings {
  return {
    permissions: { ...base.permissions, ...dedupe(change.permissions ?? {}) },
    max_message_length:
      change.max_message_length === undefined ? base.maxMessageLength : change.max_message_length,
    slow_mode_s: change.slow_mode_s ?? base.slowModeS,
    blocklist: change.blocklist ?? base.blocklistEntries,
  };
}

function dedupe(permissions: Partial<ChannelPermissions>): Partial<ChannelPermissions> {
  return Object.fromEntries(
    Object.entries(permissions).map(([action, roles]) => [action, [...new Set(roles)]]),
  );
}

export function toChannelTypeWire(type: ResolvedChannelType): ChannelTypeSettings {
  return {
    name: type.name,
    permissions: type.permissions,
    max_message_length: type.maxMessageLength,
    slow_mode_s: type.slowModeS,
    blocklist: type.blocklistEntries,
    built_in: type.builtIn,
    created_at: type.createdAt === null ? null : iso(type.createdAt),
    updated_at: type.updatedAt === null ? null : iso(type.updatedAt),
  };
}
