import { DomainError } from '../common/domain-errors';
import { LOCKOUT_S } from './login-lockout';

/** The one answer to a bad email, a bad password or a disabled account: it says which of none. */
export class LoginFailedError extends DomainError {
  readonly status = 401;
  constructor() {
    super('Invalid email or password');
  }
}

export class InvalidChallengeError extends DomainError {
  readonly status = 401;
  constructor() {
    super('The login challenge is invalid, used or expired: log in again');
  }
}

export class InvalidSecondFactorError extends DomainError {
  readonly status = 401;
  constructor() {
    super('Invalid code');
  }
}

export class AccountLockedError extends DomainError {
  readonly status = 423;
  constructor() {
    super(`Too many failed attempts: this account is locked for ${LOCKOUT_S / 60} minutes. Try again later or ask an admin.`);
  }
}

/** The server cannot read a person's TOTP secret (the data key changed): an admin must reset MFA. */
export class MfaUnavailableError extends DomainError {
  readonly status = 503;
  constructor() {
    super('Multi-factor authentication is unavailable for this account: ask an admin to reset it');
  }
}
