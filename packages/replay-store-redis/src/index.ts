export { createRedisReplayStore, type RedisReplayStoreOptions } from './create-redis-replay-store.js';
export type { IoRedisLike, NodeRedisLike, RedisClientLike } from './redis-client.js';
