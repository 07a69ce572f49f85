-- Customer SMPP binds: per-account credentials (system_id + hashed password), a bind limit and a
-- submit rate shared by all of the account's binds.
create table if not exists smpp_credentials (
  system_id text primary key,
  account_id text not null references accounts(id),
  -- scrypt: SMPP passwords are at most 8 characters, so unlike API keys they need a slow hash.
  password_hash text not null,
  max_binds integer not null default 4 check (max_binds between 1 and 64),
  submits_per_second integer not null default 1000 check (submits_per_second > 0),
  -- Category of a submit_sm whose service_type names none (otp / notification / marketing).
  default_category text not null default 'notification' check (default_category in ('otp', 'notification', 'marketing')),
  -- MO replies of the account go to its receiver binds instead of its callback URL.
  mo_via_smpp boolean not null default true,
  created_at timestamptz not null default now()
);
create index if not exists smpp_credentials_account on smpp_credentials(account_id);

-- Reports owed to an SMPP customer go back as deliver_sm over its binds, not over HTTP (callback_url
-- smpp://<system_id>/…); reports of a verification's own messages feed the verification (verify://…).
-- The transport is derived so that the HTTP pusher, the pull API, the SMPP pusher and the
-- verification tracker each scan only their own pending rows.
alter table reports add column if not exists via text
  generated always as (case when callback_url like 'smpp:%' then 'smpp' when callback_url like 'verify:%' then 'verify' else 'http' end) stored;

drop index if exists reports_pending;
create index if not exists reports_pending_http on reports(account_id, next_attempt_at) where state = 'pending' and via = 'http';
drop index if exists reports_pull;
create index if not exists reports_pull_http on reports(account_id, id) where state = 'pending' and via = 'http';
drop index if exists reports_pending_own_url;
create index if not exists reports_pending_own_url_http on reports(account_id, next_attempt_at)
  where state = 'pending' and via = 'http' and callback_url is not null;
create index if not exists reports_pending_smpp on reports(account_id, next_attempt_at) where state = 'pending' and via = 'smpp';
create index if not exists reports_pending_verify on reports(next_attempt_at) where state = 'pending' and via = 'verify';
