/**
 * How large a multimedia message is, counted the way the carrier counts it: the MMS PDU header
 * (addresses, date, message type, transaction id, content type), the subject, and every body part
 * (SMIL, each slide's text, each medium) with its part headers (Content-Type, Content-ID,
 * Content-Location). The platform fits to this figure and the gateway simulator refuses by it, so
 * both sides agree on what "50 KB" means. Header sizes are fixed allowances, a little above what an
 * encoded m-send-req and its part headers take.
 */

/** The PDU header: From, To, Date, X-Mms-Message-Type, Transaction-ID, Content-Type with its start/type parameters. */
export const PDU_HEADER_BYTES = 200;
/** One part's headers: Content-Type (with charset or name), Content-ID and Content-Location. */
export const PART_HEADER_BYTES = 60;

export interface SizedPart {
  /** Bytes of the part's body. */
  size: number;
}

export const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Everything but the parts' bodies: PDU header, subject, SMIL with its headers, each part's headers. */
export function envelopeBytes(subject: string, smilBytes: number, partCount: number): number {
  return PDU_HEADER_BYTES + utf8Bytes(subject) + PART_HEADER_BYTES + smilBytes + partCount * PART_HEADER_BYTES;
}

/** The whole message. */
export function mmsMessageSize(m: { subject: string; smilBytes: number; parts: readonly SizedPart[] }): number {
  return envelopeBytes(m.subject, m.smilBytes, m.parts.length) + m.parts.reduce((s, p) => s + p.size, 0);
}
