import { remediationFor } from './remediation';

describe('remediationFor', () => {
  it('recommends the highest fixed version among the open findings', () => {
    expect(
      remediationFor([
        { fixedVersion: '1.5', affectedVersions: '<1.5' },
        { fixedVersion: '2.1', affectedVersions: '<2.1' },
      ]),
    ).toEqual({
      minimumSafeVersion: '2.1',
      action: 'update',
      actionText: 'update to 2.1 or later',
    });
  });

  it('says "no fix: mitigate or replace" for an all-versions advisory without a fix', () => {
    expect(remediationFor([{ fixedVersion: null, affectedVersions: 'vers:all/*' }])).toMatchObject({
      action: 'no_fix',
      actionText: 'no fix: mitigate or replace',
      minimumSafeVersion: null,
    });
  });

  it('calls a missing fix for a bounded range unknown, never a guess', () => {
    expect(remediationFor([{ fixedVersion: null, affectedVersions: '<3.0' }])).toMatchObject({ action: 'fix_unknown', minimumSafeVersion: null });
  });

  it('names no safe version when another advisory has no fix, and says the known fix in the text', () => {
    expect(
      remediationFor([
        { fixedVersion: '2.0', affectedVersions: '<2.0' },
        { fixedVersion: null, affectedVersions: '<=2.5' },
      ]),
    ).toEqual({
      action: 'fix_unknown',
      minimumSafeVersion: null,
      actionText: 'fix version unknown: check the advisory; 2.0 or later fixes the other advisories',
    });
  });

  it('names no safe version beside no_fix, even when another advisory is fixed', () => {
    expect(
      remediationFor([
        { fixedVersion: null, affectedVersions: '*' },
        { fixedVersion: '3.0', affectedVersions: '<3.0' },
      ]),
    ).toEqual({
      action: 'no_fix',
      minimumSafeVersion: null,
      actionText: 'no fix: mitigate or replace; 3.0 or later fixes the other advisories',
    });
  });
});
