-- Core schema of the text-SMS router. Money is kept in milli-yuan (0.001 CNY) so prices like
-- 3.5 fen per part are exact integers.

create table if not exists accounts (
  id text primary key,
  name text not null,
  status text not null default 'active' check (status in ('active', 'suspended')),
  ip_allowlist text[] not null default '{}',
  categories text[] not null default '{otp,notification,marketing}',
  billing_type text not null default 'prepaid' check (billing_type in ('prepaid', 'postpaid')),
  charging_mode text not null default 'submit'
    check (charging_mode in ('submit', 'success', 'receipt', 'receipt_half_unknown', 'receipt_full_unknown')),
  balance_millis bigint not null default 0,
  price_per_part_millis integer not null default 35,
  callback_url text,
  callback_secret text not null,
  callback_rate_per_s integer not null default 200,
  report_mode text not null default 'push' check (report_mode in ('push', 'pull')),
  extension text unique,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table if not exists api_keys (
  id text primary key,
  account_id text not null references accounts(id),
  key_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table if not exists signatures (
  account_id text not null references accounts(id),
  name text not null,
  extension text,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  created_at timestamptz not null default now(),
  primary key (account_id, name)
);

create table if not exists templates (
  id text primary key,
  account_id text not null references accounts(id),
  name text not null,
  body text not null,
  category text not null check (category in ('otp', 'notification', 'marketing')),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  reject_reason text,
  variables text[] not null default '{}',
  created_at timestamptz not null default now()
);
create index if not exists templates_account on templates(account_id);

create table if not exists channels (
  id text primary key,
  name text not null,
  kind text not null default 'smpp',
  host text not null,
  port integer not null,
  system_id text not null,
  password text not null,
  system_type text,
  source_address text,
  window_size integer not null default 100,
  submits_per_second integer not null default 1000,
  carriers text[] not null default '{}',
  countries text[] not null default '{}',
  enabled boolean not null default true,
  created_at timestamptz not null default now()
);

create table if not exists pool_channels (
  account_id text not null references accounts(id),
  category text not null check (category in ('otp', 'notification', 'marketing')),
  channel_id text not null references channels(id),
  weight integer not null default 100 check (weight >= 0),
  role text not null default 'primary' check (role in ('primary', 'backup')),
  primary key (account_id, category, channel_id)
);

create table if not exists batches (
  id text primary key,
  account_id text not null references accounts(id),
  accepted integer not null,
  rejected integer not null,
  created_at timestamptz not null default now()
);

create table if not exists messages (
  id text primary key,
  account_id text not null references accounts(id),
  batch_id text,
  to_number text not null,
  country text,
  carrier text,
  category text not null,
  sender text,
  signature text,
  template_id text,
  text text not null,
  encoding text not null,
  parts integer not null,
  status text not null
    check (status in ('scheduled', 'queued', 'submitted', 'delivered', 'failed', 'unknown', 'cancelled')),
  error_code text,
  error_message text,
  scheduled_at timestamptz,
  callback_url text,
  reference text,
  cost_millis bigint not null default 0,
  refunded_millis bigint not null default 0,
  channel_id text,
  parts_delivered integer not null default 0,
  parts_failed integer not null default 0,
  attempt integer not null default 1,
  resent boolean not null default false,
  settled boolean not null default false,
  -- When a scheduled (or held) message is due; cleared once released, so the index stays small.
  release_at timestamptz,
  created_at timestamptz not null default now(),
  submitted_at timestamptz,
  done_at timestamptz
-- Room on each page for updated rows: status changes then stay on the page and, since no index
-- covers the columns they change, touch no index (heap-only tuples).
) with (fillfactor = 70);
create index if not exists messages_account_created on messages(account_id, created_at desc);
create index if not exists messages_batch on messages(batch_id) where batch_id is not null;
create index if not exists messages_account_to on messages(account_id, to_number);
create index if not exists messages_release on messages(release_at) where release_at is not null;
create index if not exists messages_unsettled on messages(created_at) where settled = false;

-- One row per part per attempt (a resend on another channel is a new attempt).
create table if not exists message_parts (
  message_id text not null,
  attempt integer not null,
  part_no integer not null,
  channel_id text not null,
  upstream_id text,
  submit_status text not null check (submit_status in ('ok', 'error')),
  submit_error text,
  provider_code text,
  dlr_stat text,
  dlr_err text,
  submitted_at timestamptz not null default now(),
  done_at timestamptz,
  primary key (message_id, attempt, part_no)
);
create index if not exists message_parts_upstream on message_parts(channel_id, upstream_id);

create table if not exists ledger (
  id bigserial primary key,
  account_id text not null references accounts(id),
  message_id text,
  batch_id text,
  kind text not null check (kind in ('topup', 'debit', 'refund')),
  amount_millis bigint not null,
  reason text not null,
  created_at timestamptz not null default now()
);
create index if not exists ledger_account on ledger(account_id, created_at);

create table if not exists idempotency_keys (
  account_id text not null,
  key text not null,
  request_hash text not null,
  status_code integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (account_id, key)
);

-- account_scope '*' = platform-wide group.
create table if not exists blacklist_entries (
  account_scope text not null default '*',
  group_name text not null,
  number text not null,
  level text not null default 'low' check (level in ('high', 'low')),
  source text not null check (source in ('channel_complaint', 'customer', 'mo_unsubscribe', 'operator')),
  created_at timestamptz not null default now(),
  primary key (account_scope, group_name, number)
);

create table if not exists whitelist_entries (
  account_id text not null,
  number text not null,
  note text,
  primary key (account_id, number)
);

create table if not exists portability_overrides (
  number text primary key,
  original_carrier text not null,
  current_carrier text not null,
  source text not null default 'manual',
  updated_at timestamptz not null default now()
);

create table if not exists mo_messages (
  id text primary key,
  account_id text,
  from_number text not null,
  to_address text not null,
  text text not null,
  channel_id text,
  received_at timestamptz not null default now()
);

-- Every report owed to a customer (delivery report, rejection, MO). Push mode drains it to the
-- callback URL; pull mode reads it by cursor. Kept per account so one tenant's backlog never
-- delays another's.
create table if not exists reports (
  id bigserial primary key,
  account_id text not null,
  kind text not null check (kind in ('status', 'mo')),
  message_id text,
  callback_url text,
  payload jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'dead', 'pulled')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- A pusher's lease while it sends the report; not indexed, so leasing is a heap-only update.
  leased_until timestamptz,
  last_error text,
  created_at timestamptz not null default now()
) with (fillfactor = 70);
create index if not exists reports_pending on reports(account_id, next_attempt_at) where state = 'pending';
