import { DomainError } from '../common/domain-errors';
import { LOCKOUT_S } from './login-lockout';

/** A login error class with one fixed status and message: a login step says no more than that. */
function fixedLoginError(status: number, message: string) {
  return class extends DomainError {
    readonly status = status;
    constructor() {
      super(message);
    }
  };
}

/** The one answer to a bad email, a bad password or a disabled account: it says which of none. */
export class LoginFailedError extends fixedLoginError(401, 'Invalid email or password') {}

export class InvalidChallengeError extends fixedLoginError(401, 'The login challenge is invalid, used or expired: log in again') {}

export class InvalidSecondFactorError extends fixedLoginError(401, 'Invalid code') {}

export class AccountLockedError extends fixedLoginError(
  423,
  `Too many failed attempts: this account is locked for ${LOCKOUT_S / 60} minutes. Try again later or ask an admin.`,
) {}

/** The server cannot read a person's TOTP secret (the data key changed): an admin must reset MFA. */
export class MfaUnavailableError extends fixedLoginError(503, 'Multi-factor authentication is unavailable for this account: ask an admin to reset it') {}
