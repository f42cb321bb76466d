import { RedisScript } from '../../redis/redis-script.js';

/*
 * Keys: `<prefix>typing:<cid>` is a hash of the users typing in the channel, each
 * "<deadline>:<connection>" (deadline in epoch ms, the connection that last started it);
 * `<prefix>typing-expiry` holds every state as "<cid>\n<user>" scored by its deadline,
 * for the sweep.
 */

/**
 * KEYS: channel, expiry. ARGV: now, deadline, user, connection, "<cid>\n<user>", key ttl.
 * Returns 1 when the user was not typing in the channel.
 */
export const START = new RedisScript(`
local old = redis.call('HGET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[1], ARGV[3], ARGV[2] .. ':' .. ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
if old and tonumber(string.match(old, '^(%d+)')) >= tonumber(ARGV[1]) then return 0 end
return 1
`);

/**
 * KEYS: channel, expiry. ARGV: user, "<cid>\n<user>", connection or "" for any.
 * Ends the state (only if that connection started it, when one is given); 1 when it did.
 */
export const STOP = new RedisScript(`
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
if ARGV[3] ~= '' and string.match(old, ':(.*)$') ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`);

/**
 * KEYS: expiry. ARGV: now, most states per call, channel key prefix.
 * Ends the expired states; returns them as cid, user, cid, user, …
 */
export const SWEEP = new RedisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
local ended = {}
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  local cut = string.find(member, '\\n', 1, true)
  local cid = string.sub(member, 1, cut - 1)
  local user = string.sub(member, cut + 1)
  local key = ARGV[3] .. cid
  local state = redis.call('HGET', key, user)
  if state and tonumber(string.match(state, '^(%d+)')) < tonumber(ARGV[1]) then
    redis.call('HDEL', key, user)
    table.insert(ended, cid)
    table.insert(ended, user)
  end
end
return ended
`);
