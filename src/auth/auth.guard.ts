import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeysService } from './api-keys.service';
import { Principal, Role } from './role';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

/**
 * Deny by default: every route must be @Public() or declare its @Roles(); a route that does
 * neither is refused even to admins, so a forgotten decorator fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const principal = await this.resolve(request.headers.authorization);
    if (!principal) throw new UnauthorizedException('A valid bearer API key is required (Authorization: Bearer <key>)');
    request.principal = principal;

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException(`Role ${principal.role} may not ${context.switchToHttp().getRequest().method} this resource`);
    }
    return true;
  }

  private async resolve(header: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S{16,512})\s*$/i.exec(header ?? '');
    if (!match) return null;
    return this.apiKeys.authenticate(match[1]);
  }
}
