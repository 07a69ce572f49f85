-- The SMS failover of WhatsApp messages is now a send of the fallback engine (013): the chain
-- [whatsapp (condition, timeout), sms], with the WhatsApp message as step 0 (its reference is the
-- step reference `fbs_<send id>:0`; the customer's reference moves to the send). The fallback_*
-- columns of whatsapp_messages (004) are no longer written or read: they keep the failovers made
-- before this migration. Their sweeper's index goes.
drop index if exists whatsapp_messages_fallback_due;

comment on column whatsapp_messages.fallback_state is
  'Legacy (before migration 015): SMS failovers are fallback engine sends now (fallback_sends, fallback_steps). Not written any more.';

-- Failovers still waiting (armed) when this runs become engine sends, so their timeout still sends
-- the SMS: step 0 waits on the WhatsApp message until the old due time (the engine's sweeper re-reads
-- the message then), step 1 is the SMS. The send id is the message's own suffix (wam_x → msg_x).
-- A failover caught mid-send (claimed) is not converted: stop the old workers before migrating.
insert into fallback_sends (id, account_id, to_number, category, content, reference, state, current_step, step_count, created_at)
select 'msg_' || substr(w.id, 5), w.account_id, w.to_number, w.fallback_sms->>'category',
       jsonb_strip_nulls(jsonb_build_object('whatsapp', w.content, 'text', w.fallback_sms->'text', 'signature', w.fallback_sms->'signature')),
       w.reference, 'running', 0, 2, w.created_at
  from whatsapp_messages w
 where w.fallback_state = 'armed' and (w.reference is null or w.reference not like 'fbs\_%')
on conflict (id) do nothing;

insert into fallback_steps (send_id, idx, channel, condition, timeout_seconds, state, rendering, payload, channel_message_id,
                            status, status_at, started_at, sent_at, due_at)
select 'msg_' || substr(w.id, 5), 0, 'whatsapp', w.fallback_condition, w.fallback_timeout_seconds, 'waiting', 'whatsapp-' || w.type, w.content, w.id,
       case when w.status = 'pending' then 'accepted' else w.status end, now(), w.created_at, w.created_at, w.fallback_due_at
  from whatsapp_messages w
 where w.fallback_state = 'armed' and (w.reference is null or w.reference not like 'fbs\_%')
on conflict (send_id, idx) do nothing;

insert into fallback_steps (send_id, idx, channel, condition, timeout_seconds, state)
select 'msg_' || substr(w.id, 5), 1, 'sms', 'accepted', 300, 'pending'
  from whatsapp_messages w
 where w.fallback_state = 'armed' and (w.reference is null or w.reference not like 'fbs\_%')
on conflict (send_id, idx) do nothing;

-- Statuses of the converted messages now reach the engine through their step reference.
update whatsapp_messages w set reference = 'fbs_msg_' || substr(w.id, 5) || ':0'
 where w.fallback_state = 'armed' and (w.reference is null or w.reference not like 'fbs\_%');
