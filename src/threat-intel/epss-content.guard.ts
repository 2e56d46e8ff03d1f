import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { InvalidInputError, UnsupportedMediaTypeError } from '../common/domain-errors';

const EPSS_TYPES = new Set(['text/csv', 'text/plain', 'application/gzip', 'application/x-gzip', 'application/octet-stream']);
const GZIP_TYPES = new Set(['application/gzip', 'application/x-gzip']);

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;

const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0].trim().toLowerCase();

/**
 * The EPSS file is read from the raw request stream; a JSON or form body would already have
 * been consumed by a parser. Types curl and mirrors send for a .csv or .csv.gz file pass;
 * JSON is a 400, any other type a 415.
 */
@Injectable()
export class EpssContentGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
    const type = mediaType(headers['content-type']);
    if (EPSS_TYPES.has(type)) return true;
    // A JSON body is the API's usual mistake rather than an unknown format: answered like any
    // refused body (400 naming what is wrong), as every other route that reads one does.
    if (JSON_TYPE.test(type)) throw new InvalidInputError(`body: must be the EPSS CSV (Content-Type text/csv) or its gzip (application/gzip), not JSON`);
    throw new UnsupportedMediaTypeError(`Content-Type: must be text/csv or application/gzip, got "${type || 'none'}"`);
  }
}

/** The client says the body is gzip (it is checked against the bytes). */
export function isDeclaredGzip(headers: Record<string, string | undefined>): boolean {
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  return encoding === 'gzip' || encoding === 'x-gzip' || GZIP_TYPES.has(mediaType(headers['content-type']));
}
