import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Request } from 'express';
import { csrfRefusal } from '../auth/csrf';

/**
 * The console's sign-in steps set the session cookie: they pass the same CSRF check as a
 * cookie-authenticated write, so that no other site can sign a browser into an account (login CSRF).
 */
@Injectable()
export class ConsoleRequestGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const refusal = csrfRefusal({ method: request.method, headers: request.headers, ownOrigin: `${request.protocol}://${request.get('host') ?? ''}` });
    if (refusal) throw new ForbiddenException(refusal);
    return true;
  }
}
