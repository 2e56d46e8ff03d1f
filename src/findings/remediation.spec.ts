import { remediationFor } from './remediation';

describe('remediationFor', () => {
  it('recommends the highest fixed version among the open findings', () => {
    expect(remediationFor([{ fixedVersion: '1.5', affectedVersions: '<1.5' }, { fixedVersion: '2.1', affectedVersions: '<2.1' }])).toEqual({
      minimumSafeVersion: '2.1',
      action: 'update',
      actionText: 'update to 2.1 or later',
    });
  });

  it('says "no fix: mitigate or replace" for an all-versions advisory without a fix', () => {
    expect(remediationFor([{ fixedVersion: null, affectedVersions: 'vers:all/*' }])).toMatchObject({ action: 'no_fix', actionText: 'no fix: mitigate or replace', minimumSafeVersion: null });
  });

  it('calls a missing fix for a bounded range unknown, never a guess', () => {
    expect(remediationFor([{ fixedVersion: null, affectedVersions: '<3.0' }])).toMatchObject({ action: 'fix_unknown', minimumSafeVersion: null });
  });

  it('still names the known fix when another advisory has none', () => {
    expect(remediationFor([{ fixedVersion: '2.0', affectedVersions: '<2.0' }, { fixedVersion: null, affectedVersions: '<=2.5' }])).toMatchObject({
      action: 'fix_unknown',
      minimumSafeVersion: '2.0',
    });
  });
});
