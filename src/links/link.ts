/**
 * Short links: the shapes shared by the API, the redirect and the services that build sends on
 * top of them (card campaigns, smart SMS).
 */

export const LINK_KINDS = ['redirect', 'card', 'mms'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
/** Kinds POST /v1/links creates; 'mms' links are made only by MMS sends (FallbackSendService). */
export const CREATABLE_LINK_KINDS = ['redirect', 'card'] as const;

/** What a card link's page is rendered from: the card template and this link's variables. */
export interface CardReference {
  templateId: string;
  /** Handlebars variables of this recipient (or of everyone, for a shared link). */
  variables: Record<string, unknown>;
}

/** What an MMS link's page is rendered from: the approved MMS template and this recipient's variables. */
export interface MmsReference {
  templateId: string;
  variables: Record<string, unknown>;
}

/**
 * A link as the redirect path sees it: everything needed to answer and to record a click without
 * reading PostgreSQL (cached in process memory and Redis).
 */
export interface ResolvedLink {
  code: string;
  accountId: string;
  kind: LinkKind;
  /** Where a redirect link goes; for a card link, the fallback the default page offers. */
  targetUrl: string | null;
  campaignId: string | null;
  card: CardReference | null;
  /** The MMS of an 'mms' link; absent on other kinds (kept out of their cached copies). */
  mms?: MmsReference;
  /** Epoch ms after which the link answers 410 Gone; null = never. */
  expiresAt: number | null;
  /** Hex HMAC of the recipient's number on a personalised link (UV counts recipients); else null. */
  recipient: string | null;
}

/** A link as the API and the console show it. */
export interface Link {
  code: string;
  /** The short URL to put in a message. */
  url: string;
  kind: LinkKind;
  targetUrl: string | null;
  campaignId: string | null;
  card: CardReference | null;
  mms: MmsReference | null;
  expiresAt: string | null;
  /** One recipient's link (its clicks count that recipient once in UV). */
  personalised: boolean;
  /** The message that carries this link, once the sender attached it. */
  messageId: string | null;
  createdAt: string;
}

/** Input of a single link (POST /v1/links, LinkService.createLink). */
export interface NewLink {
  kind: (typeof CREATABLE_LINK_KINDS)[number];
  targetUrl?: string | null;
  campaignId?: string | null;
  /** Sets the campaign's name (creating the campaign when it does not exist yet). */
  campaignName?: string | null;
  card?: { templateId: string; variables?: Record<string, unknown> } | null;
  expiresAt?: Date | null;
}

/** One recipient of a send, for {@link PersonalisedLinksInput}. */
export interface LinkRecipient {
  /** The number as the message will carry it (E.164, e.g. +8613800138000); hashed, never stored. */
  to: string;
  /** This recipient's card or MMS variables (card and mms links). */
  variables?: Record<string, unknown>;
  /** The message carrying the link, when it already exists (else attach it later). */
  messageId?: string;
}

/** Input of LinkService.createPersonalisedLinks: one code per recipient, all in one campaign. */
export interface PersonalisedLinksInput {
  campaignId: string;
  kind: LinkKind;
  targetUrl?: string | null;
  /** Card template of every link (kind 'card'); each recipient brings its own variables. */
  cardTemplateId?: string | null;
  /** MMS template of every link (kind 'mms'); each recipient brings its own variables. */
  mmsTemplateId?: string | null;
  expiresAt?: Date | null;
  recipients: LinkRecipient[];
}

/** A campaign: the links of one send, and what the click report needs to know about it. */
export interface Campaign {
  id: string;
  name: string | null;
  cardTemplateId: string | null;
  createdAt: string;
}

/** Smart-SMS parse results of a campaign: aggregate counts only (DOMAIN.md §1). */
export interface ParseStats {
  /** Numbers the parse platform was asked to render. */
  requested: number;
  /** Of those, rendered as a card. */
  parsed: number;
  reportedAt: Date;
  /** The adapter's key for one report stream of the campaign ('' when there is one). */
  source?: string;
}
