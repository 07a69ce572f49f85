/**
 * CPU seconds used by each party during a benchmark window (Linux /proc): the platform process, this
 * benchmark process (simulator, callback endpoint, load driver), PostgreSQL and Redis. On a 2-core
 * machine this shows where the cores went and how close the run was to the machine's limit.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

function cpuOf(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
  } catch {
    return 0;
  }
}

function byCommand(name: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith(name)) total += cpuOf(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

export function cpuSnapshot(platformPid: number) {
  return { platform: cpuOf(platformPid), bench: cpuOf(process.pid), postgres: byCommand('postgres'), redis: byCommand('redis-server'), at: performance.now() };
}

export function describeCpu(before: ReturnType<typeof cpuSnapshot>, after: ReturnType<typeof cpuSnapshot>): string {
  const secs = (after.at - before.at) / 1000;
  const part = (k: 'platform' | 'bench' | 'postgres' | 'redis') => `${k} ${(after[k] - before[k]).toFixed(1)} s`;
  return `CPU over ${secs.toFixed(1)} s wall (2 cores = ${(2 * secs).toFixed(1)} s): ${part('platform')}, ${part('bench')} (simulator + callback endpoint + driver), ${part('postgres')}, ${part('redis')}`;
}
