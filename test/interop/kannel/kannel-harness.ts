/**
 * Runs a real Kannel (Debian package `kannel` 1.4.5: bearerbox + smsbox) as an SMPP ESME for
 * interop tests. `startKannel` writes a kannel.conf into a temp dir (loopback only, free ports
 * chosen at runtime), starts bearerbox then smsbox, and resolves once sendsms answers and the SMPP
 * bind is online. Point it at any SMPP server by changing only `smsc` (host, port, systemId,
 * password); `startDlrReceiver` collects the dlr-url requests.
 *
 * Kannel settings that matter (kannel-config.ts writes them):
 * - `transceiver-mode = true`: one `bind_transceiver` carries submits and receipts. Without it
 *   Kannel binds `bind_transmitter` on `port`, plus a separate `bind_receiver` only when
 *   `receive-port` is set — so receipts then need the server to route them to that receiver bind.
 * - `msg-id-type` left UNSET: ids are opaque C strings, so the receipt's id must equal the
 *   submit_sm_resp `message_id` byte for byte. Set (0–3), Kannel turns both ids into decimal
 *   numbers — bit 0: the submit_sm_resp id is hex, bit 1: the receipt id is hex; an id with a
 *   non-digit is read as hex regardless — which garbles ids that are not numbers. 1 suits an SMSC
 *   that answers hex and quotes the id in decimal in receipt text (kannel.test.ts shows both).
 * - sendsms `dlr-mask` (1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected;
 *   31 = all): 8/16 come from submit_sm_resp, the others from receipts. submit_sm
 *   `registered_delivery` is 1 when the mask has 1 or 2 (2 if failures only), +16 (intermediate
 *   notifications) when it has 4: mask 31 sends 0x11. A dlr-url is fetched per report type.
 * - `system-type` is mandatory in Kannel's config ("" is allowed). `interface-version` defaults
 *   to 3.4; only then does Kannel read the `receipted_message_id`/`message_state` TLVs.
 * - `enquire-link-interval` (s), `reconnect-delay` (s, Kannel default 10), `max-pending-submits`
 *   (window, default 10); sendsms-user `max-messages` (default 1: long texts would be cut) and
 *   `concatenation = true`.
 *
 * What Kannel 1.4.5 sends and expects of the SMPP server (observed in kannel.test.ts):
 * - bind_transceiver, interface_version 0x34, system_type as configured; enquire_link at the
 *   configured interval once bound; it answers the server's enquire_link. Refused binds are retried
 *   every `reconnect-delay`, except ESME_RINVSYSID/RINVPASWD/RINVSYSTYP, after which Kannel gives
 *   up on the connection (unless `retry = true`).
 * - submit_sm: esm_class 0x03 (store and forward; 0x43 with UDH), GSM text as data_coding 0 with
 *   one unpacked septet per octet (extension characters as 0x1B pairs), `coding=2` as data_coding 8
 *   UTF-16BE (astral characters as surrogate pairs). Long texts: parts of 153 GSM characters with
 *   UDH `05 00 03 ref total seq`, never message_payload (sendsms splits below 254 octets); only the
 *   FIRST part asks for a receipt, and Kannel reports that part's receipt. Sender TON/NPI: `+digits`
 *   → 1/1 with the `+` removed, digits → 2/1, alphanumeric → 5/0; destination likewise 1/1 or 2/1.
 * - The submit_sm_resp must precede the receipt on the session (Kannel stores the id on the resp).
 *   Receipts are deliver_sm with esm_class bit 0x04 (Kannel also accepts 0x08/0x20). With both
 *   `receipted_message_id` and `message_state` TLVs Kannel uses them (DELIVERED→1; UNDELIVERABLE,
 *   REJECTED, DELETED, UNKNOWN→2; ENROUTE, ACCEPTED→4; EXPIRED→34); otherwise it parses the text
 *   `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:…` (stat DELIVRD→1, ACCEPTD/ENROUTE/
 *   BUFFRED→4, anything else→2). A receipt it cannot match is logged and still answered ESME_ROK,
 *   so an id mismatch is invisible to the server.
 * - A refused submit (non-zero submit_sm_resp status) becomes DLR 16 with reply
 *   `NACK/0x<status>/<text>`; the resp body may be omitted (Kannel only warns).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { renderKannelConf, type KannelSmscTarget } from './kannel-config.js';

export { renderKannelConf, type KannelSmscTarget } from './kannel-config.js';
export { startDlrReceiver, type DlrHit, type DlrReceiver } from './dlr-receiver.js';

/** Kannel's binaries live in /usr/sbin, often not on a non-root PATH. */
function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.filter(Boolean).map((d) => join(d, name)).find((p) => existsSync(p));
}

const BEARERBOX = findBinary('bearerbox');
const SMSBOX = findBinary('smsbox');

