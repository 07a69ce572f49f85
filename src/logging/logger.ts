/**
 * A tiny JSON-lines logger. Phone numbers never reach a log in full: every string field that looks
 * like a phone number is masked before writing.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const PHONE_LIKE = /\+?\d{7,15}/g;

/** +8613812345678 → +86138****5678: keeps enough to debug routing, never the whole number. */
export function maskNumber(value: string): string {
  return value.replace(PHONE_LIKE, (m) => (m.length <= 7 ? m.slice(0, 2) + '***' : m.slice(0, m.length - 8) + '****' + m.slice(-4)));
}

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') out[k] = maskNumber(v);
    else if (v instanceof Error) out[k] = maskNumber(v.message);
    else out[k] = v;
  }
  return out;
}

export function createLogger(level: LogLevel = 'info', base: Record<string, unknown> = {}, write: (line: string) => void = (line) => void process.stdout.write(line + '\n')): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[level]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg: maskNumber(msg), ...base, ...scrub(fields ?? {}) }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  };
}

export const silentLogger: Logger = createLogger('error', {}, () => undefined);
