/**
 * The life of a WhatsApp message and the rules that keep it consistent when Meta's statuses arrive
 * late, twice or out of order (they do): a status only moves forward, `failed` is terminal, and a
 * message that was delivered or read cannot fail afterwards.
 */

/**
 * `pending`: stored, not yet answered by the API; `accepted`: the API returned a wamid; then the
 * webhook statuses `sent` → `delivered` → `read`, or `failed`.
 */
export const WHATSAPP_STATUSES = ['pending', 'accepted', 'sent', 'delivered', 'read', 'failed'] as const;
export type WhatsAppStatus = (typeof WHATSAPP_STATUSES)[number];

const RANK: Record<Exclude<WhatsAppStatus, 'failed'>, number> = { pending: 0, accepted: 1, sent: 2, delivered: 3, read: 4 };

/**
 * The status after `incoming` arrives on a message that is `current`. A late `sent` after `read`
 * keeps `read`; anything after `failed` keeps `failed`; `failed` after `delivered`/`read` is
 * ignored (the handset had it: Meta's late failure can only be about a later retry of its own).
 */
export function nextStatus(current: WhatsAppStatus, incoming: WhatsAppStatus): WhatsAppStatus {
  if (current === 'failed') return 'failed';
  if (incoming === 'failed') return RANK[current] >= RANK.delivered ? current : 'failed';
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** The column holding the time a status was first seen (the history keeps the first one). */
export const STATUS_TIME_COLUMN = {
  accepted: 'accepted_at',
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  failed: 'failed_at',
} as const satisfies Record<Exclude<WhatsAppStatus, 'pending'>, string>;
