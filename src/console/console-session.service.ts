import { ForbiddenException, Injectable } from '@nestjs/common';
import { BrowserRequest, csrfRefusal } from '../auth/csrf';
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
 * The sign-in steps set the session cookie: they pass the same CSRF check as a cookie write, so
 * that no other site can sign a browser into an account (login CSRF). Checked after the body's
 * validation, so a malformed body is still a 400 that names its field.
 */
function assertSameOriginConsole(browser: BrowserRequest): void {
  const refusal = csrfRefusal(browser);
  if (refusal) throw new ForbiddenException(refusal);
}

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

  async verify(browser: BrowserRequest, challengeToken: string, factor: SecondFactor): Promise<BrowserSession> {
    assertSameOriginConsole(browser);
    const issued = await this.login.verify(challengeToken, factor);
    return this.describe(issued.accessToken, issued.expiresAt);
  }

  async confirmEnrolment(browser: BrowserRequest, challengeToken: string, code: string): Promise<BrowserSession & { recoveryCodes: string[] }> {
    assertSameOriginConsole(browser);
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
