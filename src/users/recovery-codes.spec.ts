import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('makes ten distinct codes of four groups of four', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
  });

  it('hashes what a person types the same way, whatever the case, spaces or hyphens', () => {
    const h = hashRecoveryCode('u1', 'abcd-efgh-ijkl-mnop');
    expect(hashRecoveryCode('u1', 'ABCD EFGH IJKL MNOP')).toBe(h);
    expect(hashRecoveryCode('u1', 'abcdefghijklmnop')).toBe(h);
  });

  it('salts with the user: the same code hashes differently for another person', () => {
    expect(hashRecoveryCode('u1', 'abcd-efgh-ijkl-mnop')).not.toBe(hashRecoveryCode('u2', 'abcd-efgh-ijkl-mnop'));
  });
});
