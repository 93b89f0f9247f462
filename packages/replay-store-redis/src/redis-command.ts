/** Sends one Redis command (its words as strings) and resolves to the raw reply. */
export type RedisCommand = (args: string[], key: string) => Promise<unknown>;

/** A node-redis client (`createClient()` of `redis` 5+). */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** A node-redis cluster (`createCluster()` of `redis` 5+): commands are routed by their first key. */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string, isReadonly: boolean, args: string[]): Promise<unknown>;
  masters: unknown;
}

/** An ioredis client or cluster (`new Redis()`, `new Cluster()` of `ioredis` 5+). */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Any client the Redis replay store accepts. */
export type RedisClientLike = NodeRedisLike | NodeRedisClusterLike | IoRedisLike;

/**
 * Turns the user's client into one function. Both libraries take raw commands, which keeps the
 * store free of either one's typed command API and of a dependency on either.
 */
export function redisCommand(client: RedisClientLike): RedisCommand {
  const candidate = client as Partial<IoRedisLike & NodeRedisLike & NodeRedisClusterLike> | null;
  if (typeof candidate?.call === 'function') {
    const ioredis = candidate as IoRedisLike;
    return (args) => ioredis.call(args[0] as string, ...args.slice(1));
  }
  if (typeof candidate?.sendCommand === 'function') {
    if ('masters' in candidate) {
      const cluster = candidate as NodeRedisClusterLike;
      return (args, key) => cluster.sendCommand(key, false, args);
    }
    const nodeRedis = candidate as NodeRedisLike;
    return (args) => nodeRedis.sendCommand(args);
  }
  throw new TypeError(
    '@caleida/replay-store-redis: client must be a connected node-redis client (createClient() of redis 5+) or an ioredis client (new Redis() of ioredis 5+).',
  );
}
