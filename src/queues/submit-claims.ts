/**
 * Exactly-once submission guard: before submitting, a worker claims each (message, attempt) in
 * Redis; a job delivered twice (a redelivered BullMQ job, or the sweeper re-dispatching a message
 * whose hand-off looked lost) finds its messages claimed and sends nothing. One script call per
 * job. The claim is a guard, not a record: it expires after two days, long after any re-dispatch.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const CLAIM_TTL_SECONDS = 2 * 86_400;

// Returns the 1-based positions of the keys this call claimed.
const CLAIM_LUA = `
local won = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, '1', 'NX', 'EX', ARGV[1]) then won[#won + 1] = i end
end
return won
`;
const CLAIM_SHA = createHash('sha1').update(CLAIM_LUA).digest('hex');

export class SubmitClaims {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  /** Claims the given attempts; returns the ids this caller may submit. */
  async claim(items: Array<{ id: string; attempt: number }>): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const keys = items.map((m) => `${this.prefix}:claim:${m.id}:${m.attempt}`);
    let won: number[];
    try {
      won = (await this.redis.evalsha(CLAIM_SHA, keys.length, ...keys, CLAIM_TTL_SECONDS)) as number[];
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
      won = (await this.redis.eval(CLAIM_LUA, keys.length, ...keys, CLAIM_TTL_SECONDS)) as number[];
    }
    return new Set(won.map((i) => items[i - 1].id));
  }
}
