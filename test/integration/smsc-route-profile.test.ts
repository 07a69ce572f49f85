import { afterEach, describe, expect, it } from 'vitest';
import { startSmscSimulator, type SimulatedDelivery, type SmscSimulator } from '../../src/channels/smpp/smsc-simulator.js';
import { bindEsme, type TestEsme } from '../support/esme-client.js';
import { waitFor } from '../support/test-platform.js';

describe('SMSC simulator with a route profile', () => {
  let sim: SmscSimulator | undefined;
  let esme: TestEsme | undefined;
  afterEach(async () => {
    await esme?.close();
    await sim?.stop();
  });

  it('when 60 submits arrive, then each gets the drawn outcome as its receipt, after its own delay, whatever the last digit', async () => {
    // Arrange
    const accepted: Array<SimulatedDelivery & { at: number }> = [];
    sim = await startSmscSimulator({
      profile: { deliveredRatio: 0.7, receiptDelayMs: { min: 20, max: 200 }, expiredShare: 0.5, seed: 3 },
      onAccepted: (d) => accepted.push({ ...d, at: Date.now() }),
    });
    esme = await bindEsme({ port: sim.port, systemId: 'route', password: 'x' });
    // Act: every destination ends in 9, which the last-digit table would refuse at submit.
    const resps = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      esme!.submit({ destination_addr: `8491234${String(i).padStart(3, '0')}9`, short_message: `code ${i}` })));
    await waitFor(async () => esme!.delivered.length === 60, 5_000, 20);
    // Assert
    expect(resps.every((r) => r.command_status === 0)).toBe(true);
    expect(accepted).toHaveLength(60);
    const byId = new Map(accepted.map((a) => [a.messageId, a]));
    for (const pdu of esme.delivered) {
      const decided = byId.get(pdu.receipted_message_id)!;
      expect(String(pdu.short_message.message)).toContain(`stat:${decided.stat}`);
      expect(decided.delayMs).toBeGreaterThanOrEqual(20);
      expect(decided.delayMs).toBeLessThanOrEqual(200);
    }
    const stats = new Set(accepted.map((a) => a.stat));
    expect(stats.has('DELIVRD') && stats.has('UNDELIV') && stats.has('EXPIRED')).toBe(true);
    expect(accepted[0]).toMatchObject({ destination: '84912340009', text: 'code 0' });
  });

  it('when no profile is given, then the last digit still decides (9 refused, 7 undeliverable)', async () => {
    const accepted: SimulatedDelivery[] = [];
    sim = await startSmscSimulator({ receiptDelayMs: 10, onAccepted: (d) => accepted.push(d) });
    esme = await bindEsme({ port: sim.port, systemId: 'digits', password: 'x' });
    const refused = await esme.submit({ destination_addr: '8613800138009', short_message: 'x' });
    const undeliv = await esme.submit({ destination_addr: '8613800138007', short_message: 'y' });
    await waitFor(async () => esme!.delivered.length === 1, 2_000, 10);
    expect(refused.command_status).not.toBe(0);
    expect(undeliv.command_status).toBe(0);
    expect(accepted).toEqual([{ messageId: undeliv.message_id, destination: '8613800138007', text: 'y', stat: 'UNDELIV', delayMs: 10 }]);
  });
});
