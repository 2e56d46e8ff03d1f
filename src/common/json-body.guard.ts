import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { UnsupportedMediaTypeError } from './domain-errors';

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;

/**
 * For operations that read a JSON document as a whole (CSAF import): the global parser leaves a
 * body of any other media type unread, and the handler would judge an empty document. Refused
 * with 415 naming Content-Type instead, as the device import does.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['content-type'];
    const type = (header ?? '').split(';')[0].trim().toLowerCase();
    if (JSON_TYPE.test(type)) return true;
    throw new UnsupportedMediaTypeError(`Content-Type: must be application/json, got "${type || 'none'}"`);
  }
}
