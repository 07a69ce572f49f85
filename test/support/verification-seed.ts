/**
 * Seeds verification attempts straight into the database (one verification per attempt), so console
 * tests can check reports against counts they chose, independent of the send path.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/db-client.js';

export interface AttemptGroup {
  accountId: string;
  route: string | null;
  /** `YYYY-MM-DD`: attempts are created at 12:00 UTC that day. */
  day: string;
  sent: number;
  delivered: number;
  verified: number;
  /** Seconds from send to verification. */
  verifySeconds: number;
  country?: string;
  channel?: 'sms' | 'whatsapp';
  sender?: string | null;
}

/** Of `sent` attempts, the first `delivered` are delivered and the first `verified` verified. */
export async function seedAttempts(db: Db, groups: AttemptGroup[]): Promise<void> {
  const verifications: unknown[][] = [];
  const attempts: unknown[][] = [];
  for (const g of groups) {
    const created = new Date(`${g.day}T12:00:00Z`);
    for (let i = 0; i < g.sent; i++) {
      const id = `ver_${randomBytes(8).toString('hex')}`;
      const at = (s: number) => new Date(created.getTime() + s * 1000).toISOString();
      verifications.push([id, g.accountId, `+4915100000${String(i).padStart(3, '0')}`, g.country ?? 'DE', created.toISOString()]);
      attempts.push([`att_${id.slice(4)}`, id, g.accountId, g.channel ?? 'sms', g.route, g.sender ?? 'ACME', g.country ?? 'DE',
        i < g.delivered ? 'delivered' : 'sent', at(0), i < g.delivered ? at(2) : null, i < g.verified ? at(g.verifySeconds) : null, created.toISOString()]);
    }
  }
  const values = (rows: unknown[][]) => rows.map((r, i) => `(${r.map((_, j) => `$${i * r.length + j + 1}`).join(',')})`).join(',');
  for (let i = 0; i < verifications.length; i += 500) {
    const v = verifications.slice(i, i + 500);
    await db.query(`insert into verifications (id, account_id, to_number, country, channels, code_hash, code_length, expires_at, created_at)
      select x.id, x.account_id, x.to_number, x.country, '{sms}', 'seeded', 6, x.created_at::timestamptz + interval '10 minutes', x.created_at::timestamptz
      from (values ${values(v)}) as x(id, account_id, to_number, country, created_at)`, v.flat());
    const a = attempts.slice(i, i + 500);
    await db.query(`insert into verification_attempts (id, verification_id, account_id, seq, channel, route, sender_id, country, status, sent_at, delivered_at, verified_at, created_at)
      select x.id, x.vid, x.account_id, 1, x.channel, x.route, x.sender_id, x.country, x.status, x.sent_at::timestamptz, x.delivered_at::timestamptz, x.verified_at::timestamptz, x.created_at::timestamptz
      from (values ${values(a)}) as x(id, vid, account_id, channel, route, sender_id, country, status, sent_at, delivered_at, verified_at, created_at)`, a.flat());
  }
}
