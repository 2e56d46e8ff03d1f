import { parseRange, rangeContains } from '../firmware';

/**
 * What a line of an advisory says of the versions it names: affected (advisory_affected), or
 * a VEX statement of its document (advisory_product_statements).
 */
export type LineStatus = 'affected' | 'known_not_affected' | 'under_investigation';

/** One product line of an active advisory, as the engine needs it; without status, affected. */
export interface AffectedLine {
  advisoryId: string;
  modelId: string;
  versions: string;
  fixedVersion: string | null;
  status?: LineStatus;
}

export interface DeviceUnderTest {
  id: string;
  modelId: string;
  firmwareVersion: string | null;
}

export type Exposure =
  | { kind: 'open'; deviceId: string; advisoryId: string; fixedVersion: string | null; versions: string; firmware: string | null }
  | { kind: 'unknown'; deviceId: string; advisoryId: string; reason: 'no_firmware' | 'not_comparable' | 'under_investigation' };

/**
 * The finding rule: a device is exposed to an advisory when its model is affected and its
 * firmware is inside one of the advisory's ranges for that model. When no range says "in" but
 * one cannot decide (no firmware, or a version of another shape), the exposure is unknown:
 * shown to a person, never guessed.
 *
 * The document's own statements about the device's firmware, strongest first:
 * 1. inside an affected range: a finding, whatever else the document says of those versions
 *    (two entries of one model that contradict each other never hide an exposure);
 * 2. inside a range under investigation: unknown, reason under_investigation;
 * 3. inside a range known not affected: nothing (the manufacturer's VEX statement);
 * 4. a range that cannot decide: unknown (no_firmware, not_comparable).
 * A statement covers only the versions it names: "not affected" for 3.x leaves 2.x affected.
 */
export function evaluateExposure(devices: DeviceUnderTest[], lines: AffectedLine[]): Exposure[] {
  const byModel = new Map<string, AffectedLine[]>();
  for (const line of lines) byModel.set(line.modelId, [...(byModel.get(line.modelId) ?? []), line]);
  const ranges = new Map<string, ReturnType<typeof parseRange>>();
  const rangeOf = (expr: string) => {
    let r = ranges.get(expr);
    if (!r) ranges.set(expr, (r = parseRange(expr)));
    return r;
  };

  const out: Exposure[] = [];
  for (const device of devices) {
    const perAdvisory = new Map<string, { open?: AffectedLine; investigating: boolean; notAffected: boolean; unknown: boolean }>();
    for (const line of byModel.get(device.modelId) ?? []) {
      const state = perAdvisory.get(line.advisoryId) ?? { investigating: false, notAffected: false, unknown: false };
      const parsed = rangeOf(line.versions);
      // Expressions are validated when stored; one that no longer parses cannot decide.
      const verdict = parsed.ok ? rangeContains(parsed.range, device.firmwareVersion) : 'unknown';
      const status = line.status ?? 'affected';
      if (verdict === 'unknown') {
        // Not knowing whether "not affected" applies leaves the device as the other lines say.
        if (status !== 'known_not_affected') state.unknown = true;
      } else if (verdict === 'in') {
        if (status === 'affected') state.open = pickFix(state.open, line);
        else if (status === 'under_investigation') state.investigating = true;
        else state.notAffected = true;
      }
      perAdvisory.set(line.advisoryId, state);
    }
    for (const [advisoryId, state] of perAdvisory) {
      if (state.open) {
        out.push({
          kind: 'open',
          deviceId: device.id,
          advisoryId,
          fixedVersion: state.open.fixedVersion,
          versions: state.open.versions,
          firmware: device.firmwareVersion,
        });
      } else if (state.investigating) {
        out.push({ kind: 'unknown', deviceId: device.id, advisoryId, reason: 'under_investigation' });
      } else if (state.unknown && !state.notAffected) {
        out.push({ kind: 'unknown', deviceId: device.id, advisoryId, reason: device.firmwareVersion ? 'not_comparable' : 'no_firmware' });
      }
    }
  }
  return out;
}

/** Of two matching lines, keep one that names a fix. */
function pickFix(current: AffectedLine | undefined, candidate: AffectedLine): AffectedLine {
  if (!current) return candidate;
  return current.fixedVersion ? current : candidate;
}
