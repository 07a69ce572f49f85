import { describe, expect, it } from 'vitest';
import { DEMO_COUNTRIES, DEMO_ROUTES, demoRecipients, expectedBackfill, scaledProfile } from '../../../src/demo/demo-scenario.js';
import { loadDemoSettings } from '../../../src/demo/demo-settings.js';
import { routeTable, textTable, whereToLook } from '../../../src/demo/demo-output.js';
import { parsePhoneNumber } from '../../../src/numbers/phone-number.js';
import { measuresOf, type BackfillReport } from '../../../src/verify/backfill-report.js';

describe('demo scenario', () => {
  it('when 3,000 recipients are drawn, then every number is a valid, distinct mobile of its country, in about the configured shares', () => {
    const rs = demoRecipients(3000, 5);
    expect(new Set(rs.map((r) => r.to)).size).toBe(3000);
    for (const r of rs) expect(parsePhoneNumber(r.to)).toMatchObject({ ok: true, country: r.country, e164: r.to });
    for (const c of DEMO_COUNTRIES) expect(Math.abs(rs.filter((r) => r.country === c.country).length / 3000 - c.share)).toBeLessThan(0.03);
    expect(demoRecipients(50, 5)).toEqual(rs.slice(0, 50));
  });

  it('when the routes are as designed, then direct is built for ~80 % backfill and mixed for ~55 %', () => {
    const [direct, mixed] = DEMO_ROUTES.map(expectedBackfill);
    expect(direct).toBeCloseTo(0.8, 2);
    expect(mixed).toBeCloseTo(0.554, 2);
  });

  it('when a profile is scaled by a speed factor, then every delay shrinks by it and the odds stay', () => {
    const mixed = DEMO_ROUTES[1].profile;
    expect(scaledProfile(mixed, 4)).toEqual({ ...mixed, receiptDelayMs: { min: 500, max: 5_000 }, tail: { ratio: 0.12, maxMs: 15_000 } });
    expect(scaledProfile({ deliveredRatio: 1, receiptDelayMs: { min: 0, max: 3 } }, 1000).receiptDelayMs).toEqual({ min: 0, max: 1 });
  });

  it('when demo settings are missing or wrong, then defaults apply or the variable is named', () => {
    expect(loadDemoSettings({})).toEqual({ verifications: 600, speed: 4, seed: 1, exitWhenDone: false });
    expect(loadDemoSettings({ DEMO_EXIT: '1', DEMO_VERIFICATIONS: '50', DEMO_SPEED: '0.5' })).toMatchObject({ exitWhenDone: true, verifications: 50, speed: 0.5 });
    expect(() => loadDemoSettings({ DEMO_SPEED: 'fast' })).toThrow(/DEMO_SPEED/);
    expect(() => loadDemoSettings({ DEMO_VERIFICATIONS: '3' })).toThrow(/DEMO_VERIFICATIONS/);
  });
});

describe('demo printout', () => {
  it('when the report is printed by route, then columns line up and each route shows its designed rate', () => {
    const row = (route: string, sent: number, delivered: number, verified: number) => ({ route, ...measuresOf({ attempts: sent, sent, delivered, verified }, [4_200_000, 9_100_000]) });
    const report: BackfillReport = {
      from: '', until: '', tz: 'UTC', groupBy: ['route'],
      rows: [row('demo-direct', 300, 279, 240), row('demo-mixed', 300, 216, 166)],
      totals: measuresOf({ attempts: 600, sent: 600, delivered: 495, verified: 406 }, [5_000_000, 12_000_000]),
    };
    const lines = routeTable(report);
    expect(lines[0]).toMatch(/^route\s+sent\s+delivered\s+entered\s+delivery\s+backfill\s+median ttv\s+p90 ttv\s+designed$/);
    expect(lines[2]).toMatch(/^demo-direct\s+300\s+279\s+240\s+93\.0%\s+80\.0%\s+4\.2 s\s+9\.1 s\s+80\.0%$/);
    expect(lines[3]).toMatch(/^demo-mixed\s+300\s+216\s+166\s+72\.0%\s+55\.3%\s+4\.2 s\s+9\.1 s\s+55\.4%$/);
    expect(lines[4]).toMatch(/^all routes\s+600/);
    expect(textTable(['a', 'n'], [['xx', '1'], ['y', '22']])).toEqual(['a    n', '──  ──', 'xx   1', 'y   22']);
  });

  it('when where to look is printed, then curl lines carry the key and the console link the same days', () => {
    const lines = whereToLook({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'sk_test', from: '2030-01-01', until: '2030-01-02', lastDay: '2030-01-01' }).join('\n');
    expect(lines).toContain('curl -sS "http://127.0.0.1:3000/v1/reports/backfill?from=2030-01-01&until=2030-01-02&groupBy=route,country" -H "Authorization: Bearer sk_test"');
    expect(lines).toContain("-H 'Accept: text/csv'");
    expect(lines).toContain('http://127.0.0.1:3000/console/reports/backfill?from=2030-01-01&until=2030-01-01&groupBy=route,country');
  });
});
