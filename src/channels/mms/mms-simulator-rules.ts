/**
 * SIMULATOR outcomes of the bundled MMS gateway, decided by the destination's last digit so tests
 * and demos know what will happen (configurable: MMS_SIMULATOR_*_DIGITS):
 *
 * | last digit | outcome                                             | report              |
 * |------------|-----------------------------------------------------|---------------------|
 * | 0–6        | delivered                                           | DELIVRD 000         |
 * | 7          | undeliverable (MMS switched off on the handset)     | UNDELIV 006         |
 * | 8          | never reported (handset off for good)               | none                |
 * | 9          | refused at submit (carrier blacklist)               | none: error 1003    |
 *
 * Size: a message over its product's limit (mms-profiles.ts: 51,200 / 81,920 / 1,992,294 /
 * 307,200 bytes, overridable per product) is refused at submit with 1006, counted as mms-size.ts
 * counts it; more parts than the product's frames allow are refused with 1007.
 */
import { MMS_GATEWAY_PRODUCTS, MMS_PROFILES, PROFILE_OF_PRODUCT, type MmsGatewayProduct } from './mms-profiles.js';

export type SimulatedOutcome = 'delivered' | 'undeliverable' | 'silent' | 'refused';

export interface SimulatorRules {
  undeliverableDigits: string;
  silentDigits: string;
  refusedDigits: string;
  /** Byte limit per product. */
  maxBytes: Record<MmsGatewayProduct, number>;
}

export const DEFAULT_SIMULATOR_RULES: SimulatorRules = {
  undeliverableDigits: '7',
  silentDigits: '8',
  refusedDigits: '9',
  maxBytes: Object.fromEntries(MMS_GATEWAY_PRODUCTS.map((p) => [p, MMS_PROFILES[PROFILE_OF_PRODUCT[p]].maxBytes])) as Record<MmsGatewayProduct, number>,
};

export function outcomeOf(mobile: string, rules: SimulatorRules): SimulatedOutcome {
  const d = mobile.at(-1) ?? '';
  if (rules.refusedDigits.includes(d)) return 'refused';
  if (rules.silentDigits.includes(d)) return 'silent';
  if (rules.undeliverableDigits.includes(d)) return 'undeliverable';
  return 'delivered';
}

/** `mms=30000,video-sms=1000000` → limits over the defaults (MMS_SIMULATOR_MAX_BYTES). */
export function parseSizeLimits(spec: string | undefined): Partial<Record<MmsGatewayProduct, number>> {
  const out: Partial<Record<MmsGatewayProduct, number>> = {};
  for (const item of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = item.split('=');
    if (!(MMS_GATEWAY_PRODUCTS as readonly string[]).includes(k) || !/^\d+$/.test(v ?? '')) {
      throw new Error(`MMS simulator size limit "${item}": expected <product>=<bytes> with product one of ${MMS_GATEWAY_PRODUCTS.join(', ')}`);
    }
    out[k as MmsGatewayProduct] = Number(v);
  }
  return out;
}
