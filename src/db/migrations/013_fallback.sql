-- The fallback engine (src/fallback): sends that carry a channel chain, e.g. rcs → smart_sms → sms,
-- and their steps. A send is what the customer sees as one message (GET /v1/messages/:id); each step
-- is one channel's attempt at it, pointing at that channel's own message row.

create table if not exists fallback_sends (
  id text primary key,
  account_id text not null references accounts(id),
  to_number text not null,
  category text not null,
  -- The content as given once and resolved (card, text, MMS template reference, page link, signature).
  content jsonb not null,
  reference text,
  callback_url text,
  -- A card campaign's id when the send is part of one (click and fallback reports by campaign).
  campaign_id text,
  state text not null check (state in ('running', 'succeeded', 'failed')),
  -- The step in progress (or the last one tried).
  current_step integer not null default 0,
  step_count integer not null,
  succeeded_channel text,
  -- When the customer's status report for the send was queued (once, however many events race).
  reported_at timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index if not exists fallback_sends_account_created on fallback_sends(account_id, created_at desc);
create index if not exists fallback_sends_campaign on fallback_sends(campaign_id) where campaign_id is not null;

-- state: pending (not started) → sending (claimed by one process; lease in due_at) → waiting (sent,
-- condition not met yet; timeout in due_at) → succeeded | moved_on (with reason) | failed (last
-- step gave up) | skipped (an earlier step succeeded). Every move is a conditional update, so a
-- step is sent at most once however many processes, status events and sweeps race for it.
create table if not exists fallback_steps (
  send_id text not null references fallback_sends(id),
  idx integer not null,
  channel text not null,
  condition text not null check (condition in ('accepted', 'delivered', 'read')),
  timeout_seconds integer not null,
  state text not null check (state in ('pending', 'sending', 'waiting', 'succeeded', 'moved_on', 'failed', 'skipped')),
  rendering text,
  payload jsonb,
  channel_message_id text,
  -- The latest status the channel reported, and when (kept after the step is decided, for the history).
  status text,
  status_at timestamptz,
  reason text check (reason in ('not_capable', 'not_renderable', 'rejected', 'failed', 'timeout')),
  reason_code text,
  detail text,
  started_at timestamptz,
  sent_at timestamptz,
  finished_at timestamptz,
  -- Who holds a `sending` step: a sweeper takes over an expired claim only if it is still the one it saw.
  claim_id text,
  -- When the sweeper looks at the step: pending → a grace after it became ready; sending → the end
  -- of the claim's lease; waiting → the timeout.
  due_at timestamptz,
  primary key (send_id, idx)
) with (fillfactor = 80);
create index if not exists fallback_steps_due on fallback_steps(due_at)
  where state = 'pending' or state = 'sending' or state = 'waiting';
create index if not exists fallback_steps_channel_message on fallback_steps(channel, channel_message_id) where channel_message_id is not null;

-- Reports of a fallback step's own SMS go to the engine (chain://<step ref>), not to the customer.
alter table reports drop column if exists via;
alter table reports add column if not exists via text
  generated always as (case when callback_url like 'smpp:%' then 'smpp' when callback_url like 'verify:%' then 'verify'
                            when callback_url like 'chain:%' then 'chain' else 'http' end) stored;
create index if not exists reports_pending_http on reports(account_id, next_attempt_at) where state = 'pending' and via = 'http';
create index if not exists reports_pull_http on reports(account_id, id) where state = 'pending' and via = 'http';
create index if not exists reports_pending_own_url_http on reports(account_id, next_attempt_at)
  where state = 'pending' and via = 'http' and callback_url is not null;
create index if not exists reports_pending_smpp on reports(account_id, next_attempt_at) where state = 'pending' and via = 'smpp';
create index if not exists reports_pending_verify on reports(next_attempt_at) where state = 'pending' and via = 'verify';
create index if not exists reports_pending_chain on reports(next_attempt_at) where state = 'pending' and via = 'chain';

-- A WhatsApp message sent as a fallback step is found again by its step reference (idempotent sends).
create unique index if not exists whatsapp_messages_step_ref on whatsapp_messages(reference) where reference like 'fbs\_%';
