import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from './api-keys.service';
import { bearerKind } from './bearer-token';
import { Principal, Role } from './role';
import { AVAILABLE_WITHOUT_DATABASE_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { csrfRefusal } from './csrf';
import { SessionAuthenticator } from './session-authenticator';
import { sessionFromCookieHeader } from './session-cookie';

interface GuardedRequest {
  method: string;
  protocol: string;
  headers: Record<string, string | undefined>;
  get(name: string): string | undefined;
  principal?: Principal;
}

/**
 * Deny by default: every route must be @Public() or declare its @Roles(); a route that does
 * neither is refused even to admins, so a forgotten decorator fails closed.
 *
 * A bearer token is either a machine's API key or a person's session (issued only after the
 * second factor); the prefix says which. A login challenge token is never a credential.
 * Without an Authorization header, the console's session cookie may stand for a person's
 * session (never for an API key), and then writes must pass the CSRF check (./csrf.ts).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const withoutDatabase = this.reflector.getAllAndOverride<boolean>(AVAILABLE_WITHOUT_DATABASE_KEY, targets) ?? false;
    const principal =
      request.headers.authorization === undefined ? await this.resolveCookie(request) : await this.resolve(request.headers.authorization, withoutDatabase);
    if (!principal) throw new UnauthorizedException('A valid bearer API key or session token is required (Authorization: Bearer <token>)');
    request.principal = principal;

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException(`Role ${principal.role} may not ${context.switchToHttp().getRequest().method} this resource`);
    }
    return true;
  }

  private async resolveCookie(request: GuardedRequest): Promise<Principal | null> {
    const token = sessionFromCookieHeader(request.headers.cookie);
    if (!token || bearerKind(token) !== 'session') return null;
    const principal = await this.sessions.authenticate(token);
    if (!principal) return null;
    const refusal = csrfRefusal({ method: request.method, headers: request.headers, ownOrigin: `${request.protocol}://${request.get('host') ?? ''}` });
    if (refusal) throw new ForbiddenException(refusal);
    return principal;
  }

  private async resolve(header: string | undefined, withoutDatabase: boolean): Promise<Principal | null> {
    const match = /^Bearer\s+(\S{16,512})\s*$/i.exec(header ?? '');
    if (!match) return null;
    const token = match[1];
    switch (bearerKind(token)) {
      case 'session':
        return this.sessions.authenticate(token);
      case 'challenge':
        return null;
      case 'api-key':
        return this.apiKeys.authenticate(token, { whenDatabaseDown: withoutDatabase });
    }
  }
}
