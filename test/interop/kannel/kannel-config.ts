/**
 * kannel.conf for the interop harness: one bearerbox with one SMPP connection, one smsbox with a
 * sendsms user, everything on loopback. Why each setting matters: see kannel-harness.ts.
 */

/** Where Kannel's SMPP client connects, and how. */
export interface KannelSmscTarget {
  host: string;
  port: number;
  /** bind `system_id` (Kannel: `smsc-username`). */
  systemId: string;
  /** bind `password` (Kannel: `smsc-password`). */
  password: string;
  /** bind `system_type` (default ""). */
  systemType?: string;
  /** One bind_transceiver (default true); false binds transmitter only (no receipts). */
  transceiver?: boolean;
  /** Kannel `msg-id-type` 0–3; default unset = ids compared as opaque strings (see file doc). */
  msgIdType?: 0 | 1 | 2 | 3;
  /** Seconds between Kannel's enquire_link (default 30, Kannel's own default). */
  enquireLinkIntervalS?: number;
  /** Kannel's submit window (default 10). */
  maxPendingSubmits?: number;
  /** Further `group = smsc` settings, written as given (e.g. `{ 'source-addr-ton': 5 }`). */
  extra?: Readonly<Record<string, string | number | boolean>>;
}

/** Everything the config needs besides the target. */
export interface KannelConfigInput {
  smsc: KannelSmscTarget;
  smscId: string;
  dir: string;
  adminPort: number;
  adminPassword: string;
  smsboxPort: number;
  sendsmsPort: number;
  sendsmsUser: string;
  sendsmsPassword: string;
}

function value(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  return `"${v.replace(/["\\]/g, '\\$&')}"`;
}

function group(name: string, settings: Record<string, string | number | boolean | undefined>): string {
  const lines = Object.entries(settings)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => `${k} = ${value(v)}`);
  return [`group = ${name}`, ...lines].join('\n');
}

/** The kannel.conf text. */
export function renderKannelConf(c: KannelConfigInput): string {
  const s = c.smsc;
  return [
    group('core', {
      'admin-port': c.adminPort,
      'admin-interface': '127.0.0.1',
      'admin-password': c.adminPassword,
      'admin-allow-ip': '127.0.0.1',
      'smsbox-port': c.smsboxPort,
      'smsbox-interface': '127.0.0.1',
      'box-allow-ip': '127.0.0.1',
      'dlr-storage': 'internal',
      'log-file': `${c.dir}/bearerbox.log`,
      'log-level': 0,
    }),
    group('smsc', {
      smsc: 'smpp',
      'smsc-id': c.smscId,
      host: s.host,
      port: s.port,
      'transceiver-mode': s.transceiver ?? true,
      'smsc-username': s.systemId,
      'smsc-password': s.password,
      'system-type': s.systemType ?? '',
      'msg-id-type': s.msgIdType,
      'enquire-link-interval': s.enquireLinkIntervalS ?? 30,
      'max-pending-submits': s.maxPendingSubmits ?? 10,
      'reconnect-delay': 1,
      ...s.extra,
    }),
    group('smsbox', {
      'bearerbox-host': '127.0.0.1',
      'bearerbox-port': c.smsboxPort,
      'sendsms-port': c.sendsmsPort,
      'sendsms-interface': '127.0.0.1',
      'log-file': `${c.dir}/smsbox.log`,
      'log-level': 0,
    }),
    group('sendsms-user', {
      username: c.sendsmsUser,
      password: c.sendsmsPassword,
      'max-messages': 10,
      concatenation: true,
    }),
  ].join('\n\n') + '\n';
}
