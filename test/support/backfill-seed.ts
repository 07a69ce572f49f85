/**
 * Seeded verification attempts for backfill-report tests, and the report computed by hand from
 * them (plain loops over the raw rows, independent of the SQL). Verifications have 1–3 attempts
 * (resend or failover); an approved one credits its latest sent attempt, as the verification API
 * does. Times are whole milliseconds.
 */
import type { Queryable } from '../../src/db/db-client.js';

export interface SeedAttempt {
  id: string;
  verificationId: string;
  accountId: string;
  seq: number;
  channel: 'sms' | 'whatsapp';
  route: string | null;
  connection: string | null;
  senderId: string | null;
  country: string | null;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  verifiedAt: Date | null;
}

import { seededRandom } from '../../src/infra/seeded-random.js';

export { seededRandom };

const COUNTRIES = ['VN', 'ID', 'BR', 'IN', null] as const;
const SMS_ROUTES = ['sim-direct', 'sim-mixed', 'zeta-premium'] as const;
/** Probability that a code on this route gets entered back. */
const VERIFY_P: Record<string, number> = { 'sim-direct': 0.8, 'sim-mixed': 0.55, 'zeta-premium': 0.75, whatsapp: 0.7 };
const SENDERS = ['ACME', 'Acme, Inc.', 'INFO', null] as const;

export interface SeedOptions {
  seed: number;
  accountIds: string[];
  verifications: number;
  /** Attempts are created from here over `days` days. */
  start: Date;
  days: number;
}

/** Generates attempts; ids are unique per seed (prefix `s<seed>`). */
export function generateAttempts(o: SeedOptions): SeedAttempt[] {
  const rnd = seededRandom(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: SeedAttempt[] = [];
  for (let v = 0; v < o.verifications; v++) {
    const verificationId = `ver_s${o.seed}_${v}`;
    const accountId = pick(o.accountIds);
    const country = pick(COUNTRIES);
    const senderId = pick(SENDERS);
    // Some verifications start a few seconds before midnight, so their attempts straddle days.
    const dayStart = o.start.getTime() + Math.floor(rnd() * o.days) * 86_400_000;
    let t = rnd() < 0.15 ? dayStart + 86_400_000 - Math.floor(rnd() * 20_000) : dayStart + Math.floor(rnd() * 86_400_000);
    const n = rnd() < 0.7 ? 1 : rnd() < 0.75 ? 2 : 3;
    const firstWhatsapp = rnd() < 0.3;
    const attempts: SeedAttempt[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const channel = seq === 1 && firstWhatsapp ? 'whatsapp' : 'sms';
      const route = channel === 'whatsapp' ? 'whatsapp' : rnd() < 0.05 ? null : pick(SMS_ROUTES);
      const createdAt = new Date(t);
      const sent = rnd() >= 0.08;
      const sentAt = sent ? new Date(t + 5 + Math.floor(rnd() * 400)) : null;
      const deliveredAt = sent && rnd() < 0.72 ? new Date(sentAt!.getTime() + 500 + Math.floor(rnd() * 9000)) : null;
      attempts.push({
        id: `att_s${o.seed}_${v}_${seq}`, verificationId, accountId, seq, channel, route,
        connection: route === null ? null : `${route}-1`, senderId: channel === 'sms' ? senderId : null, country,
        createdAt, sentAt, deliveredAt, verifiedAt: null,
      });
      t += 30_000 + Math.floor(rnd() * 60_000);
    }
    // Approved with the route's probability; the credited attempt is the latest one that was sent.
    const credited = [...attempts].reverse().find((a) => a.sentAt !== null);
    if (credited && rnd() < (VERIFY_P[credited.route ?? 'sim-mixed'] ?? 0.6)) {
      // Mostly seconds, a long tail up to ~5 min; a few exact ties to exercise equal values.
      const delay = rnd() < 0.1 ? 12_000 : 2_000 + Math.floor(rnd() ** 2 * 300_000);
      credited.verifiedAt = new Date(credited.sentAt!.getTime() + delay);
    }
    out.push(...attempts);
  }
  return out;
}

/** Inserts the attempts and one verification row per verification id. */
export async function insertAttempts(db: Queryable, attempts: readonly SeedAttempt[]): Promise<void> {
  const firsts = new Map<string, SeedAttempt>();
  for (const a of attempts) if (!firsts.has(a.verificationId)) firsts.set(a.verificationId, a);
  const vs = [...firsts.values()];
  await db.query(
    `insert into verifications (id, account_id, to_number, country, channels, code_hash, code_length, expires_at, created_at)
     select u.id, u.account_id, '+84900000000', u.country, '{whatsapp,sms}', 'seeded', 6, u.created_at + interval '10 minutes', u.created_at
       from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) as u(id, account_id, country, created_at)`,
    [vs.map((a) => a.verificationId), vs.map((a) => a.accountId), vs.map((a) => a.country), vs.map((a) => a.createdAt)],
  );
  const col = <T>(f: (a: SeedAttempt) => T) => attempts.map(f);
  await db.query(
    `insert into verification_attempts (id, verification_id, account_id, seq, channel, route, connection, sender_id, country,
                                        status, created_at, sent_at, delivered_at, verified_at)
     select u.id, u.verification_id, u.account_id, u.seq, u.channel, u.route, u.connection, u.sender_id, u.country,
            case when u.delivered_at is not null then 'delivered' when u.sent_at is not null then 'sent' else 'failed' end,
            u.created_at, u.sent_at, u.delivered_at, u.verified_at
       from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])
         as u(id, verification_id, account_id, seq, channel, route, connection, sender_id, country, created_at, sent_at, delivered_at, verified_at)`,
    [col((a) => a.id), col((a) => a.verificationId), col((a) => a.accountId), col((a) => a.seq), col((a) => a.channel), col((a) => a.route),
      col((a) => a.connection), col((a) => a.senderId), col((a) => a.country), col((a) => a.createdAt), col((a) => a.sentAt),
      col((a) => a.deliveredAt), col((a) => a.verifiedAt)],
  );
}

type Dimension = 'country' | 'channel' | 'route' | 'sender' | 'day';

/** percentile_cont by its textbook definition: position p·(n−1), linear interpolation. */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = p * (sorted.length - 1);
  const lo = Math.floor(h);
  return h === lo ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (h - lo);
}

