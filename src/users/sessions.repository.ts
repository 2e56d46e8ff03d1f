import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../auth/role';

export type ChallengePurpose = 'enroll' | 'totp';

export interface LiveChallenge {
  id: string;
  userId: string;
  purpose: ChallengePurpose;
}

export interface SessionOwner {
  sessionId: string;
  userId: string;
  email: string;
  role: Role;
  manufacturerId: string | null;
}

/**
 * Login challenges (between password and second factor) and bearer sessions. Both are stored
 * only as SHA-256 of their token; "live" means not used/revoked and not expired, judged by the
 * database clock so that every replica agrees.
 */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createChallenge(userId: string, purpose: ChallengePurpose, tokenHash: string, ttlS: number): Promise<Date> {
    // Housekeeping on the way: this person's dead challenges and long-dead sessions.
    await this.dataSource.query(`DELETE FROM auth_challenges WHERE user_id = $1 AND (used_at IS NOT NULL OR expires_at < now())`, [userId]);
    await this.dataSource.query(`DELETE FROM user_sessions WHERE user_id = $1 AND expires_at < now() - interval '1 day'`, [userId]);
    const [row]: Array<{ expires_at: Date }> = await this.dataSource.query(
      `INSERT INTO auth_challenges (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
      [tokenHash, userId, purpose, ttlS],
    );
    return row.expires_at;
  }

  async findLiveChallenge(tokenHash: string): Promise<LiveChallenge | null> {
    const [row]: Array<{ id: string; user_id: string; purpose: ChallengePurpose }> = await this.dataSource.query(
      `SELECT id, user_id, purpose FROM auth_challenges WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    return row ? { id: row.id, userId: row.user_id, purpose: row.purpose } : null;
  }

  /** Single use: true for the one caller that consumes a live challenge. */
  async consumeChallenge(m: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH used AS (UPDATE auth_challenges SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING id)
       SELECT id FROM used`,
      [id],
    );
    return rows.length === 1;
  }

  async dropChallenges(m: EntityManager, userId: string): Promise<void> {
    await m.query(`UPDATE auth_challenges SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [userId]);
  }

  async createSession(m: EntityManager, userId: string, tokenHash: string, ttlS: number): Promise<{ id: string; expiresAt: Date }> {
    const [row]: Array<{ id: string; expires_at: Date }> = await m.query(
      `INSERT INTO user_sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id, expires_at`,
      [tokenHash, userId, ttlS],
    );
    return { id: row.id, expiresAt: row.expires_at };
  }

  /** One indexed lookup per request: the session, alive, of a person not disabled. */
  async findLiveOwner(tokenHash: string): Promise<SessionOwner | null> {
    const [row]: Array<{ session_id: string; user_id: string; email: string; role: Role; manufacturer_id: string | null }> = await this.dataSource.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.email, u.role, u.manufacturer_id
         FROM user_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [tokenHash],
    );
    return row ? { sessionId: row.session_id, userId: row.user_id, email: row.email, role: row.role, manufacturerId: row.manufacturer_id } : null;
  }

  async revoke(m: EntityManager, sessionId: string): Promise<void> {
    await m.query(`UPDATE user_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }

  async revokeAll(m: EntityManager, userId: string): Promise<number> {
    const rows: unknown[] = await m.query(
      `WITH revoked AS (UPDATE user_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id) SELECT id FROM revoked`,
      [userId],
    );
    return rows.length;
  }
}
