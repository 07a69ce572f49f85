-- Card templates (smart SMS / H5 / text fallback from one card, issue 4) and the images uploaded
-- to them. A template's `card` is the card document with {{variables}} (card-schemas/<type>.v<n>.json);
-- `variables` lists the names it uses, `sample_variables` the example values reviewers see.
-- Review mirrors the carriers': draft -> submitted -> approved | rejected (a rejected template is
-- edited and submitted again); only approved templates send. `history` is the append-only log.

create table if not exists card_templates (
  id text primary key,
  account_id text not null references accounts(id),
  name text not null,
  card_type text not null,
  schema_version integer not null,
  card jsonb not null,
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

create index if not exists card_templates_account on card_templates(account_id, id);

-- The operator's review queue.
create index if not exists card_templates_submitted on card_templates(submitted_at) where status = 'submitted';

-- Uploaded images, resized and stripped of metadata, each with a thumbnail row (parent_id set).
-- Kept in the database (bytea) rather than on a disk: every API process serves /m/{id} from the
-- same store, PGlite included, and backups hold them. Both are at most a few hundred KB.
create table if not exists card_media (
  id text primary key,
  account_id text not null references accounts(id),
  template_id text not null references card_templates(id),
  parent_id text references card_media(id),
  role text not null check (role in ('image', 'thumbnail')),
  mime text not null,
  width integer not null,
  height integer not null,
  size_bytes integer not null,
  sha256 text not null,
  bytes bytea not null,
  created_at timestamptz not null default now()
);

create index if not exists card_media_template on card_media(account_id, template_id);
