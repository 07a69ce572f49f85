-- Links to the H5 page of an MMS (kind 'mms'): what a text step of an MMS send carries, so a
-- handset that gets the SMS instead of the MMS still sees the pictures. Such a link keeps the MMS
-- template id (mms_template_id) and the recipient's variables (variables), as a card link keeps
-- its card template. The kind check of 008_links.sql is replaced (drop if exists, add: idempotent).
alter table links drop constraint if exists links_kind_check;
alter table links add constraint links_kind_check check (kind in ('redirect', 'card', 'mms'));
alter table links add column if not exists mms_template_id text;
