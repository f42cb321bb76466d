import { RedisScript } from '../../redis/redis-script.js';

/*
 * Keys: `<prefix>presence:<user>` is a sorted set of the user's connections, each scored
 * by the time (epoch ms) it stops counting; `<prefix>presence-expiry` holds every
 * connection as "<user>\n<connection>" by the same time, for the sweep.
 * A user key expires by itself some time after its last connection's score.
 */

/**
 * KEYS: user, expiry. ARGV: now, deadline, connection, user, key ttl (ms).
 * Returns 1 when the user had no live connection before.
 */
export const CONNECT = new RedisScript(`
local live = redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4] .. '\\n' .. ARGV[3])
if live == 0 then return 1 end
return 0
`);

/**
 * KEYS: user, expiry. ARGV: now, connection, user.
 * Returns 1 when it was the user's last live connection.
 */
export const DISCONNECT = new RedisScript(`
redis.call('ZREM', KEYS[2], ARGV[3] .. '\\n' .. ARGV[2])
if redis.call('ZREM', KEYS[1], ARGV[2]) == 0 then return 0 end
if redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf') == 0 then return 1 end
return 0
`);

/**
 * KEYS: expiry. ARGV: now, deadline, user key prefix, key ttl, then user, connection pairs.
 * Returns the users who had no live connection before (swept while this node could not
 * refresh them), so they can be announced online again.
 */
export const REFRESH = new RedisScript(`
local back = {}
for i = 5, #ARGV, 2 do
  local user, conn = ARGV[i], ARGV[i + 1]
  local key = ARGV[3] .. user
  local live = redis.call('ZCOUNT', key, ARGV[1], '+inf')
  local added = redis.call('ZADD', key, ARGV[2], conn)
  redis.call('PEXPIRE', key, ARGV[4])
  redis.call('ZADD', KEYS[1], ARGV[2], user .. '\\n' .. conn)
  if added == 1 and live == 0 then table.insert(back, user) end
end
return back
`);

/**
 * KEYS: expiry. ARGV: now, most connections per call, user key prefix.
 * Removes expired connections; returns the users left with none (maybe repeated).
 */
export const SWEEP = new RedisScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, ARGV[2])
local offline = {}
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  local cut = string.find(member, '\\n', 1, true)
  local user = string.sub(member, 1, cut - 1)
  local conn = string.sub(member, cut + 1)
  local key = ARGV[3] .. user
  local score = redis.call('ZSCORE', key, conn)
  if score and tonumber(score) < tonumber(ARGV[1]) then
    redis.call('ZREM', key, conn)
    if redis.call('ZCOUNT', key, ARGV[1], '+inf') == 0 then table.insert(offline, user) end
  end
end
return offline
`);
