import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, so it can be sent with EVALSHA after the first EVAL. */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): RedisScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** The value of a key whose id was processed; claims hold their token instead. */
export const PROCESSED_VALUE = 'processed';

// 1: ours (new), 2: processed, 0: another claim is live. SET NX PX is the claim itself; the GET only
// tells in_flight from processed, in the same script so the key cannot lapse between the two.
export const CLAIM = script(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == '${PROCESSED_VALUE}' then return 2 end
return 0
`);

// Compare the token, then mark processed for the retention. A lapsed claim nobody took since is
// marked too: the handlers did run.
export const COMPLETE = script(`
local value = redis.call('GET', KEYS[1])
if value == ARGV[1] or value == false then
  redis.call('SET', KEYS[1], '${PROCESSED_VALUE}', 'PX', ARGV[2])
  return 1
end
return 0
`);

// Compare and delete: only the caller's own claim is released.
export const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
