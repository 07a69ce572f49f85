/**
 * Whether the message a link was made for was delivered, in SQL: a text SMS with status
 * `delivered`, or a send down a channel chain whose succeeding step's channel reported delivered
 * or read (src/fallback). `messageId` and `accountId` are SQL expressions.
 */
export function deliveredMessageSql(messageId: string, accountId: string): string {
  return `(exists (select 1 from messages m where m.id = ${messageId} and m.account_id = ${accountId} and m.status = 'delivered')
       or exists (select 1 from fallback_sends f join fallback_steps st on st.send_id = f.id and st.idx = f.current_step
                   where f.id = ${messageId} and f.account_id = ${accountId} and f.state = 'succeeded'
                     and (st.status = 'delivered' or st.status = 'read')))`;
}
