/**
 * TypeScript shapes of the cards that card-schemas/*.v1.json describe. The JSON Schemas are the
 * source of truth (they validate every card); these types only let renderers and the service read
 * a card that has passed validation.
 */

export const CARD_TYPES = ['image-text', 'coupon', 'short-video', 'flight', 'train-ticket', 'order-notice', 'carousel'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const BUTTON_TYPES = ['openUrl', 'openApp', 'openMiniProgram', 'dial', 'copyCode', 'reply'] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

export interface CardThumbnail {
  url: string;
  mime: string;
  size?: number;
  width?: number;
  height?: number;
}

export type DisplayHeight = 'SHORT' | 'MEDIUM' | 'TALL';

export interface CardImage {
  kind: 'image';
  url: string;
  mime: string;
  size?: number;
  width?: number;
  height?: number;
  alt?: string;
  thumbnail?: CardThumbnail;
  displayHeight?: DisplayHeight;
}

export interface CardVideo {
  kind: 'video';
  url: string;
  mime: 'video/mp4';
  size?: number;
  width?: number;
  height?: number;
  durationSeconds?: number;
  alt?: string;
  thumbnail: CardThumbnail;
  displayHeight?: DisplayHeight;
}

export type CardMedia = CardImage | CardVideo;

interface ButtonBase {
  /** Label, ≤ 25 characters. */
  text: string;
  postback?: string;
}

export type CardButton =
  | (ButtonBase & { type: 'openUrl'; url: string })
  | (ButtonBase & { type: 'openApp'; deepLink: string; fallbackUrl?: string })
  | (ButtonBase & { type: 'openMiniProgram'; appId: string; path: string; fallbackUrl?: string })
  | (ButtonBase & { type: 'dial'; phoneNumber: string })
  | (ButtonBase & { type: 'copyCode'; code: string })
  | (ButtonBase & { type: 'reply' });

interface CardBase {
  /** Schema version; always set on a stored or rendered card. */
  version: number;
  summary: string;
  suggestions?: CardButton[];
}

interface SingleCard extends CardBase {
  title: string;
  description?: string;
  buttons?: CardButton[];
}

export interface ImageTextCard extends SingleCard {
  type: 'image-text';
  media: CardImage;
}

export interface CouponCard extends SingleCard {
  type: 'coupon';
  media?: CardImage;
  coupon: {
    kind: 'coupon' | 'redPacket';
    amount: string;
    currency?: string;
    condition?: string;
    code?: string;
    merchant?: string;
    validFrom?: string;
    validUntil: string;
  };
}

export interface ShortVideoCard extends SingleCard {
  type: 'short-video';
  media: CardVideo;
}

export interface AirportStop {
  airport: string;
  city: string;
  terminal?: string;
  time: string;
}

export interface FlightCard extends SingleCard {
  type: 'flight';
  flight: {
    airline: string;
    flightNumber: string;
    departure: AirportStop;
    arrival: AirportStop;
    passenger?: string;
    seat?: string;
    cabin?: string;
    gate?: string;
    boardingTime?: string;
    bookingReference?: string;
    status?: string;
  };
}

export interface TrainStop {
  station: string;
  time: string;
}

export interface TrainTicketCard extends SingleCard {
  type: 'train-ticket';
  train: {
    trainNumber: string;
    departure: TrainStop;
    arrival: TrainStop;
    passenger?: string;
    carriage?: string;
    seat?: string;
    seatClass?: string;
    ticketGate?: string;
    orderNumber?: string;
  };
}

export const ORDER_STAGES = ['placed', 'paid', 'shipped', 'in_transit', 'out_for_delivery', 'delivered', 'cancelled', 'returned'] as const;

export interface OrderNoticeCard extends SingleCard {
  type: 'order-notice';
  media?: CardImage;
  order: {
    orderNumber: string;
    status: string;
    stage?: (typeof ORDER_STAGES)[number];
    carrier?: string;
    trackingNumber?: string;
    estimatedDelivery?: string;
    pickupCode?: string;
    total?: string;
    items?: { name: string; quantity?: string; price?: string }[];
  };
}

export interface CarouselItem {
  media: CardMedia;
  title: string;
  description?: string;
  buttons?: CardButton[];
}

export interface CarouselCard extends CardBase {
  type: 'carousel';
  cardWidth?: 'SMALL' | 'MEDIUM';
  cards: CarouselItem[];
}

/** A card that passed its schema (every `{{variable}}` rendered). */
export type Card = ImageTextCard | CouponCard | ShortVideoCard | FlightCard | TrainTicketCard | OrderNoticeCard | CarouselCard;

export const isCardType = (t: unknown): t is CardType => typeof t === 'string' && (CARD_TYPES as readonly string[]).includes(t);
