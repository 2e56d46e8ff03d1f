/**
 * The million bench's idle phase against a service you started yourself (for example on a
 * database kept by bench/million-db.ts, to compare two builds on the same data): each read for
 * 10 s under 20 concurrent clients, the baseline GET /manufacturers first, p95 ratios to it.
 *   node dist/bench/million-readers.js <service base URL> <api key> [label]
 */
import { readFileSync } from 'node:fs';
import { MILLION_TARGETS } from './million.bench';
import { underClients } from './lib/concurrent-readers';

const PHASE_MS = 10_000;

async function main(): Promise<void> {
  const [base, key, label = 'run'] = process.argv.slice(2);
  if (!base || !key) throw new Error('usage: node dist/bench/million-readers.js <service base URL> <api key> [label]');
  const get = (path: string) => fetch(base + path, { headers: { Authorization: `Bearer ${key}` } });
  const cursor = async (path: string): Promise<string> => ((await (await get(path)).json()) as { nextCursor: string }).nextCursor;
  const cases: Array<[string, string]> = [
    ['baseline GET /manufacturers', '/api/v1/manufacturers'],
    ['device list, first page', '/api/v1/devices?limit=50'],
    ['device list, second page (cursor)', `/api/v1/devices?limit=50&cursor=${await cursor('/api/v1/devices?limit=50')}`],
    ['device list, sort=lastSeenAt desc', '/api/v1/devices?limit=50&sort=lastSeenAt&order=desc'],
    [
      'device list, lastSeenAt second page',
      `/api/v1/devices?limit=50&sort=lastSeenAt&order=desc&cursor=${await cursor('/api/v1/devices?limit=50&sort=lastSeenAt&order=desc')}`,
    ],
    ['report, first page', '/api/v1/reports/outdated-firmware'],
    ['report, second page', `/api/v1/reports/outdated-firmware?cursor=${await cursor('/api/v1/reports/outdated-firmware')}`],
    ['summary', '/api/v1/reports/summary'],
  ];
  let baseline = 0;
  for (const [name, path] of cases) {
    const { ms, errors } = await underClients(get, path, { clients: MILLION_TARGETS.clients, durationMs: PHASE_MS, warmups: 3 });
    if (!baseline) baseline = ms.p95;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `${label}\t${name}\tn=${ms.n}\tp50 ${ms.p50.toFixed(1)} ms\tp95 ${ms.p95.toFixed(1)} ms\tx${(ms.p95 / baseline).toFixed(2)}\terrors ${errors}\tload ${load}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
