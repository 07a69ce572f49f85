-- Verifications (OTP): one row per verification, one per attempt (a channel send or a resend).
-- The code itself is never stored: only an HMAC of it, with the verification's id as context.
create table if not exists verifications (
  id text primary key,
  account_id text not null references accounts(id),
  to_number text not null,
  country text,
  -- Ordered channel chain, e.g. {whatsapp,sms}.
  channels text[] not null,
  code_hash text not null,
  code_length integer not null check (code_length between 4 and 10),
  locale text,
  template_id text,
  sender_id text,
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'max_attempts_reached', 'expired', 'cancelled', 'failed')),
  checks integer not null default 0,
  max_checks integer not null default 5,
  expires_at timestamptz not null,
  client_ip text,
  -- Failover: index of the channel in use, what the attempt on it must reach and by when.
  step integer not null default 0,
  failover_condition text not null default 'delivered' check (failover_condition in ('sent', 'delivered', 'read')),
  failover_timeout_s integer not null default 30,
  next_step_at timestamptz,
  created_at timestamptz not null default now(),
  approved_at timestamptz
);
create index if not exists verifications_account_created on verifications(account_id, created_at desc);
create index if not exists verifications_next_step on verifications(next_step_at) where next_step_at is not null;

-- What the backfill-rate report counts: every attempt with where it went (channel, route = the
-- upstream channel id or provider, connection, sender, country) and when it was sent, delivered and
-- (for the attempt credited with the approval) verified.
create table if not exists verification_attempts (
  id text primary key,
  verification_id text not null references verifications(id),
  account_id text not null,
  seq integer not null,
  channel text not null check (channel in ('sms', 'whatsapp')),
  message_id text,
  route text,
  connection text,
  sender_id text,
  country text,
  status text not null default 'pending' check (status in ('pending', 'sent', 'delivered', 'read', 'failed')),
  -- Why this attempt exists: initial, resend, or failover (with the previous attempt's outcome).
  reason text not null default 'initial',
  error_code text,
  sent_at timestamptz,
  delivered_at timestamptz,
  verified_at timestamptz,
  created_at timestamptz not null default now(),
  unique (verification_id, seq)
);
create index if not exists verification_attempts_report on verification_attempts(account_id, created_at);
create index if not exists verification_attempts_message on verification_attempts(message_id) where message_id is not null;
