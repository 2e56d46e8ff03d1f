import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per app instance (not prom-client's global one), so two instances in one
 * process, as in tests, never share or double-register counters.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'iomt_process_' });
  return registry;
}
