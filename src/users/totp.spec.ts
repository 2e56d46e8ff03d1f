import { generate } from 'otplib';
import { acceptTotp, newTotpSecret, TOTP_PERIOD_S, totpUri } from './totp';

const at = (step: number) => step * TOTP_PERIOD_S * 1000 + 10_000;
const codeFor = (secret: string, step: number) => generate({ secret, epoch: step * TOTP_PERIOD_S });

describe('TOTP', () => {
  const secret = newTotpSecret();
  const step = 58_000_000;

  it('makes 160-bit base32 secrets and an otpauth URI an authenticator app can scan', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'jane@hospital.example'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('IoMT Inventory');
    expect(decodeURIComponent(uri.pathname)).toBe('/IoMT Inventory:jane@hospital.example');
  });

  it('accepts the current code and returns its time step', async () => {
    expect(await acceptTotp(secret, await codeFor(secret, step), null, at(step))).toBe(step);
  });

  it('accepts one step of clock drift either side, not two', async () => {
    expect(await acceptTotp(secret, await codeFor(secret, step - 1), null, at(step))).toBe(step - 1);
    expect(await acceptTotp(secret, await codeFor(secret, step + 1), null, at(step))).toBe(step + 1);
    expect(await acceptTotp(secret, await codeFor(secret, step - 3), null, at(step))).toBeNull();
    expect(await acceptTotp(secret, await codeFor(secret, step + 3), null, at(step))).toBeNull();
  });

  it('refuses a code of a step already used (replay) or an earlier one', async () => {
    const code = await codeFor(secret, step);
    expect(await acceptTotp(secret, code, step, at(step))).toBeNull();
    expect(await acceptTotp(secret, await codeFor(secret, step - 1), step, at(step))).toBeNull();
    expect(await acceptTotp(secret, await codeFor(secret, step + 1), step, at(step))).toBe(step + 1);
  });

  it.each(['', '12345', '1234567', 'abcdef', "' OR 1=1", '１２３４５６'])('refuses a malformed code %j without throwing', async (code) => {
    expect(await acceptTotp(secret, code, null, at(step))).toBeNull();
  });

  it('refuses the code of another secret', async () => {
    expect(await acceptTotp(newTotpSecret(), await codeFor(secret, step), null, at(step))).toBeNull();
  });
});
