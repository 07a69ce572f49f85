-- The fallback report (src/fallback/report): a campaign's sends of a period. Campaign ids are per
-- account (a customer's own "spring-sale" may exist in several accounts), so the account leads;
-- fallback_sends_campaign (013) alone would read every account's sends of that id. The period
-- without a campaign uses fallback_sends_account_created (013); steps come by their primary key.
create index if not exists fallback_sends_account_campaign on fallback_sends(account_id, campaign_id, created_at)
  where campaign_id is not null;
