import { automatableFromCvss } from './cvss-automatable';
import { DEFAULTS, resolveDeviceInputs, resolveThreatInputs, ThreatEvidence } from './priority-inputs';
import { decide } from './ssvc-decision';
import { ssvcVector } from './ssvc-vector';
import { isIsoDuration } from './remediation-durations';

const nothing: ThreatEvidence = { inKev: false, analystExploitation: [], documentExploitation: null, analystAutomatable: [], cvssVector: null };

describe('exploitation', () => {
  it('is active when KEV lists a CVE, whatever an analyst or the document says', () => {
    expect(resolveThreatInputs({ ...nothing, inKev: true, analystExploitation: ['none'], documentExploitation: 'none' }).exploitation).toBe('active');
  });
  it('is the highest an analyst set over the CVEs, before the document', () => {
    const r = resolveThreatInputs({ ...nothing, analystExploitation: [null, 'public_poc', 'none'], documentExploitation: 'active' });
    expect(r).toMatchObject({ exploitation: 'public_poc', assumed: ['automatable'] });
  });
  it("is the document's when no analyst set one", () => {
    expect(resolveThreatInputs({ ...nothing, analystExploitation: [null], documentExploitation: 'public_poc' }).exploitation).toBe('public_poc');
  });
  it('is none, assumed, when nobody says', () => {
    expect(resolveThreatInputs(nothing)).toEqual({ exploitation: 'none', automatable: 'yes', assumed: ['exploitation', 'automatable'] });
  });
});

describe('automatable', () => {
  it("is an analyst's value before the vector's", () => {
    const r = resolveThreatInputs({ ...nothing, analystAutomatable: ['no'], cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    expect(r.automatable).toBe('no');
  });
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'yes'],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 'yes'],
    ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', 'no'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 'no'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'no'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'yes'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'no'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 'yes'],
    ['(AV:A/AC:L/Au:N/C:P/I:P/A:P)', 'no'],
    ['CVSS:3.1/AV:X/PR:N/UI:N', null],
    ['CVSS:3.1/AV:N/AV:N/PR:N/UI:N', null],
    ['CVSS:3.1/AV:N/PR:N', null],
    ['not a vector', null],
    ['', null],
    [null, null],
  ])('%s -> %s', (vector, expected) => {
    expect(automatableFromCvss(vector)).toBe(expected);
  });
  it('is yes, assumed, when the vector cannot be read', () => {
    expect(resolveThreatInputs({ ...nothing, documentExploitation: 'none', cvssVector: 'CVSS:9/AV:N' })).toEqual({
      exploitation: 'none',
      automatable: 'yes',
      assumed: ['automatable'],
    });
  });
});

describe('device inputs', () => {
  it("take the device's values and the human impact table", () => {
    expect(resolveDeviceInputs({ systemExposure: 'small', safetyImpact: 'negligible', missionImpact: 'degraded' })).toEqual({
      systemExposure: 'small',
      safetyImpact: 'negligible',
      missionImpact: 'degraded',
      humanImpact: 'low',
      assumed: [],
    });
  });
  it('assume the worst value of each point nobody set, and say so', () => {
    expect(resolveDeviceInputs({ systemExposure: null, safetyImpact: null, missionImpact: null })).toEqual({
      systemExposure: DEFAULTS.systemExposure,
      safetyImpact: DEFAULTS.safetyImpact,
      missionImpact: DEFAULTS.missionImpact,
      humanImpact: 'very_high',
      assumed: ['systemExposure', 'safetyImpact', 'missionImpact'],
    });
  });
});

describe('decision', () => {
  it('is immediate for a KEV, network, no-privilege CVE on a life-sustaining device on an open network', () => {
    const threat = resolveThreatInputs({ ...nothing, inKev: true, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    const device = resolveDeviceInputs({ systemExposure: 'open', safetyImpact: 'catastrophic', missionImpact: 'mission_failure' });
    expect(decide(threat, device)).toEqual({
      decision: 'immediate',
      decisionRank: 3,
      exploitation: 'active',
      automatable: 'yes',
      systemExposure: 'open',
      safetyImpact: 'catastrophic',
      missionImpact: 'mission_failure',
      humanImpact: 'very_high',
      vector: 'SSVCv2/A:Y/E:A/EXP:O/HI:VH/MI:MF/SI:C/',
      assumed: [],
    });
  });
  it('is defer for a local, high-privilege CVE nobody exploits on a negligible device in a small exposure', () => {
    const threat = resolveThreatInputs({ ...nothing, documentExploitation: 'none', cvssVector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L' });
    const device = resolveDeviceInputs({ systemExposure: 'small', safetyImpact: 'negligible', missionImpact: 'degraded' });
    expect(decide(threat, device)).toMatchObject({ decision: 'defer', decisionRank: 0, vector: 'SSVCv2/A:N/E:N/EXP:S/HI:L/MI:D/SI:N/', assumed: [] });
  });
});

describe('SSVC vector', () => {
  it('sorts the pairs by the decision point key', () => {
    const v = ssvcVector({
      exploitation: 'public_poc',
      automatable: 'no',
      systemExposure: 'controlled',
      humanImpact: 'high',
      safetyImpact: 'critical',
      missionImpact: 'mef_support_crippled',
    });
    expect(v).toBe('SSVCv2/A:N/E:P/EXP:C/HI:H/MI:MSC/SI:R/');
  });
});

describe('remediation durations', () => {
  it.each(['P2D', 'P14D', 'P90D', 'P1W', 'PT12H', 'P1Y2M3DT4H5M6S', 'P0D'])('accepts %s', (d) => expect(isIsoDuration(d)).toBe(true));
  it.each(['P', 'PT', '2D', 'P2', 'P1.5D', 'p2d', 'P-1D', 'P2DT', 'P123456D', ' P2D', 'P1H'])('refuses %s', (d) => expect(isIsoDuration(d)).toBe(false));
});
