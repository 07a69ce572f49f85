/**
 * One small interface over the two PostgreSQL engines we run on: PGlite (embedded, the zero-setup
 * default) and a PostgreSQL server through `pg`. Repositories only ever see `Db`.
 */
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';

export type Row = Record<string, unknown>;

/** Query executor shared by the pool and a transaction. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 and numeric come back as strings from pg by default; our amounts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** schema: run in a schema of its own (tests use one per file so they never see each other). */
export async function connectPostgres(url: string, opts: { max?: number; schema?: string } = {}): Promise<Db> {
  if (opts.schema && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`bad schema name ${opts.schema}`);
  if (opts.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema if not exists ${opts.schema}`);
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  await pool.query('select 1');
  return {
    engine: 'postgres',
    async query<T extends Row>(sql: string, params?: unknown[]) {
      const r = await pool.query(sql, params as unknown[]);
      return r.rows as T[];
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx: Queryable = {
          async query<R extends Row>(sql: string, params?: unknown[]) {
            return (await client.query(sql, params as unknown[])).rows as R[];
          },
        };
        const out = await fn(tx);
        await client.query('commit');
        return out;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** dataDir undefined = in-memory (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = new PGlite(dataDir);
  await lite.waitReady;
  // PGlite returns int8 as bigint; align with the pg parser above.
  const parse = { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) };
  // PGlite runs one query at a time; serialise explicitly so a transaction's statements are never
  // interleaved with another caller's.
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
  const rawQuery = async <T extends Row>(sql: string, params?: unknown[]) =>
    (await lite.query<T>(sql, params, { parsers: parse })).rows;
  return {
    engine: 'pglite',
    query: <T extends Row>(sql: string, params?: unknown[]) => exclusive(() => rawQuery<T>(sql, params)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return exclusive(async () => {
        await lite.exec('begin');
        try {
          const out = await fn({ query: rawQuery });
          await lite.exec('commit');
          return out;
        } catch (err) {
          await lite.exec('rollback').catch(() => undefined);
          throw err;
        }
      });
    },
    async close() {
      await exclusive(() => lite.close());
    },
  };
}

export async function openDatabase(opts: { databaseUrl?: string; pgliteDir?: string; schema?: string }): Promise<Db> {
  return opts.databaseUrl ? connectPostgres(opts.databaseUrl, { schema: opts.schema }) : openPglite(opts.pgliteDir);
}

/** A timestamp column as a Date (null stays null): PGlite and pg hand back Dates, jsonb gives strings. */
export const dateOrNull = (v: unknown): Date | null => (v == null ? null : new Date(v as string));

/** A timestamp column as ISO 8601 (null stays null). */
export const isoOrNull = (v: unknown): string | null => dateOrNull(v)?.toISOString() ?? null;
