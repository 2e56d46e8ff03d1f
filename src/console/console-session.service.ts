import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/role';
import { SessionAuthenticator } from '../auth/session-authenticator';
import { InvalidInputError } from '../common/domain-errors';
import { LoginService, SecondFactor } from '../users/login.service';
import { WhoAmIDto } from '../users/dto/login.dto';

export interface BrowserSession {
  token: string;
  expiresAt: Date;
  user: WhoAmIDto;
}

const whoAmI = (p: Principal): WhoAmIDto => ({ kind: p.kind, id: p.id, name: p.name, role: p.role, manufacturerId: p.manufacturerId ?? null });

/**
 * The console's sign-in: the people's login steps unchanged (password, then TOTP or a recovery
 * code, or first-time enrolment), ending in a session whose token goes into a cookie instead
 * of the response body.
 */
@Injectable()
export class ConsoleSessionService {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async verify(challengeToken: string, factor: SecondFactor): Promise<BrowserSession> {
    const issued = await this.login.verify(challengeToken, factor);
    return this.describe(issued.accessToken, issued.expiresAt);
  }

  async confirmEnrolment(challengeToken: string, code: string): Promise<BrowserSession & { recoveryCodes: string[] }> {
    const issued = await this.login.confirmEnrolment(challengeToken, code);
    return { ...(await this.describe(issued.accessToken, issued.expiresAt)), recoveryCodes: issued.recoveryCodes };
  }

  async signOut(actor: Principal): Promise<void> {
    await this.login.logout(actor);
  }

  private async describe(token: string, expiresAt: Date): Promise<BrowserSession> {
    const principal = await this.sessions.authenticate(token);
    // Just issued in a committed transaction: only a disable between the two steps gets here.
    if (!principal) throw new InvalidInputError('challengeToken: the account was disabled while signing in');
    return { token, expiresAt, user: whoAmI(principal) };
  }
}
