import { describe, expect, it } from 'vitest';
import { senderAddress } from '../../../src/channels/smpp/smpp-address.js';
import { classifySender, senderKey, typeAllowed, type SenderType } from '../../../src/senders/sender-type.js';

describe('classifying a sender ID', () => {
  it.each([
    ['+447700900123', 'numeric', 1, 1, '447700900123'],
    ['447700900123', 'numeric', 1, 1, '447700900123'],
    ['123456789', 'numeric', 1, 1, '123456789'],
    ['12345678', 'short_code', 3, 0, '12345678'],
    ['36180', 'short_code', 3, 0, '36180'],
    ['ACME', 'alphabetic', 5, 0, 'ACME'],
    ['Acme Shop', 'alphabetic', 5, 0, 'Acme Shop'],
    ['AD-ACME', 'alphabetic', 5, 0, 'AD-ACME'],
    ['ACME24', 'alphanumeric', 5, 0, 'ACME24'],
    ['1ACME', 'alphanumeric', 5, 0, '1ACME'],
    ['ElevenChars', 'alphabetic', 5, 0, 'ElevenChars'],
  ] as const)('when the sender is %s, then it is %s with TON/NPI %i/%i', (sender, type, ton, npi, addr) => {
    expect(classifySender(sender)).toEqual({ ok: true, type, ton, npi, addr });
  });

  it.each([
    ['', /empty/],
    [' ACME', /space/],
    ['TwelveChars!', /letters, digits/],
    ['TwelveCharsX', /longer than 11/],
    ['ACME!', /letters, digits/],
    ['品牌', /letters, digits/],
    ['+12ab', /letters, digits/],
    ['+1234567890123456', /E\.164/],
    ['- _', /at least one letter/],
  ])('when the sender is "%s", then it is refused with a reason', (sender, reason) => {
    const c = classifySender(sender);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toMatch(reason);
  });

  it.each(['+447700900123', '106900', '10690001234567890', 'ACME', 'ACME24'])('when %s is classified, then TON/NPI/address equal the SMPP adapter\'s senderAddress (one rule)', (sender) => {
    const c = classifySender(sender);
    expect(c.ok && { ton: c.ton, npi: c.npi, addr: c.addr }).toEqual(senderAddress(sender));
  });
});

describe('whether a country takes a sender type', () => {
  it.each<[SenderType, SenderType[], boolean]>([
    ['alphabetic', ['alphabetic'], true],
    ['alphabetic', ['alphanumeric'], true],
    ['alphanumeric', ['alphabetic'], false],
    ['alphanumeric', ['alphanumeric'], true],
    ['numeric', ['alphanumeric'], false],
    ['short_code', ['numeric'], false],
    ['numeric', ['numeric', 'short_code'], true],
  ])('when the sender is %s and the country allows %j, then it is %s', (type, allowed, expected) => {
    expect(typeAllowed(type, allowed)).toBe(expected);
  });

  it('when two numbers differ only by the plus, then they are the same sender; names stay case-sensitive', () => {
    expect(senderKey('+447700900123')).toBe(senderKey('447700900123'));
    expect(senderKey('ACME')).not.toBe(senderKey('Acme'));
  });
});
