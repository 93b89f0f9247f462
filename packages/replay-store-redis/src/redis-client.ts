/** The part of a node-redis 5 client (or cluster) this store uses. */
export interface NodeRedisLike {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The part of an ioredis 5 client (or cluster) this store uses. */
export interface IoRedisLike {
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  evalsha(sha: string, numKeys: number, ...args: string[]): Promise<unknown>;
  defineCommand(...args: never[]): unknown;
}

/** A connected client of either library: `createClient()` from `redis` or `new Redis()` from `ioredis`. */
export type RedisClientLike = NodeRedisLike | IoRedisLike;

/** Runs one script on one key, by its SHA when Redis has it cached, else by its source. */
export type RunScript = (
  script: { source: string; sha: string },
  key: string,
  args: string[],
) => Promise<unknown>;

function isIoRedis(client: RedisClientLike): client is IoRedisLike {
  return typeof (client as IoRedisLike).defineCommand === 'function';
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** Wraps node-redis or ioredis behind one script runner; throws a TypeError for anything else. */
export function toScriptRunner(client: RedisClientLike): RunScript {
  if (isIoRedis(client)) {
    if (typeof client.evalsha !== 'function') throw notAClient();
    return async ({ source, sha }, key, args) => {
      try {
        return await client.evalsha(sha, 1, key, ...args);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return client.eval(source, 1, key, ...args);
      }
    };
  }
  if (typeof client?.evalSha !== 'function' || typeof client.eval !== 'function') throw notAClient();
  return async ({ source, sha }, key, args) => {
    const options = { keys: [key], arguments: args };
    try {
      return await client.evalSha(sha, options);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return client.eval(source, options);
    }
  };
}

function notAClient(): TypeError {
  return new TypeError(
    '@caleida/replay-store-redis: client must be a node-redis 5 client (await createClient({ url }).connect()) or an ioredis 5 client (new Redis(url)).',
  );
}
