/**
 * One valid, fully rendered card per type (no variables), with every optional field a renderer
 * shows, plus a coupon template with variables. Tests copy them (`structuredClone`) before changing.
 */
import type { Card, CardType } from '../../src/cards/card-model.js';

const IMAGE = {
  kind: 'image', url: '/m/med_abc123', mime: 'image/jpeg', size: 81234, width: 1080, height: 720, alt: 'Spring sale',
  thumbnail: { url: '/m/med_abc124', mime: 'image/jpeg', size: 9000, width: 320, height: 213 }, displayHeight: 'MEDIUM',
} as const;
const VIDEO = {
  kind: 'video', url: 'https://cdn.acme.example/v/launch.mp4', mime: 'video/mp4', size: 3_000_000, width: 720, height: 1280, durationSeconds: 30,
  thumbnail: { url: 'https://cdn.acme.example/v/launch.jpg', mime: 'image/jpeg' },
} as const;

export const CARD_EXAMPLES: Record<CardType, Card> = {
  'image-text': {
    type: 'image-text', version: 1, summary: 'Spring sale: 20% off everything this weekend',
    media: { ...IMAGE }, title: 'Spring sale', description: 'Everything 20% off until Sunday.',
    buttons: [{ type: 'openUrl', text: 'Shop now', url: 'https://shop.acme.example/spring' }, { type: 'dial', text: 'Call us', phoneNumber: '400-820-8820' }],
    suggestions: [{ type: 'reply', text: 'Unsubscribe', postback: 'unsub' }],
  },
  coupon: {
    type: 'coupon', version: 1, summary: 'Your ¥20 coupon is waiting', title: 'A coupon for you', description: 'Use it on any order over ¥100.',
    media: { ...IMAGE },
    coupon: { kind: 'coupon', amount: '20', currency: '¥', condition: 'Orders over ¥100', code: 'SPRING20', merchant: 'ACME Shop', validFrom: '2030-05-01', validUntil: '2030-06-30' },
    buttons: [{ type: 'copyCode', text: 'Copy code', code: 'SPRING20' }, { type: 'openMiniProgram', text: 'Use it', appId: 'wx1234567890abcdef', path: 'pages/coupon/index?c=SPRING20' }],
  },
  'short-video': {
    type: 'short-video', version: 1, summary: 'Watch the new model in 30 seconds', media: { ...VIDEO, thumbnail: { ...VIDEO.thumbnail } },
    title: 'Meet the X2', description: 'Lighter, faster, longer battery.',
    buttons: [{ type: 'openApp', text: 'Open the app', deepLink: 'acmeshop://product/x2', fallbackUrl: 'https://shop.acme.example/x2' }],
  },
  flight: {
    type: 'flight', version: 1, summary: 'CA1234 Beijing → Shanghai on 1 May: check in now', title: 'Your flight is confirmed',
    flight: {
      airline: 'Air China', flightNumber: 'CA1234', passenger: 'ZHANG/SAN', seat: '32A', cabin: 'Economy', gate: 'C15', bookingReference: 'K3X9QZ', status: 'On time',
      boardingTime: '2030-05-01T07:50:00+08:00',
      departure: { airport: 'PEK', city: 'Beijing', terminal: 'T3', time: '2030-05-01T08:30:00+08:00' },
      arrival: { airport: 'SHA', city: 'Shanghai', terminal: 'T2', time: '2030-05-01T10:45:00+08:00' },
    },
    buttons: [{ type: 'openUrl', text: 'Check in', url: 'https://air.acme.example/checkin?pnr=K3X9QZ' }],
  },
  'train-ticket': {
    type: 'train-ticket', version: 1, summary: 'G1234 Beijing South → Shanghai Hongqiao, 1 May 08:00', title: 'Ticket booked',
    train: {
      trainNumber: 'G1234', passenger: 'Zhang San', carriage: '05', seat: '12F', seatClass: 'Second class', ticketGate: 'A12', orderNumber: 'E123456789',
      departure: { station: 'Beijing South', time: '2030-05-01T08:00:00+08:00' },
      arrival: { station: 'Shanghai Hongqiao', time: '2030-05-01T12:28:00+08:00' },
    },
  },
  'order-notice': {
    type: 'order-notice', version: 1, summary: 'Your order 2030-0042 has shipped', title: 'On its way',
    order: {
      orderNumber: '2030-0042', status: 'Shipped', stage: 'shipped', carrier: 'SF Express', trackingNumber: 'SF1234567890', estimatedDelivery: '2030-05-03',
      pickupCode: '6-2-3301', total: '¥128.00', items: [{ name: 'Green tea 250 g', quantity: '2', price: '¥64.00' }],
    },
    buttons: [{ type: 'openUrl', text: 'Track parcel', url: 'https://shop.acme.example/track/SF1234567890' }],
  },
  carousel: {
    type: 'carousel', version: 1, summary: 'Three picks for you this week', cardWidth: 'MEDIUM',
    cards: [
      { media: { ...IMAGE }, title: 'Green tea', description: '250 g, spring harvest', buttons: [{ type: 'openUrl', text: 'Buy', url: 'https://shop.acme.example/p/1' }] },
      { media: { ...VIDEO, thumbnail: { ...VIDEO.thumbnail } }, title: 'Tea set', buttons: [{ type: 'openUrl', text: 'Buy', url: 'https://shop.acme.example/p/2' }] },
      { media: { ...IMAGE }, title: 'Gift box' },
    ],
    suggestions: [{ type: 'openUrl', text: 'All offers', url: 'https://shop.acme.example/offers' }],
  },
};

/** A coupon card template with variables in text, a code and a URL. */
export const COUPON_TEMPLATE = {
  type: 'coupon',
  summary: '{{name}}, your ¥{{amount}} coupon is waiting',
  title: 'A coupon for {{name}}',
  description: 'Use it on any order over ¥100 before {{expiry}}.',
  coupon: { kind: 'coupon', amount: '{{amount}}', currency: '¥', code: '{{code}}', validUntil: '{{expiry}}' },
  buttons: [
    { type: 'copyCode', text: 'Copy code', code: '{{code}}' },
    { type: 'openUrl', text: 'Use it', url: 'https://shop.acme.example/redeem?c={{code}}' },
  ],
};

export const COUPON_SAMPLES = { name: 'Li Lei', amount: '20', code: 'SPRING20', expiry: '2030-06-30' };
