import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, so it is sent whole only when the server does not know it yet. */
export interface RedisScript {
  source: string;
  sha1: string;
}

const script = (source: string): RedisScript => ({
  source,
  sha1: createHash('sha1').update(source).digest('hex'),
});

/** What a processed id's key holds; a claim holds its token (a UUID), so the two never meet. */
export const PROCESSED = 'processed';

/**
 * Marks an id processed for the retention (ms) if the caller's token still holds it, or nobody does
 * (its lease lapsed and nobody claimed it since). KEYS[1] id key; ARGV token, retention ms.
 */
export const COMPLETE = script(`local held = redis.call('GET', KEYS[1])
if held == ARGV[1] or not held then
  redis.call('SET', KEYS[1], '${PROCESSED}', 'PX', ARGV[2])
  return 1
end
return 0`);

/** Deletes a claim only if it is still the caller's. KEYS[1] id key; ARGV token. */
export const RELEASE = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);
