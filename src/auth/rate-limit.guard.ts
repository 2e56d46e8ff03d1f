import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AUTH_RATE_LIMIT_KEY } from './roles.decorator';

const MINUTE_MS = 60_000;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isAuthRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(AUTH_RATE_LIMIT_KEY, context.getHandler()) === true || Reflect.getMetadata(AUTH_RATE_LIMIT_KEY, context.getClass()) === true;
}

function isRead(context: ExecutionContext): boolean {
  return READS.has(context.switchToHttp().getRequest<{ method: string }>().method);
}

/**
 * Two limits, both per client address (`req.ip`: behind a reverse proxy on loopback, the
 * X-Forwarded-For client): login steps per route (RATE_LIMIT_AUTH_PER_MIN) and writes across all
 * routes (RATE_LIMIT_WRITES_PER_MIN). Reads are not limited here. Counters live in this process
 * (one storage per app instance); with several replicas each counts its own share.
 */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    errorMessage: 'Too many requests from this address: wait for the Retry-After delay (seconds) and try again',
    throttlers: [
      { name: 'auth', ttl: MINUTE_MS, limit: config.RATE_LIMIT_AUTH_PER_MIN, skipIf: (c) => !isAuthRoute(c) },
      {
        name: 'writes',
        ttl: MINUTE_MS,
        limit: config.RATE_LIMIT_WRITES_PER_MIN,
        skipIf: (c) => isRead(c) || isAuthRoute(c),
        // One bucket per address for every write route, not one per route.
        generateKey: (_c, tracker, name) => `${name}:${tracker}`,
      },
    ],
  };
}

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  // The library names the header per throttler (Retry-After-auth); clients read the standard one.
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    this.setResponseHeader(context.switchToHttp().getResponse(), 'Retry-After', Math.max(1, Math.ceil(detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
