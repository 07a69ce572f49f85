-- Multimedia messages (MMS / video SMS, issue 5): templates reviewed like card templates, the
-- media uploaded to them, the pictures fitted once per profile at submission (so a send only
-- fills in text), and the messages with their status history.

create table if not exists mms_templates (
  id text primary key,
  account_id text not null references accounts(id),
  name text not null,
  -- The carrier profile the template is reviewed and fitted for (mms-profiles.ts).
  profile text not null,
  subject text not null default '',
  -- [{text, image?, video?, audio?: media id, durationSeconds?}]; texts hold {{variables}}.
  slides jsonb not null,
  variables text[] not null default '{}',
  sample_variables jsonb not null default '{}',
  status text not null default 'draft' check (status in ('draft', 'submitted', 'approved', 'rejected')),
  rejection_reason text,
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  decided_at timestamptz
);
create index if not exists mms_templates_account on mms_templates(account_id, id);
create index if not exists mms_templates_submitted on mms_templates(submitted_at) where status = 'submitted';

-- Media as uploaded (checked, not yet fitted): pictures, videos, audio.
create table if not exists mms_media (
  id text primary key,
  account_id text not null references accounts(id),
  template_id text not null references mms_templates(id),
  kind text not null check (kind in ('image', 'video', 'audio')),
  mime text not null,
  width integer,
  height integer,
  size_bytes integer not null,
  sha256 text not null,
  bytes bytea not null,
  created_at timestamptz not null default now()
);
create index if not exists mms_media_template on mms_media(account_id, template_id);

-- A template's message fitted under one profile: SMIL, sizes, and each media part's bytes.
create table if not exists mms_fitted (
  template_id text not null references mms_templates(id),
  profile text not null,
  smil text not null,
  fixed_bytes integer not null,
  slides jsonb not null,
  created_at timestamptz not null default now(),
  primary key (template_id, profile)
);
create table if not exists mms_fitted_parts (
  template_id text not null,
  profile text not null,
  name text not null,
  content_type text not null,
  slide integer not null,
  role text not null,
  bytes bytea not null,
  primary key (template_id, profile, name),
  foreign key (template_id, profile) references mms_fitted(template_id, profile)
);

create table if not exists mms_messages (
  id text primary key,
  account_id text not null references accounts(id),
  to_number text not null,
  category text not null,
  template_id text,
  profile text not null,
  subject text not null,
  -- pending: stored (and paid), not yet taken by the gateway; accepted: taken; then delivered | failed.
  status text not null check (status in ('pending', 'accepted', 'delivered', 'failed')),
  error_code text,
  provider_code text,
  error_message text,
  provider_message_id text,
  -- The fallback engine's step reference: one message per step, however often the step is sent.
  step_ref text,
  total_bytes integer not null,
  slides jsonb not null,
  cost_millis bigint not null default 0,
  refunded_millis bigint not null default 0,
  history jsonb not null default '[]',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  done_at timestamptz
);
create unique index if not exists mms_messages_step_ref on mms_messages(step_ref) where step_ref is not null;
create unique index if not exists mms_messages_provider_id on mms_messages(provider_message_id) where provider_message_id is not null;
create index if not exists mms_messages_account_created on mms_messages(account_id, created_at desc);
