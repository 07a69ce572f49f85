/**
 * Where the reports of a message submitted over SMPP go, kept in the message's callback_url:
 * `smpp://<system_id>/?parts=<n>&dlr=<registered_delivery per part>&src=<source_addr>` (MO: `smpp://<system_id>/`). The reports outbox routes on the
 * scheme (reports.via), and the SMPP report sender reads the rest: which binds to deliver to, how
 * many receipts the ESME expects (one per submit_sm it sent) and which ones it asked for.
 */

/** The address prefix of one system_id, for `starts_with(callback_url, …)`. */
export function smppAddressPrefix(systemId: string): string {
  return `smpp://${encodeURIComponent(systemId)}/`;
}

export interface SmppReportAddress {
  systemId: string;
  /** submit_sm PDUs the customer sent for this message (its parts when it concatenated itself). */
  parts: number;
  /** registered_delivery bits 0–1 of each submit_sm (one entry per part). */
  receipts: number[];
  /** The submit's source_addr as the ESME sent it: receipts are addressed back to it. */
  source: string;
}

export function formatSmppAddress(a: SmppReportAddress): string {
  return `${smppAddressPrefix(a.systemId)}?parts=${a.parts}&dlr=${a.receipts.join('')}&src=${encodeURIComponent(a.source)}`;
}

export function parseSmppAddress(url: string): SmppReportAddress | undefined {
  const m = /^smpp:\/\/([^/]+)\/(?:\?parts=(\d+)&dlr=(\d+)&src=([^&]*))?$/.exec(url);
  if (!m) return undefined;
  const parts = Number(m[2] ?? 1);
  const receipts = [...(m[3] ?? '1')].map(Number);
  return { systemId: decodeURIComponent(m[1]), parts, receipts: receipts.length === parts ? receipts : new Array(parts).fill(receipts[0]), source: decodeURIComponent(m[4] ?? '') };
}

/**
 * The message_id answered for each submit_sm: the platform message id without its `msg_` prefix
 * (receipts travel as GSM 03.38 text, where `_` is not `_`), and `<id>-<seq>` per part when the
 * ESME concatenated the message itself, so each part's receipt and query_sm find their way back to
 * the one platform message.
 */
export function partMessageId(messageId: string, seq: number, total: number): string {
  const bare = messageId.replace(/^msg_/, '');
  return total > 1 ? `${bare}-${seq}` : bare;
}

/** The platform message id behind an id we answered (see {@link partMessageId}). */
export function messageIdOf(smppMessageId: string): string {
  return `msg_${smppMessageId.replace(/-\d+$/, '')}`;
}
