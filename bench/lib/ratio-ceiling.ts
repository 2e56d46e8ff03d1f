import { CpuReport } from './cpu';

export interface RatioCeiling {
  /** Committed/raw ratio at that ceiling. */
  ratio: number;
  cores: number;
  /** The CPU seconds the ceiling adds up, per part. */
  cpuSeconds: { broker: number; publishers: number; subscriber: number; postgres: number };
}

/**
 * The best committed/raw ratio this machine could give any service, from the CPU both phases
 * used: the service process is charged only what the bare subscriber cost in the raw phase
 * (receiving and acknowledging, nothing else); the broker, the publishers and PostgreSQL are
 * charged what they cost in the service phase; and every core is taken to be busy all the time.
 *
 * Why it is printed: on two cores shared by broker, publishers, service and PostgreSQL, the
 * ratio measures how fast PostgreSQL is next to the MQTT path as much as it measures the
 * service. When this ceiling is below the target, no change to the service meets the target on
 * this machine, and the figure says so instead of leaving the reader to guess.
 */
export function ratioCeiling(raw: { cpu: CpuReport; msgsPerSec: number }, service: CpuReport, messages: number): RatioCeiling {
  const cores = service.capacitySeconds / service.wallSeconds;
  const cpuSeconds = {
    broker: service.processes.broker,
    publishers: service.processes.bench,
    subscriber: raw.cpu.processes.raw_subscriber,
    postgres: service.otherSeconds,
  };
  const total = cpuSeconds.broker + cpuSeconds.publishers + cpuSeconds.subscriber + cpuSeconds.postgres;
  return { ratio: messages / (total / cores) / raw.msgsPerSec, cores, cpuSeconds };
}

export const formatCeiling = (c: RatioCeiling): string =>
  `${c.ratio.toFixed(2)} (broker ${c.cpuSeconds.broker.toFixed(1)} + publishers ${c.cpuSeconds.publishers.toFixed(1)} + ` +
  `a service costing what the bare subscriber did ${c.cpuSeconds.subscriber.toFixed(1)} + PostgreSQL ${c.cpuSeconds.postgres.toFixed(1)} CPU-s on ${c.cores.toFixed(0)} busy cores)`;
