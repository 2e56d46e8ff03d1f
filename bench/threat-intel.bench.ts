import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { ROOT } from './lib/paths';
import { createDatabase } from './lib/seed';
import { ServiceProcess } from './lib/service';

const KEV_FILE = join(ROOT, 'test', 'fixtures', 'kev', 'known_exploited_vulnerabilities-2025.08.25.json');
/** The service's memory target elsewhere in the bench (ingest); loading a feed must stay within it. */
const PEAK_RSS_TARGET_MB = 300;

export interface FeedLoadTiming {
  seconds: number;
  /** The service's VmHWM after this step. */
  peakRssMb: number;
  answer: Record<string, unknown>;
}

export interface ThreatIntelResult {
  kevBytes: number;
  epssRows: number;
  epssGzipBytes: number;
  epssCsvBytes: number;
  bootPeakRssMb: number;
  kev: FeedLoadTiming;
  kevAgain: FeedLoadTiming;
  epss: FeedLoadTiming;
  epssNextDay: FeedLoadTiming;
  epssAgain: FeedLoadTiming;
  verdicts: Verdict[];
}

/** A day of `rows` EPSS scores in FIRST's format; `salt` moves every score, as a new day does. */
export function epssFile(rows: number, scoreDate: string, salt: number): string {
  const lines = new Array<string>(rows + 2);
  lines[0] = `#model_version:v2025.03.14,score_date:${scoreDate}`;
  lines[1] = 'cve,epss,percentile';
  for (let i = 0; i < rows; i++) {
    const n = (i * 7919 + salt) % 100000;
    lines[i + 2] = `CVE-${1999 + (i % 27)}-${String(10000 + i).padStart(5, '0')},${(n / 100000).toFixed(5)},${(((n * 31) % 100000) / 100000).toFixed(5)}`;
  }
  return lines.join('\n') + '\n';
}

/**
 * Issue 15: the whole KEV catalog (1,404 entries) and a day of EPSS (`--epss-rows`, 300,000 by
 * default, gzip) uploaded over HTTP to the built service on PostgreSQL; seconds per load (the
 * request's whole round trip, the swap included) and the service's peak RSS after each.
 */
export async function benchThreatIntel(ctx: BenchContext): Promise<ThreatIntelResult> {
  const { options: o, cleanup, log } = ctx;
  const broker = await startBroker(cleanup, 'threat-intel');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_threat_intel`);
  const service = await ServiceProcess.start(cleanup, {
    name: 'threat-intel',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-threat-intel',
  });
  const bootPeakRssMb = service.peakRssMb();

  const post = async (path: string, body: Buffer, type: string): Promise<FeedLoadTiming> => {
    const started = performance.now();
    const res = await fetch(service.base + path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ctx.adminKey}`, 'Content-Type': type },
      body: new Uint8Array(body),
    }).catch((e: Error) => {
      throw new Error(`POST ${path}: ${e.message} (${String((e as { cause?: unknown }).cause)})`);
    });
    const text = await res.text();
    const seconds = (performance.now() - started) / 1000;
    if (res.status !== 200) throw new Error(`POST ${path} -> ${res.status} ${text.slice(0, 300)}`);
    return { seconds, peakRssMb: service.peakRssMb(), answer: JSON.parse(text) as Record<string, unknown> };
  };

  // Files first: an idle keep-alive connection closed by the server while the bench generates
  // them would fail the next request (EPIPE) for reasons that are not the service's.
  const kevBody = readFileSync(KEV_FILE);
  const day1 = epssFile(o.epssRows, '2025-08-25T12:55:00Z', 0);
  const gz1 = gzipSync(day1);
  const gz2 = gzipSync(epssFile(o.epssRows, '2025-08-26T12:55:00Z', 17));
  log(`EPSS ${o.epssRows} rows: ${day1.length} bytes of CSV, ${gz1.length} gzip`);

  const kev = await post('/api/v1/threat-intel/kev', kevBody, 'application/json');
  log(`KEV ${kevBody.length} bytes loaded in ${kev.seconds.toFixed(2)} s`);
  const kevAgain = await post('/api/v1/threat-intel/kev', kevBody, 'application/json');
  const epss = await post('/api/v1/threat-intel/epss', gz1, 'application/gzip');
  log(`EPSS day 1 loaded in ${epss.seconds.toFixed(2)} s`);
  const epssNextDay = await post('/api/v1/threat-intel/epss', gz2, 'application/gzip');
  log(`EPSS day 2 loaded in ${epssNextDay.seconds.toFixed(2)} s`);
  const epssAgain = await post('/api/v1/threat-intel/epss', gz2, 'application/gzip');

  const status = await service.getJson<{ kev: { entries: number }; epss: { entries: number } }>('/api/v1/threat-intel');
  if (status.kev.entries !== 1404 || status.epss.entries !== o.epssRows) throw new Error(`loaded ${JSON.stringify(status)}`);
  const peak = Math.max(kev.peakRssMb, epss.peakRssMb, epssNextDay.peakRssMb, epssAgain.peakRssMb);
  await service.dispose();
  return {
    kevBytes: kevBody.length,
    epssRows: o.epssRows,
    epssGzipBytes: gz1.length,
    epssCsvBytes: day1.length,
    bootPeakRssMb,
    kev,
    kevAgain,
    epss,
    epssNextDay,
    epssAgain,
    verdicts: [verdict('threat-intel peak RSS', `${peak.toFixed(0)} MB`, `<= ${PEAK_RSS_TARGET_MB} MB`, peak <= PEAK_RSS_TARGET_MB)],
  };
}
