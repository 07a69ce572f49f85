-- Route quality (src/verify/route-quality.repository.ts) reads the last hours of attempts of every
-- account, grouped by route, once a minute: a range over created_at that the per-account report
-- index (account_id, created_at) cannot serve without scanning the whole table.
-- The backfill report itself needs nothing more: it reads one account's period through
-- verification_attempts_report, or the table when the period is most of it (measured: a covering
-- index would save little and stop the HOT updates that set sent_at/delivered_at/verified_at).
create index if not exists verification_attempts_recent on verification_attempts(created_at);
