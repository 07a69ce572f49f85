-- Reports: indexes for the pull cursor and the push scan, both partial on pending rows so a tenant's
-- delivered/dead history costs nothing and its unpulled backlog is never scanned for another tenant.

-- Pull API: pending reports of one account by id cursor.
create index if not exists reports_pull on reports(account_id, id) where state = 'pending';

-- Push scan for accounts without an account-level URL: only rows carrying a message-level URL.
create index if not exists reports_pending_own_url on reports(account_id, next_attempt_at)
  where state = 'pending' and callback_url is not null;