/** Why Kannel tests cannot run here, or undefined when both binaries exist. */
export const kannelMissingReason: string | undefined =
  BEARERBOX && SMSBOX ? undefined : 'Kannel not installed (bearerbox/smsbox not found): apt-get install kannel';

/** Harness options; only `smsc` is required. */
export interface KannelOptions {
  smsc: KannelSmscTarget;
  /** How long to wait for sendsms and the SMPP bind (default 15 s). */
  readyTimeoutMs?: number;
  /** Keep the temp dir (config, logs) after stop, for debugging. Default: env KANNEL_KEEP_FILES=1. */
  keepFiles?: boolean;
}

/** A sendsms request. Text is sent as UTF-8 (`charset=UTF-8`). */
export interface SendSmsRequest {
  to: string;
  from: string;
  text: string;
  /** Kannel `coding`: 0 GSM 7-bit (default, data_coding 0), 1 8-bit, 2 UCS-2 (data_coding 8). */
  coding?: 0 | 1 | 2;
  /** Fetched by smsbox for each report whose type is in `dlrMask`. */
  dlrUrl?: string;
  /** Bit mask: 1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected. */
  dlrMask?: number;
  /** Any other sendsms CGI parameters (e.g. `validity`, `mclass`, `alt-dcs`). */
  extra?: Readonly<Record<string, string>>;
}

/** sendsms answer: 202 "0: Accepted for delivery" (or "3: Queued for later delivery"). */
export interface SendSmsResult {
  status: number;
  body: string;
  accepted: boolean;
}

/** One SMSC connection on Kannel's status page. */
export interface KannelSmscStatus {
  id: string;
  /** e.g. `online 12s`, `re-connecting`, `connecting`, `dead`. */
  status: string;
  online: boolean;
  failed: number;
  queued: number;
  smsSent: number;
  smsReceived: number;
  dlrReceived: number;
}

/** A running Kannel. */
export interface KannelInstance {
  /** Temp dir with kannel.conf, bearerbox.log, smsbox.log. */
  readonly dir: string;
  readonly smscId: string;
  readonly sendsmsUrl: string;
  readonly adminUrl: string;
  sendSms(req: SendSmsRequest): Promise<SendSmsResult>;
  /** The SMPP connection as the status page shows it. */
  smscStatus(): Promise<KannelSmscStatus>;
  /** Waits until the SMPP connection is `online` (bound). */
  waitForOnline(timeoutMs?: number): Promise<void>;
  /** bearerbox's or smsbox's log file so far (log-level 0: every PDU is dumped). */
  log(box: 'bearerbox' | 'smsbox'): string;
  /** SIGTERM both process groups (bearerbox unbinds), SIGKILL after 5 s; removes the temp dir. */
  stop(): Promise<void>;
}

const SMSC_ID = 'platform';
const ADMIN_PASSWORD = 'kannel-admin';
const SENDSMS_USER = 'interop';
const SENDSMS_PASSWORD = 'interop-pw';

async function freePorts(n: number): Promise<number[]> {
  // Held open together so the n ports differ; the short window before Kannel binds is accepted.
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, fail: () => string | undefined): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const early = fail();
    if (early) throw new Error(`${what}: ${early}`);
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function num(block: string, path: RegExp): number {
  return Number(path.exec(block)?.[1] ?? NaN);
}

/** Parses our SMSC's block out of status.xml. */
function parseSmscStatus(xml: string, id: string): KannelSmscStatus | undefined {
  const block = [...xml.matchAll(/<smsc>([\s\S]*?)<\/smsc>/g)].map((m) => m[1]).find((b) => b.includes(`<id>${id}</id>`));
  if (!block) return undefined;
  const status = /<status>([^<]*)<\/status>/.exec(block)?.[1] ?? '';
  return {
    id,
    status,
    online: status.startsWith('online'),
    failed: num(block, /<failed>(\d+)<\/failed>/),
    queued: num(block, /<queued>(\d+)<\/queued>/),
    smsSent: num(block, /<sms>[\s\S]*?<sent>(\d+)<\/sent>/),
    smsReceived: num(block, /<sms>[\s\S]*?<received>(\d+)<\/received>/),
    dlrReceived: num(block, /<dlr>[\s\S]*?<received>(\d+)<\/received>/),
  };
}

