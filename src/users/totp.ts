import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 as every authenticator app expects it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_S = 30;
export const TOTP_ISSUER = 'IoMT Inventory';
// One step either side absorbs phone clock drift and the seconds it takes to type the code.
const TOLERANCE_S = TOTP_PERIOD_S;

/** 160 random bits, base32 (what authenticator apps and RFC 4226 expect). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

/**
 * Checks a code and returns the time step it belongs to, or null. A code whose step is at or
 * before `lastStep` (the last one accepted for this person) is refused: a code works once.
 */
export async function acceptTotp(secret: string, code: string, lastStep: number | null, nowMs = Date.now()): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(nowMs / 1000),
      epochTolerance: TOLERANCE_S,
      ...(lastStep !== null && { afterTimeStep: lastStep }),
    });
    // The functional verify() also covers HOTP; a TOTP result carries the step it matched.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}
