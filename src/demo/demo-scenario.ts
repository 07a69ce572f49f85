/**
 * What `npm run demo` simulates, in simulated time (the runner divides every duration by the speed
 * factor): two upstream routes of different quality carrying international OTPs for five countries,
 * and the people receiving them. Expected backfill rate = delivered share × entry probability:
 * direct 0.93 × 0.86 ≈ 80 %, mixed 0.72 × 0.77 ≈ 55 %.
 */
import type { SmscRouteProfile } from '../channels/smpp/smsc-route-profile.js';
import { seededRandom } from '../infra/seeded-random.js';

/** One simulated upstream route: a channel id, its SMSC profile and how its recipients behave. */
export interface DemoRoute {
  channelId: string;
  name: string;
  /** Delays in simulated milliseconds. */
  profile: SmscRouteProfile;
  /** Probability that a recipient who got the code types it in. */
  entryProbability: number;
  /** Weight in the account's otp pool. */
  weight: number;
}

export const DEMO_ROUTES: readonly DemoRoute[] = [
  {
    // A direct connection to the operators: receipts within seconds, few losses.
    channelId: 'demo-direct',
    name: 'Demo direct route (simulated SMSC, not a carrier)',
    profile: { deliveredRatio: 0.93, receiptDelayMs: { min: 1_000, max: 4_000 }, expiredShare: 0.1, seed: 101 },
    entryProbability: 0.86,
    weight: 50,
  },
  {
    // An aggregator of aggregators: more losses, slow and uneven receipts, and codes that arrive
    // late or from an odd sender are entered less often.
    channelId: 'demo-mixed',
    name: 'Demo mixed route (simulated SMSC, not a carrier)',
    profile: { deliveredRatio: 0.72, receiptDelayMs: { min: 2_000, max: 20_000 }, tail: { ratio: 0.12, maxMs: 60_000 }, expiredShare: 0.4, seed: 202 },
    entryProbability: 0.77,
    weight: 50,
  },
];

/** Human think time between the code arriving and it being typed in (simulated ms). */
export const THINK_TIME_MS = { min: 5_000, max: 40_000 } as const;
/** Share of users who type a wrong code first. */
export const MISTYPE_RATIO = 0.08;
/** Verifications started per simulated second. */
export const STARTS_PER_SIMULATED_SECOND = 2.5;

/** A destination country of the demo: share of traffic, verification locale, a mobile range. */
export interface DemoCountry {
  country: string;
  share: number;
  locale: string;
  /** E.164 prefix of a mobile range; `digits` more digits follow. */
  prefix: string;
  digits: number;
}

export const DEMO_COUNTRIES: readonly DemoCountry[] = [
  { country: 'IN', share: 0.3, locale: 'en', prefix: '+9198', digits: 8 },
  { country: 'ID', share: 0.25, locale: 'id', prefix: '+62812', digits: 8 },
  { country: 'VN', share: 0.2, locale: 'vi', prefix: '+8491', digits: 7 },
  { country: 'BR', share: 0.15, locale: 'pt', prefix: '+551198', digits: 7 },
  { country: 'NG', share: 0.1, locale: 'en', prefix: '+234803', digits: 7 },
];

/** One verification to start. */
export interface DemoRecipient {
  to: string;
  country: string;
  locale: string;
}

/**
 * `count` distinct recipients, countries drawn by share (seeded). Numbers are distinct so the
 * per-number anti-bombing limit never refuses one.
 */
export function demoRecipients(count: number, seed: number): DemoRecipient[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    let point = random();
    const c = DEMO_COUNTRIES.find((x) => (point -= x.share) < 0) ?? DEMO_COUNTRIES[DEMO_COUNTRIES.length - 1];
    // The index fills the low digits (distinct); a seeded middle makes the numbers look less serial.
    const middle = String(Math.floor(random() * 10 ** (c.digits - 5))).padStart(c.digits - 5, '0');
    return { to: `${c.prefix}${middle}${String(i).padStart(5, '0')}`, country: c.country, locale: c.locale };
  });
}

/** A profile with every delay divided by `speed` (at least 1 ms where it was positive). */
export function scaledProfile(p: SmscRouteProfile, speed: number): SmscRouteProfile {
  const s = (ms: number) => (ms > 0 ? Math.max(1, Math.round(ms / speed)) : 0);
  return {
    ...p,
    receiptDelayMs: { min: s(p.receiptDelayMs.min), max: s(p.receiptDelayMs.max) },
    ...(p.tail ? { tail: { ratio: p.tail.ratio, maxMs: s(p.tail.maxMs) } } : {}),
  };
}

/** Expected backfill rate of a route: delivered share × entry probability. */
export const expectedBackfill = (r: DemoRoute) => r.profile.deliveredRatio * r.entryProbability;
