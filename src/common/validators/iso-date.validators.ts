import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate, isIsoInstant } from '../iso-date';

/** An instant in strict ISO 8601 with an offset; see isIsoInstant. */
export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (value) => isIsoInstant(value),
        defaultMessage: () => '$property must be an ISO 8601 date-time with an offset, on a day that exists (e.g. 2026-02-28T13:45:00Z)',
      },
    },
    options,
  );
}

/** A calendar day `YYYY-MM-DD` that exists. */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value) => isIsoDate(value),
        defaultMessage: () => '$property must be an ISO 8601 date YYYY-MM-DD that exists (e.g. 2026-02-28)',
      },
    },
    options,
  );
}
