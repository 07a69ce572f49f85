/**
 * Idempotency-Key support: the first request with a key claims it; its answer is stored in the same
 * transaction that stores the messages, so a retried request replays that answer and never sends
 * twice. A claim whose request died before committing can be taken over after a minute.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/db-client.js';
import { AppError } from './app-error.js';

const STALE_CLAIM_SECONDS = 60;

export type IdempotencyClaim =
  | { kind: 'new'; store: (tx: Queryable, status: number, body: unknown) => Promise<void>; release: () => Promise<void> }
  | { kind: 'replay'; status: number; body: unknown };

export function requestHash(body: unknown, path: string): string {
  return createHash('sha256').update(path).update('\n').update(JSON.stringify(body ?? null)).digest('hex');
}

export async function claimIdempotencyKey(db: Db, accountId: string, key: string, hash: string): Promise<IdempotencyClaim> {
  if (key.length === 0 || key.length > 255) throw new AppError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–255 characters', 'Idempotency-Key');
  const claimed = await db.query(
    `insert into idempotency_keys (account_id, key, request_hash) values ($1, $2, $3)
     on conflict (account_id, key) do update set request_hash = excluded.request_hash, created_at = now()
       where idempotency_keys.response is null and idempotency_keys.created_at < now() - make_interval(secs => $4)
     returning key`,
    [accountId, key, hash, STALE_CLAIM_SECONDS],
  );
  if (claimed.length === 0) {
    const [row] = await db.query<{ request_hash: string; status_code: number | null; response: unknown }>(
      'select request_hash, status_code, response from idempotency_keys where account_id = $1 and key = $2',
      [accountId, key],
    );
    if (row && row.request_hash !== hash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body', 'Idempotency-Key');
    }
    if (!row || row.response == null) {
      throw new AppError(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly', 'Idempotency-Key');
    }
    return { kind: 'replay', status: row.status_code ?? 200, body: row.response };
  }
  return {
    kind: 'new',
    store: async (tx, status, body) => {
      await tx.query('update idempotency_keys set status_code = $3, response = $4 where account_id = $1 and key = $2', [accountId, key, status, JSON.stringify(body)]);
    },
    release: async () => {
      await db.query('delete from idempotency_keys where account_id = $1 and key = $2 and response is null', [accountId, key]);
    },
  };
}
