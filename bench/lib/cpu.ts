import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { procCpuSeconds, statCpuSeconds } from './service';

/** Busy CPU time of the whole machine so far, in seconds (/proc/stat: everything but idle and iowait). */
function machineBusySeconds(): number {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/**
 * CPU seconds used so far by every PostgreSQL process on the machine (backends, WAL writer,
 * checkpointer...), from /proc. Processes that exited in between are not counted.
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) total += statCpuSeconds(stat);
    } catch {
      // It exited between the listing and the read.
    }
  }
  return total;
}

export interface CpuReport {
  wallSeconds: number;
  /** Cores x wall time: what the machine could have given. */
  capacitySeconds: number;
  machineBusySeconds: number;
  /** CPU seconds per named process; `bench` is this process with its publisher threads. */
  processes: Record<string, number>;
  /** Busy time not used by the named processes: mostly PostgreSQL. */
  otherSeconds: number;
}

/** Where the CPU went during one phase: named processes, the bench, and the rest (PostgreSQL). */
export class CpuMeter {
  private readonly started = Date.now();
  private readonly machine = machineBusySeconds();
  private readonly bench = process.cpuUsage();
  private readonly before: Record<string, number>;

  constructor(private readonly pids: Record<string, number>) {
    this.before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, procCpuSeconds(pid)]));
  }

  /** `extra` adds processes that have already exited and reported their own usage. */
  stop(extra: Record<string, number> = {}): CpuReport {
    const wallSeconds = (Date.now() - this.started) / 1000;
    const processes: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      try {
        processes[name] = procCpuSeconds(pid) - this.before[name];
      } catch {
        processes[name] = NaN;
      }
    }
    const b = process.cpuUsage(this.bench);
    processes.bench = (b.user + b.system) / 1e6;
    Object.assign(processes, extra);
    const machineBusy = machineBusySeconds() - this.machine;
    const named = Object.values(processes)
      .filter(Number.isFinite)
      .reduce((a, x) => a + x, 0);
    return {
      wallSeconds,
      capacitySeconds: wallSeconds * cpus().length,
      machineBusySeconds: machineBusy,
      processes,
      otherSeconds: Math.max(0, machineBusy - named),
    };
  }
}

export const formatCpu = (r: CpuReport): string =>
  `CPU over ${r.wallSeconds.toFixed(1)} s (capacity ${r.capacitySeconds.toFixed(1)} s, busy ${r.machineBusySeconds.toFixed(1)} s): ` +
  Object.entries(r.processes)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(', ') +
  `, other (PostgreSQL...) ${r.otherSeconds.toFixed(1)} s`;
