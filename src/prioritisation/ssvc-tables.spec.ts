import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decide, decisionMatrix } from './ssvc-decision';
import { resolveDeviceInputs } from './priority-inputs';
import { Automatable, Decision, Exploitation, HumanImpact, MissionImpact, SafetyImpact, SSVC_KEYS, SystemExposure } from './ssvc-decision-points';
import { DEPLOYER_TABLE, deployerDecision, HUMAN_IMPACT_TABLE, humanImpactOf } from './ssvc-tables';

const SSVC = resolve(__dirname, '../../test/fixtures/ssvc');

/** The published CSV's cells as this service spells values: lower case, words joined by `_`. */
function csvRows(file: string): string[][] {
  const [, ...lines] = readFileSync(resolve(SSVC, file), 'utf8').trim().split(/\r?\n/);
  return lines.map((line) =>
    line
      .split(',')
      .slice(1)
      .map((cell) => cell.trim().toLowerCase().replace(/[ -]/g, '_')),
  );
}

const deployerRows = csvRows('deployer_patch_application_priority_1_0_0.csv');
const humanRows = csvRows('human_impact_1_0_0.csv');

describe('SSVC deployer patch-application table (DT_DP 1.0.0)', () => {
  it('has the 72 rows of the published CSV', () => {
    expect(deployerRows).toHaveLength(72);
    expect(DEPLOYER_TABLE).toHaveLength(72);
  });

  it.each(deployerRows.map((r, i) => [i, ...r]))('row %i: %s / %s / %s / %s -> %s', (_i, e, x, a, h, d) => {
    expect(deployerDecision(e as Exploitation, x as SystemExposure, a as Automatable, h as HumanImpact)).toBe(d as Decision);
  });

  it('decides every row through the whole decision, not only the table lookup', () => {
    for (const [e, x, a, h, d] of deployerRows) {
      const [safety, mission] = HUMAN_IMPACT_TABLE.find(([, , impact]) => impact === h)!;
      const device = resolveDeviceInputs({ systemExposure: x as SystemExposure, safetyImpact: safety, missionImpact: mission });
      expect(decide({ exploitation: e as Exploitation, automatable: a as Automatable, assumed: [] }, device).decision).toBe(d);
    }
  });

  it('agrees with the mapping of the published JSON form, key for key', () => {
    const json = JSON.parse(readFileSync(resolve(SSVC, 'deployer_patch_application_priority_1_0_0.json'), 'utf8')) as {
      mapping: Array<Record<string, string>>;
    };
    const keyOf = (point: { key: string; version: string }) => `ssvc:${point.key}:${point.version}`;
    expect(json.mapping).toHaveLength(72);
    for (const row of json.mapping) {
      const value = <V extends string>(point: { key: string; version: string; values: Record<V, string> }): V =>
        (Object.entries(point.values) as Array<[V, string]>).find(([, k]) => k === row[keyOf(point)])![0];
      const decision = deployerDecision(
        value(SSVC_KEYS.exploitation),
        value(SSVC_KEYS.systemExposure),
        value(SSVC_KEYS.automatable),
        value(SSVC_KEYS.humanImpact),
      );
      expect(SSVC_KEYS.decision.values[decision]).toBe(row[keyOf(SSVC_KEYS.decision)]);
    }
  });
});

describe('SSVC human impact table (1.0.0)', () => {
  it('has the 16 rows of the published CSV', () => {
    expect(humanRows).toHaveLength(16);
    expect(HUMAN_IMPACT_TABLE).toHaveLength(16);
  });

  it.each(humanRows.map((r, i) => [i, ...r]))('row %i: safety %s, mission %s -> %s', (_i, safety, mission, impact) => {
    expect(humanImpactOf(safety as SafetyImpact, mission as MissionImpact)).toBe(impact as HumanImpact);
  });

  it('follows the table where the Human Impact 2.0.2 definitions say otherwise (critical + degraded: table medium, text high)', () => {
    const json = JSON.parse(readFileSync(resolve(SSVC, 'human_impact_2_0_2.json'), 'utf8')) as { values: Array<{ key: string; definition: string }> };
    expect(json.values.find((v) => v.key === 'H')!.definition).toContain('Safety Impact:Critical AND Mission Impact:(Degraded OR Crippled)');
    expect(humanImpactOf('critical', 'degraded')).toBe('medium');
  });
});

describe('decision matrix fed to SQL', () => {
  it('covers 12 threat classes x 100 device classes, each decided by the table', () => {
    const matrix = decisionMatrix();
    expect(matrix).toHaveLength(1200);
    const keys = new Set(matrix.map((m) => JSON.stringify([m.threat, m.device])));
    expect(keys.size).toBe(1200);
    for (const m of matrix)
      expect(m.result.decision).toBe(deployerDecision(m.threat.exploitation, m.result.systemExposure, m.threat.automatable, m.result.humanImpact));
  });
});
