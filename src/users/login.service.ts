import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { bearerKind, CHALLENGE_TOKEN_PREFIX, generateToken, hashToken } from '../auth/bearer-token';
import { DataKeyMismatchError, DataProtector } from '../auth/data-protector';
import { Principal } from '../auth/role';
import { totpSecretContext as totpContext } from '../auth/sealed-columns';
import { InvalidInputError } from '../common/domain-errors';
import { UserEntity } from './entities/user.entity';
import { AccountLockedError, InvalidChallengeError, InvalidSecondFactorError, LoginFailedError, MfaUnavailableError } from './login-errors';
import { isLocked, UnknownAccountLockout } from './login-lockout';
import { PasswordHasher } from './password-hasher';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes';
import { ChallengePurpose, LiveChallenge, SessionsRepository } from './sessions.repository';
import { IssuedSession, SessionsService } from './sessions.service';
import { acceptTotp, newTotpSecret, totpUri } from './totp';
import { UsersRepository } from './users.repository';

/** Between password and second factor: long enough to open an authenticator app. */
export const CHALLENGE_TTL_S = 5 * 60;

export interface LoginChallenge {
  mfaRequired: ChallengePurpose;
  challengeToken: string;
  expiresAt: Date;
}

export type SecondFactor = { code: string; recoveryCode?: undefined } | { recoveryCode: string; code?: undefined };

const asPrincipal = (u: UserEntity): Principal => ({ kind: 'user', id: u.id, name: u.email, role: u.role, manufacturerId: u.manufacturerId ?? undefined });

