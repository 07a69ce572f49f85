-- Short links and click tracking (src/links). A click goes GET /s/:code → Redis stream → the click
-- aggregator, which inserts it into `clicks` and keeps the daily rollups the reports read.

-- A campaign groups the links of one send (or of links the customer creates with the same
-- campaignId). Ids are per account: the customer's own ("spring-sale") or generated (cmp_…).
-- delivered_count caches the number of delivered messages carrying the campaign's links (see
-- LinkService.deliveredByCampaign); messages_attached_at says when links last got message ids.
create table if not exists campaigns (
  account_id text not null references accounts(id),
  id text not null,
  name text,
  card_template_id text,
  created_at timestamptz not null default now(),
  messages_attached_at timestamptz,
  delivered_count integer,
  delivered_counted_at timestamptz,
  primary key (account_id, id)
);

-- Smart-SMS parse reports come as aggregate counts only ("5,000 of 10,000 parsed"), one row per
-- provider report source (the adapter's own key, '' when it has one report per campaign).
create table if not exists campaign_parse_stats (
  account_id text not null,
  campaign_id text not null,
  source text not null default '',
  requested integer not null check (requested >= 0),
  parsed integer not null check (parsed >= 0),
  reported_at timestamptz not null,
  primary key (account_id, campaign_id, source)
);

-- One row per short code. Codes are global (the URL carries no account). A personalised link
-- (one per recipient of a send) keeps only an HMAC of the number (recipient_hash, 16 bytes):
-- enough to count unique recipients; message_id, filled by the sender, leads to the message.
-- No foreign key to accounts: links are only ever created for an authenticated account, and the
-- per-row check cost ~40 % of inserting a 100,000-recipient campaign's links.
create table if not exists links (
  code text primary key,
  account_id text not null,
  kind text not null check (kind in ('redirect', 'card')),
  target_url text,
  campaign_id text,
  card_template_id text,
  variables jsonb,
  recipient_hash bytea,
  message_id text,
  expires_at timestamptz,
  created_at timestamptz not null default now()
);
create index if not exists links_campaign on links(account_id, campaign_id) where campaign_id is not null;

-- Raw clicks, kept (bots included, flagged). event_id is the Redis stream entry id plus the index
-- of the click inside the entry: a redelivered entry inserts nothing twice. identity is what UV
-- counts: the recipient hash for personalised links, else HMAC(IP, user agent, UTC day).
create table if not exists clicks (
  event_id text primary key,
  account_id text not null,
  code text not null,
  campaign_id text,
  template_id text,
  kind text not null check (kind in ('open', 'button')),
  button text,
  clicked_at timestamptz not null,
  identity bytea not null,
  personalised boolean not null,
  device text not null,
  os text,
  browser text,
  bot boolean not null,
  bot_reason text,
  method text not null,
  user_agent text,
  referrer text,
  recorded_at timestamptz not null default now()
);
create index if not exists clicks_account_time on clicks(account_id, clicked_at);
create index if not exists clicks_campaign_time on clicks(account_id, campaign_id, clicked_at) where campaign_id is not null;
create index if not exists clicks_code on clicks(code, clicked_at);

-- Rollups of page opens per UTC day and scope: '*' (the whole account), 'c:<campaign>' ('c:' for
-- links without one) and 't:<card template>'. uv stays exact because click_uniques holds each identity once per scope and
-- day: the aggregator adds 1 to uv only when its insert there was new.
create table if not exists click_uniques (
  account_id text not null,
  scope text not null,
  day date not null,
  identity bytea not null,
  primary key (account_id, scope, day, identity)
);
create table if not exists click_daily (
  account_id text not null,
  scope text not null,
  day date not null,
  pv bigint not null default 0,
  uv bigint not null default 0,
  bots bigint not null default 0,
  primary key (account_id, scope, day)
);