/** The last warnings, errors and panics of a Kannel log, without panic backtrace frames. */
function problems(file: string, lines = 12): string {
  try {
    const all = readFileSync(file, 'utf8').split('\n');
    return all.filter((l) => /(WARNING|ERROR|PANIC):/.test(l) && !/PANIC: \S*\(/.test(l)).slice(-lines).join('\n') || '(nothing)';
  } catch {
    return '(no log)';
  }
}

/** Starts bearerbox and smsbox against `opts.smsc`; resolves when sendsms answers and the bind is online. */
export async function startKannel(opts: KannelOptions): Promise<KannelInstance> {
  if (!BEARERBOX || !SMSBOX) throw new Error(kannelMissingReason);
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
  const keepFiles = opts.keepFiles ?? process.env.KANNEL_KEEP_FILES === '1';
  const dir = mkdtempSync(join(tmpdir(), 'kannel-interop-'));
  const [adminPort, smsboxPort, sendsmsPort] = await freePorts(3);
  const conf = join(dir, 'kannel.conf');
  writeFileSync(conf, renderKannelConf({
    smsc: opts.smsc, smscId: SMSC_ID, dir, adminPort, adminPassword: ADMIN_PASSWORD, smsboxPort, sendsmsPort,
    sendsmsUser: SENDSMS_USER, sendsmsPassword: SENDSMS_PASSWORD,
  }));
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const sendsmsUrl = `http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms`;

  const children: ChildProcess[] = [];
  const exited = new Map<ChildProcess, Promise<void>>();
  const launch = (bin: string, name: string) => {
    // Console output (-v 3: errors and panics; the log files get everything) goes to a file, so
    // a config error reported before the log file opens is still readable.
    const out = openSync(join(dir, `${name}.console`), 'a');
    // detached: each box leads its own process group, which stop() signals as a whole.
    const child = spawn(bin, ['-v', '3', conf], { cwd: dir, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    children.push(child);
    exited.set(child, new Promise((resolve) => child.once('exit', () => resolve())));
    return child;
  };
  const signal = (sig: NodeJS.Signals) => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null && c.pid) {
        try { process.kill(-c.pid, sig); } catch { /* already gone */ }
      }
    }
  };
  // If the test process dies without stop(), leave no Kannel behind.
  const onExit = () => signal('SIGKILL');
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= (async () => {
    signal('SIGTERM');
    const all = Promise.all(children.map((c) => exited.get(c)));
    const grace = setTimeout(() => signal('SIGKILL'), 5_000);
    await all;
    clearTimeout(grace);
    process.removeListener('exit', onExit);
    if (!keepFiles) rmSync(dir, { recursive: true, force: true });
  })());

  const died = () => {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (!dead) return undefined;
    const name = dead.spawnfile.endsWith('bearerbox') ? 'bearerbox' : 'smsbox';
    return `${name} exited (${dead.exitCode ?? dead.signalCode}):\n${problems(join(dir, `${name}.console`))}`;
  };

  const smscStatus = async () => {
    const res = await fetch(`${adminUrl}/status.xml?password=${ADMIN_PASSWORD}`);
    const s = parseSmscStatus(await res.text(), SMSC_ID);
    if (!s) throw new Error(`smsc ${SMSC_ID} not on the status page`);
    return s;
  };
  const waitForOnline = async (timeoutMs = readyTimeoutMs) => {
    await poll('Kannel SMPP bind', async () => ((await smscStatus()).online ? true : undefined), timeoutMs, died).catch((e: Error) => {
      throw new Error(`${e.message}\n--- bearerbox.log problems ---\n${problems(join(dir, 'bearerbox.log'))}`);
    });
  };

  try {
    launch(BEARERBOX, 'bearerbox');
    await poll('bearerbox admin', async () => (await fetch(`${adminUrl}/status.txt?password=${ADMIN_PASSWORD}`)).ok || undefined, readyTimeoutMs, died);
    launch(SMSBOX, 'smsbox');
    // Any HTTP answer (404 "Unknown request." for /) means smsbox's sendsms listener is up.
    await poll('smsbox sendsms', async () => (await fetch(`http://127.0.0.1:${sendsmsPort}/`)).status, readyTimeoutMs, died);
    await waitForOnline();
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    dir,
    smscId: SMSC_ID,
    sendsmsUrl,
    adminUrl,
    async sendSms(req) {
      const q = new URLSearchParams({
        username: SENDSMS_USER, password: SENDSMS_PASSWORD, to: req.to, from: req.from, text: req.text, charset: 'UTF-8',
      });
      if (req.coding !== undefined) q.set('coding', String(req.coding));
      if (req.dlrMask !== undefined) q.set('dlr-mask', String(req.dlrMask));
      if (req.dlrUrl !== undefined) q.set('dlr-url', req.dlrUrl);
      for (const [k, v] of Object.entries(req.extra ?? {})) q.set(k, v);
      const res = await fetch(`${sendsmsUrl}?${q}`);
      const body = await res.text();
      return { status: res.status, body, accepted: res.status === 202 };
    },
    smscStatus,
    waitForOnline,
    log: (box) => (existsSync(join(dir, `${box}.log`)) ? readFileSync(join(dir, `${box}.log`), 'utf8') : ''),
    stop,
  };
}