const dayIn = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

function measures(list: readonly SeedAttempt[]) {
  const sent = list.filter((a) => a.sentAt !== null);
  const delivered = sent.filter((a) => a.deliveredAt !== null).length;
  const verified = sent.filter((a) => a.verifiedAt !== null);
  const ttvUs = verified.map((a) => (a.verifiedAt!.getTime() - a.sentAt!.getTime()) * 1000).sort((x, y) => x - y);
  const ms = (us: number | null) => (us === null ? null : Math.round(us / 1000));
  return {
    attempts: list.length,
    sent: sent.length,
    delivered,
    verified: verified.length,
    backfillRate: sent.length ? verified.length / sent.length : null,
    deliveryRate: sent.length ? delivered / sent.length : null,
    medianTimeToVerifyMs: ms(percentileCont(ttvUs, 0.5)),
    p90TimeToVerifyMs: ms(percentileCont(ttvUs, 0.9)),
  };
}

/** Byte-order compare with nulls last, as the report sorts. */
function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The report by hand: filter by account and [from, until), group, count, sort. */
export function expectedReport(all: readonly SeedAttempt[], q: { accountId: string; from: Date; until: Date; groupBy: Dimension[]; timeZone?: string }) {
  const tz = q.timeZone ?? 'UTC';
  const inPeriod = all.filter((a) => a.accountId === q.accountId && a.createdAt >= q.from && a.createdAt < q.until);
  const value = (a: SeedAttempt, d: Dimension): string | null =>
    d === 'day' ? dayIn(a.createdAt, tz) : d === 'sender' ? a.senderId : a[d];
  const groups = new Map<string, { key: (string | null)[]; list: SeedAttempt[] }>();
  for (const a of inPeriod) {
    const key = q.groupBy.map((d) => value(a, d));
    const k = JSON.stringify(key);
    const g = groups.get(k) ?? { key, list: [] };
    g.list.push(a);
    groups.set(k, g);
  }
  const rows = [...groups.values()]
    .sort((x, y) => x.key.reduce((c, _, i) => c || compare(x.key[i], y.key[i]), 0))
    .map((g) => ({ ...Object.fromEntries(q.groupBy.map((d, i) => [d, g.key[i]])), ...measures(g.list) }));
  return { rows, totals: measures(inPeriod) };
}
