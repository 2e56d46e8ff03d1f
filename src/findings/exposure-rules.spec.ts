import { evaluateExposure } from './exposure-rules';

const line = (advisoryId: string, versions: string, fixedVersion: string | null = null, modelId = 'm1') => ({ advisoryId, modelId, versions, fixedVersion });
const device = (id: string, firmwareVersion: string | null, modelId = 'm1') => ({ id, modelId, firmwareVersion });

describe('evaluateExposure', () => {
  it('opens a finding for firmware inside the range, with the fix', () => {
    expect(evaluateExposure([device('d1', '2.0.0')], [line('a1', '<2.4.1', '2.4.1')])).toEqual([
      { kind: 'open', deviceId: 'd1', advisoryId: 'a1', fixedVersion: '2.4.1', versions: '<2.4.1', firmware: '2.0.0' },
    ]);
  });

  it('says nothing for firmware outside the range', () => {
    expect(evaluateExposure([device('d1', '2.4.1')], [line('a1', '<2.4.1')])).toEqual([]);
  });

  it('ignores advisories of other models', () => {
    expect(evaluateExposure([device('d1', '1.0', 'm2')], [line('a1', '*')])).toEqual([]);
  });

  it('marks a device with no firmware as unknown, reason no_firmware', () => {
    expect(evaluateExposure([device('d1', null)], [line('a1', '<2.0')])).toEqual([
      { kind: 'unknown', deviceId: 'd1', advisoryId: 'a1', reason: 'no_firmware' },
    ]);
  });

  it('marks firmware of another shape as unknown, reason not_comparable', () => {
    expect(evaluateExposure([device('d1', '028U000061')], [line('a1', '<=L81')])).toEqual([
      { kind: 'unknown', deviceId: 'd1', advisoryId: 'a1', reason: 'not_comparable' },
    ]);
  });

  it('exposes a device with no firmware to an advisory on all versions', () => {
    expect(evaluateExposure([device('d1', null)], [line('a1', '*')])).toEqual([expect.objectContaining({ kind: 'open', advisoryId: 'a1' })]);
  });

  it('prefers a matching line that names a fix when several lines of one advisory match', () => {
    const out = evaluateExposure([device('d1', '1.5')], [line('a1', '<2.0'), line('a1', '>=1.0 <3.0', '3.0')]);
    expect(out).toEqual([expect.objectContaining({ kind: 'open', fixedVersion: '3.0' })]);
  });

  it('opens rather than unknown when one line matches and another cannot decide', () => {
    const out = evaluateExposure([device('d1', '1.5')], [line('a1', '<2.0'), line('a1', '<=L81')]);
    expect(out).toEqual([expect.objectContaining({ kind: 'open' })]);
  });
});
