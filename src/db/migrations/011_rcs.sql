-- 5G messages (RCS chatbots over the carrier's MaaP, issue 5): chatbots with their registration
-- info, persistent menu and carrier-style review; keyword auto-reply rules; messages with their
-- status history; what users sent (inbound). Number capabilities are cached in Redis (with a TTL),
-- not here: they are a short-lived copy of the MaaP's answer, never a business record.

create table if not exists rcs_chatbots (
  id text primary key,
  account_id text not null references accounts(id),
  -- The chatbot's address at the MaaP (sip:…@botplatform…), in the outbound path and in webhooks.
  address text not null unique,
  name text not null,
  logo_url text not null,
  description text not null,
  colour text not null,
  callback_number text not null,
  website text,
  category text not null,
  menu jsonb not null default '[]',
  -- draft -> submitted -> approved | rejected (edited and submitted again), as card templates.
  status text not null default 'draft' check (status in ('draft', 'submitted', 'approved', 'rejected')),
  rejection_reason text,
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  decided_at timestamptz
);
create index if not exists rcs_chatbots_account on rcs_chatbots(account_id, id);
create index if not exists rcs_chatbots_submitted on rcs_chatbots(submitted_at) where status = 'submitted';

-- Keyword auto-replies per chatbot: the highest priority matching rule answers.
create table if not exists rcs_keyword_rules (
  id text primary key,
  account_id text not null references accounts(id),
  chatbot_id text not null references rcs_chatbots(id) on delete cascade,
  match_type text not null check (match_type in ('exact', 'contains', 'regex')),
  pattern text not null,
  priority integer not null default 0,
  -- {"type":"text","text":…} or {"type":"card","templateId":…,"variables":{…}}
  reply jsonb not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists rcs_keyword_rules_chatbot on rcs_keyword_rules(chatbot_id, priority desc, id);

create table if not exists rcs_messages (
  id text primary key,
  account_id text not null references accounts(id),
  chatbot_id text not null references rcs_chatbots(id),
  to_number text not null,
  -- The rendering kind: rcs-text, rcs-file, rcs-card, rcs-carousel, rcs-chips.
  kind text not null,
  -- {"messageList": […]} exactly as posted to the MaaP.
  payload jsonb not null,
  -- The fallback engine's step reference: unique, so a repeated step sends nothing twice.
  step_ref text unique,
  reference text,
  origin text not null check (origin in ('api', 'fallback', 'auto_reply')),
  -- Direct sends may ask the network to deliver it as SMS to non-RCS terminals (smsSupported).
  sms_content text,
  status text not null check (status in ('pending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'not_capable')),
  maap_status text,
  delivered_as_sms boolean not null default false,
  error_code text,
  error_message text,
  -- [{status, maapStatus, at}] in arrival order.
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz
) with (fillfactor = 80);
create index if not exists rcs_messages_account_created on rcs_messages(account_id, created_at desc);

-- What users sent to a chatbot (text or a suggestion postback); the MaaP id is unique so a
-- redelivered webhook is handled once.
create table if not exists rcs_inbound (
  id text primary key,
  provider_message_id text not null unique,
  account_id text not null references accounts(id),
  chatbot_id text not null references rcs_chatbots(id),
  from_number text not null,
  kind text not null check (kind in ('text', 'postback')),
  text text not null,
  postback text,
  in_reply_to text,
  rule_id text,
  reply_message_id text,
  payload jsonb not null,
  received_at timestamptz not null
);
create index if not exists rcs_inbound_account on rcs_inbound(account_id, received_at desc);
