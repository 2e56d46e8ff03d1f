import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import { LOCKOUT_S, MAX_FAILED_ATTEMPTS } from './login-lockout';

export type NewUser = Pick<UserEntity, 'email' | 'displayName' | 'role' | 'manufacturerId' | 'passwordHash' | 'createdBy'>;

/**
 * People and their second factors. Conditional updates are single statements, so they are
 * race-free. (UPDATE ... RETURNING is wrapped in a CTE: TypeORM's query() answers a bare UPDATE
 * with [rows, count] instead of rows.)
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  insert(m: EntityManager, user: NewUser): Promise<UserEntity> {
    return m.getRepository(UserEntity).save(m.getRepository(UserEntity).create({ ...user, mfaEnrolled: false, failedAttempts: 0 }));
  }

  list(): Promise<UserEntity[]> {
    return this.dataSource.getRepository(UserEntity).find({ order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOne({ where: { id } });
  }

  async findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /**
   * Counts a failed password or code. The failure that reaches the limit locks the account
   * (and restarts the count); returns whether this one did.
   */
  async recordFailure(m: EntityManager, id: string): Promise<boolean> {
    const rows: Array<{ locked: boolean }> = await m.query(
      `WITH changed AS (
         UPDATE users u
            SET failed_attempts = CASE WHEN u.failed_attempts + 1 >= $2 THEN 0 ELSE u.failed_attempts + 1 END,
                locked_until    = CASE WHEN u.failed_attempts + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE u.locked_until END
          WHERE u.id = $1
        RETURNING u.failed_attempts = 0 AS locked)
       SELECT locked FROM changed`,
      [id, MAX_FAILED_ATTEMPTS, LOCKOUT_S],
    );
    return rows[0]?.locked === true;
  }

  /** Accepts a TOTP step only if it is later than every step accepted before (no replay, even concurrently). */
  async claimTotpStep(m: EntityManager, id: string, step: number): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH changed AS (UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id)
       SELECT id FROM changed`,
      [id, step],
    );
    return rows.length === 1;
  }

  async recordLogin(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = now() WHERE id = $1`, [id]);
  }

  /** A new secret while enrolment is pending; an enrolled person's secret is never replaced here. */
  async setPendingTotpSecret(id: string, sealed: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH changed AS (UPDATE users SET totp_secret = $2 WHERE id = $1 AND NOT mfa_enrolled RETURNING id) SELECT id FROM changed`,
      [id, sealed],
    );
    return rows.length === 1;
  }

  async completeEnrolment(m: EntityManager, id: string, sealedSecret: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH changed AS (UPDATE users SET mfa_enrolled = true WHERE id = $1 AND NOT mfa_enrolled AND totp_secret = $2 RETURNING id)
       SELECT id FROM changed`,
      [id, sealedSecret],
    );
    return rows.length === 1;
  }

  async replaceRecoveryCodes(m: EntityManager, userId: string, codeHashes: string[]): Promise<void> {
    await m.query(`DELETE FROM user_recovery_codes WHERE user_id = $1`, [userId]);
    await m.query(`INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::char(64)[])`, [userId, codeHashes]);
  }

  /** Spends a recovery code: true once, false ever after (or for a code that never existed). */
  async useRecoveryCode(m: EntityManager, userId: string, codeHash: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH used AS (UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id)
       SELECT id FROM used`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return row.n;
  }

  async disable(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE users SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL`, [id]);
  }

  async resetMfa(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE users SET totp_secret = NULL, mfa_enrolled = false, totp_last_step = NULL, failed_attempts = 0, locked_until = NULL WHERE id = $1`, [
      id,
    ]);
    await m.query(`DELETE FROM user_recovery_codes WHERE user_id = $1`, [id]);
  }
}
