import { parseRange, rangeContains } from '../firmware';

/** One affected-product line of an active advisory, as the engine needs it. */
export interface AffectedLine {
  advisoryId: string;
  modelId: string;
  versions: string;
  fixedVersion: string | null;
}

export interface DeviceUnderTest {
  id: string;
  modelId: string;
  firmwareVersion: string | null;
}

export type Exposure =
  | { kind: 'open'; deviceId: string; advisoryId: string; fixedVersion: string | null; versions: string; firmware: string | null }
  | { kind: 'unknown'; deviceId: string; advisoryId: string; reason: 'no_firmware' | 'not_comparable' };

/**
 * The finding rule: a device is exposed to an advisory when its model is affected and its
 * firmware is inside one of the advisory's ranges for that model. When no range says "in" but
 * one cannot decide (no firmware, or a version of another shape), the exposure is unknown:
 * shown to a person, never guessed.
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
    const perAdvisory = new Map<string, { open?: AffectedLine; unknown: boolean }>();
    for (const line of byModel.get(device.modelId) ?? []) {
      const state = perAdvisory.get(line.advisoryId) ?? { unknown: false };
      const parsed = rangeOf(line.versions);
      // Expressions are validated when stored; one that no longer parses cannot decide.
      const verdict = parsed.ok ? rangeContains(parsed.range, device.firmwareVersion) : 'unknown';
      if (verdict === 'in') state.open = pickFix(state.open, line);
      else if (verdict === 'unknown') state.unknown = true;
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
      } else if (state.unknown) {
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
