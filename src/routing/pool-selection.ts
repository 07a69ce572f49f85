/**
 * Channel order for one message within an account's resource pool (DOMAIN.md §5): traffic is
 * spread over the primaries by weight; the rest of the list is the failover order.
 */

/** A channel as configured in a pool. */
export interface PoolChannel {
  channelId: string;
  /** Relative share among the channels of the same role; <= 0 never wins the random pick. */
  weight: number;
  role: 'primary' | 'backup';
  /** Carriers served (`cmcc`, `cucc`, `ctcc`); absent or empty = three-network channel. */
  carriers?: string[];
  /** ISO countries served; absent or empty = any country. */
  countries?: string[];
  healthy: boolean;
}

/** Who the message goes to. `carrier` is null for international or unknown-segment numbers. */
export interface RouteTarget {
  carrier: string | null;
  country: string;
}

function serves(channel: PoolChannel, target: RouteTarget): boolean {
  const carriers = channel.carriers ?? [];
  // A carrier-specific channel cannot take a number whose carrier we do not know.
  if (carriers.length > 0 && (target.carrier === null || !carriers.includes(target.carrier))) return false;
  const countries = channel.countries ?? [];
  const country = target.country.toUpperCase();
  return countries.length === 0 || countries.some((c) => c.toUpperCase() === country);
}

function effectiveWeight(channel: PoolChannel): number {
  return Number.isFinite(channel.weight) && channel.weight > 0 ? channel.weight : 0;
}

// Heaviest first; ties by id so the order is stable for the same configuration.
function byWeight(a: PoolChannel, b: PoolChannel): number {
  return effectiveWeight(b) - effectiveWeight(a) || (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0);
}

/**
 * Weighted random pick; returns the index in `channels`, or -1 when no channel has weight.
 * Exported for tests and for callers that need a single pick.
 */
export function weightedPick(channels: readonly PoolChannel[], random: () => number): number {
  const total = channels.reduce((sum, c) => sum + effectiveWeight(c), 0);
  if (total <= 0) return -1;
  let point = random() * total;
  let last = -1;
  for (let i = 0; i < channels.length; i++) {
    const weight = effectiveWeight(channels[i]);
    if (weight <= 0) continue;
    last = i;
    if (point < weight) return i;
    point -= weight;
  }
  return last; // only reached through floating-point rounding when random() is close to 1
}

// First the weighted random pick of a tier, then the rest of that tier by weight.
function orderTier(tier: PoolChannel[], random: () => number): PoolChannel[] {
  const sorted = [...tier].sort(byWeight);
  const first = weightedPick(sorted, random);
  if (first <= 0) return sorted;
  return [sorted[first], ...sorted.slice(0, first), ...sorted.slice(first + 1)];
}

/**
 * Ordered channel ids to try for a message.
 *
 * 1. Channels that do not serve the target's carrier/country are dropped.
 * 2. Healthy primaries: one picked at random by weight, then the remaining ones by weight.
 * 3. Healthy backups by weight; if there is no healthy primary, the first backup is picked at
 *    random by weight too, so a primary outage spreads over the backups instead of piling onto
 *    the heaviest one.
 * 4. Unhealthy channels last (primaries, then backups, by weight): a last resort, since health is
 *    a lagging signal and trying a possibly-recovered channel beats failing outright.
 *
 * @param random returns [0, 1), e.g. `Math.random` or a seeded generator in tests
 */
export function selectChannelOrder(pool: readonly PoolChannel[], target: RouteTarget, random: () => number): string[] {
  const eligible = pool.filter((channel) => serves(channel, target));
  const healthyPrimaries = eligible.filter((c) => c.healthy && c.role === 'primary');
  const healthyBackups = eligible.filter((c) => c.healthy && c.role === 'backup');
  const unhealthy = eligible.filter((c) => !c.healthy);

  const backups = healthyPrimaries.length > 0 ? [...healthyBackups].sort(byWeight) : orderTier(healthyBackups, random);
  const ordered = [
    ...orderTier(healthyPrimaries, random),
    ...backups,
    ...unhealthy.filter((c) => c.role === 'primary').sort(byWeight),
    ...unhealthy.filter((c) => c.role === 'backup').sort(byWeight),
  ];
  return ordered.map((c) => c.channelId);
}
