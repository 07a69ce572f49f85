/**
 * Mainland China carrier detection by number segment (号段), number-portability overrides
 * (携号转网) and a province lookup hook.
 *
 * Segments are the published allocations of MIIT; MVNO (虚拟运营商) segments map to the host
 * network because that is the network the SMS must be submitted to.
 */

/** Mainland carriers we route to: China Mobile, China Unicom, China Telecom. */
export type Carrier = 'cmcc' | 'cucc' | 'ctcc';

/** All carriers, e.g. for validating configuration. */
export const CARRIERS: readonly Carrier[] = ['cmcc', 'cucc', 'ctcc'];

// 3-digit segments. 14x are data-card segments (SMS-capable); 192 (China Broadnet, 中国广电)
// is deliberately absent: it is a fourth carrier that none of our carrier-specific channels
// serve, so it resolves to null and only three-network channels take it.
const SEGMENTS_3: Record<string, Carrier> = {
  // China Mobile
  '135': 'cmcc', '136': 'cmcc', '137': 'cmcc', '138': 'cmcc', '139': 'cmcc',
  '147': 'cmcc', '150': 'cmcc', '151': 'cmcc', '152': 'cmcc', '157': 'cmcc', '158': 'cmcc',
  '159': 'cmcc', '165': 'cmcc', '172': 'cmcc', '178': 'cmcc', '182': 'cmcc', '183': 'cmcc',
  '184': 'cmcc', '187': 'cmcc', '188': 'cmcc', '195': 'cmcc', '197': 'cmcc', '198': 'cmcc',
  // China Unicom
  '130': 'cucc', '131': 'cucc', '132': 'cucc', '145': 'cucc', '155': 'cucc', '156': 'cucc',
  '166': 'cucc', '167': 'cucc', '171': 'cucc', '175': 'cucc', '176': 'cucc', '185': 'cucc',
  '186': 'cucc', '196': 'cucc',
  // China Telecom
  '133': 'ctcc', '149': 'ctcc', '153': 'ctcc', '162': 'ctcc', '173': 'ctcc', '177': 'ctcc',
  '180': 'ctcc', '181': 'ctcc', '189': 'ctcc', '190': 'ctcc', '191': 'ctcc', '193': 'ctcc',
  '199': 'ctcc',
};

// 4-digit segments win over 3-digit ones: 134 is China Mobile except 1349 (satellite, now
// China Telecom), and 170 is split between the three carriers' MVNO partners.
const SEGMENTS_4: Record<string, Carrier> = {
  '1340': 'cmcc', '1341': 'cmcc', '1342': 'cmcc', '1343': 'cmcc', '1344': 'cmcc',
  '1345': 'cmcc', '1346': 'cmcc', '1347': 'cmcc', '1348': 'cmcc', '1349': 'ctcc',
  '1700': 'ctcc', '1701': 'ctcc', '1702': 'ctcc',
  '1703': 'cmcc', '1705': 'cmcc', '1706': 'cmcc',
  '1704': 'cucc', '1707': 'cucc', '1708': 'cucc', '1709': 'cucc',
};

const CN_MOBILE_E164 = /^\+861\d{10}$/;

/**
 * Carrier of a mainland China mobile number by its segment, ignoring portability.
 *
 * @param e164 number in E.164 form (`+8613800138000`)
 * @returns the carrier, or null for non-CN numbers, non-mobile numbers and unknown segments
 */
export function carrierOf(e164: string): Carrier | null {
  if (!CN_MOBILE_E164.test(e164)) return null;
  const national = e164.slice(3);
  return SEGMENTS_4[national.slice(0, 4)] ?? SEGMENTS_3[national.slice(0, 3)] ?? null;
}

/**
 * Source of number-portability facts (a bought database or manual per-number fixes).
 * Synchronous on purpose: it sits on the hot path, so implementations keep an in-memory copy.
 */
export interface PortabilityLookup {
  /** Current carrier of a ported number, or undefined when the number is not known to be ported. */
  currentCarrier(e164: string): Carrier | undefined;
}

/** Carrier decision for routing, keeping the original carrier for reporting and MO handling. */
export interface ResolvedCarrier {
  /** Carrier to route to: the portability override if any, else the segment carrier. */
  carrier: Carrier | null;
  /** Carrier the segment was allocated to. */
  originalCarrier: Carrier | null;
  /** True when the override names a carrier different from the segment's. */
  ported: boolean;
}

/**
 * Resolves the routing carrier, letting the portability table override the segment.
 * Without an override the message still arrives by segment, but MO replies would be lost,
 * hence the override wins whenever present.
 */
export function resolveCarrier(e164: string, overrides: PortabilityLookup): ResolvedCarrier {
  const originalCarrier = carrierOf(e164);
  const override = overrides.currentCarrier(e164);
  const carrier = override ?? originalCarrier;
  return { carrier, originalCarrier, ported: override !== undefined && override !== originalCarrier };
}

/** Map-backed {@link PortabilityLookup}; load it from the portability table at start-up. */
export class InMemoryPortabilityLookup implements PortabilityLookup {
  private readonly byNumber: Map<string, Carrier>;

  /** @param entries pairs of E.164 number and current carrier */
  constructor(entries: Iterable<readonly [string, Carrier]> = []) {
    this.byNumber = new Map(entries);
  }

  /** @inheritdoc */
  currentCarrier(e164: string): Carrier | undefined {
    return this.byNumber.get(e164);
  }

  /** Records or replaces a per-number override. */
  set(e164: string, carrier: Carrier): void {
    this.byNumber.set(e164, carrier);
  }

  /** Drops a per-number override (e.g. the number was ported back). */
  delete(e164: string): void {
    this.byNumber.delete(e164);
  }
}

/**
 * Hook for number → province (归属地) lookups, used by per-account province blocking.
 * The platform ships no real data: plug in a bought 号段 database behind this interface.
 */
export interface ProvinceLookup {
  /** Province name (or code) of the number, or undefined when unknown. */
  provinceOf(e164: string): string | undefined;
}

/**
 * Minimal {@link ProvinceLookup} keyed by leading digits of the national number (usually the
 * 7-digit 号段 prefix, e.g. `1380013`). Longest prefix wins. Meant for tests and small manual
 * tables, not as a source of truth.
 */
export class PrefixProvinceLookup implements ProvinceLookup {
  private readonly byPrefix: Map<string, string>;
  private readonly lengths: number[];

  /** @param prefixes national-number prefix → province */
  constructor(prefixes: Record<string, string>) {
    this.byPrefix = new Map(Object.entries(prefixes));
    this.lengths = [...new Set([...this.byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  }

  /** @inheritdoc */
  provinceOf(e164: string): string | undefined {
    if (!e164.startsWith('+86')) return undefined;
    const national = e164.slice(3);
    for (const length of this.lengths) {
      const province = this.byPrefix.get(national.slice(0, length));
      if (province !== undefined) return province;
    }
    return undefined;
  }
}
