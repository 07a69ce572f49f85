import { describe, expect, it } from 'vitest';
import { normaliseMessageId } from '../../../src/channels/channel-adapter.js';

describe('normaliseMessageId', () => {
  it('when a hex submit_sm_resp id and its decimal receipt form are normalised, then they are equal', () => {
    expect(normaliseMessageId('A0000001')).toBe('a0000001');
    expect(normaliseMessageId('2684354561')).toBe('a0000001');
  });

  it('when ids have leading zeros or mixed case, then they collapse to one key', () => {
    expect(normaliseMessageId('00Ab12')).toBe('ab12');
    expect(normaliseMessageId('000')).toBe('0');
    expect(normaliseMessageId(' 0042 ')).toBe('2a');
  });

  it('when a decimal id is longer than Number can hold, then BigInt keeps it exact', () => {
    expect(normaliseMessageId('123456789012345678901234567890')).toBe(BigInt('123456789012345678901234567890').toString(16));
  });

  it('when the id is not numeric or hex, then it is kept verbatim (trimmed)', () => {
    expect(normaliseMessageId('550e8400-e29b-41d4')).toBe('550e8400-e29b-41d4');
    expect(normaliseMessageId(' MSG-xyz ')).toBe('MSG-xyz');
  });

  it('when the base is declared, then an all-digit id is read in that base', () => {
    expect(normaliseMessageId('1234', 'hex')).toBe('1234');
    expect(normaliseMessageId('4660', 'decimal')).toBe('1234');
    expect(normaliseMessageId('1234', 'opaque')).toBe('1234');
    // auto reads digits as decimal: documented ambiguity that `base` resolves
    expect(normaliseMessageId('1234')).toBe('4d2');
  });

  it('when a decimal base meets a non-decimal id, then hex letters still normalise', () => {
    expect(normaliseMessageId('ABC', 'decimal')).toBe('ABC');
    expect(normaliseMessageId('ABC', 'auto')).toBe('abc');
  });
});
