/**
 * Writes clicks: stream entries (each a JSON array of click-event.ts objects) go to PostgreSQL
 * as text and are taken apart there, in one statement per batch that
 *   1. inserts the raw clicks, keyed `<stream entry id>:<index in the entry>`; a redelivered
 *      entry inserts nothing (on conflict do nothing), so nothing below counts it twice;
 *   2. for the page opens it did insert, adds each identity once per (scope, UTC day) to
 *      click_uniques: scopes are '*' (the account), 'c:<campaign>' ('c:' for links without a
 *      campaign, so that per-campaign rows add up to the account) and 't:<card template>';
 *   3. adds to click_daily: pv and bots from step 1, uv = the identities step 2 found new.
 * Every step sees only rows this statement inserted, so the rollups equal a count over `clicks`
 * whatever order, overlap or repetition batches arrive in, and concurrent aggregators agree (the
 * unique keys decide who counts an identity; upserts add).
 */
import type { Db } from '../db/db-client.js';

const INSERT_SQL = `
with input as (
  select e.id || ':' || (x.n - 1) as event_id, x.c
    from unnest($1::text[]) with ordinality as e(id, k)
    join jsonb_array_elements($2::jsonb) with ordinality as p(entry, k) using (k)
    cross join lateral jsonb_array_elements(p.entry) with ordinality as x(c, n)
), ins as (
  insert into clicks (event_id, account_id, code, campaign_id, template_id, kind, button, clicked_at, identity, personalised,
                      device, os, browser, bot, bot_reason, method, user_agent, referrer)
  select event_id, c->>'a', c->>'c', c->>'g', c->>'t', case c->>'k' when 'b' then 'button' else 'open' end, c->>'b',
         to_timestamp((c->>'ts')::bigint / 1000.0), decode(c->>'i', 'hex'), (c->>'p') = '1',
         c->>'d', c->>'o', c->>'w', c->>'x' is not null, c->>'x', c->>'m', c->>'u', c->>'r'
    from input
  on conflict (event_id) do nothing
  returning account_id, campaign_id, template_id, kind, clicked_at, identity, bot
), opens as (
  select account_id, campaign_id, template_id, (clicked_at at time zone 'UTC')::date as day, identity, bot from ins where kind = 'open'
), scoped as (
  select account_id, '*'::text as scope, day, identity, bot from opens
  union all select account_id, 'c:' || coalesce(campaign_id, ''), day, identity, bot from opens
  union all select account_id, 't:' || template_id, day, identity, bot from opens where template_id is not null
), fresh as (
  insert into click_uniques (account_id, scope, day, identity)
  select account_id, scope, day, identity from scoped where not bot group by 1, 2, 3, 4 order by 1, 2, 3, 4
  on conflict do nothing
  returning account_id, scope, day
), counts as (
  select account_id, scope, day, count(*) filter (where not bot) as pv, 0::bigint as uv, count(*) filter (where bot) as bots
    from scoped group by 1, 2, 3
  union all
  select account_id, scope, day, 0, count(*), 0 from fresh group by 1, 2, 3
), upserted as (
  insert into click_daily as d (account_id, scope, day, pv, uv, bots)
  select account_id, scope, day, sum(pv), sum(uv), sum(bots) from counts group by 1, 2, 3 order by 1, 2, 3
  on conflict (account_id, scope, day) do update set pv = d.pv + excluded.pv, uv = d.uv + excluded.uv, bots = d.bots + excluded.bots
  returning 1
)
select count(*)::int as inserted from ins`;

/** The scopes of a click: the rollup rows it adds to. */
const SCOPED_OPENS = `
  select account_id, '*'::text as scope, (clicked_at at time zone 'UTC')::date as day, identity, bot from clicks where kind = 'open' and account_id = $1
  union all
  select account_id, 'c:' || coalesce(campaign_id, ''), (clicked_at at time zone 'UTC')::date, identity, bot from clicks where kind = 'open' and account_id = $1
  union all
  select account_id, 't:' || template_id, (clicked_at at time zone 'UTC')::date, identity, bot from clicks where kind = 'open' and account_id = $1 and template_id is not null`;

export class ClickRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores the clicks of stream entries (ids and payloads in the same order), once each however
   * often an entry is stored. Returns how many clicks were new.
   */
  async insertEntries(ids: readonly string[], payloads: readonly string[]): Promise<{ inserted: number }> {
    if (!ids.length) return { inserted: 0 };
    // The payloads go as one JSON text: a text[] parameter would be escaped character by character
    // in JavaScript (megabytes per batch, on the event loop the redirects share).
    const [r] = await this.db.query<{ inserted: number }>(INSERT_SQL, [ids, `[${payloads.join(',')}]`]);
    return { inserted: r.inserted };
  }

  /**
   * Recomputes one account's rollups from its raw clicks (after a bulk import or a restore). Run
   * it while no aggregator writes that account's clicks, or the two may count a click twice.
   */
  async rebuildRollups(accountId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('delete from click_daily where account_id = $1', [accountId]);
      await tx.query('delete from click_uniques where account_id = $1', [accountId]);
      await tx.query(
        `insert into click_uniques (account_id, scope, day, identity)
         select distinct account_id, scope, day, identity from (${SCOPED_OPENS}) s where not bot`,
        [accountId],
      );
      await tx.query(
        `insert into click_daily (account_id, scope, day, pv, uv, bots)
         select s.account_id, s.scope, s.day, s.pv, coalesce(u.uv, 0), s.bots
           from (select account_id, scope, day, count(*) filter (where not bot) as pv, count(*) filter (where bot) as bots
                   from (${SCOPED_OPENS}) x group by 1, 2, 3) s
           left join (select scope, day, count(*) as uv from click_uniques where account_id = $1 group by 1, 2) u using (scope, day)`,
        [accountId],
      );
    });
  }
}
