import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { generateToken, hashToken, SESSION_TOKEN_PREFIX } from '../auth/bearer-token';
import { Principal } from '../auth/role';
import { SessionAuthenticator } from '../auth/session-authenticator';
import { AppConfig } from '../config/app-config';
import { SessionsRepository } from './sessions.repository';

export interface IssuedSession {
  accessToken: string;
  expiresAt: Date;
}

/** People's bearer sessions: issued after the second factor, checked by the auth guard. */
@Injectable()
export class SessionsService extends SessionAuthenticator {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async issue(m: EntityManager, userId: string): Promise<IssuedSession> {
    const accessToken = generateToken(SESSION_TOKEN_PREFIX);
    const { expiresAt } = await this.sessions.createSession(m, userId, hashToken(accessToken), this.config.SESSION_TTL_S);
    return { accessToken, expiresAt };
  }

  async authenticate(token: string): Promise<Principal | null> {
    const owner = await this.sessions.findLiveOwner(hashToken(token));
    if (!owner) return null;
    return {
      kind: 'user',
      id: owner.userId,
      name: owner.email,
      role: owner.role,
      manufacturerId: owner.manufacturerId ?? undefined,
      sessionId: owner.sessionId,
    };
  }
}
