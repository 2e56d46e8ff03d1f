import { Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '../common/domain-errors';

/** A security event id: decimal digits that fit a bigint, kept as text. */
@Injectable()
export class EventIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9]{1,18}$/.test(value)) throw new InvalidInputError('id: must be a security event id (decimal digits)');
    return value;
  }
}
