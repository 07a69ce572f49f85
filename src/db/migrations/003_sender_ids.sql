-- Sender ID registrations per account and destination country: draft -> submitted -> approved |
-- rejected (rejected ones are edited and submitted again). Fees and lead time are copied from the
-- rules table at submission, so later changes to the table do not rewrite what was quoted.
-- `history` is the append-only log of who did what and when (account or operator).

create table if not exists sender_id_registrations (
  id text primary key,
  account_id text not null references accounts(id),
  country text not null check (country ~ '^[A-Z]{2}$'),
  sender_id text not null,
  sender_type text not null check (sender_type in ('numeric', 'short_code', 'alphabetic', 'alphanumeric')),
  categories text[] not null check (cardinality(categories) > 0 and categories <@ array['otp', 'notification', 'marketing']),
  status text not null default 'draft' check (status in ('draft', 'submitted', 'approved', 'rejected')),
  use_case text,
  documents jsonb not null default '[]',
  rejection_reason text,
  fee_one_off_usd numeric(10, 2),
  fee_monthly_usd numeric(10, 2),
  lead_time_days integer,
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  decided_at timestamptz
);

-- One registration per sender and country in an account; edits and resubmissions reuse it.
create unique index if not exists sender_id_registrations_unique on sender_id_registrations(account_id, country, sender_id);

-- The operator's review queue.
create index if not exists sender_id_registrations_submitted on sender_id_registrations(submitted_at) where status = 'submitted';

-- What the send path loads into memory.
create index if not exists sender_id_registrations_approved on sender_id_registrations(account_id) where status = 'approved';
