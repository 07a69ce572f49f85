import { describe, expect, it } from 'vitest';
import { jobPriority } from '../../../src/queues/send-queue.js';

describe('send job priority', () => {
  it('when categories differ, then every otp job outranks every notification job, which outranks every marketing job', () => {
    expect(jobPriority('otp', 599_999)).toBeLessThan(jobPriority('notification', 0));
    expect(jobPriority('notification', 599_999)).toBeLessThan(jobPriority('marketing', 0));
  });

  it('when one tenant has a backlog, then another tenant\'s first job outranks the backlog\'s later jobs', () => {
    const backlog = Array.from({ length: 1000 }, (_, i) => jobPriority('marketing', i));
    const newcomer = jobPriority('marketing', 0);
    expect(backlog.filter((p) => p < newcomer)).toHaveLength(0);
    expect(backlog.filter((p) => p > newcomer)).toHaveLength(999);
  });

  it('when a position is out of range, then the priority stays within BullMQ\'s limit and its category', () => {
    expect(jobPriority('marketing', 10_000_000)).toBeLessThanOrEqual(2 ** 21);
    expect(jobPriority('otp', -5)).toBe(jobPriority('otp', 0));
  });
});
