import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { UnsupportedMediaTypeError } from '../common/domain-errors';

const EPSS_TYPES = new Set(['text/csv', 'text/plain', 'application/gzip', 'application/x-gzip', 'application/octet-stream']);
const GZIP_TYPES = new Set(['application/gzip', 'application/x-gzip']);

const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0].trim().toLowerCase();

/**
 * The EPSS file is read from the raw request stream; a JSON or form body would already have
 * been consumed by a parser. Types curl and mirrors send for a .csv or .csv.gz file pass.
 */
@Injectable()
export class EpssContentGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
    const type = mediaType(headers['content-type']);
    if (EPSS_TYPES.has(type)) return true;
    throw new UnsupportedMediaTypeError(`Content-Type: must be text/csv or application/gzip, got "${type || 'none'}"`);
  }
}

/** The client says the body is gzip (it is checked against the bytes). */
export function isDeclaredGzip(headers: Record<string, string | undefined>): boolean {
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  return encoding === 'gzip' || encoding === 'x-gzip' || GZIP_TYPES.has(mediaType(headers['content-type']));
}
