import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE, SenderIdRulesError, loadSenderIdRules, parseSenderIdRules } from '../../../src/senders/sender-id-rules.js';

const REQUIRED = ['US', 'CA', 'VN', 'IN', 'ID', 'BR', 'GB', 'DE', 'SA', 'AE', 'NG'];
const shipped = () => JSON.parse(readFileSync(DEFAULT_RULES_FILE, 'utf8'));
const parseMutated = (mutate: (doc: any) => void) => {
  const doc = shipped();
  mutate(doc);
  return () => parseSenderIdRules(JSON.stringify(doc), 'rules.json');
};

describe('sender ID rules table', () => {
  it('when the shipped file is loaded, then it validates and has at least 30 countries including the required ones', () => {
    const rules = loadSenderIdRules();
    const codes = rules.list().map((r) => r.country);
    expect(codes.length).toBeGreaterThanOrEqual(30);
    expect(codes).toEqual(expect.arrayContaining(REQUIRED));
    expect(codes).not.toContain('CN');
  });

  it('when a country is read, then its rules carry types, registration per category, lead time, fees and opt-out', () => {
    const rules = loadSenderIdRules();
    expect(rules.get('us')).toMatchObject({
      country: 'US', senderTypes: ['numeric', 'short_code'], registrationRequired: { otp: true, notification: true, marketing: true },
      fees: { oneOffUsd: expect.any(Number), monthlyUsd: expect.any(Number) }, optOut: { method: 'keyword', keywords: expect.arrayContaining(['STOP']) },
    });
    expect(rules.get('GB')?.registrationRequired).toEqual({ otp: false, notification: false, marketing: false });
    expect(rules.get('XX')).toBeUndefined();
  });

  it('when registration is asked about per category, then it follows the table', () => {
    const rules = loadSenderIdRules();
    expect(rules.requiresRegistration('VN', ['otp'])).toBe(true);
    expect(rules.requiresRegistration('GB', ['otp', 'marketing'])).toBe(false);
    expect(rules.requiresRegistration('XX', ['otp'])).toBe(false);
  });

  it('when a field has the wrong type, then loading fails naming the country and the field', () => {
    expect(parseMutated((d) => { d.countries.VN.fees.monthlyUsd = 'twenty'; })).toThrow(/country VN, field fees\.monthlyUsd/);
  });

  it('when a sender type is unknown, then loading fails naming the country and the field', () => {
    expect(parseMutated((d) => { d.countries.DE.senderTypes = ['numeric', 'emoji']; })).toThrow(/country DE, field senderTypes\.1/);
  });

  it('when the generic sender is of a type the country does not take, then loading fails naming it', () => {
    expect(parseMutated((d) => { d.countries.US.genericSender = 'Info'; })).toThrow(/country US, field genericSender: a sender of type alphabetic is not among/);
  });

  it('when the opt-out method is keyword without keywords, then loading fails', () => {
    expect(parseMutated((d) => { d.countries.GB.optOut.keywords = []; })).toThrow(/country GB, field optOut\.keywords/);
  });

  it('when registration is required with no lead time, then loading fails', () => {
    expect(parseMutated((d) => { d.countries.SA.leadTimeDays = 0; })).toThrow(/country SA, field leadTimeDays/);
  });

  it('when a country is missing a field or has an unknown one, then loading fails naming it', () => {
    expect(parseMutated((d) => { delete d.countries.NG.note; })).toThrow(/country NG, field note/);
    expect(parseMutated((d) => { d.countries.AE.colour = 'red'; })).toThrow(/country AE: .*colour/);
  });

  it('when a country code is not ISO alpha-2 in capitals, or is CN, then loading fails', () => {
    expect(parseMutated((d) => { d.countries.usa = d.countries.US; })).toThrow(/usa/);
    expect(parseMutated((d) => { d.countries.CN = d.countries.GB; })).toThrow(/CN is domestic/);
  });

  it('when the file is not JSON or is missing, then loading fails saying so', () => {
    expect(() => parseSenderIdRules('{', 'rules.json')).toThrow(SenderIdRulesError);
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    expect(() => loadSenderIdRules(join(dir, 'none.json'))).toThrow(/cannot be read/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ updated: 'x', countries: { VN: { name: 'Vietnam' } } }));
    expect(() => loadSenderIdRules(join(dir, 'bad.json'))).toThrow(/bad\.json is invalid: country VN, field senderTypes/);
  });
});
