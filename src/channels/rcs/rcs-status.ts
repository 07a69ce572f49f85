/**
 * The life of a 5G message: `pending` (stored) → `accepted` (the MaaP took it) → `sent` →
 * `delivered` → `read`, or `failed` (refused) / `not_capable` (DeliveryImpossible: not an RCS
 * terminal). Statuses only move forward; failures after delivery are ignored (the terminal had it).
 */
import type { MaapStatus } from './maap-api.js';

export const RCS_STATUSES = ['pending', 'accepted', 'sent', 'delivered', 'read', 'failed', 'not_capable'] as const;
export type RcsStatus = (typeof RCS_STATUSES)[number];

const RANK = { pending: 0, accepted: 1, sent: 2, delivered: 3, read: 4 } as const;
const isFinalFailure = (s: RcsStatus): s is 'failed' | 'not_capable' => s === 'failed' || s === 'not_capable';

export function nextRcsStatus(current: RcsStatus, incoming: RcsStatus): RcsStatus {
  if (isFinalFailure(current)) return current;
  if (isFinalFailure(incoming)) return RANK[current] >= RANK.delivered ? current : incoming;
  return RANK[incoming] > RANK[current] ? incoming : current;
}

/** Message-level codes: a delivery the network made as SMS, and a terminal that is not RCS-capable. */
export const RCS_CODES = { deliveredAsSms: 'DELIVERED_AS_SMS', deliveryImpossible: 'RCS_DELIVERY_IMPOSSIBLE' } as const;

/** A MaaP status as ours, with the code it carries. */
export function fromMaapStatus(s: MaapStatus): { status: Exclude<RcsStatus, 'pending'>; code: string | null } {
  switch (s) {
    case 'MessageSent': return { status: 'sent', code: null };
    case 'DeliveredToTerminal': return { status: 'delivered', code: null };
    case 'MessageDisplayed': return { status: 'read', code: null };
    case 'DeliveryImpossible': return { status: 'not_capable', code: RCS_CODES.deliveryImpossible };
    case 'DeliveredToNetwork': return { status: 'delivered', code: RCS_CODES.deliveredAsSms };
  }
}

/** The column holding the time a status was first seen. */
export const RCS_TIME_COLUMN = {
  accepted: 'accepted_at', sent: 'sent_at', delivered: 'delivered_at', read: 'read_at', failed: 'failed_at', not_capable: 'failed_at',
} as const satisfies Record<Exclude<RcsStatus, 'pending'>, string>;
