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

describe('evaluateExposure with the document statements (VEX)', () => {
  const stated = (status: 'known_not_affected' | 'under_investigation', versions = '*', modelId = 'm1', advisoryId = 'a1') => ({
    advisoryId,
    modelId,
    versions,
    fixedVersion: null,
    status,
  });

  it('opens nothing for a model the document says is not affected', () => {
    expect(evaluateExposure([device('d1', '1.0')], [stated('known_not_affected')])).toEqual([]);
  });

  it('opens nothing for a not-affected model even when its firmware is unknown', () => {
    expect(evaluateExposure([device('d1', null)], [stated('known_not_affected')])).toEqual([]);
  });

  it('lists a device of a model under investigation as unknown, reason under_investigation', () => {
    expect(evaluateExposure([device('d1', '1.0')], [stated('under_investigation')])).toEqual([
      { kind: 'unknown', deviceId: 'd1', advisoryId: 'a1', reason: 'under_investigation' },
    ]);
  });

  it('leaves a device outside the investigated versions alone', () => {
    expect(evaluateExposure([device('d1', '3.0')], [stated('under_investigation', '<2.0')])).toEqual([]);
  });

  it('keeps a device whose firmware cannot be compared with the investigated range as unknown for that reason', () => {
    expect(evaluateExposure([device('d1', null)], [stated('under_investigation', '<2.0')])).toEqual([
      { kind: 'unknown', deviceId: 'd1', advisoryId: 'a1', reason: 'no_firmware' },
    ]);
  });

  it('scopes not-affected to the versions it names: another version line of the model still opens a finding', () => {
    const lines = [line('a1', '<2.0', '2.0'), stated('known_not_affected', '>=3.0')];
    expect(evaluateExposure([device('d1', '1.5'), device('d2', '3.1'), device('d3', '2.5')], lines)).toEqual([
      expect.objectContaining({ kind: 'open', deviceId: 'd1', fixedVersion: '2.0' }),
    ]);
  });

  it('opens the finding when an affected range and a not-affected range of one model both hold the firmware (a contradiction never hides exposure)', () => {
    const out = evaluateExposure([device('d1', '1.5')], [stated('known_not_affected', '*'), line('a1', '<2.0', '2.0')]);
    expect(out).toEqual([expect.objectContaining({ kind: 'open', deviceId: 'd1' })]);
  });

  it('prefers under investigation to not affected for the same versions', () => {
    const out = evaluateExposure([device('d1', '1.5')], [stated('known_not_affected'), stated('under_investigation')]);
    expect(out).toEqual([expect.objectContaining({ kind: 'unknown', reason: 'under_investigation' })]);
  });

  it('decides by a not-affected statement where an affected range cannot compare the firmware', () => {
    const out = evaluateExposure([device('d1', '028U000061')], [line('a1', '<=L81'), stated('known_not_affected', '*')]);
    expect(out).toEqual([]);
  });

  it('applies a statement only to its own advisory and model', () => {
    const out = evaluateExposure(
      [device('d1', '1.0'), device('d2', '1.0', 'm2')],
      [line('a1', '*'), line('a2', '*', null, 'm2'), stated('known_not_affected', '*', 'm1', 'a2')],
    );
    expect(out).toEqual([expect.objectContaining({ deviceId: 'd1', advisoryId: 'a1' }), expect.objectContaining({ deviceId: 'd2', advisoryId: 'a2' })]);
  });
});
