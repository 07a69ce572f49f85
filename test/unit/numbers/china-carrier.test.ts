import { describe, expect, it } from 'vitest';
import {
  InMemoryPortabilityLookup,
  PrefixProvinceLookup,
  carrierOf,
  resolveCarrier,
} from '../../../src/numbers/china-carrier.js';

const number = (segment: string): string => `+86${segment}${'0'.repeat(11 - segment.length)}`;

describe('carrierOf', () => {
  // DOMAIN.md §4 segment lists.
  it.each(['134', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '182', '183', '184', '187', '188', '198'])(
    'when the segment is %s, then it is China Mobile', (segment) => expect(carrierOf(number(segment))).toBe('cmcc'),
  );
  it.each(['130', '131', '132', '155', '156', '166', '175', '176', '185', '186'])(
    'when the segment is %s, then it is China Unicom', (segment) => expect(carrierOf(number(segment))).toBe('cucc'),
  );
  it.each(['133', '153', '173', '177', '180', '181', '189', '199'])(
    'when the segment is %s, then it is China Telecom', (segment) => expect(carrierOf(number(segment))).toBe('ctcc'),
  );

  it.each([
    ['147', 'cmcc'], ['172', 'cmcc'], ['178', 'cmcc'], ['195', 'cmcc'], ['197', 'cmcc'],
    ['145', 'cucc'], ['167', 'cucc'], ['196', 'cucc'],
    ['149', 'ctcc'], ['190', 'ctcc'], ['191', 'ctcc'], ['193', 'ctcc'],
  ])('when the newer segment is %s, then it is %s', (segment, carrier) => {
    expect(carrierOf(number(segment))).toBe(carrier);
  });

  it.each([
    ['1349', 'ctcc'], ['1348', 'cmcc'], ['1700', 'ctcc'], ['1703', 'cmcc'], ['1704', 'cucc'], ['1709', 'cucc'],
  ])('when a 4-digit segment %s overrides its 3-digit block, then it is %s', (segment, carrier) => {
    expect(carrierOf(number(segment))).toBe(carrier);
  });

  it.each([
    ['China Broadnet 192', '+8619200000000'],
    ['a US number', '+14155550123'],
    ['a Beijing landline', '+861012345678'],
    ['a national number without +86', '13800138000'],
    ['a too short number', '+86138001380'],
  ])('when given %s, then the carrier is null', (_label, e164) => {
    expect(carrierOf(e164)).toBeNull();
  });
});

describe('resolveCarrier', () => {
  const overrides = new InMemoryPortabilityLookup([['+8613800138000', 'ctcc'], ['+8613900139000', 'cmcc']]);

  it('when the number was ported, then the current carrier routes and the original is kept', () => {
    expect(resolveCarrier('+8613800138000', overrides)).toEqual({ carrier: 'ctcc', originalCarrier: 'cmcc', ported: true });
  });

  it('when the number has no override, then the segment decides', () => {
    expect(resolveCarrier('+8618600000000', overrides)).toEqual({ carrier: 'cucc', originalCarrier: 'cucc', ported: false });
  });

  it('when the override names the segment carrier, then it is not reported as ported', () => {
    expect(resolveCarrier('+8613900139000', overrides)).toEqual({ carrier: 'cmcc', originalCarrier: 'cmcc', ported: false });
  });

  it('when a manual fix is added and later deleted, then routing follows it', () => {
    const lookup = new InMemoryPortabilityLookup();
    lookup.set('+8618900000000', 'cucc');
    expect(resolveCarrier('+8618900000000', lookup).carrier).toBe('cucc');
    lookup.delete('+8618900000000');
    expect(resolveCarrier('+8618900000000', lookup).carrier).toBe('ctcc');
  });
});

describe('PrefixProvinceLookup', () => {
  const provinces = new PrefixProvinceLookup({ '1380013': 'Beijing', '138': 'Guangdong', '1390': 'Xinjiang' });

  it('when several prefixes match, then the longest wins', () => {
    expect(provinces.provinceOf('+8613800138000')).toBe('Beijing');
    expect(provinces.provinceOf('+8613811112222')).toBe('Guangdong');
    expect(provinces.provinceOf('+8613901234567')).toBe('Xinjiang');
  });

  it('when nothing matches or the number is foreign, then the province is undefined', () => {
    expect(provinces.provinceOf('+8618600000000')).toBeUndefined();
    expect(provinces.provinceOf('+14155550123')).toBeUndefined();
  });
});
