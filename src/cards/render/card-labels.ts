/**
 * The fixed words of rendered cards (H5 page and plain text), per language. Card content itself
 * comes from the template; only these labels are the platform's.
 */
export type CardLang = 'zh-CN' | 'en';

export interface CardLabels {
  coupon: string;
  redPacket: string;
  validFrom: string;
  validUntil: string;
  code: string;
  copy: string;
  copied: string;
  passenger: string;
  seat: string;
  cabin: string;
  gate: string;
  boarding: string;
  booking: string;
  carriage: string;
  seatClass: string;
  ticketGate: string;
  order: string;
  carrier: string;
  tracking: string;
  estimatedDelivery: string;
  pickupCode: string;
  total: string;
  open: string;
  hours: string;
  minutes: string;
  stages: Record<string, string>;
}

export const CARD_LABELS: Record<CardLang, CardLabels> = {
  'zh-CN': {
    coupon: '优惠券', redPacket: '红包', validFrom: '生效', validUntil: '有效期至', code: '券码', copy: '复制', copied: '已复制',
    passenger: '乘客', seat: '座位', cabin: '舱位', gate: '登机口', boarding: '登机', booking: '订座记录',
    carriage: '车厢', seatClass: '席别', ticketGate: '检票口',
    order: '订单号', carrier: '快递', tracking: '运单号', estimatedDelivery: '预计送达', pickupCode: '取件码', total: '合计',
    open: '查看', hours: '小时', minutes: '分',
    stages: { placed: '已下单', paid: '已付款', shipped: '已发货', in_transit: '运输中', out_for_delivery: '派送中', delivered: '已签收', cancelled: '已取消', returned: '已退货' },
  },
  en: {
    coupon: 'Coupon', redPacket: 'Red packet', validFrom: 'From', validUntil: 'Valid until', code: 'Code', copy: 'Copy', copied: 'Copied',
    passenger: 'Passenger', seat: 'Seat', cabin: 'Cabin', gate: 'Gate', boarding: 'Boarding', booking: 'Booking',
    carriage: 'Carriage', seatClass: 'Class', ticketGate: 'Ticket gate',
    order: 'Order', carrier: 'Carrier', tracking: 'Tracking no.', estimatedDelivery: 'Estimated delivery', pickupCode: 'Pickup code', total: 'Total',
    open: 'Open', hours: 'h', minutes: 'min',
    stages: { placed: 'Placed', paid: 'Paid', shipped: 'Shipped', in_transit: 'In transit', out_for_delivery: 'Out for delivery', delivered: 'Delivered', cancelled: 'Cancelled', returned: 'Returned' },
  },
};
