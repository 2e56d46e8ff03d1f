import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';

export interface FhirUrls {
  /** Absolute base of the FHIR endpoint: fullUrl and links are absolute URLs (R4 bdl-7, Bundle.link.url). */
  baseUrl: string;
  selfUrl: string;
}

/**
 * The FHIR base as the client reached it. The host comes from the request; behind a proxy it is
 * the forwarded one only from loopback proxies (the app trusts `loopback` only).
 */
export const FhirRequestUrls = createParamDecorator((_: unknown, ctx: ExecutionContext): FhirUrls => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const origin = `${req.protocol}://${req.get('host')}`;
  const path = req.originalUrl;
  const base = /^(.*?\/fhir)(?:\/|\?|$)/.exec(path)?.[1] ?? '/fhir';
  return { baseUrl: `${origin}${base}`, selfUrl: `${origin}${path}` };
});
