/**
 * The 5G message (GSMA RCS UP, China CSP API) wire shapes the platform posts to the carrier's MaaP
 * in `messageList`, and the limits PROTOCOLS.md gives for them. Renderers build these; the adapter
 * posts them as they are.
 */

export const MAAP_CONTENT_TYPES = {
  text: 'text/plain',
  botMessage: 'application/vnd.gsma.botmessage.v1.0+json',
  botSuggestion: 'application/vnd.gsma.botsuggestion.v1.0+json',
  file: 'application/vnd.gsma.rcs-ft-http',
  /** What a user's tap on a suggestion comes back as (inbound only). */
  suggestionResponse: 'application/vnd.gsma.botsuggestion.response.v1.0+json',
} as const;

/** PROTOCOLS.md "Google RBM / GSMA RCS". */
export const RCS_LIMITS = {
  text: 3072,
  /** Suggestion chips of one message (a card's own suggestions not counted). */
  suggestions: 11,
  cardSuggestions: 4,
  suggestionText: 25,
  postback: 2048,
  title: 200,
  description: 2000,
  carouselMin: 2,
  carouselMax: 10,
  url: 2048,
} as const;

interface SuggestionBase {
  displayText: string;
  postback: { data: string };
}

export type RcsSuggestion =
  | { reply: SuggestionBase }
  | { action: SuggestionBase & { urlAction: { openUrl: { url: string } } } }
  | { action: SuggestionBase & { dialerAction: { dialPhoneNumber: { phoneNumber: string } } } };

export type RcsMediaHeight = 'SHORT_HEIGHT' | 'MEDIUM_HEIGHT' | 'TALL_HEIGHT';

export interface RcsMedia {
  mediaUrl: string;
  mediaContentType: string;
  mediaFileSize?: number;
  thumbnailUrl?: string;
  thumbnailContentType?: string;
  thumbnailFileSize?: number;
  height: RcsMediaHeight;
  contentDescription?: string;
}

export interface RcsCardContent {
  media?: RcsMedia;
  title?: string;
  description?: string;
  suggestions?: RcsSuggestion[];
}

export interface RcsCardMessage {
  message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }; content: RcsCardContent } };
}

export interface RcsCarouselMessage {
  message: { generalPurposeCardCarousel: { layout: { cardWidth: 'SMALL_WIDTH' | 'MEDIUM_WIDTH' }; content: RcsCardContent[] } };
}

/** A file transfer by reference (the handset fetches `url`), with an optional thumbnail. */
export interface RcsFileInfo {
  type: 'file' | 'thumbnail';
  contentType: string;
  url: string;
  fileSize?: number;
  fileName?: string;
}

export type MaapContent =
  | { contentType: typeof MAAP_CONTENT_TYPES.text; contentText: string }
  | { contentType: typeof MAAP_CONTENT_TYPES.botMessage; contentText: RcsCardMessage | RcsCarouselMessage }
  | { contentType: typeof MAAP_CONTENT_TYPES.botSuggestion; contentText: { suggestions: RcsSuggestion[] } }
  | { contentType: typeof MAAP_CONTENT_TYPES.file; contentText: RcsFileInfo[] };

/** What one 5G message is: the `messageList` of an outbound request. */
export interface RcsMessageBody {
  messageList: MaapContent[];
}

/** A limit a rendering broke, naming the field of the input it came from. */
export interface RcsProblem {
  field: string;
  rule: string;
  message: string;
}

/** Checks a string's length; pushes a problem naming `field`. Counts code points, as handsets do. */
export function checkLength(problems: RcsProblem[], field: string, value: string | undefined, max: number, min = 0): void {
  if (value === undefined) return;
  const n = [...value].length;
  if (n > max) problems.push({ field, rule: 'maxLength', message: `${field} is ${n} characters; 5G messages allow at most ${max}` });
  else if (n < min) problems.push({ field, rule: 'minLength', message: `${field} must have at least ${min} character${min === 1 ? '' : 's'}` });
}

export function checkCount(problems: RcsProblem[], field: string, count: number, max: number, min = 0): void {
  if (count > max) problems.push({ field, rule: 'maxItems', message: `${field} has ${count} entries; 5G messages allow at most ${max}` });
  else if (count < min) problems.push({ field, rule: 'minItems', message: `${field} has ${count} entries; 5G messages need at least ${min}` });
}
