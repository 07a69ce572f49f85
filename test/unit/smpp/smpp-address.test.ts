import { describe, expect, it } from 'vitest';
import { addressToString, destinationAddress, senderAddress } from '../../../src/channels/smpp/smpp-address.js';

describe('SMPP addresses', () => {
  it('when the sender is alphanumeric, then TON/NPI is 5/0', () => {
    expect(senderAddress('ACME')).toEqual({ ton: 5, npi: 0, addr: 'ACME' });
  });

  it('when the sender is an international number, then TON/NPI is 1/1 without the plus', () => {
    expect(senderAddress('+447700900123')).toEqual({ ton: 1, npi: 1, addr: '447700900123' });
    expect(senderAddress('447700900123')).toEqual({ ton: 1, npi: 1, addr: '447700900123' });
  });

  it('when the sender is a short code of up to 8 digits, then TON/NPI is 3/0', () => {
    expect(senderAddress('106900')).toEqual({ ton: 3, npi: 0, addr: '106900' });
    expect(senderAddress('12345678').ton).toBe(3);
    expect(senderAddress('123456789').ton).toBe(1);
  });

  it('when a sender is empty or too long, then it is refused', () => {
    expect(() => senderAddress('')).toThrow(RangeError);
    expect(() => senderAddress('TwelveChars!')).toThrow(/longer than 11/);
    expect(() => senderAddress('+12ab')).toThrow(/E.164/);
  });

  it('when the destination is E.164, then it is 1/1 without the plus', () => {
    expect(destinationAddress('+8613800138000')).toEqual({ ton: 1, npi: 1, addr: '8613800138000' });
    expect(() => destinationAddress('+1234567890123456')).toThrow(RangeError);
  });

  it('when a received address is international, then the plus comes back', () => {
    expect(addressToString(1, '447700900123')).toBe('+447700900123');
    expect(addressToString(5, 'ACME')).toBe('ACME');
    expect(addressToString(undefined, undefined)).toBe('');
  });
});
