/**
 * The message as it leaves for the gateway: media parts, each slide's text part, the SMIL and the
 * size the carrier will count. Made from a template's fit and one recipient's texts, or from an
 * inline composition; both paths end in the same gateway request.
 */
import type { ComposedMms, MmsPart } from './mms-compose.js';
import type { SubmitRequest } from './mms-gateway-api.js';
import type { MmsSlideSizes } from './mms-message.repository.js';
import { MMS_PROFILES, type MmsProfileId } from './mms-profiles.js';
import { partName } from './mms-smil.js';
import { mmsMessageSize, utf8Bytes } from './mms-size.js';

export interface OutgoingMms {
  profile: MmsProfileId;
  templateId: string | null;
  subject: string;
  smil: string;
  parts: MmsPart[];
  totalBytes: number;
  slides: MmsSlideSizes[];
}

const TEXT_TYPE = 'text/plain;charset=utf-8';

/** Media of a composition (or fit) plus the given texts, in slide order. */
export function outgoingOf(c: Pick<ComposedMms, 'profile' | 'smil' | 'media' | 'slides'>, subject: string, texts: readonly string[], templateId: string | null): OutgoingMms {
  const parts: MmsPart[] = [];
  texts.forEach((text, i) => {
    parts.push(...c.media.filter((m) => m.slide === i));
    parts.push({ name: partName(i, 'text'), contentType: TEXT_TYPE, slide: i, role: 'text', bytes: Buffer.from(text, 'utf8') });
  });
  return {
    profile: c.profile, templateId, subject, smil: c.smil, parts,
    totalBytes: mmsMessageSize({ subject, smilBytes: utf8Bytes(c.smil), parts: parts.map((p) => ({ size: p.bytes.length })) }),
    slides: c.slides.map((s, i) => ({ textBytes: utf8Bytes(texts[i]), media: s.media })),
  };
}

export function submitRequestOf(messageId: string, to: string, m: OutgoingMms): SubmitRequest {
  return {
    outId: messageId, product: MMS_PROFILES[m.profile].gatewayProduct, mobile: to, subject: m.subject, smil: m.smil,
    parts: m.parts.map((p) => ({ name: p.name, contentType: p.contentType, content: p.bytes.toString('base64') })),
  };
}
