-- WhatsApp channel: messages with their status history and SMS fallback, the 24 h customer-service
-- windows, per-account opt-ins, and what users wrote (inbound).

create table if not exists whatsapp_messages (
  id text primary key,
  account_id text not null references accounts(id),
  to_number text not null,
  type text not null check (type in ('text', 'template', 'authentication', 'interactive')),
  content jsonb not null,
  reference text,
  provider_message_id text,
  wa_id text,
  status text not null check (status in ('pending', 'accepted', 'sent', 'delivered', 'read', 'failed')),
  -- Platform code (WHATSAPP_UNDELIVERABLE…), Meta's own code, and Meta's words.
  error_code text,
  provider_code text,
  error_message text,
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  -- SMS fallback: null state = none asked. armed → not_needed (condition reached) or
  -- claimed (one process sends the SMS) → sent | error. The claim is a conditional update, so
  -- the SMS goes out once however many processes, timers and webhooks race for it.
  fallback_condition text check (fallback_condition in ('delivered', 'read')),
  fallback_timeout_seconds integer,
  fallback_sms jsonb,
  fallback_state text check (fallback_state in ('armed', 'not_needed', 'claimed', 'sent', 'error')),
  -- armed: when the timeout fires; claimed: when the claim's lease ends (a crashed claimer's
  -- row is taken over by the sweeper then).
  fallback_due_at timestamptz,
  fallback_reason text check (fallback_reason in ('failed', 'timeout')),
  fallback_reason_code text,
  fallback_claimed_at timestamptz,
  fallback_message_id text,
  fallback_sent_at timestamptz,
  fallback_error text
) with (fillfactor = 80);
create index if not exists whatsapp_messages_account_created on whatsapp_messages(account_id, created_at desc);
create unique index if not exists whatsapp_messages_provider_id on whatsapp_messages(provider_message_id) where provider_message_id is not null;
-- Inbound messages without a reply context go to the account that last wrote to the number.
create index if not exists whatsapp_messages_to on whatsapp_messages(to_number, created_at desc);
-- The fallback sweeper reads only rows still waiting (armed or claimed).
create index if not exists whatsapp_messages_fallback_due on whatsapp_messages(fallback_due_at)
  where fallback_state = 'armed' or fallback_state = 'claimed';

-- The 24 h customer-service window per (account, user): opened by the user's last message.
create table if not exists whatsapp_windows (
  account_id text not null references accounts(id),
  number text not null,
  last_inbound_at timestamptz not null,
  primary key (account_id, number)
);

-- Consent to be messaged on WhatsApp, per account; withdrawing keeps the row (audit).
create table if not exists whatsapp_opt_ins (
  account_id text not null references accounts(id),
  number text not null,
  opted_in_at timestamptz not null,
  source text not null,
  opted_out_at timestamptz,
  opt_out_source text,
  updated_at timestamptz not null default now(),
  primary key (account_id, number)
);

-- Messages users sent. Meta redelivers webhooks, so the provider id is unique: a repeat is ignored.
create table if not exists whatsapp_inbound (
  id text primary key,
  provider_message_id text not null unique,
  account_id text references accounts(id),
  from_number text not null,
  type text not null,
  text text not null,
  context_id text,
  payload jsonb not null,
  received_at timestamptz not null
);
create index if not exists whatsapp_inbound_account on whatsapp_inbound(account_id, received_at desc);
