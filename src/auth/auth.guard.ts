import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from './api-keys.service';
import { bearerKind } from './bearer-token';
import { Principal, Role } from './role';
import { AVAILABLE_WITHOUT_DATABASE_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { SessionAuthenticator } from './session-authenticator';

/**
 * Deny by default: every route must be @Public() or declare its @Roles(); a route that does
 * neither is refused even to admins, so a forgotten decorator fails closed.
 *
 * A bearer token is either a machine's API key or a person's session (issued only after the
 * second factor); the prefix says which. A login challenge token is never a credential.
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

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const withoutDatabase = this.reflector.getAllAndOverride<boolean>(AVAILABLE_WITHOUT_DATABASE_KEY, targets) ?? false;
    const principal = await this.resolve(request.headers.authorization, withoutDatabase);
    if (!principal) throw new UnauthorizedException('A valid bearer API key or session token is required (Authorization: Bearer <token>)');
    request.principal = principal;

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException(`Role ${principal.role} may not ${context.switchToHttp().getRequest().method} this resource`);
    }
    return true;
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
