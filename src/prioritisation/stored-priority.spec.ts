import { resolveDeviceInputs } from './priority-inputs';
import { decide, decisionMatrix, DEVICE_CLASSES, deviceClasses, deviceClassIndex, threatClasses } from './ssvc-decision';
import { deviceClassKey, priorityOf, threatKey } from './stored-priority';

describe('stored priorities', () => {
  it('numbers device classes as SQL does: each input by its position in its value list, 0 for unset', () => {
    const classes = deviceClasses();
    expect(classes).toHaveLength(DEVICE_CLASSES);
    classes.forEach((c, i) => expect(deviceClassIndex(c)).toBe(i));
    expect(deviceClassIndex({ systemExposure: null, safetyImpact: null, missionImpact: null })).toBe(0);
    expect(deviceClassIndex({ systemExposure: 'small', safetyImpact: 'negligible', missionImpact: 'degraded' })).toBe(25 + 5 + 1);
  });

  it('makes from the stored keys the very decision the rules made, for every cell of the matrix', () => {
    const matrix = decisionMatrix();
    expect(matrix).toHaveLength(threatClasses().length * DEVICE_CLASSES);
    for (const { threat, device, result } of matrix) {
      const shown = priorityOf(
        { decision: result.decision, device_class: deviceClassKey(device), due_at: '2026-12-09T10:00:00.000Z' },
        { threat_key: threatKey(threat), in_kev: true, known_ransomware: false, epss: '0.94432', epss_percentile: '0.99964' },
      );
      const { decisionRank: _rank, ...expected } = decide(threat, resolveDeviceInputs(device));
      expect(shown).toEqual({ ...expected, inKev: true, knownRansomware: false, epss: 0.94432, epssPercentile: 0.99964, dueAt: '2026-12-09T10:00:00.000Z' });
    }
  });

  it('shows no priority for a finding not decided yet, and no due date where the policy gives none', () => {
    const row = {
      decision: 'defer',
      device_class: '||',
      due_at: null,
      threat_key: 'none|yes|exploitation,automatable',
      in_kev: false,
      known_ransomware: false,
      epss: null,
      epss_percentile: null,
    };
    expect(priorityOf({ ...row, decision: null }, row)).toBeNull();
    expect(priorityOf({ ...row, device_class: null }, row)).toBeNull();
    expect(priorityOf(row, { ...row, threat_key: null })).toBeNull();
    expect(priorityOf(row, row)).toEqual(
      expect.objectContaining({ dueAt: null, epss: null, assumed: ['exploitation', 'automatable', 'systemExposure', 'safetyImpact', 'missionImpact'] }),
    );
  });
});
