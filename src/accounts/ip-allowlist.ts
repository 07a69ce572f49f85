/** Per-account IP allowlists, shared by the HTTP API and the SMPP server. */
import { BlockList, isIPv4 } from 'node:net';

/** Builds a matcher for a list of CIDRs or single addresses; an empty list allows everyone. */
export function ipAllowlistMatcher(cidrs: string[]): (ip: string) => boolean {
  if (cidrs.length === 0) return () => true;
  const list = new BlockList();
  for (const entry of cidrs) {
    const [addr, bits] = entry.split('/');
    const type = isIPv4(addr) ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (ip) => {
    const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
  };
}
