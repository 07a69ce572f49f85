/**
 * The number-portability override table (携号转网): PostgreSQL holds it, an in-memory copy answers
 * the send path synchronously. Loaded at start; writes update both.
 */
import type { Db } from '../db/db-client.js';
import { carrierOf, InMemoryPortabilityLookup, type Carrier, type PortabilityLookup } from './china-carrier.js';

export class PortabilityRepository implements PortabilityLookup {
  private readonly memory = new InMemoryPortabilityLookup();

  constructor(private readonly db: Db) {}

  async load(): Promise<void> {
    const rows = await this.db.query<{ number: string; current_carrier: Carrier }>('select number, current_carrier from portability_overrides');
    for (const r of rows) this.memory.set(r.number, r.current_carrier);
  }

  currentCarrier(e164: string): Carrier | undefined {
    return this.memory.currentCarrier(e164);
  }

  async set(e164: string, current: Carrier): Promise<{ number: string; originalCarrier: string | null; currentCarrier: Carrier }> {
    const original = carrierOf(e164);
    await this.db.query(
      `insert into portability_overrides (number, original_carrier, current_carrier) values ($1, $2, $3)
       on conflict (number) do update set current_carrier = excluded.current_carrier, updated_at = now()`,
      [e164, original ?? 'unknown', current],
    );
    this.memory.set(e164, current);
    return { number: e164, originalCarrier: original, currentCarrier: current };
  }
}
