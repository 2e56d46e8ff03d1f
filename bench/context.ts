import { Cleanup } from './lib/cleanup';

export interface BenchOptions {
  only: Set<
    | 'ingest'
    | 'presence'
    | 'detection'
    | 'scaleout'
    | 'list'
    | 'findings'
    | 'prioritisation'
    | 'threat-intel'
    | 'work-orders'
    | 'churn'
    | 'million'
    | 'sse'
    | 'console'
    | 'embedded'
  >;
  devices: number;
  messages: number;
  publishers: number;
  window: number;
  /** Raw-then-service pairs of the ingest headline; the ratio reported is their median. */
  pairs: number;
  latencySeconds: number;
  scaleDevices: number;
  scaleMessages: number;
  listDevices: number;
  listRequests: number;
  deepPages: number;
  findingsDevices: number;
  findingsAdvisories: number;
  /** threat-intel: rows of the generated EPSS day. */
  epssRows: number;
  /** Open work orders, and fixed-firmware heartbeats per phase of the work-orders case. */
  workOrdersOpen: number;
  workOrdersHeartbeats: number;
  /** console: measured navigations to /exposure (and to the baseline). */
  consoleNavigations: number;
  /** million: devices seeded, and minutes of the sustained one-heartbeat-a-minute load after its first minute. */
  millionDevices: number;
  millionMinutes: number;
  /** embedded: devices registered, steady heartbeats a phase, PGlite placements to measure, and the checkout to run (before/after). */
  embeddedDevices: number;
  embeddedMessages: number;
  embeddedModes: Array<'worker' | 'main-thread'>;
  embeddedRoot?: string;
  timeLimitS: number;
}

export interface BenchContext {
  cleanup: Cleanup;
  options: BenchOptions;
  /** Suffix of the databases this run creates (iomt_bench_<stamp>_<case>). */
  stamp: string;
  adminKey: string;
  log: (message: string) => void;
}

/** A target and whether this run met it; a miss is printed as MISSED with the figure. */
export interface Verdict {
  name: string;
  figure: string;
  target: string;
  met: boolean;
}

export const verdict = (name: string, figure: string, target: string, met: boolean): Verdict => ({ name, figure, target, met });
