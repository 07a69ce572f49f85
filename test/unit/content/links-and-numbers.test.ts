import { describe, expect, it } from 'vitest';
import {
  checkRegisteredContent,
  findLinksAndPhones,
  normalizePhone,
} from '../../../src/content/links-and-numbers.js';

describe('findLinksAndPhones: links', () => {
  it.each([
    ['详情见 https://www.example.com/sale?id=1 。', 'https://www.example.com/sale?id=1'],
    ['详情见 http://shop.example.io/a/b', 'http://shop.example.io/a/b'],
    ['点击t.cn/A6xYz9拒收请回复R', 't.cn/A6xYz9'],
    ['访问WWW.Example.Shop查看', 'WWW.Example.Shop'],
    ['官网 example.com.', 'example.com'],
    ['（详见 dwz.cn/abc）', 'dwz.cn/abc'],
    ['(see example.com/x)', 'example.com/x'],
    ['内网 http://10.0.0.1:8080/x', 'http://10.0.0.1:8080/x'],
  ])('when the text is %s, then the link %s is found', (text, link) => {
    expect(findLinksAndPhones(text).links).toEqual([link]);
  });

  it.each([['Mr.Smith 您好'], ['版本 v1.2.3 已发布'], ['金额 3.5元'], ['邮件 kf@example.com 联系']])(
    'when the text is %s, then no link is found',
    (text) => {
      expect(findLinksAndPhones(text).links).toEqual([]);
    },
  );

  it('when the same link appears twice, then it is listed once', () => {
    expect(findLinksAndPhones('t.cn/a 和 t.cn/a').links).toEqual(['t.cn/a']);
  });
});

describe('findLinksAndPhones: phones', () => {
  it.each([
    ['客服 13812345678 在线', '13812345678'],
    ['拨打138-1234-5678', '13812345678'],
    ['Call +86 138 1234 5678 now', '13812345678'],
    ['热线：400-800-1234', '4008001234'],
    ['门店电话 0755-88888888', '075588888888'],
    ['门店（010）12345678', '01012345678'],
    ['酒店电话：0571-8765 4321', '057187654321'],
    ['Hotel 12345678，前台 Tel: 1234567', '1234567'],
    ['客服电话：88886666', '88886666'],
    ['Call us +44 20 7946 0958', '+442079460958'],
  ])('when the text is %s, then the phone %s is found', (text, phone) => {
    expect(findLinksAndPhones(text).phones).toEqual([phone]);
  });

  it.each([
    ['【云信科技】您的验证码是1234，5分钟内有效。'],
    ['【云信科技】您的验证码是123456，请勿泄露。'],
    ['【云信科技】验证码12345678，如非本人操作请联系客服。'],
    ['【顺丰】您的快递单号SF1381234567890已签收'],
    ['订单 20240501 已发货，金额 1280000 元'],
    ['银行客服 95588，消保热线 12315'],
    ['点击 t.cn/13812345678 领取'],
  ])('when the text is %s, then no phone is found', (text) => {
    expect(findLinksAndPhones(text).phones).toEqual([]);
  });

  it('when a link and two numbers are present, then all are found in order', () => {
    // Act
    const found = findLinksAndPhones('【百万超市】详见 t.cn/Ab12 ，客服 13812345678 或 0755-88888888');

    // Assert
    expect(found).toEqual({ links: ['t.cn/Ab12'], phones: ['13812345678', '075588888888'] });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['+86 138-1234-5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['0755-8888 8888', '075588888888'],
    ['+86 755 8888 8888', '075588888888'],
    ['+1 (415) 555-0100', '+14155550100'],
  ])('when %s is normalised, then it becomes %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });
});

describe('checkRegisteredContent', () => {
  const registered = { links: ['https://t.cn/Ab12', 'example.com/sale/'], phones: ['+86 138 1234 5678', '0755-88888888'] };

  it('when every link and phone is registered, then ok', () => {
    // Arrange: scheme, www., case of host and separators differ from the registrations
    const text = '【百万超市】详见 http://WWW.Example.com/sale/item?id=3 或 t.cn/Ab12，客服 138-1234-5678、(0755)88888888';

    // Act / Assert
    expect(checkRegisteredContent(text, registered)).toEqual({ ok: true });
  });

  it('when the text has no links or phones, then ok even with nothing registered', () => {
    expect(checkRegisteredContent('【云信科技】您的验证码是123456', { links: [], phones: [] })).toEqual({ ok: true });
  });

  it('when a short link only shares a prefix with the registered one, then UNREGISTERED_LINK', () => {
    // Act
    const result = checkRegisteredContent('点击 t.cn/Ab12xyz', registered);

    // Assert
    expect(result).toEqual({ ok: false, code: 'UNREGISTERED_LINK', value: 't.cn/Ab12xyz' });
  });

  it('when a short link differs only by case, then it is a different link', () => {
    expect(checkRegisteredContent('点击 t.cn/ab12', registered)).toMatchObject({ code: 'UNREGISTERED_LINK' });
  });

  it('when the link is on a subdomain of a registered host, then UNREGISTERED_LINK', () => {
    expect(checkRegisteredContent('见 evil.example.com/sale', registered)).toMatchObject({
      code: 'UNREGISTERED_LINK',
      value: 'evil.example.com/sale',
    });
  });

  it('when a registered bare host is used with any path, then ok', () => {
    expect(checkRegisteredContent('见 shop.cn/a/b?c=1', { links: ['shop.cn'], phones: [] })).toEqual({ ok: true });
  });

  it('when a phone is not registered, then UNREGISTERED_PHONE with the normalised number', () => {
    // Act
    const result = checkRegisteredContent('客服 139-0000-1111', registered);

    // Assert
    expect(result).toEqual({ ok: false, code: 'UNREGISTERED_PHONE', value: '13900001111' });
  });

  it('when a link and a phone are both unregistered, then the link is reported first', () => {
    const result = checkRegisteredContent('客服 13900001111 详见 other.cn/x', registered);
    expect(result).toMatchObject({ code: 'UNREGISTERED_LINK', value: 'other.cn/x' });
  });
});
