import type { Automatable } from './ssvc-decision-points';

const V3_V4 = /^CVSS:(3\.0|3\.1|4\.0)\//;
const METRIC = /^([A-Za-z]+):([A-Za-z]+)$/;

const ALLOWED: Record<'3' | '4', Record<string, string[]>> = {
  '3': { AV: ['N', 'A', 'L', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'R'] },
  '4': { AV: ['N', 'A', 'L', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'] },
};

/**
 * SSVC Automatable read from a CVSS vector, the way CISA's Vulnrichment reads it: an attacker
 * can automate the exploit when the attack comes over the network, needs no privileges and no
 * user's action (AV:N, PR:N, UI:N; CVSS v2 has no UI: AV:N and Au:N). Any other readable
 * vector: no. Null when the vector cannot be read (then the decision assumes "yes").
 */
export function automatableFromCvss(vector: string | null | undefined): Automatable | null {
  if (!vector) return null;
  const text = vector.trim();
  const version = V3_V4.exec(text);
  const metrics = parseMetrics(version ? text.slice(version[0].length) : text.replace(/^\((.*)\)$/, '$1'));
  if (!metrics) return null;
  if (version) {
    const allowed = ALLOWED[version[1][0] as '3' | '4'];
    for (const [key, values] of Object.entries(allowed)) if (!values.includes(metrics.get(key) ?? '')) return null;
    return metrics.get('AV') === 'N' && metrics.get('PR') === 'N' && metrics.get('UI') === 'N' ? 'yes' : 'no';
  }
  if (!['L', 'A', 'N'].includes(metrics.get('AV') ?? '') || !['M', 'S', 'N'].includes(metrics.get('Au') ?? '')) return null;
  return metrics.get('AV') === 'N' && metrics.get('Au') === 'N' ? 'yes' : 'no';
}

function parseMetrics(body: string): Map<string, string> | null {
  const metrics = new Map<string, string>();
  for (const part of body.split('/')) {
    const m = METRIC.exec(part);
    if (!m || metrics.has(m[1])) return null;
    metrics.set(m[1], m[2]);
  }
  return metrics;
}
