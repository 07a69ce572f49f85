/**
 * The reports outbox rows of messages the platform sent for itself: a verification's own SMS
 * (via = 'verify') and a fallback step's SMS (via = 'chain'). Leased, read with the message's send
 * time, route and sender, and marked done once applied.
 */
import type { Db } from '../db/db-client.js';
import type { ReportKind } from './report.repository.js';

export interface InternalReport {
  id: number;
  kind: ReportKind;
  callbackUrl: string;
  payload: Record<string, unknown>;
  message: { submittedAt: Date | null; channelId: string | null; sender: string | null };
}

export class InternalReportRepository {
  constructor(private readonly db: Db, private readonly via: 'verify' | 'chain') {}

  async claim(limit: number, leaseMs = 60_000): Promise<InternalReport[]> {
    const rows = await this.db.query<{
      id: string; kind: ReportKind; callback_url: string; payload: Record<string, unknown>;
      submitted_at: Date | null; channel_id: string | null; sender: string | null;
    }>(
      `with picked as materialized (
         select r.id from reports r
          where r.state = 'pending' and r.via = $3 and r.next_attempt_at <= now()
            and (r.leased_until is null or r.leased_until <= now())
          order by r.next_attempt_at, r.id limit $1 for update of r skip locked),
       leased as (
         update reports u set attempts = u.attempts + 1, leased_until = now() + make_interval(secs => $2)
           from picked p where u.id = p.id
         returning u.id, u.kind, u.callback_url, u.payload, u.message_id)
       select l.id, l.kind, l.callback_url, l.payload, m.submitted_at, m.channel_id,
              coalesce(m.sender, c.source_address) as sender
         from leased l left join messages m on m.id = l.message_id left join channels c on c.id = m.channel_id
        order by l.id`,
      [limit, leaseMs / 1000, this.via],
    );
    return rows.map((r) => ({
      id: Number(r.id), kind: r.kind, callbackUrl: r.callback_url, payload: r.payload,
      message: { submittedAt: r.submitted_at ? new Date(r.submitted_at) : null, channelId: r.channel_id, sender: r.sender },
    }));
  }

  async markDone(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`update reports set state = 'delivered' where id = any($1::bigint[]) and state = 'pending'`, [ids]);
  }
}
