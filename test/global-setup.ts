/**
 * Makes sure a Redis answers before any test runs: REDIS_URL (default 127.0.0.1:6379) or a private
 * redis-server started for the run. The URL reaches the test workers through the environment.
 */
import { ensureRedis } from '../src/infra/redis-bootstrap.js';

export default async function setup() {
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  process.env.REDIS_URL = redis.url;
  if (redis.note) console.log(redis.note);
  return () => {
    redis.child?.kill();
  };
}
