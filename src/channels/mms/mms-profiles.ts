/**
 * Carrier profiles of multimedia messages: what one message may weigh in all, how many slides
 * (frames) it may have, which media types each slot takes and how large an image may be drawn.
 * A documented data table, not configuration: the figures are carrier facts (PROTOCOLS.md, MMS).
 *
 * | profile          | whole message | slides | image             | video            | audio      |
 * |------------------|---------------|--------|-------------------|------------------|------------|
 * | `cn-mms-50k`     | 50 KB (51,200 B, the China default) | 10 | jpg/png/gif ≤ 640×480 | —      | mp3, amr   |
 * | `cn-mms-80k`     | 80 KB (81,920 B, "on request")      | 10 | jpg/png/gif ≤ 640×480 | —      | mp3, amr   |
 * | `cn-video-sms`   | 1.9 MB (1,992,294 B)                | 9 frames | jpg/png/gif ≤ 1080×1920 | H.264 MP4 | mp3 |
 * | `intl-mms-300k`  | 300 KB (307,200 B, what operators reliably take) | 10 | jpg/png/gif ≤ 1024×1024 | H.264 MP4, 3GP | mp3, amr |
 *
 * The image boxes follow the OMA content classes (Image Basic 30 KB at 160×120, Image Rich 100 KB
 * at 640×480): a 50/80 KB China MMS carries Image Rich pictures at most. The whole message counts
 * everything a carrier counts (mms-size.ts): every part with its MIME headers, the SMIL, the
 * subject and the PDU header.
 */

export const MMS_PROFILE_IDS = ['cn-mms-50k', 'cn-mms-80k', 'cn-video-sms', 'intl-mms-300k'] as const;
export type MmsProfileId = (typeof MMS_PROFILE_IDS)[number];
export const DEFAULT_MMS_PROFILE: MmsProfileId = 'cn-mms-50k';

export const MMS_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'] as const;
export const MMS_VIDEO_TYPES = ['video/mp4', 'video/3gpp'] as const;
export const MMS_AUDIO_TYPES = ['audio/mpeg', 'audio/amr'] as const;
export type MmsMime = (typeof MMS_IMAGE_TYPES)[number] | (typeof MMS_VIDEO_TYPES)[number] | (typeof MMS_AUDIO_TYPES)[number];

/** The gateway product a profile is submitted as (the carrier checks its own limit per product). */
export const MMS_GATEWAY_PRODUCTS = ['mms', 'mms-80k', 'video-sms', 'mms-intl'] as const;
export type MmsGatewayProduct = (typeof MMS_GATEWAY_PRODUCTS)[number];

export interface MmsProfile {
  readonly id: MmsProfileId;
  readonly label: string;
  /** The whole message, as the carrier counts it. */
  readonly maxBytes: number;
  /** Slides (China video SMS calls them frames). */
  readonly maxSlides: number;
  /** Characters of one slide's text. */
  readonly maxTextChars: number;
  /** Characters of the subject. */
  readonly maxSubjectChars: number;
  /** Images are drawn within this box (and re-encoded under the message's budget). */
  readonly imageBox: { readonly width: number; readonly height: number };
  readonly imageTypes: readonly MmsMime[];
  /** Empty: the profile takes no video. */
  readonly videoTypes: readonly MmsMime[];
  readonly audioTypes: readonly MmsMime[];
  readonly gatewayProduct: MmsGatewayProduct;
}

const KB = 1024;

export const MMS_PROFILES: Readonly<Record<MmsProfileId, MmsProfile>> = Object.freeze({
  'cn-mms-50k': {
    id: 'cn-mms-50k', label: 'China MMS, 50 KB (default)', maxBytes: 50 * KB, maxSlides: 10, maxTextChars: 1000, maxSubjectChars: 40,
    imageBox: { width: 640, height: 480 }, imageTypes: MMS_IMAGE_TYPES, videoTypes: [], audioTypes: MMS_AUDIO_TYPES, gatewayProduct: 'mms',
  },
  'cn-mms-80k': {
    id: 'cn-mms-80k', label: 'China MMS, 80 KB (on request)', maxBytes: 80 * KB, maxSlides: 10, maxTextChars: 1000, maxSubjectChars: 40,
    imageBox: { width: 640, height: 480 }, imageTypes: MMS_IMAGE_TYPES, videoTypes: [], audioTypes: MMS_AUDIO_TYPES, gatewayProduct: 'mms-80k',
  },
  'cn-video-sms': {
    id: 'cn-video-sms', label: 'China video SMS, 1.9 MB, 9 frames', maxBytes: Math.floor(1.9 * KB * KB), maxSlides: 9, maxTextChars: 1000, maxSubjectChars: 40,
    imageBox: { width: 1080, height: 1920 }, imageTypes: MMS_IMAGE_TYPES, videoTypes: ['video/mp4'], audioTypes: ['audio/mpeg'], gatewayProduct: 'video-sms',
  },
  'intl-mms-300k': {
    id: 'intl-mms-300k', label: 'International MMS, 300 KB', maxBytes: 300 * KB, maxSlides: 10, maxTextChars: 1000, maxSubjectChars: 40,
    imageBox: { width: 1024, height: 1024 }, imageTypes: MMS_IMAGE_TYPES, videoTypes: MMS_VIDEO_TYPES, audioTypes: MMS_AUDIO_TYPES, gatewayProduct: 'mms-intl',
  },
});

export function mmsProfile(id: MmsProfileId): MmsProfile {
  return MMS_PROFILES[id];
}

/** The profile of each gateway product (the simulator's default limits). */
export const PROFILE_OF_PRODUCT: Readonly<Record<MmsGatewayProduct, MmsProfileId>> = Object.freeze({
  mms: 'cn-mms-50k', 'mms-80k': 'cn-mms-80k', 'video-sms': 'cn-video-sms', 'mms-intl': 'intl-mms-300k',
});
