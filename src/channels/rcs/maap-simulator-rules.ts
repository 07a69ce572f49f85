/**
 * SIMULATOR rules: what the bundled MaaP answers for a number, decided by its last digit (like the
 * SMSC and smart-SMS simulators). Configurable with RCS_SIMULATOR_RULES, default
 * `supported:0123,no_display:6,not_supported:457,unknown:8,invalid:9`:
 *
 * | outcome | capability | statuses after a send |
 * |---|---|---|
 * | supported | Supported | MessageSent, DeliveredToTerminal, MessageDisplayed |
 * | no_display | Supported | MessageSent, DeliveredToTerminal (display receipts off) |
 * | not_supported | NotSupported | DeliveryImpossible; DeliveredToNetwork when smsSupported |
 * | unknown | Unknown | MessageSent only (terminal unreachable, nothing more ever comes) |
 * | invalid | Invalid | none: the send is refused (HTTP 400 InvalidDestination) |
 */
import type { MaapCapability, MaapStatus } from './maap-api.js';

export const SIM_OUTCOMES = ['supported', 'no_display', 'not_supported', 'unknown', 'invalid'] as const;
export type SimOutcome = (typeof SIM_OUTCOMES)[number];
export type SimRules = Readonly<Record<string, SimOutcome>>;

export const DEFAULT_SIM_RULES = 'supported:0123,no_display:6,not_supported:457,unknown:8,invalid:9';

/** Parses `outcome:digits,…`; every digit must be given exactly once. @throws Error naming the problem. */
export function parseSimRules(spec: string): SimRules {
  const rules: Record<string, SimOutcome> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z_]+):(\d+)$/.exec(part);
    if (!m || !(SIM_OUTCOMES as readonly string[]).includes(m[1])) throw new Error(`"${part}": expected <${SIM_OUTCOMES.join('|')}>:<digits>`);
    for (const d of m[2]) {
      if (rules[d]) throw new Error(`digit ${d} is given twice`);
      rules[d] = m[1] as SimOutcome;
    }
  }
  const missing = [...'0123456789'].filter((d) => !rules[d]);
  if (missing.length) throw new Error(`digits ${missing.join('')} have no outcome`);
  return rules;
}

export function simOutcome(rules: SimRules, e164: string): SimOutcome {
  return rules[e164.slice(-1)] ?? 'invalid';
}

const CAPABILITY: Record<SimOutcome, MaapCapability> = {
  supported: 'Supported', no_display: 'Supported', not_supported: 'NotSupported', unknown: 'Unknown', invalid: 'Invalid',
};

export const simCapability = (o: SimOutcome): MaapCapability => CAPABILITY[o];

/** The statuses a send produces, in order (none for `invalid`: the send itself is refused). */
export function simStatuses(o: SimOutcome, smsSupported: boolean): MaapStatus[] {
  switch (o) {
    case 'supported': return ['MessageSent', 'DeliveredToTerminal', 'MessageDisplayed'];
    case 'no_display': return ['MessageSent', 'DeliveredToTerminal'];
    case 'not_supported': return [smsSupported ? 'DeliveredToNetwork' : 'DeliveryImpossible'];
    case 'unknown': return ['MessageSent'];
    case 'invalid': return [];
  }
}
