/**
 * The audit trail of reviewed records (card templates, sender ID registrations): every move of a
 * row's `status` appends {at, by, action, from, to, reason} to its `history` jsonb array in the same
 * UPDATE, so the log can't drift from the status it describes.
 */

/**
 * The SET clause `history = history || [entry]`. Each argument is an SQL expression (a `$n`
 * parameter or a literal); `from` is the row's status before this update (SET expressions read the
 * old row).
 */
export const appendHistoryEvent = (at: string, by: string, action: string, to: string, reason: string) =>
  `history = history || jsonb_build_array(jsonb_build_object('at', ${at}::text, 'by', ${by}::text, 'action', ${action}::text, 'from', status, 'to', ${to}::text, 'reason', ${reason}::text))`;