/**
 * How a person gets a bearer token: password, then a second factor (TOTP or a recovery code),
 * never one without the other. Every failure of either counts toward the lock-out.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger(LoginService.name);
  private readonly unknownAccounts = new UnknownAccountLockout();

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly sessionTokens: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly protector: DataProtector,
    private readonly audit: AuditService,
  ) {}

  async login(email: string, password: string): Promise<LoginChallenge> {
    const normalized = email.trim().toLowerCase();
    const user = await this.users.findByEmail(normalized);
    if (!user) {
      if (this.unknownAccounts.isLocked(normalized)) throw new AccountLockedError();
      await this.hasher.verifyDummy(password);
      if (this.unknownAccounts.recordFailure(normalized)) throw new AccountLockedError();
      this.logger.warn('login failed');
      throw new LoginFailedError();
    }
    if (isLocked(user)) throw new AccountLockedError();
    const passwordOk = await this.hasher.verify(user.passwordHash, password);
    if (!passwordOk || user.disabledAt) {
      await this.fail(user);
      throw new LoginFailedError();
    }
    const purpose: ChallengePurpose = user.mfaEnrolled ? 'totp' : 'enroll';
    const challengeToken = generateToken(CHALLENGE_TOKEN_PREFIX);
    const expiresAt = await this.sessions.createChallenge(user.id, purpose, hashToken(challengeToken), CHALLENGE_TTL_S);
    return { mfaRequired: purpose, challengeToken, expiresAt };
  }

  /** Step 1 of enrolment: a fresh secret, shown once, kept sealed until a code confirms it. */
  async startEnrolment(challengeToken: string): Promise<{ otpauthUri: string; secret: string }> {
    const { user } = await this.openChallenge(challengeToken, 'enroll');
    const secret = newTotpSecret();
    if (!(await this.users.setPendingTotpSecret(user.id, this.protector.seal(secret, totpContext(user.id))))) throw new InvalidChallengeError();
    return { otpauthUri: totpUri(secret, user.email), secret };
  }

  /** Step 2: a code from the new authenticator proves it; the session and recovery codes follow. */
  async confirmEnrolment(challengeToken: string, code: string): Promise<IssuedSession & { recoveryCodes: string[] }> {
    const { challenge, user } = await this.openChallenge(challengeToken, 'enroll');
    if (!user.totpSecret) throw new InvalidInputError('challengeToken: start with POST /api/v1/auth/mfa/enroll to get a secret');
    const step = await acceptTotp(this.openSecret(user), code, null);
    if (step === null) return this.failSecondFactor(user);
    const recoveryCodes = generateRecoveryCodes();
    const session = await this.users.transaction(async (m) => {
      if (!(await this.sessions.consumeChallenge(m, challenge.id))) throw new InvalidChallengeError();
      if (!(await this.users.completeEnrolment(m, user.id, user.totpSecret!))) throw new InvalidChallengeError();
      if (!(await this.users.claimTotpStep(m, user.id, step))) throw new InvalidSecondFactorError();
      await this.users.replaceRecoveryCodes(
        m,
        user.id,
        recoveryCodes.map((c) => hashRecoveryCode(user.id, c)),
      );
      await this.users.recordLogin(m, user.id);
      const issued = await this.sessionTokens.issue(m, user.id);
      await this.audit.record(m, asPrincipal(user), {
        action: 'mfa_enroll',
        entityType: 'user',
        entityId: user.id,
        changes: { recoveryCodes: recoveryCodes.length },
      });
      await this.audit.record(m, asPrincipal(user), { action: 'login', entityType: 'user', entityId: user.id, changes: { factor: 'totp' } });
      return issued;
    });
    return { ...session, recoveryCodes };
  }

  async verify(challengeToken: string, factor: SecondFactor): Promise<IssuedSession> {
    const { challenge, user } = await this.openChallenge(challengeToken, 'totp');
    let step: number | null = null;
    if (factor.code !== undefined) {
      step = await acceptTotp(this.openSecret(user), factor.code, user.totpLastStep === null ? null : Number(user.totpLastStep));
      if (step === null) return this.failSecondFactor(user);
    }
    try {
      return await this.users.transaction(async (m) => {
        if (!(await this.sessions.consumeChallenge(m, challenge.id))) throw new InvalidChallengeError();
        // Both are single conditional updates: a concurrent second use of the same code or
        // recovery code finds the row already claimed.
        const claimed =
          step !== null
            ? await this.users.claimTotpStep(m, user.id, step)
            : await this.users.useRecoveryCode(m, user.id, hashRecoveryCode(user.id, factor.recoveryCode!));
        if (!claimed) throw new InvalidSecondFactorError();
        await this.users.recordLogin(m, user.id);
        const issued = await this.sessionTokens.issue(m, user.id);
        await this.audit.record(m, asPrincipal(user), {
          action: 'login',
          entityType: 'user',
          entityId: user.id,
          changes: { factor: step !== null ? 'totp' : 'recovery_code' },
        });
        return issued;
      });
    } catch (e) {
      if (e instanceof InvalidSecondFactorError) return this.failSecondFactor(user);
      throw e;
    }
  }

  async logout(actor: Principal): Promise<void> {
    if (actor.kind !== 'user' || !actor.sessionId) {
      throw new InvalidInputError("Authorization: logout ends a person's session; revoke an API key with DELETE /api/v1/api-keys/{id}");
    }
    await this.users.transaction(async (m) => {
      await this.sessions.revoke(m, actor.sessionId!);
      await this.audit.record(m, actor, { action: 'logout', entityType: 'user', entityId: actor.id, changes: null });
    });
  }

  private async openChallenge(token: string, purpose: ChallengePurpose): Promise<{ challenge: LiveChallenge; user: UserEntity }> {
    if (bearerKind(token) !== 'challenge') throw new InvalidChallengeError();
    const challenge = await this.sessions.findLiveChallenge(hashToken(token));
    if (!challenge || challenge.purpose !== purpose) throw new InvalidChallengeError();
    const user = await this.users.findById(challenge.userId);
    if (!user || user.disabledAt) throw new InvalidChallengeError();
    if (isLocked(user)) throw new AccountLockedError();
    if (purpose === 'enroll' && user.mfaEnrolled) throw new InvalidChallengeError();
    if (purpose === 'totp' && !user.mfaEnrolled) throw new InvalidChallengeError();
    return { challenge, user };
  }

  private openSecret(user: UserEntity): string {
    try {
      return this.protector.open(user.totpSecret!, totpContext(user.id));
    } catch (e) {
      this.logger.error({ userId: user.id, keyMismatch: e instanceof DataKeyMismatchError }, 'cannot open a TOTP secret with the configured data key');
      throw new MfaUnavailableError();
    }
  }

  private async failSecondFactor(user: UserEntity): Promise<never> {
    await this.fail(user);
    throw new InvalidSecondFactorError();
  }

  /** Counts a failure; the one that reaches the limit locks the account and drops its challenges. */
  private async fail(user: UserEntity): Promise<void> {
    this.logger.warn({ userId: user.id }, 'login step failed');
    const locked = await this.users.transaction(async (m) => {
      if (!(await this.users.recordFailure(m, user.id))) return false;
      await this.sessions.dropChallenges(m, user.id);
      await this.audit.record(m, asPrincipal(user), { action: 'lockout', entityType: 'user', entityId: user.id, changes: null });
      return true;
    });
    if (locked) throw new AccountLockedError();
  }
}
