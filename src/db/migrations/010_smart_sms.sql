-- Smart SMS (src/channels/smart-sms): card templates registered with the parse platform, the link
-- batches asked for (one per provider call, up to 10,000 numbers), and their aggregate parse counts.

-- One row per registration of a card template with the provider (a changed card is registered
-- again and gets a new provider template id). status mirrors the provider's review.
create table if not exists smart_sms_templates (
  account_id text not null references accounts(id),
  provider_template_id text not null,
  card_template_id text not null,
  domain text not null,
  custom_url text not null,
  status text not null check (status in ('pending', 'approved', 'rejected')),
  reason text,
  created_at timestamptz not null default now(),
  reviewed_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (account_id, provider_template_id)
);
create index if not exists smart_sms_templates_card on smart_sms_templates(account_id, card_template_id, created_at desc);
create index if not exists smart_sms_templates_pending on smart_sms_templates(created_at) where status = 'pending';

-- One row per provider link call. Counts are the provider's running totals for the batch (aggregate
-- only: which numbers parsed is never known). billed_parsed is how many parses have been charged, so
-- the parse fee is debited once per parse however often the report is read.
create table if not exists smart_sms_batches (
  provider_batch_id text primary key,
  account_id text not null references accounts(id),
  campaign_id text not null,
  provider_template_id text not null,
  out_id text not null unique,
  kind text not null check (kind in ('personalised', 'bulk')),
  numbers integer not null check (numbers > 0),
  sent integer not null default 0 check (sent >= 0),
  parsed integer not null default 0 check (parsed >= 0),
  failed integer not null default 0 check (failed >= 0),
  billed_parsed integer not null default 0 check (billed_parsed >= 0),
  created_at timestamptz not null default now(),
  reported_at timestamptz,
  polled_at timestamptz
);
create index if not exists smart_sms_batches_campaign on smart_sms_batches(account_id, campaign_id);
create index if not exists smart_sms_batches_created on smart_sms_batches(created_at);
create index if not exists smart_sms_batches_unbilled on smart_sms_batches(account_id) where parsed > billed_parsed;

-- Parse counts per campaign and report source (campaign_parse_stats, created by 008_links.sql) are
-- read by the click report; smart SMS writes one row per (campaign, provider template): source = the
-- provider template id, requested = sent.
-- Not rendered (unsupported handset or render failure): what the provider reports beside parsed.
alter table campaign_parse_stats add column if not exists failed integer not null default 0 check (failed >= 0);
