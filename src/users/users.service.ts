import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { checkManufacturerBinding, Principal, Role } from '../auth/role';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { foreignKeyViolation, uniqueViolation } from '../database/pg-errors';
import { UserEntity } from './entities/user.entity';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

export interface NewUserInput {
  email: string;
  displayName: string;
  role: Role;
  manufacturerId?: string;
  password: string;
}

/** Admins manage people: create, list, disable, and reset a lost second factor. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, input: NewUserInput): Promise<UserEntity> {
    checkManufacturerBinding(input.role, input.manufacturerId);
    const email = input.email.trim().toLowerCase();
    const problem = passwordProblem(input.password, { email, displayName: input.displayName });
    if (problem) throw new InvalidInputError(`password: ${problem}`);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      return await this.users.transaction(async (m) => {
        const user = await this.users.insert(m, {
          email,
          displayName: input.displayName.trim(),
          role: input.role,
          manufacturerId: input.manufacturerId ?? null,
          passwordHash,
          createdBy: actor.id,
        });
        await this.audit.record(m, actor, {
          action: 'create',
          entityType: 'user',
          entityId: user.id,
          changes: { email, displayName: user.displayName, role: user.role, manufacturerId: user.manufacturerId },
        });
        return user;
      });
    } catch (e) {
      if (uniqueViolation(e)) throw new ConflictError('email: a user with this email already exists');
      if (foreignKeyViolation(e)) throw new InvalidInputError(`manufacturerId: no manufacturer ${input.manufacturerId}`);
      throw e;
    }
  }

  list(): Promise<UserEntity[]> {
    return this.users.list();
  }

  /** Disabling ends every session at once; the account and its history stay. */
  async disable(actor: Principal, id: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('User', id);
    if (user.disabledAt) return;
    await this.users.transaction(async (m) => {
      await this.users.disable(m, id);
      await this.endAccess(m, actor, id, 'disable');
    });
  }

  /** For a lost phone: the person enrols again at the next login; sessions and recovery codes end. */
  async resetMfa(actor: Principal, id: string): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('User', id);
    await this.users.transaction(async (m) => {
      await this.users.resetMfa(m, id);
      await this.endAccess(m, actor, id, 'reset_mfa');
    });
  }

  /** Ends every session and pending login of the person, and audits `action` with the count. */
  private async endAccess(m: EntityManager, actor: Principal, id: string, action: 'disable' | 'reset_mfa'): Promise<void> {
    const revoked = await this.sessions.revokeAll(m, id);
    await this.sessions.dropChallenges(m, id);
    await this.audit.record(m, actor, { action, entityType: 'user', entityId: id, changes: { sessionsRevoked: revoked } });
  }
}
