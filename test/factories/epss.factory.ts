/**
 * EPSS files in FIRST's published format (`#model_version:...,score_date:...`, then
 * `cve,epss,percentile`), generated: the fixture set carries no EPSS day.
 */
export interface EpssDay {
  modelVersion: string;
  scoreDate: string;
  /** CVE -> [epss, percentile] as the file writes them. */
  scores: Map<string, [string, string]>;
}

/** `rows` CVEs (CVE-2024-100000 ...), each score derived from its number and `salt`, so two days differ where their salts do. */
export function epssDay(rows: number, o: { modelVersion?: string; scoreDate?: string; salt?: number } = {}): EpssDay {
  const scores = new Map<string, [string, string]>();
  for (let i = 0; i < rows; i++) {
    const n = (i * 7919 + (o.salt ?? 0)) % 100000;
    scores.set(`CVE-2024-${100000 + i}`, [(n / 100000).toFixed(5), (((n * 31) % 100000) / 100000).toFixed(5)]);
  }
  return { modelVersion: o.modelVersion ?? 'v2025.03.14', scoreDate: o.scoreDate ?? '2025-08-25T12:55:00Z', scores };
}

export function epssCsv(day: EpssDay): string {
  const lines = [`#model_version:${day.modelVersion},score_date:${day.scoreDate}`, 'cve,epss,percentile'];
  for (const [cve, [epss, percentile]] of day.scores) lines.push(`${cve},${epss},${percentile}`);
  return lines.join('\n') + '\n';
}
