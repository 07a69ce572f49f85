import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelError } from '../../../src/channels/channel-adapter.js';
import { PendingRequests } from '../../../src/channels/smpp/pending-requests.js';
import { describeStatus, errorForStatus, statusPolicy } from '../../../src/channels/smpp/smpp-status.js';
import { SubmitWindow } from '../../../src/channels/smpp/submit-window.js';
import { TokenBucket } from '../../../src/channels/smpp/token-bucket.js';

afterEach(() => vi.useRealTimers());

describe('submit window', () => {
  it('when the window is full, then acquirers wait and are served in order', async () => {
    const w = new SubmitWindow(2);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(true);
    expect(w.tryAcquire()).toBe(false);
    const order: number[] = [];
    const a = w.acquire().then(() => order.push(1));
    const b = w.acquire().then(() => order.push(2));
    w.release();
    w.release();
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
    expect(w.inFlight).toBe(2);
  });

  it('when every slot is released, then whenIdle resolves', async () => {
    const w = new SubmitWindow(1);
    w.tryAcquire();
    let idle = false;
    const p = w.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    w.release();
    await p;
    expect(idle).toBe(true);
  });
});

describe('token bucket', () => {
  it('when reservations exceed the burst, then each later one waits its share of a second', () => {
    let now = 0;
    const b = new TokenBucket(100, 2, () => now);
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 10, 20]);
    now = 30;
    expect(b.reserve()).toBe(0);
  });

  it('when tryTake runs dry, then it refuses until time refills the bucket', () => {
    let now = 0;
    const b = new TokenBucket(10, 1, () => now);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    now = 100;
    expect(b.tryTake()).toBe(true);
  });
});

describe('pending requests', () => {
  it('when no response arrives in time, then the request fails with the timeout error', async () => {
    vi.useFakeTimers();
    const p = new PendingRequests<string>(100, (seq) => new ChannelError('SMPP_TIMEOUT', `seq ${seq}`, true));
    const a = p.add(1);
    const b = p.add(2);
    expect(p.resolve(2, 'ok')).toBe(true);
    vi.advanceTimersByTime(101);
    await expect(a).rejects.toMatchObject({ code: 'SMPP_TIMEOUT', retryable: true });
    await expect(b).resolves.toBe('ok');
    expect(p.resolve(1, 'late')).toBe(false);
  });

  it('when entries have different ages, then each times out at its own deadline', async () => {
    vi.useFakeTimers();
    const p = new PendingRequests<string>(100, () => new ChannelError('SMPP_TIMEOUT', 't', true));
    const first = p.add(1);
    first.catch(() => undefined);
    vi.advanceTimersByTime(60);
    const second = p.add(2);
    second.catch(() => undefined);
    vi.advanceTimersByTime(50);
    await expect(first).rejects.toBeInstanceOf(ChannelError);
    expect(p.size).toBe(1);
    vi.advanceTimersByTime(60);
    await expect(second).rejects.toBeInstanceOf(ChannelError);
  });

  it('when the link drops, then rejectAll fails everything at once', async () => {
    const p = new PendingRequests<string>(10_000, () => new ChannelError('SMPP_TIMEOUT', 't', true));
    const all = [p.add(1), p.add(2)];
    p.rejectAll(new ChannelError('SMPP_DISCONNECTED', 'gone', true));
    for (const r of all) await expect(r).rejects.toMatchObject({ code: 'SMPP_DISCONNECTED' });
  });
});

describe('status policy', () => {
  it('when the SMSC throttles, then the policy is throttle; transient errors retry; others fail', () => {
    expect(statusPolicy(0x58)).toBe('throttle');
    expect(statusPolicy(0x14)).toBe('throttle');
    expect(statusPolicy(0x08)).toBe('retry');
    expect(statusPolicy(0x45)).toBe('fail');
    expect(statusPolicy(0x0b)).toBe('fail');
    expect(statusPolicy(0x401, { 0x401: 'throttle' })).toBe('throttle');
  });

  it('when an error is built from a status, then it names it and keeps the code', () => {
    expect(describeStatus(0x45)).toBe('ESME_RSUBMITFAIL (0x45)');
    expect(describeStatus(0x4ff)).toBe('0x4ff');
    expect(errorForStatus('SMPP_REJECTED', 'submit_sm', 0x45)).toMatchObject({ providerCode: 0x45, retryable: false });
    expect(errorForStatus('SMPP_REJECTED', 'submit_sm', 0xff)).toMatchObject({ retryable: true });
  });
});
